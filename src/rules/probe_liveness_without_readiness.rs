//! `probe-liveness-without-readiness`: a serving container with a liveness probe but no
//! readiness probe, so it receives traffic from the moment it starts.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_fragment;

pub struct ProbeLivenessWithoutReadiness;

static META: RuleMeta = RuleMeta {
    id: "probe-liveness-without-readiness",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Pod", "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet"]),
    summary: "Serving container has a liveness probe but no readiness probe",
    why: "Without a readiness probe a container is Ready as soon as it starts, so Services send it traffic before it can answer and keep sending while it is overloaded; only the liveness probe reacts, by restarting it.",
    why_fr: "Sans sonde de disponibilité (readiness), un conteneur est Ready dès son démarrage : les Services lui envoient du trafic avant qu'il puisse répondre et continuent pendant qu'il est surchargé ; seule la sonde liveness réagit, en le redémarrant.",
    docs: include_str!("../../rules/probe-liveness-without-readiness.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ProbeLivenessWithoutReadiness {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.helm_hook().is_some() || is_fragment(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let main_count = spec.containers().count();
        let mut selected_by = None;
        for container in spec.all_containers().filter(|c| c.is_long_running()) {
            let Some(live) = container.node.entry("livenessProbe") else { continue };
            if live.value.is_null() || container.node.get_some("readinessProbe").is_some() {
                continue;
            }
            // Serving: the container declares a port (not only a metrics or health one), or it is
            // the only main container of Pods a Service in the input selects.
            let serving = container.has_serving_port()
                || (container.role == crate::k8s::pod::ContainerRole::Main
                    && main_count == 1
                    && !selected_by.get_or_insert_with(|| ctx.index.services_selecting(obj)).is_empty());
            if !serving {
                continue;
            }
            let name = container.name().unwrap_or("?");
            let v = Violation::new(
                live.key.span,
                ctx.t("liveness only", "liveness seulement"),
                ctx.t(
                    format!(
                        "{} gives container `{name}` a liveness probe but no readiness probe: it receives traffic from the moment it starts",
                        obj.display()
                    ),
                    format!(
                        "{} donne au conteneur `{name}` une sonde liveness mais pas de readinessProbe : il reçoit du trafic dès son démarrage",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Add a readinessProbe that checks the container can serve (and a startupProbe if it starts slowly).",
                    "Ajoutez une readinessProbe qui vérifie que le conteneur peut servir (et une startupProbe s'il démarre lentement).",
                ),
            );
            ctx.report(v);
        }
    }
}

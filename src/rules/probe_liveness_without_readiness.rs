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
    why_fr: "",
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
            // Serving: the container declares a port, or it is the only main container of Pods a
            // Service in the input selects.
            let serving = !container.ports().is_empty()
                || (container.role == crate::k8s::pod::ContainerRole::Main
                    && main_count == 1
                    && !selected_by.get_or_insert_with(|| ctx.index.services_selecting(obj)).is_empty());
            if !serving {
                continue;
            }
            ctx.report(Violation::new(
                live.key.span,
                "liveness only",
                format!(
                    "{} gives container `{}` a liveness probe but no readiness probe: it receives traffic from the moment it starts",
                    obj.display(),
                    container.name().unwrap_or("?")
                ),
                "Add a readinessProbe that checks the container can serve (and a startupProbe if it starts slowly).",
            ));
        }
    }
}

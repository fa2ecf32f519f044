//! `probe-liveness-equals-readiness`: a container whose liveness probe checks the same thing as
//! its readiness probe and gives up after the same time, so a Pod taken out of rotation is also
//! restarted.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::containers::{failure_window, probe_handler};
use crate::k8s::{Object, WORKLOAD_KINDS};

pub struct ProbeLivenessEqualsReadiness;

static META: RuleMeta = RuleMeta {
    id: "probe-liveness-equals-readiness",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Liveness probe is identical to the readiness probe",
    why: "When the application is overloaded or a dependency blips, the readiness probe should take the Pod out of rotation until it recovers; an identical liveness probe fails at the same moment and the kubelet restarts the container, in every replica at once.",
    why_fr: "Quand l'application est surchargée ou qu'une dépendance a un raté, la sonde de disponibilité (readiness) doit retirer le Pod de la rotation jusqu'à ce qu'il se rétablisse ; une sonde liveness identique échoue au même moment et le kubelet redémarre le conteneur, dans tous les réplicas à la fois.",
    docs: include_str!("../../rules/probe-liveness-equals-readiness.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ProbeLivenessEqualsReadiness {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        for container in spec.all_containers().filter(|c| c.is_long_running()) {
            let (Some(live), Some(ready)) =
                (container.node.entry("livenessProbe"), container.node.entry("readinessProbe"))
            else {
                continue;
            };
            let (Some(handler), Some(other)) =
                (probe_handler(&live.value, &container), probe_handler(&ready.value, &container))
            else {
                continue;
            };
            let window = failure_window(&live.value);
            if handler != other || window != failure_window(&ready.value) {
                continue;
            }
            let name = container.name().unwrap_or("?");
            let described = handler.describe();
            let v = Violation::new(
                live.key.span,
                ctx.t("same check as readiness", "même vérification que la readiness"),
                ctx.t(
                    format!(
                        "{} checks container `{name}` for liveness exactly like for readiness ({described}, {window}s of failures): a Pod taken out of rotation is restarted at the same moment",
                        obj.display()
                    ),
                    format!(
                        "{} vérifie la liveness du conteneur `{name}` exactement comme sa readiness ({described}, {window} s d'échecs) : un Pod retiré de la rotation est redémarré au même moment",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Make the liveness probe check only that the process is not stuck (a cheap endpoint) and give it a higher failureThreshold than readiness.",
                    "Faites vérifier à la sonde liveness seulement que le processus n'est pas bloqué (un endpoint peu coûteux) et donnez-lui un failureThreshold plus élevé que la readiness.",
                ),
            )
            .secondary(ready.key.span, ctx.t("readiness probe", "sonde de disponibilité (readiness)"));
            ctx.report(v);
        }
    }
}

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
    why_fr: "",
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
            ctx.report(
                Violation::new(
                    live.key.span,
                    "same check as readiness",
                    format!(
                        "{} checks container `{}` for liveness exactly like for readiness ({}, {window}s of failures): a Pod taken out of rotation is restarted at the same moment",
                        obj.display(),
                        container.name().unwrap_or("?"),
                        handler.describe()
                    ),
                    "Make the liveness probe check only that the process is not stuck (a cheap endpoint) and give it a higher failureThreshold than readiness.",
                )
                .secondary(ready.key.span, "readiness probe"),
            );
        }
    }
}

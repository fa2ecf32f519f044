//! `shutdown-prestop-exceeds-grace`: a preStop hook that sleeps as long as (or longer than) the
//! Pod's termination grace period, so the application never gets its SIGTERM window.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::containers::{grace_period, prestop_sleep};
use crate::k8s::{Object, WORKLOAD_KINDS};

pub struct ShutdownPreStopExceedsGrace;

static META: RuleMeta = RuleMeta {
    id: "shutdown-prestop-exceeds-grace",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "preStop hook sleeps as long as the termination grace period",
    why: "The grace period starts before the preStop hook runs: hook time is subtracted from the application's shutdown time, and when the period runs out the kubelet kills the container (after a one-off 2-second extension).",
    why_fr: "",
    docs: include_str!("../../rules/shutdown-prestop-exceeds-grace.md"),
    default_enabled: true,
    supersedes: &[],
};

fn seconds(s: f64) -> String {
    if s.fract() == 0.0 { format!("{}s", s as i64) } else { format!("{s}s") }
}

impl Rule for ShutdownPreStopExceedsGrace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        let (grace, grace_node) = grace_period(&spec);
        for container in spec.all_containers().filter(|c| c.is_long_running()) {
            let Some((sleep, node)) = prestop_sleep(&container) else { continue };
            if sleep < grace as f64 {
                continue;
            }
            let native = container
                .node
                .get("lifecycle")
                .and_then(|l| l.get("preStop"))
                .and_then(|p| p.get_some("sleep"))
                .is_some();
            let grace_text = match grace_node {
                Some(_) => format!("terminationGracePeriodSeconds is {grace}"),
                None => "the default grace period is 30s".to_string(),
            };
            let name = container.name().unwrap_or("?");
            let rejected = native && sleep > grace as f64;
            let consequence = if rejected {
                "the API server rejects a sleep action longer than the grace period"
            } else {
                "the application gets no time to shut down after SIGTERM"
            };
            let mut v = Violation::new(
                node.span,
                format!("sleeps {}", seconds(sleep)),
                format!(
                    "{} gives container `{name}` a preStop sleep of {} but {grace_text}: {consequence}",
                    obj.display(),
                    seconds(sleep)
                ),
                "Set terminationGracePeriodSeconds to the preStop delay plus the time the application needs to shut down (e.g. 5 + 25).",
            );
            if rejected {
                // Validation rejects `sleep.seconds` above the grace period (pkg/apis/core/validation).
                v = v.severity(Severity::Error).why(
                    "The API server rejects a preStop `sleep.seconds` greater than terminationGracePeriodSeconds.",
                );
            }
            if let Some(g) = grace_node {
                v = v.secondary(g.span, "grace period, counted from before the hook");
            }
            ctx.report(v);
        }
    }
}

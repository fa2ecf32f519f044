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
    why_fr: "Le délai de grâce commence avant l'exécution du hook preStop : le temps du hook est retiré du temps d'arrêt de l'application, et quand le délai expire le kubelet tue le conteneur (après une unique prolongation de 2 secondes).",
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
                Some(_) => ctx.t(
                    format!("terminationGracePeriodSeconds is {grace}"),
                    format!("terminationGracePeriodSeconds vaut {grace}"),
                ),
                None => ctx.t("the default grace period is 30s", "le délai de grâce par défaut est de 30s"),
            };
            let name = container.name().unwrap_or("?");
            let rejected = native && sleep > grace as f64;
            let consequence = if rejected {
                ctx.t(
                    "the API server rejects a sleep action longer than the grace period",
                    "l'API server rejette une action sleep plus longue que le délai de grâce",
                )
            } else {
                ctx.t(
                    "the application gets no time to shut down after SIGTERM",
                    "l'application n'a pas le temps de s'arrêter après SIGTERM",
                )
            };
            let slept = seconds(sleep);
            let mut v = Violation::new(
                node.span,
                ctx.t(format!("sleeps {slept}"), format!("attend {slept}")),
                ctx.t(
                    format!(
                        "{} gives container `{name}` a preStop sleep of {slept} but {grace_text}: {consequence}",
                        obj.display()
                    ),
                    format!(
                        "{} donne au conteneur `{name}` un sleep preStop de {slept} mais {grace_text} : {consequence}",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Set terminationGracePeriodSeconds to the preStop delay plus the time the application needs to shut down (e.g. 5 + 25).",
                    "Fixez terminationGracePeriodSeconds au délai preStop plus le temps dont l'application a besoin pour s'arrêter (par exemple 5 + 25).",
                ),
            );
            if rejected {
                // Validation rejects `sleep.seconds` above the grace period (pkg/apis/core/validation).
                v = v.severity(Severity::Error).why(ctx.t(
                    "The API server rejects a preStop `sleep.seconds` greater than terminationGracePeriodSeconds.",
                    "L'API server rejette un `sleep.seconds` de preStop supérieur à terminationGracePeriodSeconds.",
                ));
            }
            if let Some(g) = grace_node {
                v = v.secondary(
                    g.span,
                    ctx.t("grace period, counted from before the hook", "délai de grâce, compté depuis avant le hook"),
                );
            }
            ctx.report(v);
        }
    }
}

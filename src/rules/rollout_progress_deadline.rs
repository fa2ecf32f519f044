//! `rollout-progress-deadline`: a Deployment whose `progressDeadlineSeconds` is so short that
//! healthy rollouts are reported failed, or so long that stuck ones are noticed late.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::yaml::Node;

pub struct RolloutProgressDeadline;

static META: RuleMeta = RuleMeta {
    id: "rollout-progress-deadline",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Deployment"]),
    summary: "progressDeadlineSeconds is too short or too long for a rollout",
    why: "When a rollout makes no progress for progressDeadlineSeconds the controller sets `Progressing=False` (ProgressDeadlineExceeded), which `kubectl rollout status` and GitOps tools report as a failed rollout; it takes no other action.",
    why_fr: "Quand un déploiement ne progresse pas pendant progressDeadlineSeconds, le contrôleur pose `Progressing=False` (ProgressDeadlineExceeded), que `kubectl rollout status` et les outils GitOps signalent comme un déploiement en échec ; il ne fait rien d'autre.",
    docs: include_str!("../../rules/rollout-progress-deadline.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Above an hour, a stuck rollout goes unnoticed for too long.
const MAX_DEADLINE: i64 = 3600;

impl Rule for RolloutProgressDeadline {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.spec() else { return };
        let Some(node) = spec.get_some("progressDeadlineSeconds") else { return };
        let Some(deadline) = node.as_i64() else { return };
        let min_ready_node = spec.get_some("minReadySeconds");
        let min_ready = min_ready_node.and_then(Node::as_i64).unwrap_or(0).max(0);
        // Each new Pod must pull, start and then stay Ready for minReadySeconds before it counts as
        // progress: leave at least a minute on top of that.
        let floor = (min_ready.saturating_add(60)).max(60);
        let mut v = if deadline < floor {
            let why = if min_ready > 0 {
                ctx.t(
                    format!("less than minReadySeconds ({min_ready}) plus a minute"),
                    format!("moins que minReadySeconds ({min_ready}) plus une minute"),
                )
            } else {
                ctx.t("less than a minute", "moins d'une minute")
            };
            Violation::new(
                node.span,
                ctx.t("short progress deadline", "délai de progression court"),
                ctx.t(
                    format!(
                        "{} reports a rollout as failed after {deadline}s without progress, {why} to pull and start a Pod",
                        obj.display()
                    ),
                    format!(
                        "{} signale un déploiement en échec après {deadline} s sans progression, {why} pour télécharger l'image et démarrer un Pod",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Remove progressDeadlineSeconds (default 600) or size it to image pull plus startup time.",
                    "Retirez progressDeadlineSeconds (600 par défaut) ou ajustez-le au temps de téléchargement de l'image plus le temps de démarrage.",
                ),
            )
        } else if deadline > MAX_DEADLINE {
            Violation::new(
                node.span,
                ctx.t("long progress deadline", "délai de progression long"),
                ctx.t(
                    format!(
                        "{} waits {deadline}s (over an hour) before reporting a stuck rollout as failed",
                        obj.display()
                    ),
                    format!(
                        "{} attend {deadline} s (plus d'une heure) avant de signaler un déploiement bloqué comme en échec",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Lower progressDeadlineSeconds to the time a rollout may reasonably take (default 600).",
                    "Réduisez progressDeadlineSeconds au temps qu'un déploiement peut raisonnablement prendre (600 par défaut).",
                ),
            )
        } else {
            return;
        };
        if deadline < floor {
            if let Some(m) = min_ready_node.filter(|_| min_ready > 0) {
                v = v.secondary(
                    m.span,
                    ctx.t(
                        "each new Pod must stay Ready this long first",
                        "chaque nouveau Pod doit d'abord rester Ready pendant cette durée",
                    ),
                );
            }
        }
        ctx.report(v);
    }
}

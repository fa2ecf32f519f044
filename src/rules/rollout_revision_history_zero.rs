//! `rollout-revision-history-zero`: a Deployment, StatefulSet or DaemonSet with
//! `revisionHistoryLimit: 0`, which deletes every old revision and with it the way back.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;

pub struct RolloutRevisionHistoryZero;

static META: RuleMeta = RuleMeta {
    id: "rollout-revision-history-zero",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "StatefulSet", "DaemonSet"]),
    summary: "revisionHistoryLimit is 0: a rollout cannot be undone",
    why: "Old ReplicaSets (Deployment) and ControllerRevisions (StatefulSet, DaemonSet) are the rollback targets; with a limit of 0 the controller deletes them as soon as a rollout finishes, so `kubectl rollout undo` has nothing to go back to.",
    why_fr: "Les anciens ReplicaSets (Deployment) et ControllerRevisions (StatefulSet, DaemonSet) sont les cibles d'un retour arrière ; avec une limite de 0, le contrôleur les supprime dès qu'un déploiement se termine, et `kubectl rollout undo` n'a plus rien vers quoi revenir.",
    docs: include_str!("../../rules/rollout-revision-history-zero.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for RolloutRevisionHistoryZero {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(limit) = obj.spec().and_then(|s| s.get_some("revisionHistoryLimit")) else { return };
        if limit.as_i64() != Some(0) {
            return;
        }
        let (kept, kept_fr) = if obj.kind == "Deployment" {
            ("old ReplicaSets", "ancien ReplicaSet")
        } else {
            ("old ControllerRevisions", "ancienne ControllerRevision")
        };
        ctx.report(Violation::new(
            limit.span,
            ctx.t("no revision kept", "aucune révision conservée"),
            ctx.t(
                format!("{} keeps no {kept} (`revisionHistoryLimit: 0`): a rollout cannot be rolled back", obj.display()),
                format!(
                    "{} ne conserve aucun{} {kept_fr} (`revisionHistoryLimit: 0`) : un déploiement ne peut pas être annulé",
                    obj.display(),
                    if obj.kind == "Deployment" { "" } else { "e" }
                ),
            ),
            ctx.t(
                "Remove revisionHistoryLimit (default 10) or set it to a few revisions, e.g. 3.",
                "Retirez revisionHistoryLimit (10 par défaut) ou fixez-le à quelques révisions, par exemple 3.",
            ),
        ));
    }
}

//! `sts-update-ondelete`: a StatefulSet with `updateStrategy.type: OnDelete`, whose Pods only
//! pick up template changes when deleted by hand (operator-managed sets are skipped).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::statefulset::{managed_by_operator, update_strategy_type};

pub struct StsUpdateOnDelete;

static META: RuleMeta = RuleMeta {
    id: "sts-update-ondelete",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet never rolls out template changes on its own (OnDelete)",
    why: "With the OnDelete strategy the controller creates Pods from the new template only when the old ones are deleted, so a changed image or config silently stays unapplied and members drift across versions.",
    why_fr: "Avec la stratégie OnDelete, le contrôleur ne crée des Pods à partir du nouveau template que lorsque les anciens sont supprimés : une image ou une configuration modifiée reste, sans avertissement, non appliquée, et les membres divergent entre versions.",
    docs: include_str!("../../rules/sts-update-ondelete.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsUpdateOnDelete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() || managed_by_operator(obj).is_some() {
            return;
        }
        let Some(ty) = update_strategy_type(obj) else { return };
        if ty.text() != Some("OnDelete") {
            return;
        }
        let v = Violation::new(
            ty.span,
            ctx.t("updates only on Pod deletion", "mise à jour uniquement à la suppression du Pod"),
            ctx.t(
                format!(
                    "{} uses the OnDelete update strategy: a changed template reaches a Pod only when someone deletes that Pod",
                    obj.display()
                ),
                format!(
                    "{} utilise la stratégie de mise à jour OnDelete : un template modifié n'atteint un Pod que lorsque quelqu'un supprime ce Pod",
                    obj.display()
                ),
            ),
            ctx.t(
                "Use `updateStrategy: {type: RollingUpdate}`, or suppress the rule if an operator or runbook deletes Pods deliberately.",
                "Utilisez `updateStrategy: {type: RollingUpdate}`, ou ignorez la règle si un opérateur ou une procédure supprime les Pods délibérément.",
            ),
        );
        ctx.report(v);
    }
}

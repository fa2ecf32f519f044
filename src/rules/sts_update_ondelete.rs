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
    why_fr: "",
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
        ctx.report(Violation::new(
            ty.span,
            "updates only on Pod deletion",
            format!(
                "{} uses the OnDelete update strategy: a changed template reaches a Pod only when someone deletes that Pod",
                obj.display()
            ),
            "Use `updateStrategy: {type: RollingUpdate}`, or suppress the rule if an operator or runbook deletes Pods deliberately.",
        ));
    }
}

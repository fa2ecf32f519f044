//! `sts-termination-grace-zero`: a StatefulSet template with `terminationGracePeriodSeconds: 0`,
//! which the StatefulSet docs call unsafe.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct StsTerminationGraceZero;

static META: RuleMeta = RuleMeta {
    id: "sts-termination-grace-zero",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet Pods are killed with no grace period",
    why: "A StatefulSet promises at most one Pod per identity; with a zero grace period the process is killed without a chance to flush or hand over, and a replacement with the same name and volume can start while the old one still writes.",
    why_fr: "",
    docs: include_str!("../../rules/sts-termination-grace-zero.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsTerminationGraceZero {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let Some(grace) = spec.node.get("terminationGracePeriodSeconds") else { return };
        if grace.as_i64() != Some(0) {
            return;
        }
        ctx.report(Violation::new(
            grace.span,
            "no grace period",
            format!("{} kills its Pods with no grace period (`terminationGracePeriodSeconds: 0`)", obj.display()),
            "Remove terminationGracePeriodSeconds (default 30) or set the time the server needs to shut down cleanly.",
        ));
    }
}

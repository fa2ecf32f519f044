//! `xref-pod-multiple-pdbs`: a pod template whose labels two or more PodDisruptionBudgets select;
//! the eviction API refuses to evict such Pods at all.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, pdb};

pub struct XrefPodMultiplePdbs;

static META: RuleMeta = RuleMeta {
    id: "xref-pod-multiple-pdbs",
    family: Family::CrossResource,
    severity: Severity::Error,
    // DaemonSet Pods are skipped by `kubectl drain --ignore-daemonsets`, not evicted.
    scope: Scope::Kinds(&["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod"]),
    summary: "Pods selected by more than one PodDisruptionBudget",
    why: "The eviction subresource refuses Pods that more than one PodDisruptionBudget selects (\"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support\"), whatever each budget allows, so drains and upgrades stall.",
    why_fr: "",
    docs: include_str!("../../rules/xref-pod-multiple-pdbs.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefPodMultiplePdbs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.helm_hook().is_some() || obj.has_owner_references() {
            return;
        }
        let Some(template) = obj.pod_template() else { return };
        let mut budgets: Vec<Object<'_>> = Vec::new();
        // Two definitions of one budget (same name) are one object: `xref-duplicate-object`.
        for b in
            pdb::budgets_selecting(ctx.index, obj).into_iter().filter(|b| ctx.related(b) && b.helm_hook().is_none())
        {
            if !budgets.iter().any(|x| x.name() == b.name()) {
                budgets.push(b);
            }
        }
        if budgets.len() < 2 {
            return;
        }
        let span = template
            .metadata()
            .and_then(|m| m.entry("labels"))
            .map_or_else(|| obj.kind_span(), |e| e.key.span.cover(e.value.span));
        let names: Vec<String> = budgets
            .iter()
            .map(|b| {
                let at = b.spec().and_then(|s| s.get("selector")).map_or(b.kind_node().span, |n| n.span);
                if ctx.same_file(b) {
                    format!("`{}`", b.name().unwrap_or("?"))
                } else {
                    format!("`{}` ({})", b.name().unwrap_or("?"), ctx.location(b, at))
                }
            })
            .collect();
        let mut v = Violation::new(
            span,
            format!("selected by {} budgets", budgets.len()),
            format!(
                "{} has Pods selected by {} PodDisruptionBudgets ({}): the eviction API refuses to evict them, so drains stall",
                obj.display(),
                budgets.len(),
                names.join(", ")
            ),
            "Keep one PodDisruptionBudget per set of Pods: make the selectors disjoint or delete the extra budget.",
        );
        for b in budgets.iter().filter(|b| ctx.same_file(b)) {
            if let Some(sel) = b.spec().and_then(|s| s.get("selector")) {
                v = v.secondary(sel.span, format!("selector of `{}`", b.name().unwrap_or("?")));
            }
        }
        ctx.report(v);
    }
}

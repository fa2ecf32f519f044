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
    why_fr: "La sous-ressource eviction refuse les Pods sélectionnés par plus d'un PodDisruptionBudget (\"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support\"), quoi que chaque budget autorise : les drains et les mises à niveau restent bloqués.",
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
        let count = budgets.len();
        let names = names.join(", ");
        let mut v = Violation::new(
            span,
            ctx.t(format!("selected by {count} budgets"), format!("sélectionné par {count} budgets")),
            ctx.t(
                format!(
                    "{} has Pods selected by {count} PodDisruptionBudgets ({names}): the eviction API refuses to evict them, so drains stall",
                    obj.display()
                ),
                format!(
                    "{} a des Pods sélectionnés par {count} PodDisruptionBudgets ({names}) : l'API d'éviction refuse de les évincer, et les drains restent bloqués",
                    obj.display()
                ),
            ),
            ctx.t(
                "Keep one PodDisruptionBudget per set of Pods: make the selectors disjoint or delete the extra budget.",
                "Gardez un seul PodDisruptionBudget par ensemble de Pods : rendez les sélecteurs disjoints ou supprimez le budget en trop.",
            ),
        );
        for b in budgets.iter().filter(|b| ctx.same_file(b)) {
            if let Some(sel) = b.spec().and_then(|s| s.get("selector")) {
                let name = b.name().unwrap_or("?");
                v = v.secondary(sel.span, ctx.t(format!("selector of `{name}`"), format!("sélecteur de `{name}`")));
            }
        }
        ctx.report(v);
    }
}

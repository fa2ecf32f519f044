//! `pdb-unhealthy-eviction-policy`: a policy/v1 PodDisruptionBudget without
//! `unhealthyPodEvictionPolicy`, so Running-but-not-Ready Pods count against the budget.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, pdb};

pub struct PdbUnhealthyEvictionPolicy;

static META: RuleMeta = RuleMeta {
    id: "pdb-unhealthy-eviction-policy",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&["PodDisruptionBudget"]),
    summary: "PodDisruptionBudget leaves unhealthyPodEvictionPolicy at its default",
    why: "With the default `IfHealthyBudget`, a Running but not Ready Pod (crash-looping, stuck) can only be evicted while the budget is met, so a broken application can hold up node drains.",
    why_fr: "Avec la valeur par défaut `IfHealthyBudget`, un Pod Running mais pas Ready (en crash-loop, bloqué) ne peut être évincé que si le budget est respecté : une application défaillante peut ainsi bloquer les drains de nœuds.",
    docs: include_str!("../../rules/pdb-unhealthy-eviction-policy.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for PdbUnhealthyEvictionPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // The field exists in policy/v1 only (alpha in 1.26, beta and on by default in 1.27, GA in
        // 1.31): advising it for an older target would advise a field the cluster ignores.
        if obj.api_version != "policy/v1" || pdb::selection(obj).is_none() || ctx.options.target_minor() < 27 {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        if spec.get_some("unhealthyPodEvictionPolicy").is_some() {
            return;
        }
        let span = match pdb::budget(obj) {
            Some(b) => b.node().span,
            None => obj.root.entry("spec").map_or_else(|| obj.kind_span(), |e| e.key.span),
        };
        let v = Violation::new(
            span,
            ctx.t("also counts Pods that are not Ready", "compte aussi les Pods qui ne sont pas Ready"),
            ctx.t(
                format!(
                    "{} uses the default unhealthyPodEvictionPolicy (IfHealthyBudget): Pods that run but are not Ready can block drains while the budget is not met",
                    obj.display()
                ),
                format!(
                    "{} utilise la valeur par défaut de unhealthyPodEvictionPolicy (IfHealthyBudget) : des Pods qui tournent mais ne sont pas Ready peuvent bloquer les drains tant que le budget n'est pas respecté",
                    obj.display()
                ),
            ),
            ctx.t(
                "Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` so Pods that are not Ready can always be evicted.",
                "Définissez `spec.unhealthyPodEvictionPolicy: AlwaysAllow` pour que les Pods qui ne sont pas Ready puissent toujours être évincés.",
            ),
        );
        ctx.report(v);
    }
}

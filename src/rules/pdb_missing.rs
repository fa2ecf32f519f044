//! `pdb-missing`: a Deployment or StatefulSet running two or more replicas that no
//! PodDisruptionBudget in the input protects.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::{Object, hpa, pdb};
use crate::yaml::Node;

pub struct PdbMissing;

static META: RuleMeta = RuleMeta {
    id: "pdb-missing",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Deployment", "StatefulSet"]),
    summary: "Replicated workload without a PodDisruptionBudget",
    why: "Node drains, cluster upgrades and the cluster autoscaler evict Pods through the eviction API, which only holds back when a PodDisruptionBudget says so: without one, every replica may be evicted at the same time.",
    why_fr: "Les drains de nœuds, les mises à niveau du cluster et le cluster autoscaler évincent les Pods via l'API d'éviction, qui ne freine que lorsqu'un PodDisruptionBudget le demande : sans PodDisruptionBudget, tous les réplicas peuvent être évincés en même temps.",
    docs: include_str!("../../rules/pdb-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for PdbMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) || obj.helm_hook().is_some() {
            return;
        }
        let Some(template) = obj.pod_template() else { return };
        let autoscaler = hpa::autoscalers_of(ctx.index, obj).into_iter().find(|h| ctx.related(h));
        let replicas = match &autoscaler {
            Some(h) => h.spec().and_then(|s| s.get("minReplicas")).and_then(Node::as_i64).unwrap_or(1),
            None => obj.replicas(),
        };
        if replicas < 2 || !pdb::budgets_selecting(ctx.index, obj).is_empty() {
            return;
        }
        let serving = ctx.index.is_serving(obj);
        let severity = if serving && ctx.options.complete { Severity::Warning } else { Severity::Info };
        let span = template
            .metadata()
            .and_then(|m| m.entry("labels"))
            .map_or_else(|| obj.kind_span(), |e| e.key.span.cover(e.value.span));
        let count = match &autoscaler {
            Some(h) => {
                let name = h.name().unwrap_or("?");
                ctx.t(
                    format!("at least {replicas} replicas (HPA `{name}`)"),
                    format!("au moins {replicas} réplicas (HPA `{name}`)"),
                )
            }
            None => ctx.t(format!("{replicas} replicas"), format!("{replicas} réplicas")),
        };
        let assumed = if ctx.options.complete {
            String::new()
        } else {
            ctx.t(
                " (assumed none exists outside the input)",
                " (en supposant qu'il n'en existe aucun hors de l'entrée)",
            )
        };
        let mut v = Violation::new(
            span,
            ctx.t("no PodDisruptionBudget selects these Pods", "aucun PodDisruptionBudget ne sélectionne ces Pods"),
            ctx.t(
                format!(
                    "{} runs {count} with no PodDisruptionBudget in the input{assumed}: a drain may evict them all at once",
                    obj.display()
                ),
                format!(
                    "{} exécute {count} sans PodDisruptionBudget dans l'entrée{assumed} : un drain peut tous les évincer en même temps",
                    obj.display()
                ),
            ),
            ctx.t(
                "Add a policy/v1 PodDisruptionBudget with `maxUnavailable: 1` whose selector matches the pod template labels.",
                "Ajoutez un PodDisruptionBudget policy/v1 avec `maxUnavailable: 1` dont le sélecteur correspond aux labels du template de Pod.",
            ),
        )
        .severity(severity);
        if let Some(node) = obj.replicas_node().filter(|_| autoscaler.is_none()) {
            v = v.secondary(node.span, ctx.t(format!("{replicas} replicas"), format!("{replicas} réplicas")));
        }
        ctx.report(v);
    }
}

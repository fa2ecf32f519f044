//! `pdb-blocks-eviction`: a PodDisruptionBudget that allows no disruption at all
//! (`maxUnavailable: 0`, `minAvailable: 100%`, or `minAvailable` ≥ the replicas it selects).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::pdb::{self, Budget, Selection};
use crate::k8s::{Object, hpa, xref};
use crate::yaml::Node;

pub struct PdbBlocksEviction;

static META: RuleMeta = RuleMeta {
    id: "pdb-blocks-eviction",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["PodDisruptionBudget"]),
    summary: "PodDisruptionBudget that allows no eviction",
    why: "With zero allowed disruptions the eviction API refuses every eviction (\"Cannot evict pod as it would violate the pod's disruption budget\"), so node drains and cluster upgrades hang until someone intervenes.",
    why_fr: "Sans aucune interruption autorisée, l'API d'éviction refuse toutes les évictions (\"Cannot evict pod as it would violate the pod's disruption budget\") : les drains de nœuds et les mises à niveau du cluster restent bloqués jusqu'à ce que quelqu'un intervienne.",
    docs: include_str!("../../rules/pdb-blocks-eviction.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for PdbBlocksEviction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(selection) = pdb::selection(obj) else { return };
        if selection == Selection::Nothing || obj.helm_hook().is_some() {
            return;
        }
        let Some(budget) = pdb::budget(obj) else { return };
        let written = budget.node().text().unwrap_or("?");
        let field = match budget {
            Budget::MinAvailable(..) => "minAvailable",
            Budget::MaxUnavailable(..) => "maxUnavailable",
        };
        if budget.always_blocks() {
            let v = Violation::new(
                budget.node().span,
                ctx.t("no disruption allowed", "aucune interruption autorisée"),
                ctx.t(
                    format!(
                        "{} sets `{field}: {written}`: every eviction of its Pods is refused and node drains hang",
                        obj.display()
                    ),
                    format!(
                        "{} fixe `{field}: {written}` : toute éviction de ses Pods est refusée et les drains de nœuds restent bloqués",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Set `maxUnavailable: 1` (and run at least two replicas) so one Pod at a time can be evicted.",
                    "Définissez `maxUnavailable: 1` (et exécutez au moins deux réplicas) pour qu'un Pod à la fois puisse être évincé.",
                ),
            );
            ctx.report(v);
            return;
        }
        let Budget::MinAvailable(..) = budget else { return };
        // Count the Pods of the selected workloads; give up when one has no fixed count.
        let selected: Vec<Object<'_>> = xref::pod_templates(ctx.index, obj)
            .into_iter()
            .filter(|w| {
                ctx.related(w)
                    && w.helm_hook().is_none()
                    && w.pod_template().is_some_and(|t| selection.matches(t.labels()))
            })
            .collect();
        if selected.is_empty() {
            return;
        }
        let mut expected = 0;
        // (workload, Pods, object and node where the count is written)
        let mut counts: Vec<(&Object<'_>, i64, Object<'_>, &Node)> = Vec::new();
        for w in &selected {
            let (n, holder, node) = match w.kind {
                "Pod" => (1, *w, w.kind_node()),
                "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
                    match hpa::autoscalers_of(ctx.index, w).into_iter().find(|h| ctx.related(h)) {
                        Some(h) => {
                            let min = h.spec().and_then(|s| s.get("minReplicas"));
                            (min.and_then(Node::as_i64).unwrap_or(1), h, min.unwrap_or_else(|| h.kind_node()))
                        }
                        None => (w.replicas(), *w, count_node(w)),
                    }
                }
                _ => return,
            };
            expected += n;
            counts.push((w, n, holder, node));
        }
        if expected <= 0 || budget.allowed(expected) > 0 {
            return;
        }
        let fr = ctx.fr();
        let what = match counts.as_slice() {
            [(w, n, h, _)] if h.kind == "HorizontalPodAutoscaler" => {
                let name = h.name().unwrap_or("?");
                ctx.t(
                    format!("{} runs as few as {} (HPA `{name}`)", w.display(), plural(*n, false)),
                    format!("{} peut descendre à {} (HPA `{name}`)", w.display(), plural(*n, true)),
                )
            }
            [(w, n, _, _)] => ctx.t(
                format!("{} runs {}", w.display(), plural(*n, false)),
                format!("{} exécute {}", w.display(), plural(*n, true)),
            ),
            _ => ctx.t(
                format!("the {} workloads it selects run {}", counts.len(), plural(expected, false)),
                format!(
                    "les {} charges de travail qu'il sélectionne exécutent {}",
                    counts.len(),
                    plural(expected, true)
                ),
            ),
        };
        let mut message = ctx.t(
            format!(
                "{} requires `{field}: {written}` but {what}: no Pod can ever be evicted and node drains hang",
                obj.display()
            ),
            format!(
                "{} exige `{field}: {written}` mais {what} : aucun Pod ne peut jamais être évincé et les drains de nœuds restent bloqués",
                obj.display()
            ),
        );
        let elsewhere: Vec<String> = counts
            .iter()
            .filter(|(_, _, h, _)| !ctx.same_file(h))
            .map(|(_, _, h, node)| {
                let at = ctx.location(h, node.span);
                if fr { format!("{} en {at}", h.display()) } else { format!("{} at {at}", h.display()) }
            })
            .collect();
        if !elsewhere.is_empty() {
            message.push_str(&format!(" ({})", elsewhere.join("; ")));
        }
        let mut v = Violation::new(
            budget.node().span,
            ctx.t(
                format!("{written} of {expected} must stay available"),
                format!("{written} sur {expected} doivent rester disponibles"),
            ),
            message,
            ctx.t(
                "Use `maxUnavailable: 1` instead, or run more replicas than `minAvailable`.",
                "Utilisez plutôt `maxUnavailable: 1`, ou exécutez plus de réplicas que `minAvailable`.",
            ),
        );
        for (_, n, h, node) in counts.iter().filter(|(_, _, h, _)| ctx.same_file(h)) {
            let label = if h.kind == "HorizontalPodAutoscaler" {
                ctx.t(format!("as few as {}", plural(*n, false)), format!("jusqu'à {} seulement", plural(*n, true)))
            } else {
                plural(*n, fr)
            };
            v = v.secondary(node.span, label);
        }
        ctx.report(v);
    }
}

/// Where a workload's Pod count is written (`replicas`, or the kind when defaulted to 1).
fn count_node<'a>(w: &Object<'a>) -> &'a Node {
    w.replicas_node().unwrap_or_else(|| w.kind_node())
}

fn plural(n: i64, fr: bool) -> String {
    match (n, fr) {
        (1, false) => "1 replica".to_string(),
        (1, true) => "1 réplica".to_string(),
        (_, false) => format!("{n} replicas"),
        (_, true) => format!("{n} réplicas"),
    }
}

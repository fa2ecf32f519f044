//! `rollout-max-unavailable-all`: a rolling update allowed to take every replica (or, for a
//! DaemonSet, every node's Pod) down at once.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::intstr::{IntOrPercent, Rounding};
use crate::yaml::Node;

pub struct RolloutMaxUnavailableAll;

static META: RuleMeta = RuleMeta {
    id: "rollout-max-unavailable-all",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "DaemonSet", "StatefulSet"]),
    summary: "Rolling update may take every replica down at once",
    why: "With maxUnavailable at or above the replica count the controller may stop every Pod at once: a rollout becomes a full outage, like Recreate without waiting for termination.",
    why_fr: "Avec un maxUnavailable égal ou supérieur au nombre de réplicas, le contrôleur peut arrêter tous les Pods à la fois : un déploiement devient une interruption totale, comme Recreate sans attendre la fin des Pods.",
    docs: include_str!("../../rules/rollout-max-unavailable-all.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for RolloutMaxUnavailableAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let strategy_key = if obj.kind == "Deployment" { "strategy" } else { "updateStrategy" };
        let Some(strategy) = obj.spec().and_then(|s| s.get_some(strategy_key)) else { return };
        if strategy.get("type").and_then(|t| t.text()).is_some_and(|t| t != "RollingUpdate") {
            return;
        }
        let Some(node) = strategy.path(&["rollingUpdate", "maxUnavailable"]).filter(|n| !n.is_null()) else { return };
        let Some(value) = IntOrPercent::from_node(node) else { return };
        let text = node.text().unwrap_or_default();
        let (label, message, help) = if obj.kind == "DaemonSet" {
            // The node count is not in the manifests: a percentage of 100 or more is certain; an
            // integer is judged only against the configured `expectedNodes`.
            let nodes = ctx.rule_option("expectedNodes").and_then(serde_json::Value::as_i64);
            let all = match value {
                IntOrPercent::Percent(p) => p >= 100,
                IntOrPercent::Int(n) => nodes.is_some_and(|nodes| nodes > 0 && n >= nodes),
            };
            if !all {
                return;
            }
            (
                ctx.t("every node at once", "tous les nœuds à la fois"),
                ctx.t(
                    format!("{} may update the Pod on every node at once (maxUnavailable: {text})", obj.display()),
                    format!("{} peut mettre à jour le Pod de tous les nœuds à la fois (maxUnavailable: {text})", obj.display()),
                ),
                ctx.t(
                    "Set `maxUnavailable: 1` (or a small percentage) so nodes keep their agent while others update.",
                    "Définissez `maxUnavailable: 1` (ou un petit pourcentage) pour que les nœuds gardent leur agent pendant que les autres sont mis à jour.",
                ),
            )
        } else {
            let replicas = ctx.index.min_replicas(obj);
            if replicas < 2 {
                return;
            }
            // A StatefulSet updates only ordinals at or above `partition`: the others stay up.
            if strategy.path(&["rollingUpdate", "partition"]).and_then(Node::as_i64).is_some_and(|p| p > 0) {
                return;
            }
            // Deployments round a percentage down; StatefulSets round it up.
            let (rounding, direction, direction_fr) = if obj.kind == "Deployment" {
                (Rounding::Down, "down", "l'inférieur")
            } else {
                (Rounding::Up, "up", "le supérieur")
            };
            let resolved = value.resolve(replicas, rounding);
            if resolved < replicas {
                return;
            }
            let (count, count_fr) = match ctx.index.autoscaler(obj) {
                Some(h) => {
                    let hpa = h.object.name().unwrap_or("?");
                    (
                        format!("{replicas} replicas, the minimum of HPA `{hpa}`"),
                        format!("{replicas} réplicas, le minimum de l'HPA `{hpa}`"),
                    )
                }
                None => (format!("{replicas} replicas"), format!("{replicas} réplicas")),
            };
            let detail = match value {
                IntOrPercent::Percent(_) => ctx.t(
                    format!("maxUnavailable {text} of {count}, rounded {direction} to {resolved}"),
                    format!("maxUnavailable {text} de {count_fr}, arrondi à {direction_fr}, soit {resolved}"),
                ),
                IntOrPercent::Int(_) => ctx
                    .t(format!("maxUnavailable {text} with {count}"), format!("maxUnavailable {text} avec {count_fr}")),
            };
            (
                ctx.t("every replica at once", "tous les réplicas à la fois"),
                ctx.t(
                    format!("{} may take every replica down at once during a rollout ({detail})", obj.display()),
                    format!(
                        "{} peut arrêter tous ses réplicas à la fois pendant un déploiement ({detail})",
                        obj.display()
                    ),
                ),
                if obj.kind == "Deployment" {
                    ctx.t(
                        "Set `maxUnavailable: 25%` (or a count below the replicas) so part of the service stays up during a rollout.",
                        "Définissez `maxUnavailable: 25%` (ou un nombre inférieur aux réplicas) pour qu'une partie du service reste disponible pendant un déploiement.",
                    )
                } else {
                    ctx.t(
                        "Set `maxUnavailable: 1` so replicas update one at a time and the rest keep serving.",
                        "Définissez `maxUnavailable: 1` pour que les réplicas soient mis à jour un par un et que les autres continuent de servir.",
                    )
                },
            )
        };
        let mut v = Violation::new(node.span, label, message, help);
        if obj.kind == "DaemonSet" {
            v = v.why(ctx.t(
                "A DaemonSet at 100% replaces its Pod on every node at once: every node loses this agent (network plugin, log shipper, storage driver) at the same moment.",
                "Un DaemonSet à 100 % remplace son Pod sur tous les nœuds à la fois : chaque nœud perd cet agent (plugin réseau, collecteur de logs, pilote de stockage) au même moment.",
            ));
        }
        ctx.report(v);
    }
}

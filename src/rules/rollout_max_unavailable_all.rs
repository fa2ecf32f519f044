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
    why_fr: "",
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
                "every node at once",
                format!("{} may update the Pod on every node at once (maxUnavailable: {text})", obj.display()),
                "Set `maxUnavailable: 1` (or a small percentage) so nodes keep their agent while others update.",
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
            let (rounding, direction) =
                if obj.kind == "Deployment" { (Rounding::Down, "down") } else { (Rounding::Up, "up") };
            let resolved = value.resolve(replicas, rounding);
            if resolved < replicas {
                return;
            }
            let count = match ctx.index.autoscaler(obj) {
                Some(h) => format!("{replicas} replicas, the minimum of HPA `{}`", h.object.name().unwrap_or("?")),
                None => format!("{replicas} replicas"),
            };
            let detail = match value {
                IntOrPercent::Percent(_) => {
                    format!("maxUnavailable {text} of {count}, rounded {direction} to {resolved}")
                }
                IntOrPercent::Int(_) => format!("maxUnavailable {text} with {count}"),
            };
            (
                "every replica at once",
                format!("{} may take every replica down at once during a rollout ({detail})", obj.display()),
                if obj.kind == "Deployment" {
                    "Set `maxUnavailable: 25%` (or a count below the replicas) so part of the service stays up during a rollout."
                } else {
                    "Set `maxUnavailable: 1` so replicas update one at a time and the rest keep serving."
                },
            )
        };
        let mut v = Violation::new(node.span, label, message, help);
        if obj.kind == "DaemonSet" {
            v = v.why("A DaemonSet at 100% replaces its Pod on every node at once: every node loses this agent (network plugin, log shipper, storage driver) at the same moment.");
        }
        ctx.report(v);
    }
}

//! `rollout-no-readiness-gate`: a rolling update with nothing that tells the controller a new
//! Pod works: no readiness or startup probe on a long-running container, no `readinessGates`,
//! no `minReadySeconds`. Warning for serving workloads, info for workers.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_fragment;
use crate::yaml::Node;

pub struct RolloutNoReadinessGate;

static META: RuleMeta = RuleMeta {
    id: "rollout-no-readiness-gate",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "StatefulSet", "DaemonSet"]),
    summary: "Rolling update with no readiness probe and no minReadySeconds",
    why: "Without a readiness (or startup) probe a Pod is Ready as soon as its containers start; with minReadySeconds 0 the controller counts it available at once, so a version that crashes or is not yet listening replaces every old Pod and receives traffic.",
    why_fr: "",
    docs: include_str!("../../rules/rollout-no-readiness-gate.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for RolloutNoReadinessGate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.helm_hook().is_some() || is_fragment(obj) {
            return;
        }
        let Some(spec_root) = obj.spec() else { return };
        let strategy_key = if obj.kind == "Deployment" { "strategy" } else { "updateStrategy" };
        let strategy_type = spec_root.get_some(strategy_key).and_then(|s| s.get("type")).and_then(Node::text);
        if strategy_type.is_some_and(|t| t != "RollingUpdate") {
            return;
        }
        if spec_root.get_some("minReadySeconds").and_then(Node::as_i64).is_some_and(|s| s > 0) {
            return;
        }
        let replicas = ctx.index.min_replicas(obj);
        if obj.kind != "DaemonSet" && replicas < 2 {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // A startup probe also holds the container un-Ready until it succeeds.
        let probed = spec
            .all_containers()
            .filter(|c| c.is_long_running())
            .any(|c| c.node.get_some("readinessProbe").is_some() || c.node.get_some("startupProbe").is_some());
        if probed || !spec.node.get("readinessGates").map_or(&[][..], Node::items).is_empty() {
            return;
        }
        let Some(containers) = spec.node.entry("containers") else { return };
        if containers.value.items().is_empty() {
            return;
        }
        let serving = ctx.index.is_serving(obj);
        let what = if obj.kind == "DaemonSet" {
            "updates its Pods node by node".to_string()
        } else {
            format!("rolls out {replicas} replicas")
        };
        let mut v = Violation::new(
            containers.key.span,
            "no readinessProbe",
            format!(
                "{} {what} with no readiness probe and no minReadySeconds: a new Pod counts as available as soon as it starts",
                obj.display()
            ),
            "Add a readinessProbe to the serving container, or set `minReadySeconds` so a crashing version stops the rollout.",
        );
        if !serving {
            v = v.severity(Severity::Info).why(
                "Without a readiness probe or minReadySeconds the controller replaces old Pods as soon as new ones start; for a worker that serves no traffic this only matters if the new version crashes.",
            );
        }
        ctx.report(v);
    }
}

//! `state-db-in-deployment`: a database or queue server that keeps data, run by a Deployment
//! (ReplicaSet, ReplicationController) instead of a StatefulSet.

use super::stateful::{self, Confidence, Storage};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::intstr::{IntOrPercent, Rounding};
use crate::k8s::kinds::is_builtin;

pub struct StateDbInDeployment;

static META: RuleMeta = RuleMeta {
    id: "state-db-in-deployment",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "ReplicationController"]),
    summary: "Database or queue server with data run by a Deployment instead of a StatefulSet",
    why: "A Deployment treats its Pods as interchangeable: a rollout briefly runs two servers on one data directory, and scaling adds members that share or lack data, while a StatefulSet gives each member a stable name, its own volume and ordered start and stop.",
    why_fr: "",
    docs: include_str!("../../rules/state-db-in-deployment.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StateDbInDeployment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // Only data that outlives the Pod makes the Deployment the wrong controller; data in the
        // container or an emptyDir is state-db-ephemeral-storage's finding.
        let Some(d) = stateful::detect_all(obj, true).into_iter().find(|d| {
            d.confidence == Confidence::High
                && stateful::data_mounts(d.engine, &d.container).iter().any(|m| {
                    matches!(stateful::storage_of(obj, &spec, m), Storage::Claim | Storage::Node | Storage::Other)
                })
        }) else {
            return;
        };
        let replicas = ctx.index.max_replicas(obj);
        let hpa = ctx.index.autoscaler(obj);
        let surge = surge_pods(obj, replicas.max(1));
        let engine = &d.engine.name;
        let several = replicas > 1 || surge > 0;
        let severity = if several && !d.engine.secondary { Severity::Warning } else { Severity::Info };
        let how = if replicas > 1 {
            match hpa {
                Some(h) if h.max >= replicas => {
                    format!("up to {replicas} replicas (HPA `{}`)", h.object.name().unwrap_or("?"))
                }
                _ => format!("{replicas} replicas"),
            }
        } else if surge > 0 {
            "a rolling update that starts the new Pod before stopping the old one".to_string()
        } else {
            "a single replica".to_string()
        };
        let what = if d.engine.secondary { "single-writer application" } else { "server" };
        let message = format!(
            "{} runs {engine} ({what} `{}`) with {how}: a {} gives it no stable identity or per-replica storage",
            obj.display(),
            d.container.image().unwrap_or_default(),
            obj.kind,
        );
        let help = if several {
            "Run it as a StatefulSet with volumeClaimTemplates and a headless Service, or use an operator for the engine."
        } else {
            "Consider a StatefulSet with volumeClaimTemplates for stable identity, ordered shutdown and per-replica storage."
        };
        let mut v = Violation::new(obj.kind_node().span, format!("{engine} in a {}", obj.kind), message, help)
            .severity(severity)
            .secondary(d.image.span, format!("{engine} {what}"));
        if !several {
            v = v.why(
                "One replica that is stopped before its replacement starts is the documented single-instance pattern; a StatefulSet still adds a stable name, ordered shutdown and a volume per replica.",
            );
        } else if d.engine.secondary {
            v = v.why(format!(
                "{engine} keeps its state in local files and expects one writer: several Pods, or a rollout that starts the new Pod first, share or split that state."
            ));
        }
        if let Some(node) = obj.replicas_node().filter(|_| obj.replicas() > 1) {
            v = v.secondary(node.span, format!("{} replicas", obj.replicas()));
        }
        if let Some(h) = hpa.filter(|h| h.max > 1 && ctx.same_file(&h.object)) {
            if let Some(max) = h.object.spec().and_then(|s| s.get("maxReplicas")) {
                v = v.secondary(max.span, "the autoscaler may run this many");
            }
        }
        ctx.report(v);
    }
}

/// Pods a Deployment's rolling update starts before stopping old ones (0 for Recreate, and for
/// ReplicaSets and ReplicationControllers, which do not roll out).
fn surge_pods(obj: &Object<'_>, replicas: i64) -> i64 {
    if obj.kind != "Deployment" {
        return 0;
    }
    let strategy = obj.spec().and_then(|s| s.get_some("strategy"));
    if strategy.and_then(|s| s.get("type")).and_then(|t| t.text()).is_some_and(|t| t != "RollingUpdate") {
        return 0;
    }
    let surge = match strategy.and_then(|s| s.path(&["rollingUpdate", "maxSurge"])).filter(|n| !n.is_null()) {
        Some(node) => IntOrPercent::from_node(node),
        None => Some(IntOrPercent::Percent(25)),
    };
    surge.map_or(1, |s| s.resolve(replicas, Rounding::Up))
}

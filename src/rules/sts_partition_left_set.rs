//! `sts-partition-left-set`: a StatefulSet rolling update with `partition` set, which keeps
//! ordinals below it on the old template: all of them when partition ≥ replicas (warning), a
//! canary otherwise (info).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::statefulset::{managed_by_operator, update_strategy_type};

pub struct StsPartitionLeftSet;

static META: RuleMeta = RuleMeta {
    id: "sts-partition-left-set",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet rolling update partition keeps Pods on the old template",
    why: "Pods with an ordinal below `partition` are never updated and are recreated from the old template if deleted; a partition of at least the replica count freezes every update.",
    why_fr: "",
    docs: include_str!("../../rules/sts-partition-left-set.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsPartitionLeftSet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() || managed_by_operator(obj).is_some() {
            return;
        }
        if update_strategy_type(obj).is_some_and(|t| t.text() != Some("RollingUpdate")) {
            return;
        }
        let Some(node) = obj.spec().and_then(|s| s.path(&["updateStrategy", "rollingUpdate", "partition"])) else {
            return;
        };
        let Some(partition) = node.as_i64().filter(|p| *p > 0) else { return };
        let replicas = ctx.index.max_replicas(obj);
        let name = obj.name().unwrap_or("web");
        let count = match ctx.index.autoscaler(obj) {
            Some(h) if h.max == replicas => {
                format!("up to {replicas} replicas (HPA `{}`)", h.object.name().unwrap_or("?"))
            }
            _ => format!("{replicas} replica{}", if replicas == 1 { "" } else { "s" }),
        };
        let mut v = if partition >= replicas {
            Violation::new(
                node.span,
                "no ordinal updated",
                format!(
                    "{} has rolling-update partition {partition} with {count}: no Pod ever gets a new template",
                    obj.display()
                ),
                "Remove `partition` (or set it to 0) once the staged rollout is done.",
            )
        } else {
            let kept = match partition {
                1 => format!("`{name}-0` keeps the old template and is"),
                2 => format!("`{name}-0` and `{name}-1` keep the old template and are"),
                p => format!("`{name}-0` to `{name}-{}` keep the old template and are", p - 1),
            };
            Violation::new(
                node.span,
                "ordinals below this kept on the old template",
                format!(
                    "{} has rolling-update partition {partition}: {kept} recreated from it if deleted",
                    obj.display()
                ),
                "Remove `partition` (or set it to 0) once the canary is verified.",
            )
            .severity(Severity::Info)
        };
        if let Some(r) = obj.replicas_node().filter(|_| obj.replicas() == replicas) {
            v = v.secondary(r.span, format!("{replicas} replica{}", if replicas == 1 { "" } else { "s" }));
        }
        ctx.report(v);
    }
}

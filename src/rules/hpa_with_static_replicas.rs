//! `hpa-with-static-replicas`: a workload that sets `spec.replicas` while a
//! HorizontalPodAutoscaler in the input scales it.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::is_builtin;
use crate::k8s::{Object, hpa};

pub struct HpaWithStaticReplicas;

static META: RuleMeta = RuleMeta {
    id: "hpa-with-static-replicas",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]),
    summary: "Workload sets spec.replicas while an autoscaler scales it",
    why: "Every `kubectl apply` of the manifest writes `spec.replicas` back, scaling the workload to that count until the autoscaler reacts; with server-side apply it conflicts with the autoscaler's ownership of the field.",
    why_fr: "",
    docs: include_str!("../../rules/hpa-with-static-replicas.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for HpaWithStaticReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.has_owner_references() {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let Some(entry) = spec.entry("replicas").filter(|e| !e.value.is_null()) else { return };
        let Some(autoscaler) = hpa::autoscalers_of(ctx.index, obj).into_iter().find(|h| ctx.related(h)) else { return };
        let Some(target) = hpa::target_ref(&autoscaler) else { return };
        let count = entry.value.text().unwrap_or("?");
        let hpa_name = autoscaler.name().unwrap_or("?");
        let mut message = format!(
            "{} sets `replicas: {count}` but HorizontalPodAutoscaler `{hpa_name}` scales it: every apply resets the replica count",
            obj.display()
        );
        let mut v;
        if ctx.same_file(&autoscaler) {
            v = Violation::new(
                entry.key.span.cover(entry.value.span),
                "fixed replica count",
                message,
                "Remove `spec.replicas` and let the autoscaler own the replica count.",
            );
            v = v.secondary(target.name_node.span, "the autoscaler scales this workload");
        } else {
            message.push_str(&format!(" (autoscaler at {})", ctx.location(&autoscaler, target.name_node.span)));
            v = Violation::new(
                entry.key.span.cover(entry.value.span),
                "fixed replica count",
                message,
                "Remove `spec.replicas` and let the autoscaler own the replica count.",
            );
        }
        ctx.report(v);
    }
}

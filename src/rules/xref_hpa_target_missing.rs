//! `xref-hpa-target-missing`: a HorizontalPodAutoscaler whose `scaleTargetRef` names no object
//! in the input, or a kind without a scale subresource (DaemonSet, Job, Pod).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, hpa};

pub struct XrefHpaTargetMissing;

static META: RuleMeta = RuleMeta {
    id: "xref-hpa-target-missing",
    family: Family::CrossResource,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["HorizontalPodAutoscaler"]),
    summary: "HorizontalPodAutoscaler whose target is missing or cannot be scaled",
    why: "The autoscaler reads and writes its target through the scale subresource: when the target does not exist or has none, it reports FailedGetScale and never scales.",
    why_fr: "",
    docs: include_str!("../../rules/xref-hpa-target-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefHpaTargetMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(target) = hpa::target_ref(obj) else { return };
        let group = target.group.unwrap_or("");
        let kind_span = target.node.get("kind").map_or(target.node.span, |n| n.span);
        // Built-in kinds without a scale subresource never work, wherever the target lives.
        if target.group.is_some() && hpa::has_scale(group, target.kind) == Some(false) {
            ctx.report(Violation::new(
                kind_span,
                "no scale subresource",
                format!(
                    "{} targets {} `{}`, a kind without a scale subresource: the autoscaler can never scale it",
                    obj.display(),
                    target.kind,
                    target.name
                ),
                "Point `scaleTargetRef` at a Deployment, StatefulSet or ReplicaSet (or a custom resource with a scale subresource).",
            ));
            return;
        }
        if hpa::resolve(ctx.index, obj).is_some() {
            return;
        }
        let assumed = if ctx.options.complete { "" } else { " (assumed it is created outside the input)" };
        ctx.report(
            Violation::new(
                target.name_node.span,
                "not in the input",
                format!(
                    "{} targets {} `{}`, which is not in the input in this namespace{assumed}",
                    obj.display(),
                    target.kind,
                    target.name
                ),
                "Correct `scaleTargetRef` (apiVersion, kind and name) to name the workload to scale, in the autoscaler's namespace.",
            )
            .severity(ctx.open_world_severity()),
        );
    }
}

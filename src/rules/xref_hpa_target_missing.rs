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
    why_fr: "L'autoscaler lit et modifie sa cible via la sous-ressource scale : quand la cible n'existe pas ou n'en a pas, il signale FailedGetScale et ne met jamais à l'échelle.",
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
            let (kind, name) = (target.kind, target.name);
            let v = Violation::new(
                kind_span,
                ctx.t("no scale subresource", "pas de sous-ressource scale"),
                ctx.t(
                    format!(
                        "{} targets {kind} `{name}`, a kind without a scale subresource: the autoscaler can never scale it",
                        obj.display()
                    ),
                    format!(
                        "{} cible {kind} `{name}`, un kind sans sous-ressource scale : l'autoscaler ne pourra jamais le mettre à l'échelle",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Point `scaleTargetRef` at a Deployment, StatefulSet or ReplicaSet (or a custom resource with a scale subresource).",
                    "Faites pointer `scaleTargetRef` vers un Deployment, un StatefulSet ou un ReplicaSet (ou une ressource personnalisée dotée d'une sous-ressource scale).",
                ),
            );
            ctx.report(v);
            return;
        }
        if hpa::resolve(ctx.index, obj).is_some() {
            return;
        }
        let assumed = if ctx.options.complete {
            String::new()
        } else {
            ctx.t(" (assumed it is created outside the input)", " (en supposant qu'il est créé hors de l'entrée)")
        };
        let (kind, name) = (target.kind, target.name);
        let v = Violation::new(
            target.name_node.span,
            ctx.t("not in the input", "absent de l'entrée"),
            ctx.t(
                format!("{} targets {kind} `{name}`, which is not in the input in this namespace{assumed}", obj.display()),
                format!("{} cible {kind} `{name}`, absent de l'entrée dans ce namespace{assumed}", obj.display()),
            ),
            ctx.t(
                "Correct `scaleTargetRef` (apiVersion, kind and name) to name the workload to scale, in the autoscaler's namespace.",
                "Corrigez `scaleTargetRef` (apiVersion, kind et name) pour désigner la charge de travail à mettre à l'échelle, dans le namespace de l'autoscaler.",
            ),
        )
        .severity(ctx.open_world_severity());
        ctx.report(v);
    }
}

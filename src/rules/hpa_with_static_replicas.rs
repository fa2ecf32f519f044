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
    why_fr: "Chaque `kubectl apply` du manifeste réécrit `spec.replicas`, ce qui ramène la charge de travail à ce nombre jusqu'à ce que l'autoscaler réagisse ; avec le server-side apply, il entre en conflit avec l'autoscaler, propriétaire du champ.",
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
        let mut message = ctx.t(
            format!(
                "{} sets `replicas: {count}` but HorizontalPodAutoscaler `{hpa_name}` scales it: every apply resets the replica count",
                obj.display()
            ),
            format!(
                "{} fixe `replicas: {count}` mais le HorizontalPodAutoscaler `{hpa_name}` le met à l'échelle : chaque apply réinitialise le nombre de réplicas",
                obj.display()
            ),
        );
        let label = ctx.t("fixed replica count", "nombre de réplicas fixe");
        let help = ctx.t(
            "Remove `spec.replicas` and let the autoscaler own the replica count.",
            "Supprimez `spec.replicas` et laissez l'autoscaler gérer le nombre de réplicas.",
        );
        let mut v;
        if ctx.same_file(&autoscaler) {
            v = Violation::new(entry.key.span.cover(entry.value.span), label, message, help);
            v = v.secondary(
                target.name_node.span,
                ctx.t("the autoscaler scales this workload", "l'autoscaler met à l'échelle cette charge de travail"),
            );
        } else {
            let at = ctx.location(&autoscaler, target.name_node.span);
            message.push_str(&ctx.t(format!(" (autoscaler at {at})"), format!(" (autoscaler en {at})")));
            v = Violation::new(entry.key.span.cover(entry.value.span), label, message, help);
        }
        ctx.report(v);
    }
}

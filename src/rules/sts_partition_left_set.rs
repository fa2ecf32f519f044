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
    why_fr: "Les Pods dont l'ordinal est inférieur à `partition` ne sont jamais mis à jour et sont recréés à partir de l'ancien template s'ils sont supprimés ; une partition au moins égale au nombre de réplicas bloque toute mise à jour.",
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
        let plural = if replicas == 1 { "" } else { "s" };
        let count = match ctx.index.autoscaler(obj) {
            Some(h) if h.max == replicas => {
                let hpa = h.object.name().unwrap_or("?");
                ctx.t(
                    format!("up to {replicas} replicas (HPA `{hpa}`)"),
                    format!("jusqu'à {replicas} réplicas (HPA `{hpa}`)"),
                )
            }
            _ => ctx.t(format!("{replicas} replica{plural}"), format!("{replicas} réplica{plural}")),
        };
        let mut v = if partition >= replicas {
            Violation::new(
                node.span,
                ctx.t("no ordinal updated", "aucun ordinal mis à jour"),
                ctx.t(
                    format!(
                        "{} has rolling-update partition {partition} with {count}: no Pod ever gets a new template",
                        obj.display()
                    ),
                    format!(
                        "{} a une partition de mise à jour progressive de {partition} avec {count} : aucun Pod ne reçoit jamais de nouveau template",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Remove `partition` (or set it to 0) once the staged rollout is done.",
                    "Retirez `partition` (ou mettez-la à 0) une fois le déploiement par étapes terminé.",
                ),
            )
        } else {
            let kept = match partition {
                1 => ctx.t(
                    format!("`{name}-0` keeps the old template and is"),
                    format!("`{name}-0` garde l'ancien template et est"),
                ),
                2 => ctx.t(
                    format!("`{name}-0` and `{name}-1` keep the old template and are"),
                    format!("`{name}-0` et `{name}-1` gardent l'ancien template et sont"),
                ),
                p => ctx.t(
                    format!("`{name}-0` to `{name}-{}` keep the old template and are", p - 1),
                    format!("`{name}-0` à `{name}-{}` gardent l'ancien template et sont", p - 1),
                ),
            };
            Violation::new(
                node.span,
                ctx.t(
                    "ordinals below this kept on the old template",
                    "les ordinaux inférieurs gardent l'ancien template",
                ),
                ctx.t(
                    format!(
                        "{} has rolling-update partition {partition}: {kept} recreated from it if deleted",
                        obj.display()
                    ),
                    format!(
                        "{} a une partition de mise à jour progressive de {partition} : {kept} recréé{} à partir de lui en cas de suppression",
                        obj.display(),
                        if partition == 1 { "" } else { "s" }
                    ),
                ),
                ctx.t(
                    "Remove `partition` (or set it to 0) once the canary is verified.",
                    "Retirez `partition` (ou mettez-la à 0) une fois le canary vérifié.",
                ),
            )
            .severity(Severity::Info)
        };
        if let Some(r) = obj.replicas_node().filter(|_| obj.replicas() == replicas) {
            v = v
                .secondary(r.span, ctx.t(format!("{replicas} replica{plural}"), format!("{replicas} réplica{plural}")));
        }
        ctx.report(v);
    }
}

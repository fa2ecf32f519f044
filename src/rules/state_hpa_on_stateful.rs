//! `state-hpa-on-stateful`: a HorizontalPodAutoscaler scaling a StatefulSet with data (claim
//! templates or a stateful image) or a Deployment running a database server.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::yaml::Node;

pub struct StateHpaOnStateful;

static META: RuleMeta = RuleMeta {
    id: "state-hpa-on-stateful",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["HorizontalPodAutoscaler"]),
    summary: "HorizontalPodAutoscaler scales a stateful workload",
    why: "Scale-in removes the highest-ordinal members, which can drop a quorum system below its majority, and with `whenScaled: Delete` their volumes are deleted too; load-driven scaling suits interchangeable replicas, not members holding data.",
    why_fr: "La réduction d'échelle retire les membres aux ordinaux les plus élevés, ce qui peut faire passer un système à quorum sous sa majorité, et avec `whenScaled: Delete` leurs volumes sont supprimés aussi ; la mise à l'échelle selon la charge convient à des réplicas interchangeables, pas à des membres qui détiennent des données.",
    docs: include_str!("../../rules/state-hpa-on-stateful.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StateHpaOnStateful {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let Some(target) = spec.get("scaleTargetRef") else { return };
        let Some(kind) = target.get("kind").and_then(Node::text) else { return };
        let Some(name_node) = target.get("name") else { return };
        let Some(name) = name_node.text() else { return };
        let min = spec.get("minReplicas").and_then(Node::as_i64).unwrap_or(1);
        let Some(max) = spec.get("maxReplicas").and_then(Node::as_i64) else { return };
        if max <= min {
            return;
        }
        let Some(workload) = ctx.index.find(obj, kind, name).copied().filter(is_builtin) else { return };
        let detection = stateful::detect(&workload);
        let (what, delete_on_scale) = match kind {
            "StatefulSet" => {
                let templates =
                    workload.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(0, |t| t.items().len());
                let what = match (&detection, templates) {
                    (Some(d), _) => ctx.t(format!("{} server", d.engine.name), format!("serveur {}", d.engine.name)),
                    (None, n) if n > 0 => ctx.t("per-replica volumes", "volumes par réplica"),
                    _ => return,
                };
                let when_scaled = workload
                    .spec()
                    .and_then(|s| s.path(&["persistentVolumeClaimRetentionPolicy", "whenScaled"]))
                    .filter(|n| n.text() == Some("Delete") && templates > 0);
                (what, when_scaled)
            }
            "Deployment" => match detection.filter(|d| d.confidence == Confidence::High) {
                Some(d) => (
                    ctx.t(
                        format!("{} server with its data on a volume", d.engine.name),
                        format!("serveur {} avec ses données sur un volume", d.engine.name),
                    ),
                    None,
                ),
                None => return,
            },
            _ => return,
        };
        let consequence = if kind == "Deployment" {
            ctx.t(
                "extra replicas share its data volume or start without data",
                "les réplicas supplémentaires partagent son volume de données ou démarrent sans données",
            )
        } else {
            ctx.t(
                "scale-in removes members that hold data",
                "la réduction d'échelle retire des membres qui détiennent des données",
            )
        };
        let mut message = ctx.t(
            format!(
                "{} scales {} ({what}) between {min} and {max} replicas: {consequence}",
                obj.display(),
                workload.display()
            ),
            format!(
                "{} met à l'échelle {} ({what}) entre {min} et {max} réplicas : {consequence}",
                obj.display(),
                workload.display()
            ),
        );
        let v = if let Some(ws) = delete_on_scale {
            message.push_str(&ctx.t(
                ", and `whenScaled: Delete` deletes their PersistentVolumeClaims",
                ", et `whenScaled: Delete` supprime leurs PersistentVolumeClaims",
            ));
            let mut v = Violation::new(
                name_node.span,
                ctx.t(
                    "stateful target, claims deleted on scale-in",
                    "cible avec état, claims supprimées à la réduction d'échelle",
                ),
                message,
                ctx.t(
                    "Remove the autoscaler and scale by hand or through an operator, and set `whenScaled: Retain`.",
                    "Supprimez l'autoscaler et mettez à l'échelle à la main ou par un opérateur, et définissez `whenScaled: Retain`.",
                ),
            )
            .severity(Severity::Error);
            if ctx.same_file(&workload) {
                v = v.secondary(
                    ws.span,
                    ctx.t("claims of removed replicas are deleted", "les claims des réplicas retirés sont supprimées"),
                );
            } else {
                let at = ctx.location(&workload, ws.span);
                v = v.why(ctx.t(
                    format!(
                        "Scale-in removes the highest-ordinal members and, with `whenScaled: Delete` (at {at}), deletes their PersistentVolumeClaims and usually their data."
                    ),
                    format!(
                        "La réduction d'échelle retire les membres aux ordinaux les plus élevés et, avec `whenScaled: Delete` (à {at}), supprime leurs PersistentVolumeClaims et en général leurs données."
                    ),
                ));
            }
            v
        } else {
            Violation::new(
                name_node.span,
                ctx.t("stateful target", "cible avec état"),
                message,
                ctx.t(
                    "Remove the autoscaler and scale the members by hand or through an operator that knows the engine.",
                    "Supprimez l'autoscaler et mettez les membres à l'échelle à la main ou par un opérateur qui connaît le moteur.",
                ),
            )
        };
        let v = if kind == "Deployment" {
            v.why(ctx.t(
                "A database server does not scale by adding Pods: the replicas the autoscaler adds mount the same data volume (or none), and scale-in stops servers mid-write.",
                "Un serveur de base de données ne se met pas à l'échelle en ajoutant des Pods : les réplicas ajoutés par l'autoscaler montent le même volume de données (ou aucun), et la réduction d'échelle arrête des serveurs en pleine écriture.",
            ))
        } else {
            v
        };
        ctx.report(v);
    }
}

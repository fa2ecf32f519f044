//! `state-deployment-shared-pvc`: several replicas of a Deployment (ReplicaSet,
//! ReplicationController) sharing one PersistentVolumeClaim that pins them to one node
//! (ReadWriteOnce, however mounted) or that a database engine writes (ReadWriteMany).

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::index::ClaimAccess;
use crate::k8s::{Object, claims};

pub struct StateDeploymentSharedPvc;

static META: RuleMeta = RuleMeta {
    id: "state-deployment-shared-pvc",
    family: Family::StatefulVsStateless,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "ReplicationController"]),
    summary: "Replicas of a Deployment share one PersistentVolumeClaim",
    why: "A ReadWriteOnce volume attaches to one node: replicas elsewhere stay in ContainerCreating with a Multi-Attach error, and replicas on the same node write one data directory.",
    why_fr: "Un volume ReadWriteOnce s'attache à un seul nœud : les réplicas placés ailleurs restent en ContainerCreating avec une erreur Multi-Attach, et les réplicas du même nœud écrivent dans un même répertoire de données.",
    docs: include_str!("../../rules/state-deployment-shared-pvc.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StateDeploymentSharedPvc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let replicas = ctx.index.max_replicas(obj);
        if replicas <= 1 {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let hpa = ctx.index.autoscaler(obj);
        for volume in spec.claim_volumes() {
            let usage = claims::claim_use(&spec, &volume);
            let access = ctx.index.claim_access(obj, volume.claim_name);
            let (severity, why) = if claims::pins_to_one_node(&access, usage) {
                if !access.is_single_writer() {
                    (
                        Severity::Warning,
                        Some(ctx.t(
                            "Most block storage is ReadWriteOnce: such a volume attaches to one node, so replicas elsewhere stay in ContainerCreating with a Multi-Attach error, and replicas on the same node write one data directory.",
                            "La plupart des stockages en mode bloc sont ReadWriteOnce : un tel volume s'attache à un seul nœud, donc les réplicas placés ailleurs restent en ContainerCreating avec une erreur Multi-Attach, et les réplicas du même nœud écrivent dans un même répertoire de données.",
                        )),
                    )
                } else if access.is_rwop() {
                    (
                        Severity::Error,
                        Some(ctx.t(
                            "A ReadWriteOncePod claim admits one Pod at a time: every other replica stays Pending.",
                            "Une claim ReadWriteOncePod n'admet qu'un Pod à la fois : tous les autres réplicas restent Pending.",
                        )),
                    )
                } else if usage.read_write {
                    (Severity::Error, None)
                } else {
                    (
                        Severity::Error,
                        Some(ctx.t(
                            "Mounting it read-only does not help: the attach/detach controller attaches a ReadWriteOnce volume to one node at a time by its access mode, so replicas elsewhere stay in ContainerCreating with a Multi-Attach error.",
                            "Le monter en lecture seule n'y change rien : le contrôleur attach/detach attache un volume ReadWriteOnce à un seul nœud à la fois d'après son mode d'accès, donc les réplicas placés ailleurs restent en ContainerCreating avec une erreur Multi-Attach.",
                        )),
                    )
                }
            } else if usage.read_write && is_read_write_many(&access) {
                match stateful::detect(obj) {
                    Some(d) if d.confidence >= Confidence::Medium => (
                        Severity::Info,
                        Some(ctx.t(
                            format!(
                                "The claim can be mounted by every replica, but {} is not designed for several servers writing one set of files.",
                                d.engine.name
                            ),
                            format!(
                                "La claim peut être montée par chaque réplica, mais {} n'est pas conçu pour que plusieurs serveurs écrivent dans un même ensemble de fichiers.",
                                d.engine.name
                            ),
                        )),
                    ),
                    _ => continue,
                }
            } else {
                continue;
            };
            let scaled = match hpa {
                Some(h) if h.max >= replicas => {
                    let name = h.object.name().unwrap_or("?");
                    match h.object.spec().and_then(|s| s.get("maxReplicas")) {
                        Some(max) if !ctx.same_file(&h.object) => {
                            let at = ctx.location(&h.object, max.span);
                            ctx.t(
                                format!("up to {replicas} replicas (HPA `{name}`, {at})"),
                                format!("jusqu'à {replicas} réplicas (HPA `{name}`, {at})"),
                            )
                        }
                        _ => ctx.t(
                            format!("up to {replicas} replicas (HPA `{name}`)"),
                            format!("jusqu'à {replicas} réplicas (HPA `{name}`)"),
                        ),
                    }
                }
                _ => ctx.t(format!("{replicas} replicas"), format!("{replicas} réplicas")),
            };
            let claim = match &access {
                ClaimAccess::Known { claim, .. } if !ctx.same_file(claim) => {
                    format!("{}, {}", access.describe(), ctx.location(claim, claim.kind_node().span))
                }
                _ => access.describe(),
            };
            let label = match replicas {
                2 => ctx.t("one claim for both replicas", "une seule claim pour les deux réplicas"),
                n => ctx.t(format!("one claim for all {n} replicas"), format!("une seule claim pour les {n} réplicas")),
            };
            let help = if obj.kind == "Deployment" {
                ctx.t(
                    "Use a StatefulSet with volumeClaimTemplates so each replica gets its own volume, or run one replica with `strategy: Recreate`.",
                    "Utilisez un StatefulSet avec volumeClaimTemplates pour que chaque réplica ait son propre volume, ou exécutez un seul réplica avec `strategy: Recreate`.",
                )
            } else {
                ctx.t(
                    "Use a StatefulSet with volumeClaimTemplates so each replica gets its own volume, or run one replica.",
                    "Utilisez un StatefulSet avec volumeClaimTemplates pour que chaque réplica ait son propre volume, ou exécutez un seul réplica.",
                )
            };
            let claim_name = volume.claim_name;
            let message = ctx.t(
                format!("{} runs {scaled} that share PVC `{claim_name}` ({claim})", obj.display()),
                format!("{} exécute {scaled} qui partagent le PVC `{claim_name}` ({claim})", obj.display()),
            );
            let mut v = Violation::new(volume.claim_node.span, label, message, help).severity(severity);
            if let Some(why) = why {
                v = v.why(why);
            }
            // Label `spec.replicas` only when it is the count that matters (no autoscaler raises it).
            if let Some(node) = obj.replicas_node().filter(|_| obj.replicas() == replicas) {
                v = v.secondary(node.span, ctx.t(format!("{replicas} replicas"), format!("{replicas} réplicas")));
            }
            if let Some(h) = hpa.filter(|h| h.max >= replicas && ctx.same_file(&h.object)) {
                if let Some(max) = h.object.spec().and_then(|s| s.get("maxReplicas")) {
                    v = v.secondary(
                        max.span,
                        ctx.t("the autoscaler may run this many", "l'autoscaler peut en exécuter autant"),
                    );
                }
            }
            if let ClaimAccess::Known { claim, .. } = &access {
                if ctx.same_file(claim) {
                    if let Some(modes) = claim.spec().and_then(|s| s.get("accessModes")) {
                        v = v.secondary(modes.span, ctx.t("access modes of the claim", "modes d'accès de la claim"));
                    }
                }
            }
            ctx.report(v);
        }
    }
}

/// ReadWriteMany: every replica can mount it writable, on any node.
fn is_read_write_many(access: &ClaimAccess<'_>) -> bool {
    matches!(access, ClaimAccess::Known { modes, .. } if modes.contains(&"ReadWriteMany"))
}

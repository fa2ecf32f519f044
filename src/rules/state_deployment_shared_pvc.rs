//! `state-deployment-shared-pvc`: several replicas of a Deployment (ReplicaSet,
//! ReplicationController) mounting one PersistentVolumeClaim read-write.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::index::ClaimAccess;
use crate::k8s::Object;

pub struct StateDeploymentSharedPvc;

static META: RuleMeta = RuleMeta {
    id: "state-deployment-shared-pvc",
    family: Family::StatefulVsStateless,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "ReplicationController"]),
    summary: "Replicas of a Deployment share one read-write PersistentVolumeClaim",
    why: "A ReadWriteOnce volume attaches to one node: replicas elsewhere stay in ContainerCreating with a Multi-Attach error, and replicas on the same node write one data directory.",
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
            if !volume.mounted_read_write(&spec) {
                continue;
            }
            let access = ctx.index.claim_access(obj, volume.claim_name);
            if is_read_only_mode(&access) {
                continue;
            }
            let (severity, why) = match &access {
                a if a.is_single_writer() => (Severity::Error, None),
                ClaimAccess::Unknown | ClaimAccess::Known { .. } if !is_shared_mode(&access) => {
                    (Severity::Warning, None)
                }
                _ => match stateful::detect(obj) {
                    Some(d) if d.confidence >= Confidence::Medium => (
                        Severity::Info,
                        Some(format!(
                            "The claim can be mounted by every replica, but {} is not designed for several servers writing one set of files.",
                            d.engine.name
                        )),
                    ),
                    _ => continue,
                },
            };
            let scaled = match hpa {
                Some(h) if h.max >= replicas => {
                    format!("up to {replicas} replicas (HPA `{}`)", h.object.name().unwrap_or("?"))
                }
                _ => format!("{replicas} replicas"),
            };
            let mut v = Violation::new(
                volume.claim_node.span,
                format!("one claim for all {replicas} replicas"),
                format!("{} runs {scaled} that share PVC `{}` ({})", obj.display(), volume.claim_name, access.describe()),
                "Use a StatefulSet with volumeClaimTemplates so each replica gets its own volume, or run one replica with `strategy: Recreate`.",
            )
            .severity(severity);
            if let Some(why) = why {
                v = v.why(why);
            }
            if let Some(node) = obj.replicas_node() {
                v = v.secondary(node.span, format!("{} replicas", obj.replicas()));
            }
            if let Some(h) = hpa.filter(|h| h.object.file == obj.file) {
                if let Some(max) = h.object.spec().and_then(|s| s.get("maxReplicas")) {
                    v = v.secondary(max.span, "the autoscaler may run this many");
                }
            }
            if let ClaimAccess::Known { claim, .. } = &access {
                if claim.file == obj.file {
                    if let Some(modes) = claim.spec().and_then(|s| s.get("accessModes")) {
                        v = v.secondary(modes.span, "access modes of the claim");
                    }
                }
            }
            ctx.report(v);
        }
    }
}

/// Only ReadOnlyMany: nobody writes.
fn is_read_only_mode(access: &ClaimAccess<'_>) -> bool {
    matches!(access, ClaimAccess::Known { modes, .. } if !modes.is_empty() && modes.iter().all(|m| *m == "ReadOnlyMany"))
}

/// RWX or ROX: the volume can be attached on several nodes at once.
fn is_shared_mode(access: &ClaimAccess<'_>) -> bool {
    matches!(access, ClaimAccess::Known { modes, .. } if modes.iter().any(|m| *m == "ReadWriteMany" || *m == "ReadOnlyMany"))
}

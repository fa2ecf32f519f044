//! `sts-shared-claim`: a StatefulSet template volume naming one PersistentVolumeClaim that every
//! replica mounts read-write, instead of a claim template.

use super::stateful;
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::index::ClaimAccess;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct StsSharedClaim;

static META: RuleMeta = RuleMeta {
    id: "sts-shared-claim",
    family: Family::StatefulSets,
    severity: Severity::Error,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "Replicas of a StatefulSet share one read-write PersistentVolumeClaim",
    why: "Every ordinal mounts the same claim: with ReadWriteOnce, replicas on other nodes stay in ContainerCreating with a Multi-Attach error, and replicas on one node write the same files, defeating per-replica storage.",
    why_fr: "Chaque ordinal monte la même claim : en ReadWriteOnce, les réplicas sur d'autres nœuds restent en ContainerCreating avec une erreur Multi-Attach, et les réplicas sur un même nœud écrivent dans les mêmes fichiers, ce qui annule le stockage par réplica.",
    docs: include_str!("../../rules/sts-shared-claim.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsSharedClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let replicas = ctx.index.max_replicas(obj);
        if replicas <= 1 {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let claim_templates = stateful::claim_templates(obj);
        for volume in spec.claim_volumes() {
            // A claim template of the same name replaces the volume (sts-claim-template-shadows-volume).
            if claim_templates.contains(&volume.name) || !volume.mounted_read_write(&spec) {
                continue;
            }
            let access = ctx.index.claim_access(obj, volume.claim_name);
            let severity = match &access {
                a if a.is_single_writer() => Severity::Error,
                ClaimAccess::Unknown => Severity::Warning,
                ClaimAccess::Known { modes, .. } if modes.is_empty() => Severity::Warning,
                // ReadWriteMany or ReadOnlyMany: sharing is what the claim is for.
                ClaimAccess::Known { .. } => continue,
            };
            let described = access.describe();
            let mut v = Violation::new(
                volume.claim_node.span,
                ctx.t(
                    format!("one claim for all {replicas} replicas"),
                    format!("une seule claim pour les {replicas} réplicas"),
                ),
                ctx.t(
                    format!(
                        "{} mounts PVC `{}` ({described}) read-write in all {replicas} replicas instead of one volume per replica",
                        obj.display(),
                        volume.claim_name
                    ),
                    format!(
                        "{} monte le PVC `{}` ({described}) en lecture-écriture dans ses {replicas} réplicas au lieu d'un volume par réplica",
                        obj.display(),
                        volume.claim_name
                    ),
                ),
                ctx.t(
                    "Move the claim into volumeClaimTemplates so each replica gets its own volume.",
                    "Déplacez la claim dans volumeClaimTemplates pour que chaque réplica ait son propre volume.",
                ),
            )
            .severity(severity);
            if let Some(node) = obj.replicas_node() {
                let n = obj.replicas();
                v = v.secondary(node.span, ctx.t(format!("{n} replicas"), format!("{n} réplicas")));
            }
            if let ClaimAccess::Known { claim, .. } = &access {
                if let Some(modes) = claim.spec().and_then(|s| s.get("accessModes")).filter(|_| ctx.same_file(claim)) {
                    v = v.secondary(modes.span, ctx.t("access modes of the claim", "modes d'accès de la claim"));
                }
            }
            ctx.report(v);
        }
    }
}

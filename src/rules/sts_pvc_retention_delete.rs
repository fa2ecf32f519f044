//! `sts-pvc-retention-delete`: a StatefulSet whose PersistentVolumeClaim retention policy deletes
//! the claims of its replicas when it is deleted (info) or scaled down (warning; error when an
//! autoscaler scales it).

use super::stateful::claim_templates;
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct StsPvcRetentionDelete;

static META: RuleMeta = RuleMeta {
    id: "sts-pvc-retention-delete",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet deletes its replicas' PersistentVolumeClaims on scale-down or deletion",
    why: "With a `Delete` retention policy the controller deletes the claims of removed replicas, and with a `Delete` reclaim policy their volumes and data go too; the default `Retain` keeps them for a later scale-up or recovery.",
    why_fr: "",
    docs: include_str!("../../rules/sts-pvc-retention-delete.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsPvcRetentionDelete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() {
            return;
        }
        let templates = claim_templates(obj);
        let Some(first) = templates.first() else { return };
        let Some(policy) = obj.spec().and_then(|s| s.get_some("persistentVolumeClaimRetentionPolicy")) else { return };
        let name = obj.name().unwrap_or("web");
        let help = "Use `Retain` (the default) and delete claims deliberately, unless the data is disposable.";
        if let Some(scaled) = policy.get("whenScaled").filter(|n| n.text() == Some("Delete")) {
            let replicas = ctx.index.max_replicas(obj).max(1);
            let example = format!("`{first}-{name}-{}`", replicas - 1);
            let hpa = ctx.index.autoscaler(obj);
            let mut v = Violation::new(
                scaled.span,
                "claims deleted on scale-down",
                format!(
                    "{} deletes the claims of removed replicas when scaled down: going from {replicas} to {} replica{} deletes {example} and its data",
                    obj.display(),
                    replicas - 1,
                    if replicas - 1 == 1 { "" } else { "s" }
                ),
                help,
            );
            if let Some(h) = hpa {
                let at = if ctx.same_file(&h.object) {
                    v = v.secondary(h.object.kind_span(), "scales this StatefulSet");
                    String::new()
                } else {
                    format!(" ({})", ctx.location(&h.object, h.object.kind_node().span))
                };
                v = v.severity(Severity::Error).why(format!(
                    "{} scales it{at}: every automatic scale-in deletes the claims, and the data, of the removed replicas.",
                    h.object.display()
                ));
            }
            ctx.report(v);
        }
        if let Some(deleted) = policy.get("whenDeleted").filter(|n| n.text() == Some("Delete")) {
            ctx.report(
                Violation::new(
                    deleted.span,
                    "claims deleted with the StatefulSet",
                    format!(
                        "{} deletes its replicas' claims (such as `{first}-{name}-0`) when the StatefulSet is deleted",
                        obj.display()
                    ),
                    help,
                )
                .severity(Severity::Info)
                .why("With `whenDeleted: Delete` deleting the StatefulSet (also by `helm uninstall` or a pruning GitOps sync) deletes the claims, and with a `Delete` reclaim policy the volumes; fine for disposable data, dangerous for a database."),
            );
        }
    }
}

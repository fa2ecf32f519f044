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
    why_fr: "Avec une politique de rétention `Delete`, le contrôleur supprime les claims des réplicas retirés, et avec une politique de récupération (reclaim policy) `Delete` leurs volumes et leurs données disparaissent aussi ; la valeur par défaut `Retain` les conserve pour une mise à l'échelle ou une restauration ultérieure.",
    docs: include_str!("../../rules/sts-pvc-retention-delete.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsPvcRetentionDelete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // Before 1.27 the policy is an alpha field, off by default: the controller ignores it and
        // deletes nothing.
        if !is_builtin(obj) || obj.helm_hook().is_some() || ctx.options.target_minor() < 27 {
            return;
        }
        let templates = claim_templates(obj);
        let Some(first) = templates.first() else { return };
        let Some(policy) = obj.spec().and_then(|s| s.get_some("persistentVolumeClaimRetentionPolicy")) else { return };
        let name = obj.name().unwrap_or("web");
        let help = ctx.t(
            "Use `Retain` (the default) and delete claims deliberately, unless the data is disposable.",
            "Utilisez `Retain` (la valeur par défaut) et supprimez les claims délibérément, sauf si les données sont jetables.",
        );
        if let Some(scaled) = policy.get("whenScaled").filter(|n| n.text() == Some("Delete")) {
            let replicas = ctx.index.max_replicas(obj).max(1);
            let example = format!("`{first}-{name}-{}`", replicas - 1);
            let hpa = ctx.index.autoscaler(obj);
            let fewer = replicas - 1;
            let plural = if fewer == 1 { "" } else { "s" };
            let mut v = Violation::new(
                scaled.span,
                ctx.t("claims deleted on scale-down", "claims supprimées à la réduction d'échelle"),
                ctx.t(
                    format!(
                        "{} deletes the claims of removed replicas when scaled down: going from {replicas} to {fewer} replica{plural} deletes {example} and its data",
                        obj.display()
                    ),
                    format!(
                        "{} supprime les claims des réplicas retirés lors d'une réduction d'échelle : passer de {replicas} à {fewer} réplica{plural} supprime {example} et ses données",
                        obj.display()
                    ),
                ),
                help.clone(),
            );
            if let Some(h) = hpa {
                let at = if ctx.same_file(&h.object) {
                    v = v.secondary(
                        h.object.kind_span(),
                        ctx.t("scales this StatefulSet", "met ce StatefulSet à l'échelle"),
                    );
                    String::new()
                } else {
                    format!(" ({})", ctx.location(&h.object, h.object.kind_node().span))
                };
                v = v.severity(Severity::Error).why(ctx.t(
                    format!(
                        "{} scales it{at}: every automatic scale-in deletes the claims, and the data, of the removed replicas.",
                        h.object.display()
                    ),
                    format!(
                        "{} le met à l'échelle{at} : chaque réduction automatique supprime les claims, et les données, des réplicas retirés.",
                        h.object.display()
                    ),
                ));
            }
            ctx.report(v);
        }
        if let Some(deleted) = policy.get("whenDeleted").filter(|n| n.text() == Some("Delete")) {
            let v = Violation::new(
                deleted.span,
                ctx.t("claims deleted with the StatefulSet", "claims supprimées avec le StatefulSet"),
                ctx.t(
                    format!(
                        "{} deletes its replicas' claims (such as `{first}-{name}-0`) when the StatefulSet is deleted",
                        obj.display()
                    ),
                    format!(
                        "{} supprime les claims de ses réplicas (comme `{first}-{name}-0`) quand le StatefulSet est supprimé",
                        obj.display()
                    ),
                ),
                help,
            )
            .severity(Severity::Info)
            .why(ctx.t(
                "With `whenDeleted: Delete` deleting the StatefulSet (also by `helm uninstall` or a pruning GitOps sync) deletes the claims, and with a `Delete` reclaim policy the volumes; fine for disposable data, dangerous for a database.",
                "Avec `whenDeleted: Delete`, supprimer le StatefulSet (y compris par `helm uninstall` ou une synchronisation GitOps avec élagage) supprime les claims, et avec une politique de récupération `Delete` les volumes ; acceptable pour des données jetables, dangereux pour une base de données.",
            ));
            ctx.report(v);
        }
    }
}

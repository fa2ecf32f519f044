//! `api-immutable-field-change`: with `--base <old manifests>`, a change to a field the API
//! server will not update in place (selectors, most of a StatefulSet's spec, a Job's template, a
//! Service's clusterIP, a PVC's spec, the data of an immutable ConfigMap or Secret, a Pod's spec).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::immutable;
use crate::k8s::kinds::is_builtin;

pub struct ApiImmutableFieldChange;

static META: RuleMeta = RuleMeta {
    id: "api-immutable-field-change",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "Change to a field the API server cannot update in place (needs --base)",
    why: "The API server rejects an update that changes an immutable field (`field is immutable`, `Forbidden: updates to statefulset spec for fields other than …`): `kubectl apply` or `helm upgrade` fails, and the only way forward is to delete and recreate the object.",
    why_fr: "L'API server rejette une mise à jour qui modifie un champ immuable (`field is immutable`, `Forbidden: updates to statefulset spec for fields other than …`) : `kubectl apply` ou `helm upgrade` échoue, et la seule issue est de supprimer puis recréer l'objet.",
    docs: include_str!("../../rules/api-immutable-field-change.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Hooks that Helm and Argo CD delete and recreate on every run.
fn is_recreated_hook(obj: &Object<'_>) -> bool {
    obj.helm_hook().is_some() || obj.annotation("argocd.argoproj.io/hook").is_some()
}

impl Rule for ApiImmutableFieldChange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(base) = ctx.options.base.clone() else { return };
        let core_data = obj.group().is_empty() && matches!(obj.kind, "ConfigMap" | "Secret");
        if !(is_builtin(obj) || core_data) || is_recreated_hook(obj) {
            return;
        }
        let Some(old) = base.find(obj) else { return };
        if old.kind != obj.kind {
            return;
        }
        let display = obj.display();
        for change in immutable::changes(&old, obj) {
            let what = match change.old_span {
                Some(span) => ctx.t(
                    format!("changed from `{}` ({})", change.old_value, base.location(&old, span)),
                    format!("a changé depuis `{}` ({})", change.old_value, base.location(&old, span)),
                ),
                None => ctx.t(
                    format!("is set but absent from the base version ({})", base.location(&old, old.kind_span())),
                    format!("est défini mais absent de la version de base ({})", base.location(&old, old.kind_span())),
                ),
            };
            let label = match change.old_span {
                Some(_) => ctx.t(format!("was `{}`", change.old_value), format!("valait `{}`", change.old_value)),
                None => ctx.t("added", "ajouté"),
            };
            let help_en = match (obj.kind, change.path.starts_with("spec.volumeClaimTemplates")) {
                ("StatefulSet", true) => {
                    "Keep the claim templates unchanged; to grow volumes, patch each PVC, then recreate the StatefulSet with `kubectl delete sts <name> --cascade=orphan` and re-apply."
                }
                ("StatefulSet", false) => {
                    "Revert the field, or delete the StatefulSet with `kubectl delete sts <name> --cascade=orphan` (keeps Pods and PVCs) and re-apply."
                }
                ("Job", _) => {
                    "Give the changed Job a new name (or delete the old Job first, or set `ttlSecondsAfterFinished` so it is removed)."
                }
                ("PersistentVolumeClaim", _) => {
                    "Revert the change; only `resources.requests.storage` may grow (if the class allows expansion)."
                }
                _ => "Revert the change, or delete and recreate the object (plan the downtime).",
            };
            let help_fr = match (obj.kind, change.path.starts_with("spec.volumeClaimTemplates")) {
                ("StatefulSet", true) => {
                    "Gardez les templates de claims inchangés ; pour agrandir les volumes, patchez chaque PVC, puis recréez le StatefulSet avec `kubectl delete sts <name> --cascade=orphan` et réappliquez."
                }
                ("StatefulSet", false) => {
                    "Annulez la modification du champ, ou supprimez le StatefulSet avec `kubectl delete sts <name> --cascade=orphan` (garde les Pods et les PVC) et réappliquez."
                }
                ("Job", _) => {
                    "Donnez un nouveau nom au Job modifié (ou supprimez d'abord l'ancien Job, ou définissez `ttlSecondsAfterFinished` pour qu'il soit supprimé)."
                }
                ("PersistentVolumeClaim", _) => {
                    "Annulez la modification ; seul `resources.requests.storage` peut augmenter (si la classe autorise l'extension)."
                }
                _ => "Annulez la modification, ou supprimez et recréez l'objet (prévoyez l'interruption).",
            };
            let help = ctx.t(help_en, help_fr);
            let mut v = Violation::new(
                change.new_span,
                label,
                ctx.t(
                    format!("{display}: `{}` {what}; {}", change.path, change.reason),
                    format!("{display} : `{}` {what} ; {}", change.path, immutable::reason_fr(change.reason)),
                ),
                help,
            );
            // A finished Job with a TTL is usually gone by the next apply.
            if obj.kind == "Job" && old.spec().and_then(|s| s.get_some("ttlSecondsAfterFinished")).is_some() {
                v = v.severity(Severity::Warning).why(ctx.t("The old Job sets `ttlSecondsAfterFinished`, so it is usually deleted before the next apply; if it still exists, the API server rejects the changed template (`field is immutable`).", "L'ancien Job définit `ttlSecondsAfterFinished`, il est donc en général supprimé avant le prochain apply ; s'il existe encore, l'API server rejette le template modifié (`field is immutable`)."));
            }
            ctx.report(v);
        }
    }
}

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
    why_fr: "",
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
                Some(span) => format!("changed from `{}` ({})", change.old_value, base.location(&old, span)),
                None => format!("is set but absent from the base version ({})", base.location(&old, old.kind_span())),
            };
            let label = match change.old_span {
                Some(_) => format!("was `{}`", change.old_value),
                None => "added".to_string(),
            };
            let help = match (obj.kind, change.path.starts_with("spec.volumeClaimTemplates")) {
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
            let mut v = Violation::new(
                change.new_span,
                label,
                format!("{display}: `{}` {what}; {}", change.path, change.reason),
                help,
            );
            // A finished Job with a TTL is usually gone by the next apply.
            if obj.kind == "Job" && old.spec().and_then(|s| s.get_some("ttlSecondsAfterFinished")).is_some() {
                v = v.severity(Severity::Warning).why("The old Job sets `ttlSecondsAfterFinished`, so it is usually deleted before the next apply; if it still exists, the API server rejects the changed template (`field is immutable`).");
            }
            ctx.report(v);
        }
    }
}

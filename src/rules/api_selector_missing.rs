//! `api-selector-missing`: an `apps/v1` controller without `spec.selector`, or with an empty one.
//! `apps/v1` no longer defaults the selector from the template labels; the API server rejects it.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::yaml::Node;

pub struct ApiSelectorMissing;

static META: RuleMeta = RuleMeta {
    id: "api-selector-missing",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]),
    summary: "apps/v1 controller without a selector, or with an empty one",
    why: "Since apps/v1 the selector is required and no longer copied from the template labels: the API server rejects the object (`spec.selector: Required value`), so the apply fails.",
    why_fr: "Depuis apps/v1, le sélecteur est obligatoire et n'est plus copié depuis les labels du template : l'API server rejette l'objet (`spec.selector: Required value`), et l'apply échoue.",
    docs: include_str!("../../rules/api-selector-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Whether the object looks like a whole manifest rather than a patch (a Kustomize strategic-merge
/// patch omits the selector on purpose): it has template labels and every container an image.
fn looks_complete(obj: &Object<'_>) -> bool {
    let Some(template) = obj.pod_template() else { return false };
    let has_labels = template.labels().and_then(Node::as_map).is_some_and(|l| !l.is_empty());
    let mut containers = template.spec.containers().peekable();
    let has_containers = containers.peek().is_some();
    has_labels && has_containers && template.spec.all_containers().all(|c| c.image().is_some())
}

impl Rule for ApiSelectorMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // Older groups (extensions/v1beta1, apps/v1beta1) default the selector from the labels.
        if !is_builtin(obj) || !matches!(obj.api_version, "apps/v1" | "apps/v1beta2") {
            return;
        }
        let Some(spec) = obj.spec().filter(|s| s.as_map().is_some()) else { return };
        let kind = obj.declared_kind.to_lowercase();
        match spec.entry("selector").filter(|e| !e.value.is_null()) {
            None => {
                if !looks_complete(obj) {
                    return;
                }
                let api = if obj.kind == "DaemonSet" {
                    "`spec.template.metadata.labels: Invalid value: ...: selector does not match template labels`"
                } else {
                    "`spec.selector: Required value`"
                };
                let span = obj.spec().and_then(|_| obj.root.entry("spec")).map_or(obj.kind_span(), |e| e.key.span);
                ctx.report(Violation::new(
                    span,
                    ctx.t("no selector", "pas de sélecteur"),
                    ctx.t(format!(
                        "{}: `spec.selector` is missing: the API server rejects it with {api} (`{}` no longer copies the template labels into the selector)",
                        obj.display(),
                        obj.api_version
                    ), format!("{} : `spec.selector` est absent : l'API server le rejette avec {api} (`{}` ne copie plus les labels du template dans le sélecteur)", obj.display(), obj.api_version)),
                    ctx.t("Add `spec.selector.matchLabels` with the stable identity labels of the template (such as `app.kubernetes.io/name`).", "Ajoutez `spec.selector.matchLabels` avec les labels d'identité stables du template (comme `app.kubernetes.io/name`)."),
                ));
            }
            Some(entry) => {
                let selector = &entry.value;
                let Some(map) = selector.as_map() else { return };
                let non_empty = |key: &str| {
                    selector
                        .get_some(key)
                        .is_some_and(|n| n.as_map().is_some_and(|m| !m.is_empty()) || !n.items().is_empty())
                };
                if non_empty("matchLabels") || non_empty("matchExpressions") {
                    return;
                }
                // ReplicaSets share the Deployment wording in the API server.
                let empty = if obj.kind == "ReplicaSet" {
                    "empty selector is invalid for deployment".to_string()
                } else {
                    format!("empty selector is invalid for {kind}")
                };
                let (detail, detail_fr) = if map.is_empty() {
                    ("is empty", "est vide")
                } else {
                    (
                        "has no matchLabels or matchExpressions entries",
                        "n'a aucune entrée matchLabels ou matchExpressions",
                    )
                };
                ctx.report(Violation::new(
                    if map.is_empty() { entry.key.span.cover(selector.span) } else { entry.key.span },
                    ctx.t("empty selector", "sélecteur vide"),
                    ctx.t(format!(
                        "{}: `spec.selector` {detail}: the API server rejects it with `spec.selector: Invalid value: ...: {empty}`",
                        obj.display()
                    ), format!("{} : `spec.selector` {detail_fr} : l'API server le rejette avec `spec.selector: Invalid value: ...: {empty}`", obj.display())),
                    ctx.t("Add `matchLabels` with the stable identity labels of the template (such as `app.kubernetes.io/name`).", "Ajoutez `matchLabels` avec les labels d'identité stables du template (comme `app.kubernetes.io/name`)."),
                ));
            }
        }
    }
}

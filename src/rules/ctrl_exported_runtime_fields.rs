//! `ctrl-exported-runtime-fields`: an object carrying fields the API server sets at run time
//! (`uid`, `resourceVersion`, `ownerReferences`, `status`...), as copied from `kubectl get -o yaml`.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::yaml::{Node, node::Value};

pub struct CtrlExportedRuntimeFields;

static META: RuleMeta = RuleMeta {
    id: "ctrl-exported-runtime-fields",
    family: Family::Controllers,
    severity: Severity::Warning,
    scope: Scope::All,
    summary: "Object exported from a cluster, with runtime fields (`uid`, `resourceVersion`, `status`...)",
    why: "Runtime fields belong to one live object: a stale resourceVersion makes updates fail with a conflict, and uid, managedFields and status are ignored or overwritten, so the manifest no longer says what is applied.",
    why_fr: "Les champs d'exécution appartiennent à un objet vivant : un resourceVersion périmé fait échouer les mises à jour sur un conflit, et uid, managedFields et status sont ignorés ou écrasés, si bien que le manifeste ne dit plus ce qui est appliqué.",
    docs: include_str!("../../rules/ctrl-exported-runtime-fields.md"),
    default_enabled: true,
    supersedes: &[],
};

/// `metadata` fields that only the API server sets.
const RUNTIME_METADATA: [&str; 6] =
    ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"];

impl Rule for CtrlExportedRuntimeFields {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let metadata = obj.metadata();
        // (key span, field name) of every runtime field, in source order.
        let mut found: Vec<(crate::source::Span, &str)> = Vec::new();
        for field in RUNTIME_METADATA {
            if let Some(entry) = metadata.and_then(|m| m.entry(field)) {
                // `creationTimestamp: null` is what most generators emit for an unset field.
                if entry.value.is_null() || is_empty(&entry.value) {
                    continue;
                }
                found.push((entry.key.span, field));
            }
        }
        let owners = metadata.and_then(|m| m.entry("ownerReferences")).filter(|e| !e.value.items().is_empty());
        if let Some(entry) = obj.root.entry("status").filter(|e| !is_empty(&e.value)) {
            found.push((entry.key.span, "status"));
        }
        found.sort_by_key(|(span, _)| span.start());
        let names = |fields: &[(crate::source::Span, &str)]| {
            fields.iter().map(|(_, f)| format!("`{f}`")).collect::<Vec<_>>().join(", ")
        };
        let v = if let Some(owners) = owners {
            let owner = owners.value.items().first().map(|o| {
                let kind = o.get("kind").and_then(Node::text).unwrap_or("?");
                let name = o.get("name").and_then(Node::text).unwrap_or("?");
                format!("{kind} `{name}`")
            });
            let message = ctx.t(
                format!(
                    "{} carries `ownerReferences` (to {}): the garbage collector deletes it when no owner with that uid exists",
                    obj.display(),
                    owner.clone().unwrap_or_else(|| "an owner".to_string())
                ),
                format!(
                    "{} porte des `ownerReferences` (vers {}) : le ramasse-miettes le supprime quand aucun propriétaire avec cet uid n'existe",
                    obj.display(),
                    owner.unwrap_or_else(|| "un propriétaire".to_string())
                ),
            );
            let mut v = Violation::new(
                owners.key.span,
                ctx.t("owner copied from a cluster", "propriétaire copié depuis un cluster"),
                message,
                ctx.t(
                    "Remove ownerReferences and the other runtime fields, and manage the object through its owner's manifest.",
                    "Supprimez ownerReferences et les autres champs d'exécution, et gérez l'objet par le manifeste de son propriétaire.",
                ),
            )
            .severity(Severity::Error)
            .why(ctx.t(
                "The garbage collector deletes a dependent once all its owners are verified absent, and an owner recreated from a manifest gets a new uid: the object is deleted soon after it is created, or adopted and scaled away by a live controller.",
                "Le ramasse-miettes supprime un objet dépendant dès que l'absence de tous ses propriétaires est vérifiée, et un propriétaire recréé depuis un manifeste reçoit un nouvel uid : l'objet est supprimé peu après sa création, ou adopté puis éliminé par la mise à l'échelle d'un contrôleur vivant.",
            ));
            for (span, field) in &found {
                v = v.secondary(*span, runtime_field(ctx, field));
            }
            v
        } else {
            let Some(&(first, field)) = found.first() else { return };
            let names = names(&found);
            let message = ctx.t(
                format!(
                    "{} carries fields set by the API server ({names}): it was copied from a live cluster",
                    obj.display()
                ),
                format!(
                    "{} porte des champs définis par l'API server ({names}) : il a été copié depuis un cluster en fonctionnement",
                    obj.display()
                ),
            );
            let mut v = Violation::new(
                first,
                runtime_field(ctx, field),
                message,
                ctx.t(
                    "Remove the runtime fields (uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status) from the manifest.",
                    "Supprimez du manifeste les champs d'exécution (uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status).",
                ),
            );
            for (span, field) in found.iter().skip(1) {
                v = v.secondary(*span, runtime_field(ctx, field));
            }
            v
        };
        ctx.report(v);
    }
}

/// The label of one runtime field.
fn runtime_field(ctx: &RuleContext<'_, '_>, field: &str) -> String {
    ctx.t(format!("runtime field `{field}`"), format!("champ d'exécution `{field}`"))
}

/// No information: null, an empty string, or maps and lists holding only such values
/// (`status: {}`, `status: {loadBalancer: {}}` from `kubectl create --dry-run`, the
/// `acceptedNames: {kind: "", plural: ""}` of generated CRDs).
fn is_empty(node: &Node) -> bool {
    match &node.value {
        Value::Scalar(_) => node.is_null() || node.as_str() == Some(""),
        Value::Seq(items) => items.iter().all(is_empty),
        Value::Map(entries) => entries.iter().all(|e| is_empty(&e.value)),
    }
}

#[cfg(test)]
mod tests {
    use super::is_empty;
    use crate::source::SourceFile;

    fn empty(text: &str) -> bool {
        let (docs, _) = crate::yaml::load(&SourceFile::new("t", text.to_string()));
        is_empty(&docs[0].root)
    }

    #[test]
    fn generator_placeholders_are_empty() {
        assert!(empty("{}"));
        assert!(empty("{loadBalancer: {}}"));
        assert!(empty("{acceptedNames: {kind: '', plural: ''}, conditions: [], storedVersions: []}"));
        assert!(!empty("{replicas: 3}"));
        assert!(!empty("{conditions: [{type: Ready}]}"));
    }
}

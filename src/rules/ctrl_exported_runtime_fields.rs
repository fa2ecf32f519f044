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
    why_fr: "",
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
        found.sort_by_key(|(span, _)| span.start);
        let names = |fields: &[(crate::source::Span, &str)]| {
            fields.iter().map(|(_, f)| format!("`{f}`")).collect::<Vec<_>>().join(", ")
        };
        let v = if let Some(owners) = owners {
            let owner = owners.value.items().first().map(|o| {
                let kind = o.get("kind").and_then(Node::text).unwrap_or("?");
                let name = o.get("name").and_then(Node::text).unwrap_or("?");
                format!("{kind} `{name}`")
            });
            let mut v = Violation::new(
                owners.key.span,
                "owner copied from a cluster",
                format!(
                    "{} carries `ownerReferences` (to {}): the garbage collector deletes it when no owner with that uid exists",
                    obj.display(),
                    owner.unwrap_or_else(|| "an owner".to_string())
                ),
                "Remove ownerReferences and the other runtime fields, and manage the object through its owner's manifest.",
            )
            .severity(Severity::Error)
            .why("The garbage collector deletes a dependent once all its owners are verified absent, and an owner recreated from a manifest gets a new uid: the object is deleted soon after it is created, or adopted and scaled away by a live controller.");
            for (span, field) in &found {
                v = v.secondary(*span, format!("runtime field `{field}`"));
            }
            v
        } else {
            let Some(&(first, field)) = found.first() else { return };
            let mut v = Violation::new(
                first,
                format!("runtime field `{field}`"),
                format!(
                    "{} carries fields set by the API server ({}): it was copied from a live cluster",
                    obj.display(),
                    names(&found)
                ),
                "Remove the runtime fields (uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status) from the manifest.",
            );
            for (span, field) in found.iter().skip(1) {
                v = v.secondary(*span, format!("runtime field `{field}`"));
            }
            v
        };
        ctx.report(v);
    }
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

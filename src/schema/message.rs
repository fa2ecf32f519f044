//! Validator errors as findings: each error's instance pointer becomes the exact YAML node (the
//! key of an unknown field, the parent key of a missing one, the value of a wrong one) and the
//! validator's text becomes a sentence a Kubernetes user reads without knowing JSON Schema.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use crate::k8s::Object;
use crate::source::Span;
use crate::yaml::Node;
use crate::yaml::scalar::{Resolved, Style};

/// Which rule reports an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `api-unknown-field`.
    UnknownField,
    /// `api-schema-violation`.
    Violation,
    /// `api-ambiguous-scalar`: a plain YAML 1.1 scalar read as a bool or number where a string is expected.
    Ambiguous,
}

/// One schema problem, ready to report (the message lacks the object, which the rule adds).
#[derive(Debug, Clone)]
pub struct Issue {
    pub category: Category,
    pub span: Span,
    pub label: String,
    pub message: String,
    pub help: String,
    /// A required field is missing (kustomize may add it).
    pub missing: bool,
    /// For an unknown field: the pointer of its mapping and its name, to look it up in newer versions.
    pub unknown: Option<(String, String)>,
}

/// `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else if token.contains(['.', '/', ' ']) || token.is_empty() {
            out.push_str(&format!("[{token:?}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    if out.is_empty() { "the object".to_string() } else { out }
}

fn join_pointer(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn article(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "null",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Number => "a number",
        JsonType::String => "a string",
        JsonType::Array => "a list",
        JsonType::Object => "a mapping",
    }
}

fn expected_types(kind: &TypeKind) -> Vec<JsonType> {
    let mut out: Vec<JsonType> = match kind {
        TypeKind::Single(t) => vec![*t],
        TypeKind::Multiple(set) => set.iter().collect(),
    };
    out.retain(|t| *t != JsonType::Null);
    out
}

fn or_list(items: &[&str]) -> String {
    match items {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn short(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_string()
    }
}

/// What the node holds, as Kubernetes reads it: `the string "three"`, `the boolean true (written `yes`)`.
fn found(node: &Node) -> String {
    match &node.value {
        crate::yaml::Value::Map(_) => "a mapping".to_string(),
        crate::yaml::Value::Seq(_) => "a list".to_string(),
        crate::yaml::Value::Scalar(s) => match s.resolved {
            Resolved::Null => "null".to_string(),
            Resolved::Bool(b) if s.text != b.to_string() => format!("the boolean {b} (written `{}`)", s.text),
            Resolved::Bool(b) => format!("the boolean {b}"),
            Resolved::Int(i) if s.text != i.to_string() => format!("the integer {i} (written `{}`)", s.text),
            Resolved::Int(i) => format!("the integer {i}"),
            Resolved::Float(f) if s.text != f.to_string() => format!("the number {f} (written `{}`)", s.text),
            Resolved::Float(f) => format!("the number {f}"),
            Resolved::Str => format!("the string {:?}", short(&s.text)),
        },
    }
}

/// A plain scalar YAML 1.1 reads as a boolean or a number.
fn ambiguous(node: &Node) -> Option<(&str, Resolved)> {
    let s = node.scalar()?;
    if s.style != Style::Plain || node.custom_tag.is_some() {
        return None;
    }
    matches!(s.resolved, Resolved::Bool(_) | Resolved::Int(_) | Resolved::Float(_)).then_some((&*s.text, s.resolved))
}

pub(super) fn translate(
    obj: &Object<'_>,
    error: &ValidationError<'_>,
    doc: &Value,
    root: &Value,
    out: &mut Vec<Issue>,
) {
    let pointer = error.instance_path().as_str();
    let node = obj.root.pointer(pointer);
    let path = display_path(pointer);
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let Some(node) = node else { return };
            let known = super::known_fields(doc, root, pointer);
            for name in unexpected {
                let Some(entry) = node.entry(name) else { continue };
                let field = display_path(&join_pointer(pointer, name));
                let suggestion = crate::suggest::closest(name, known.iter().copied())
                    .or_else(|| known.iter().copied().find(|k| k.eq_ignore_ascii_case(name)));
                let (message, help) = match (misplaced(obj, pointer, name), suggestion) {
                    (Some(hint), _) => (
                        format!("unknown field `{field}`: {hint}"),
                        "Move the field to where it belongs or remove it.".to_string(),
                    ),
                    (None, Some(s)) => {
                        (format!("unknown field `{field}`: did you mean `{s}`?"), format!("Rename `{name}` to `{s}`."))
                    }
                    (None, None) => (
                        format!(
                            "unknown field `{field}`: {} has no such field, strict field validation rejects the object",
                            if pointer.is_empty() { "the object".to_string() } else { format!("`{path}`") }
                        ),
                        "Move the field to where it belongs (check its indentation) or remove it.".to_string(),
                    ),
                };
                out.push(Issue {
                    category: super::Category::UnknownField,
                    span: entry.key.span,
                    label: "unknown field".to_string(),
                    message,
                    help,
                    missing: false,
                    unknown: Some((pointer.to_string(), name.clone())),
                });
            }
        }
        ValidationErrorKind::Type { kind } => {
            let Some(node) = node else { return };
            let expected = expected_types(kind);
            let wants_string_only = expected == [JsonType::String];
            if let (true, Some((text, resolved))) = (wants_string_only, ambiguous(node)) {
                let read_as = match resolved {
                    Resolved::Bool(b) => format!("the boolean {b}"),
                    Resolved::Int(i) if text.trim_start_matches(['-', '+']).starts_with('0') && text.len() > 1 => {
                        format!("the octal integer {i}")
                    }
                    Resolved::Int(i) => format!("the integer {i}"),
                    Resolved::Float(f) => format!("the number {f}"),
                    _ => "a non-string".to_string(),
                };
                out.push(Issue {
                    category: super::Category::Ambiguous,
                    span: node.span,
                    label: format!("read as {read_as}"),
                    message: format!(
                        "`{path}` must be a string, but YAML reads the unquoted `{text}` as {read_as}: the API server rejects it, and a tool that coerces it writes \"{}\"",
                        match resolved {
                            Resolved::Bool(b) => b.to_string(),
                            Resolved::Int(i) => i.to_string(),
                            Resolved::Float(f) => f.to_string(),
                            _ => text.to_string(),
                        }
                    ),
                    help: format!("Quote the value: `\"{text}\"`."),
                    missing: false,
 unknown: None,
                });
                return;
            }
            let names: Vec<&str> = expected.iter().map(|t| article(*t)).collect();
            if node.is_null() {
                // The decoder turns `null` into the zero value, which validation then rejects.
                out.push(violation(
                    node.span,
                    "null".to_string(),
                    format!("`{path}` is null, but it is required and must be {}", or_list(&names)),
                    format!("Give `{path}` a value."),
                ));
                return;
            }
            out.push(violation(
                node.span,
                format!("expected {}", or_list(&names)),
                format!("`{path}` must be {}, found {}", or_list(&names), found(node)),
                format!("Write `{path}` as {}.", or_list(&names)),
            ));
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let span = super::parent_label_span(obj, pointer);
            let where_ = if pointer.is_empty() { "the object".to_string() } else { format!("`{path}`") };
            let mut issue = violation(
                span,
                format!("`{name}` missing"),
                format!("{where_} lacks the required field `{name}`"),
                format!("Add `{name}` to {where_}."),
            );
            issue.missing = true;
            out.push(issue);
        }
        ValidationErrorKind::Enum { options } => {
            let Some(node) = node else { return };
            let options: Vec<String> =
                options.as_array().into_iter().flatten().filter_map(|o| o.as_str().map(|s| format!("`{s}`"))).collect();
            let text = node.text().unwrap_or_default();
            let close = options.iter().find(|o| o.trim_matches('`').eq_ignore_ascii_case(text));
            out.push(violation(
                node.span,
                "unsupported value".to_string(),
                format!("`{path}` must be one of {}, found {}", options.join(", "), found(node)),
                match close {
                    Some(c) => format!("Write {c} (values are case-sensitive)."),
                    None => format!("Use one of {}.", options.join(", ")),
                },
            ));
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let Some(node) = node else { return };
            // IntOrString, Quantity: every branch failed on its type.
            let mut names: Vec<&str> = context
                .iter()
                .flatten()
                .filter(|e| e.instance_path().as_str() == pointer)
                .filter_map(|e| match e.kind() {
                    ValidationErrorKind::Type { kind } => Some(expected_types(kind)),
                    _ => None,
                })
                .flatten()
                .map(article)
                .collect();
            names.dedup();
            if names.is_empty() {
                out.push(violation(
                    node.span,
                    "invalid value".to_string(),
                    format!("`{path}` matches none of the shapes its schema allows"),
                    format!("Check `{path}` against the API reference."),
                ));
            } else {
                out.push(violation(
                    node.span,
                    format!("expected {}", or_list(&names)),
                    format!("`{path}` must be {}, found {}", or_list(&names), found(node)),
                    format!("Write `{path}` as {}.", or_list(&names)),
                ));
            }
        }
        ValidationErrorKind::FalseSchema => {
            // A property under `additionalProperties: false` with no `properties` beside it.
            let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
            let name = last.replace("~1", "/").replace("~0", "~");
            let Some(entry) = obj.root.pointer(parent).and_then(|p| p.entry(&name)) else { return };
            let where_ =
                if parent.is_empty() { "the object".to_string() } else { format!("`{}`", display_path(parent)) };
            out.push(Issue {
                category: super::Category::UnknownField,
                span: entry.key.span,
                label: "unknown field".to_string(),
                message: format!(
                    "unknown field `{path}`: {where_} has no such field, strict field validation rejects the object"
                ),
                help: "Move the field to where it belongs (check its indentation) or remove it.".to_string(),
                missing: false,
                unknown: Some((parent.to_string(), name.clone())),
            });
        }
        _ => {
            let Some(node) = node else { return };
            out.push(violation(
                node.span,
                "invalid value".to_string(),
                format!("`{path}`: {error}"),
                format!("Fix `{path}` to match its schema."),
            ));
        }
    }
}

/// Where a well-known field that is unknown here belongs (catalogue §F `api-unknown-field`).
fn misplaced(obj: &Object<'_>, pointer: &str, name: &str) -> Option<String> {
    const STATEFULSET_ONLY: &[&str] = &[
        "serviceName",
        "volumeClaimTemplates",
        "podManagementPolicy",
        "persistentVolumeClaimRetentionPolicy",
        "ordinals",
    ];
    const CONTAINER_FIELDS: &[&str] = &[
        "image",
        "env",
        "envFrom",
        "ports",
        "resources",
        "volumeMounts",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "command",
        "args",
        "imagePullPolicy",
    ];
    let kind = obj.declared_kind;
    let pod_spec = pointer.ends_with("/template/spec") || (kind == "Pod" && pointer == "/spec");
    if pointer == "/spec" {
        if STATEFULSET_ONLY.contains(&name) && kind != "StatefulSet" {
            return Some(format!("`{name}` is a StatefulSet field; a {kind} has no such field"));
        }
        match (kind, name) {
            ("Deployment" | "ReplicaSet", "updateStrategy") => {
                return Some(
                    "StatefulSets and DaemonSets use `updateStrategy`; a Deployment's is `strategy`".to_string(),
                );
            }
            ("StatefulSet" | "DaemonSet", "strategy") => {
                return Some(format!(
                    "a {kind}'s update strategy is `updateStrategy` (`strategy` is the Deployment's)"
                ));
            }
            ("DaemonSet", "replicas") => {
                return Some("a DaemonSet runs one Pod per eligible node and has no `replicas`".to_string());
            }
            _ => {}
        }
    }
    if pod_spec && name == "replicas" {
        return Some("`replicas` belongs in the controller's `spec`, not in the Pod template's".to_string());
    }
    if pod_spec && CONTAINER_FIELDS.contains(&name) {
        return Some(format!("`{name}` is a container field: move it under an entry of `containers`"));
    }
    None
}

fn violation(span: Span, label: String, message: String, help: String) -> Issue {
    Issue { category: super::Category::Violation, span, label, message, help, missing: false, unknown: None }
}

#[cfg(test)]
mod tests {
    use super::display_path;

    #[test]
    fn paths_read_like_kubectl() {
        assert_eq!(display_path("/spec/template/spec/containers/0/image"), "spec.template.spec.containers[0].image");
        assert_eq!(
            display_path("/metadata/labels/app.kubernetes.io~1name"),
            "metadata.labels[\"app.kubernetes.io/name\"]"
        );
        assert_eq!(display_path(""), "the object");
    }
}

//! Validator errors as findings: each error's instance pointer becomes the exact YAML node (the
//! key of an unknown field, the parent key of a missing one, the value of a wrong one) and the
//! validator's text becomes a sentence a Kubernetes user reads without knowing JSON Schema.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use crate::i18n;
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
    if out.is_empty() { the_object() } else { out }
}

/// The whole object, as a path.
fn the_object() -> String {
    i18n::t("the object", "l'objet")
}

fn join_pointer(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn article(t: JsonType) -> &'static str {
    let fr = i18n::lang() == crate::explain::Lang::Fr;
    match (t, fr) {
        (JsonType::Null, _) => "null",
        (JsonType::Boolean, false) => "a boolean",
        (JsonType::Boolean, true) => "un booléen",
        (JsonType::Integer, false) => "an integer",
        (JsonType::Integer, true) => "un entier",
        (JsonType::Number, false) => "a number",
        (JsonType::Number, true) => "un nombre",
        (JsonType::String, false) => "a string",
        (JsonType::String, true) => "une chaîne",
        (JsonType::Array, false) => "a list",
        (JsonType::Array, true) => "une liste",
        (JsonType::Object, false) => "a mapping",
        (JsonType::Object, true) => "une map",
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
        [] => i18n::t("something else", "autre chose"),
        [one] => (*one).to_string(),
        [init @ .., last] => {
            i18n::t(format!("{} or {last}", init.join(", ")), format!("{} ou {last}", init.join(", ")))
        }
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
        crate::yaml::Value::Map(_) => i18n::t("a mapping", "une map"),
        crate::yaml::Value::Seq(_) => i18n::t("a list", "une liste"),
        crate::yaml::Value::Scalar(s) => {
            let text = &s.text;
            match s.resolved() {
                Resolved::Null => "null".to_string(),
                Resolved::Bool(b) if s.text != b.to_string() => {
                    i18n::t(format!("the boolean {b} (written `{text}`)"), format!("le booléen {b} (écrit `{text}`)"))
                }
                Resolved::Bool(b) => i18n::t(format!("the boolean {b}"), format!("le booléen {b}")),
                Resolved::Int(i) if s.text != i.to_string() => {
                    i18n::t(format!("the integer {i} (written `{text}`)"), format!("l'entier {i} (écrit `{text}`)"))
                }
                Resolved::Int(i) => i18n::t(format!("the integer {i}"), format!("l'entier {i}")),
                Resolved::Float(f) if s.text != f.to_string() => {
                    i18n::t(format!("the number {f} (written `{text}`)"), format!("le nombre {f} (écrit `{text}`)"))
                }
                Resolved::Float(f) => i18n::t(format!("the number {f}"), format!("le nombre {f}")),
                Resolved::Str => {
                    let short = short(text);
                    i18n::t(format!("the string {short:?}"), format!("la chaîne {short:?}"))
                }
            }
        }
    }
}

/// A plain scalar YAML 1.1 reads as a boolean or a number.
fn ambiguous(node: &Node) -> Option<(&str, Resolved)> {
    let s = node.scalar()?;
    if s.style != Style::Plain || s.has_custom_tag() {
        return None;
    }
    matches!(s.resolved(), Resolved::Bool(_) | Resolved::Int(_) | Resolved::Float(_))
        .then_some((&*s.text, s.resolved()))
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
                        i18n::t(
                            format!("unknown field `{field}`: {hint}"),
                            format!("champ inconnu `{field}` : {hint}"),
                        ),
                        i18n::t(
                            "Move the field to where it belongs or remove it.",
                            "Déplacez le champ là où il doit être, ou supprimez-le.",
                        ),
                    ),
                    (None, Some(s)) => (
                        i18n::t(
                            format!("unknown field `{field}`: did you mean `{s}`?"),
                            format!("champ inconnu `{field}` : vouliez-vous dire `{s}` ?"),
                        ),
                        i18n::t(format!("Rename `{name}` to `{s}`."), format!("Renommez `{name}` en `{s}`.")),
                    ),
                    (None, None) => {
                        let where_ = if pointer.is_empty() { the_object() } else { format!("`{path}`") };
                        (no_such_field(&field, &where_), move_or_remove())
                    }
                };
                out.push(Issue {
                    category: super::Category::UnknownField,
                    span: entry.key.span,
                    label: i18n::t("unknown field", "champ inconnu"),
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
                    Resolved::Bool(b) => i18n::t(format!("the boolean {b}"), format!("le booléen {b}")),
                    Resolved::Int(i) if text.trim_start_matches(['-', '+']).starts_with('0') && text.len() > 1 => {
                        i18n::t(format!("the octal integer {i}"), format!("l'entier octal {i}"))
                    }
                    Resolved::Int(i) => i18n::t(format!("the integer {i}"), format!("l'entier {i}")),
                    Resolved::Float(f) => i18n::t(format!("the number {f}"), format!("le nombre {f}")),
                    _ => i18n::t("a non-string", "une valeur qui n'est pas une chaîne"),
                };
                let coerced = match resolved {
                    Resolved::Bool(b) => b.to_string(),
                    Resolved::Int(i) => i.to_string(),
                    Resolved::Float(f) => f.to_string(),
                    _ => text.to_string(),
                };
                out.push(Issue {
                    category: super::Category::Ambiguous,
                    span: node.span,
                    label: i18n::t(format!("read as {read_as}"), format!("lu comme {read_as}")),
                    message: i18n::t(
                        format!(
                            "`{path}` must be a string, but YAML reads the unquoted `{text}` as {read_as}: the API server rejects it, and a tool that coerces it writes \"{coerced}\""
                        ),
                        format!(
                            "`{path}` doit être une chaîne, mais YAML lit `{text}`, sans guillemets, comme {read_as} : l'API server rejette la valeur, et un outil qui la convertit écrit \"{coerced}\""
                        ),
                    ),
                    help: i18n::t(
                        format!("Quote the value: `\"{text}\"`."),
                        format!("Mettez la valeur entre guillemets : `\"{text}\"`."),
                    ),
                    missing: false,
 unknown: None,
                });
                return;
            }
            let names: Vec<&str> = expected.iter().map(|t| article(*t)).collect();
            if node.is_null() {
                // The decoder turns `null` into the zero value, which validation then rejects.
                let names = or_list(&names);
                out.push(violation(
                    node.span,
                    "null".to_string(),
                    i18n::t(
                        format!("`{path}` is null, but it is required and must be {names}"),
                        format!("`{path}` est null, mais ce champ est obligatoire et doit être {names}"),
                    ),
                    i18n::t(format!("Give `{path}` a value."), format!("Donnez une valeur à `{path}`.")),
                ));
                return;
            }
            out.push(expected_violation(node, &path, &or_list(&names)));
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let span = super::parent_label_span(obj, pointer);
            let where_ = if pointer.is_empty() { the_object() } else { format!("`{path}`") };
            let mut issue = violation(
                span,
                i18n::t(format!("`{name}` missing"), format!("`{name}` manquant")),
                i18n::t(
                    format!("{where_} lacks the required field `{name}`"),
                    format!("{where_} n'a pas le champ obligatoire `{name}`"),
                ),
                i18n::t(format!("Add `{name}` to {where_}."), format!("Ajoutez `{name}` à {where_}.")),
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
            let options = options.join(", ");
            let found = found(node);
            out.push(violation(
                node.span,
                i18n::t("unsupported value", "valeur non prise en charge"),
                i18n::t(
                    format!("`{path}` must be one of {options}, found {found}"),
                    format!("`{path}` doit être l'une des valeurs {options}, et non {found}"),
                ),
                match close {
                    Some(c) => i18n::t(
                        format!("Write {c} (values are case-sensitive)."),
                        format!("Écrivez {c} (les valeurs sont sensibles à la casse)."),
                    ),
                    None => i18n::t(format!("Use one of {options}."), format!("Utilisez l'une des valeurs {options}.")),
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
                    invalid_value(),
                    i18n::t(
                        format!("`{path}` matches none of the shapes its schema allows"),
                        format!("`{path}` ne correspond à aucune des formes que son schéma autorise"),
                    ),
                    i18n::t(
                        format!("Check `{path}` against the API reference."),
                        format!("Vérifiez `{path}` dans la référence de l'API."),
                    ),
                ));
            } else {
                out.push(expected_violation(node, &path, &or_list(&names)));
            }
        }
        ValidationErrorKind::FalseSchema => {
            // A property under `additionalProperties: false` with no `properties` beside it.
            let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
            let name = last.replace("~1", "/").replace("~0", "~");
            let Some(entry) = obj.root.pointer(parent).and_then(|p| p.entry(&name)) else { return };
            let where_ = if parent.is_empty() { the_object() } else { format!("`{}`", display_path(parent)) };
            out.push(Issue {
                category: super::Category::UnknownField,
                span: entry.key.span,
                label: i18n::t("unknown field", "champ inconnu"),
                message: no_such_field(&path, &where_),
                help: move_or_remove(),
                missing: false,
                unknown: Some((parent.to_string(), name.clone())),
            });
        }
        ValidationErrorKind::Pattern { pattern } => {
            let Some(node) = node else { return };
            let found = found(node);
            out.push(violation(
                node.span,
                i18n::t("does not match the pattern", "ne respecte pas le motif"),
                i18n::t(
                    format!("`{path}` must match the pattern `{pattern}`; {found} does not"),
                    format!("`{path}` doit respecter le motif `{pattern}`, ce que ne fait pas {found}"),
                ),
                i18n::t(
                    format!("Change the value so that it matches `{pattern}`."),
                    format!("Modifiez la valeur pour qu'elle respecte `{pattern}`."),
                ),
            ));
        }
        ValidationErrorKind::MinLength { limit } | ValidationErrorKind::MaxLength { limit } => {
            let Some(node) = node else { return };
            let long = matches!(error.kind(), ValidationErrorKind::MaxLength { .. });
            let length = node.text().map_or(0, |t| t.chars().count());
            let chars = |n: u64| if n == 1 { "character" } else { "characters" };
            // French: 0 and 1 take the singular.
            let caracteres = |n: u64| if n <= 1 { "caractère" } else { "caractères" };
            let length = length as u64;
            let (label, message) = if long {
                (
                    i18n::t("too long", "trop long"),
                    i18n::t(
                        format!("`{path}` is {length} {} long; at most {limit} allowed", chars(length)),
                        format!("`{path}` fait {length} {} ; au plus {limit} permis", caracteres(length)),
                    ),
                )
            } else if length == 0 {
                (
                    i18n::t("empty", "vide"),
                    i18n::t(
                        format!("`{path}` is empty; it needs at least {limit} {}", chars(*limit)),
                        format!("`{path}` est vide ; il faut au moins {limit} {}", caracteres(*limit)),
                    ),
                )
            } else {
                (
                    i18n::t("too short", "trop court"),
                    i18n::t(
                        format!("`{path}` is {length} {} long; at least {limit} needed", chars(length)),
                        format!("`{path}` fait {length} {} ; il en faut au moins {limit}", caracteres(length)),
                    ),
                )
            };
            let help = if long {
                i18n::t(
                    format!("Shorten the value to at most {limit} {}.", chars(*limit)),
                    format!("Raccourcissez la valeur à au plus {limit} {}.", caracteres(*limit)),
                )
            } else {
                i18n::t(
                    format!(
                        "Write a value of at least {limit} {}, or remove the field if it is optional.",
                        chars(*limit)
                    ),
                    format!(
                        "Écrivez une valeur d'au moins {limit} {}, ou supprimez le champ s'il est facultatif.",
                        caracteres(*limit)
                    ),
                )
            };
            out.push(violation(node.span, label, message, help));
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            let Some(node) = node else { return };
            let found = found(node);
            // (English bound in the message, in the help; French bound in the message, in the help).
            let (en, en_help, fr, fr_help) = match error.kind() {
                ValidationErrorKind::Minimum { .. } => ("at least", "of at least", "valoir au moins", "d'au moins"),
                ValidationErrorKind::Maximum { .. } => ("at most", "of at most", "valoir au plus", "d'au plus"),
                ValidationErrorKind::ExclusiveMinimum { .. } => {
                    ("greater than", "greater than", "être supérieur à", "supérieure à")
                }
                _ => ("less than", "less than", "être inférieur à", "inférieure à"),
            };
            out.push(violation(
                node.span,
                i18n::t("out of range", "hors limites"),
                i18n::t(
                    format!("`{path}` must be {en} {limit}, found {found}"),
                    format!("`{path}` doit {fr} {limit}, et non {found}"),
                ),
                i18n::t(format!("Use a value {en_help} {limit}."), format!("Utilisez une valeur {fr_help} {limit}.")),
            ));
        }
        ValidationErrorKind::MinItems { limit }
        | ValidationErrorKind::MaxItems { limit }
        | ValidationErrorKind::MinProperties { limit }
        | ValidationErrorKind::MaxProperties { limit } => {
            let Some(node) = node else { return };
            let count = match &node.value {
                crate::yaml::Value::Seq(items) => items.len(),
                crate::yaml::Value::Map(entries) => entries.len(),
                crate::yaml::Value::Scalar(_) => 0,
            };
            let items =
                matches!(error.kind(), ValidationErrorKind::MinItems { .. } | ValidationErrorKind::MaxItems { .. });
            let noun = |n: u64| -> (&str, &str) {
                // French: 0 and 1 take the singular.
                let en = match (items, n == 1) {
                    (true, true) => "item",
                    (true, false) => "items",
                    (false, true) => "entry",
                    (false, false) => "entries",
                };
                let fr = match (items, n <= 1) {
                    (true, true) => "élément",
                    (true, false) => "éléments",
                    (false, true) => "entrée",
                    (false, false) => "entrées",
                };
                (en, fr)
            };
            let (en, fr) = match error.kind() {
                ValidationErrorKind::MinItems { .. } | ValidationErrorKind::MinProperties { .. } => {
                    ("at least", "au moins")
                }
                _ => ("at most", "au plus"),
            };
            let (has_en, has_fr) = noun(count as u64);
            let (want_en, want_fr) = noun(*limit);
            out.push(violation(
                node.span,
                i18n::t(format!("{count} {has_en}"), format!("{count} {has_fr}")),
                i18n::t(
                    format!("`{path}` has {count} {has_en}; it must have {en} {limit}"),
                    format!("`{path}` a {count} {has_fr} ; il en faut {fr} {limit}"),
                ),
                i18n::t(
                    format!("Give `{path}` {en} {limit} {want_en}, or remove it if it is optional."),
                    format!("Donnez à `{path}` {fr} {limit} {want_fr}, ou supprimez-le s'il est facultatif."),
                ),
            ));
        }
        ValidationErrorKind::UniqueItems => {
            let Some(node) = node else { return };
            out.push(violation(
                node.span,
                i18n::t("repeated items", "éléments répétés"),
                i18n::t(
                    format!("`{path}` lists the same item twice"),
                    format!("`{path}` liste deux fois le même élément"),
                ),
                i18n::t("Remove the repeated item.", "Supprimez l'élément répété."),
            ));
        }
        ValidationErrorKind::Format { format } => {
            let Some(node) = node else { return };
            let found = found(node);
            out.push(violation(
                node.span,
                i18n::t(format!("not a valid {format}"), format!("pas un {format} valide")),
                i18n::t(
                    format!("`{path}` must be in the `{format}` format; {found} is not"),
                    format!("`{path}` doit être au format `{format}`, ce que n'est pas {found}"),
                ),
                i18n::t(
                    format!("Write `{path}` in the `{format}` format."),
                    format!("Écrivez `{path}` au format `{format}`."),
                ),
            ));
        }
        _ => {
            let Some(node) = node else { return };
            out.push(violation(
                node.span,
                invalid_value(),
                i18n::t(format!("`{path}`: {error}"), format!("`{path}` : {error}")),
                i18n::t(
                    format!("Fix `{path}` to match its schema."),
                    format!("Corrigez `{path}` pour qu'il respecte son schéma."),
                ),
            ));
        }
    }
}

fn invalid_value() -> String {
    i18n::t("invalid value", "valeur invalide")
}

/// A value of the wrong type: `expected` lists the types the schema allows.
fn expected_violation(node: &Node, path: &str, expected: &str) -> Issue {
    let found = found(node);
    violation(
        node.span,
        i18n::t(format!("expected {expected}"), format!("attendu : {expected}")),
        i18n::t(
            format!("`{path}` must be {expected}, found {found}"),
            format!("`{path}` doit être {expected}, et non {found}"),
        ),
        i18n::t(format!("Write `{path}` as {expected}."), format!("Remplacez la valeur de `{path}` par {expected}.")),
    )
}

/// The message of a field its mapping (`where_`) does not have.
fn no_such_field(field: &str, where_: &str) -> String {
    i18n::t(
        format!("unknown field `{field}`: {where_} has no such field, strict field validation rejects the object"),
        format!(
            "champ inconnu `{field}` : {where_} n'a pas ce champ, la validation stricte des champs rejette l'objet"
        ),
    )
}

fn move_or_remove() -> String {
    i18n::t(
        "Move the field to where it belongs (check its indentation) or remove it.",
        "Déplacez le champ là où il doit être (vérifiez son indentation) ou supprimez-le.",
    )
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
            return Some(i18n::t(
                format!("`{name}` is a StatefulSet field; a {kind} has no such field"),
                format!("`{name}` est un champ de StatefulSet ; un {kind} n'a pas ce champ"),
            ));
        }
        match (kind, name) {
            ("Deployment" | "ReplicaSet", "updateStrategy") => {
                return Some(i18n::t(
                    "StatefulSets and DaemonSets use `updateStrategy`; a Deployment's is `strategy`",
                    "les StatefulSets et les DaemonSets utilisent `updateStrategy` ; un Deployment utilise `strategy`",
                ));
            }
            ("StatefulSet" | "DaemonSet", "strategy") => {
                return Some(i18n::t(
                    format!("a {kind}'s update strategy is `updateStrategy` (`strategy` is the Deployment's)"),
                    format!(
                        "la stratégie de mise à jour d'un {kind} est `updateStrategy` (`strategy` est celle du Deployment)"
                    ),
                ));
            }
            ("DaemonSet", "replicas") => {
                return Some(i18n::t(
                    "a DaemonSet runs one Pod per eligible node and has no `replicas`",
                    "un DaemonSet exécute un Pod par nœud éligible et n'a pas de `replicas`",
                ));
            }
            _ => {}
        }
    }
    if pod_spec && name == "replicas" {
        return Some(i18n::t(
            "`replicas` belongs in the controller's `spec`, not in the Pod template's",
            "`replicas` va dans la `spec` du contrôleur, pas dans celle du template de Pod",
        ));
    }
    if pod_spec && CONTAINER_FIELDS.contains(&name) {
        return Some(i18n::t(
            format!("`{name}` is a container field: move it under an entry of `containers`"),
            format!("`{name}` est un champ de conteneur : déplacez-le sous une entrée de `containers`"),
        ));
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

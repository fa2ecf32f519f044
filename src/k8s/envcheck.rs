//! Environment variables of a container as the API server validates them (core
//! `ValidateEnv`, `validateEnvFrom`): names, one value source each, required keys; and the
//! duplicates the API server accepts but that silently keep only the last value.

use std::collections::HashMap;

use super::podcheck::Problem;
use crate::yaml::Node;

/// Sources of `env[].valueFrom`.
const VALUE_SOURCES: [&str; 5] = ["configMapKeyRef", "secretKeyRef", "fieldRef", "resourceFieldRef", "fileKeyRef"];

/// Whether a name passes the strict validation of releases before relaxed names became the
/// default (`[-._a-zA-Z][-._a-zA-Z0-9]*`).
pub fn is_strict_env_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
}

/// Current validation: printable ASCII without `=`.
pub fn is_relaxed_env_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| (b' '..=b'~').contains(&c) && c != b'=')
}

fn problem(span: crate::source::Span, label: impl Into<String>, message: String, help: impl Into<String>) -> Problem {
    Problem { check: "api-env", span, label: label.into(), message, help: help.into(), related: None }
}

/// Structural errors of one container's `env` and `envFrom`.
pub fn check_env(container: &Node, name: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    for var in container.get("env").map_or(&[][..], Node::items) {
        let Some(entries) = var.as_map() else { continue };
        let head = entries.first().map_or(var.span, |e| e.key.span);
        let var_name = var.get("name").and_then(Node::text);
        match var_name {
            None | Some("") => out.push(problem(
                head,
                crate::i18n::t("variable without a name", "variable sans nom"),
                crate::i18n::t(format!("an environment variable of container `{name}` has no name"), format!("une variable d'environnement du conteneur `{name}` n'a pas de nom")),
                crate::i18n::t("Give every environment variable a name.", "Donnez un nom à chaque variable d'environnement."),
            )),
            Some(n) if !is_relaxed_env_name(n) && !super::names::is_placeholder(n) => out.push(problem(
                var.get("name").map_or(head, |n| n.span),
                crate::i18n::t("invalid variable name", "nom de variable invalide"),
                crate::i18n::t(format!("environment variable name `{n}` of container `{name}` contains `=` or a character outside printable ASCII"), format!("le nom de variable d'environnement `{n}` du conteneur `{name}` contient `=` ou un caractère hors de l'ASCII imprimable")),
                crate::i18n::t("Use letters, digits and `_` in environment variable names.", "Utilisez des lettres, des chiffres et `_` dans les noms de variables d'environnement."),
            )),
            _ => {}
        }
        let shown = var_name.unwrap_or("?");
        let value = var.entry("value").filter(|e| !e.value.is_null());
        let Some(from) = var.entry("valueFrom").filter(|e| !e.value.is_null()) else { continue };
        if let Some(value) = value {
            let mut p = problem(
                from.key.span,
                crate::i18n::t("both value and valueFrom", "value et valueFrom à la fois"),
                crate::i18n::t(
                    format!("environment variable `{shown}` of container `{name}` sets both `value` and `valueFrom`"),
                    format!(
                        "la variable d'environnement `{shown}` du conteneur `{name}` définit à la fois `value` et `valueFrom`"
                    ),
                ),
                crate::i18n::t("Keep either `value` or `valueFrom`.", "Gardez soit `value`, soit `valueFrom`."),
            );
            p.related = Some((value.key.span, crate::i18n::t("value set here", "value défini ici")));
            out.push(p);
        }
        let sources: Vec<&str> = VALUE_SOURCES.into_iter().filter(|s| from.value.get_some(s).is_some()).collect();
        if sources.len() != 1 && from.value.as_map().is_some() {
            let what = if sources.is_empty() {
                crate::i18n::t("has no source", "n'a pas de source")
            } else {
                crate::i18n::t(
                    format!("has {} sources ({})", sources.len(), sources.join(", ")),
                    format!("a {} sources ({})", sources.len(), sources.join(", ")),
                )
            };
            out.push(problem(
                from.key.span,
                crate::i18n::t("exactly one source needed", "exactement une source requise"),
                crate::i18n::t(
                    format!("valueFrom of environment variable `{shown}` of container `{name}` {what}"),
                    format!("le valueFrom de la variable d'environnement `{shown}` du conteneur `{name}` {what}"),
                ),
                crate::i18n::t(
                    "Use exactly one of configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef.",
                    "Utilisez exactement une source parmi configMapKeyRef, secretKeyRef, fieldRef ou resourceFieldRef.",
                ),
            ));
        }
        for source in ["configMapKeyRef", "secretKeyRef"] {
            let Some(entry) = from.value.entry(source).filter(|e| e.value.as_map().is_some()) else { continue };
            if entry.value.get("key").and_then(Node::text).is_none_or(str::is_empty) {
                out.push(problem(
                    entry.key.span,
                    crate::i18n::t("no key", "pas de key"),
                    crate::i18n::t(format!("{source} of environment variable `{shown}` of container `{name}` has no `key`"), format!("le {source} de la variable d'environnement `{shown}` du conteneur `{name}` n'a pas de `key`")),
                    crate::i18n::t("Name the key to read with `key:` (use envFrom to import every key).", "Nommez la clé à lire avec `key:` (utilisez envFrom pour importer toutes les clés)."),
                ));
            }
        }
        if let Some(entry) = from.value.entry("fieldRef").filter(|e| e.value.as_map().is_some()) {
            if entry.value.get("fieldPath").and_then(Node::text).is_none_or(str::is_empty) {
                out.push(problem(
                    entry.key.span,
                    crate::i18n::t("no fieldPath", "pas de fieldPath"),
                    crate::i18n::t(format!("fieldRef of environment variable `{shown}` of container `{name}` has no `fieldPath`"), format!("le fieldRef de la variable d'environnement `{shown}` du conteneur `{name}` n'a pas de `fieldPath`")),
                    crate::i18n::t("Set `fieldPath`, e.g. `metadata.name`.", "Définissez `fieldPath`, par exemple `metadata.name`."),
                ));
            }
        }
    }
    for source in container.get("envFrom").map_or(&[][..], Node::items) {
        let Some(entries) = source.as_map() else { continue };
        let refs: Vec<&str> =
            ["configMapRef", "secretRef"].into_iter().filter(|s| source.get_some(s).is_some()).collect();
        if refs.len() != 1 {
            let what = if refs.is_empty() {
                crate::i18n::t(
                    "names neither a configMapRef nor a secretRef",
                    "ne nomme ni un configMapRef ni un secretRef",
                )
            } else {
                crate::i18n::t(
                    "names both a configMapRef and a secretRef",
                    "nomme à la fois un configMapRef et un secretRef",
                )
            };
            out.push(problem(
                entries.first().map_or(source.span, |e| e.key.span),
                crate::i18n::t("exactly one source needed", "exactement une source requise"),
                crate::i18n::t(
                    format!("an envFrom entry of container `{name}` {what}"),
                    format!("une entrée envFrom du conteneur `{name}` {what}"),
                ),
                crate::i18n::t(
                    "Give each envFrom entry exactly one of configMapRef or secretRef.",
                    "Donnez à chaque entrée envFrom exactement une source parmi configMapRef ou secretRef.",
                ),
            ));
        }
    }
    out
}

/// Variables set twice in `env`: (the later name node, the earlier one, the name).
pub fn duplicates(container: &Node) -> Vec<(&Node, &Node, &str)> {
    let mut seen: HashMap<&str, &Node> = HashMap::new();
    let mut out = Vec::new();
    for var in container.get("env").map_or(&[][..], Node::items) {
        let Some(name_node) = var.get("name") else { continue };
        let Some(name) = name_node.text().filter(|n| !n.is_empty()) else { continue };
        if let Some(first) = seen.get(name) {
            out.push((name_node, *first, name));
        } else {
            seen.insert(name, name_node);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_strict_env_name("JAVA_OPTS"));
        assert!(is_strict_env_name("my.var-1"));
        assert!(!is_strict_env_name("1VAR"));
        assert!(!is_strict_env_name("MY VAR"));
        assert!(is_relaxed_env_name("MY VAR:1"));
        assert!(!is_relaxed_env_name("A=B"));
        assert!(!is_relaxed_env_name(""));
        assert!(!is_relaxed_env_name("tab\there"));
    }
}

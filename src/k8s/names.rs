//! Name and label syntax as the API server checks it (`apimachinery/pkg/util/validation`):
//! DNS-1123 subdomains and labels, DNS-1035 labels, qualified names (label and annotation keys),
//! label values, C identifiers. Each check returns why a string fails, for messages.

pub use super::podcheck::is_dns1123_label;

/// Text that is still a template placeholder (`{{ .Values.x }}`, `${NAME}`, `$ITEM`): not checked.
pub fn is_placeholder(s: &str) -> bool {
    s.contains("{{") || s.contains('$')
}

/// RFC 1123 subdomain: dot-separated RFC 1123 labels, lowercase, at most 253 characters.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// RFC 1035 label: an RFC 1123 label that starts with a letter.
pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// The alphanumeric-bounded name part shared by label values and key names:
/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// Why a label or annotation key is not a qualified name (`[prefix/]name`), or `None`.
pub fn qualified_name_error(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if name.contains('/') {
            return Some(crate::i18n::t("has more than one `/`", "contient plus d'un `/`"));
        }
        if prefix.is_empty() {
            return Some(crate::i18n::t("has an empty prefix before `/`", "a un préfixe vide avant `/`"));
        }
        if !is_dns1123_subdomain(prefix) {
            return Some(crate::i18n::t(
                format!(
                    "has prefix `{prefix}`, which is not a lowercase DNS subdomain (a-z, 0-9, `-` and `.`, at most 253 characters)"
                ),
                format!(
                    "a le préfixe `{prefix}`, qui n'est pas un sous-domaine DNS en minuscules (a-z, 0-9, `-` et `.`, au plus 253 caractères)"
                ),
            ));
        }
    }
    if name.is_empty() {
        return Some(crate::i18n::t("has an empty name part", "a une partie nom vide"));
    }
    if name.len() > 63 {
        return Some(crate::i18n::t(
            format!("has a name part of {} characters, more than 63", name.len()),
            format!("a une partie nom de {} caractères, plus de 63", name.len()),
        ));
    }
    if !is_name_part(name) {
        return Some(crate::i18n::t(
            format!(
                "has name part `{name}`, which must be letters, digits, `-`, `_` or `.`, with a letter or digit at both ends"
            ),
            format!(
                "a la partie nom `{name}`, qui doit être faite de lettres, chiffres, `-`, `_` ou `.`, avec une lettre ou un chiffre aux deux extrémités"
            ),
        ));
    }
    None
}

/// Why a label value is invalid, or `None` (empty is valid).
pub fn label_value_error(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if value.len() > 63 {
        return Some(crate::i18n::t(
            format!("is {} characters, more than 63", value.len()),
            format!("fait {} caractères, plus de 63", value.len()),
        ));
    }
    if !is_name_part(value) {
        return Some(crate::i18n::t(
            "must be letters, digits, `-`, `_` or `.`, with a letter or digit at both ends",
            "doit être faite de lettres, chiffres, `-`, `_` ou `.`, avec une lettre ou un chiffre aux deux extrémités",
        ));
    }
    None
}

/// C identifier: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_c_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_and_labels() {
        assert!(is_dns1123_subdomain("web.example.com"));
        assert!(is_dns1123_subdomain("0web"));
        assert!(!is_dns1123_subdomain("Web"));
        assert!(!is_dns1123_subdomain("web..x"));
        assert!(!is_dns1123_subdomain("web_x"));
        assert!(!is_dns1123_subdomain(&"a".repeat(254)));
        assert!(is_dns1035_label("web"));
        assert!(!is_dns1035_label("1web"));
        assert!(!is_dns1035_label("a.b"));
    }

    #[test]
    fn qualified_names() {
        assert_eq!(qualified_name_error("app.kubernetes.io/name"), None);
        assert_eq!(qualified_name_error("Team_Name.x"), None);
        assert!(qualified_name_error("example.com/").is_some());
        assert!(qualified_name_error("/name").is_some());
        assert!(qualified_name_error("Example.com/name").is_some());
        assert!(qualified_name_error("a/b/c").is_some());
        assert!(qualified_name_error("-name").is_some());
        assert!(qualified_name_error(&"n".repeat(64)).is_some());
        assert!(qualified_name_error("has space").is_some());
    }

    #[test]
    fn label_values() {
        assert_eq!(label_value_error(""), None);
        assert_eq!(label_value_error("v1.2.3_rc-1"), None);
        assert!(label_value_error("v1/2").is_some());
        assert!(label_value_error("-x").is_some());
        assert!(label_value_error(&"x".repeat(64)).is_some());
        assert!(is_c_identifier("MY_VAR1"));
        assert!(!is_c_identifier("1VAR"));
        assert!(!is_c_identifier("my.var"));
    }
}

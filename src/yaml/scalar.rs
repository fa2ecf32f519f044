//! Plain-scalar resolution the way Kubernetes reads YAML: sigs.k8s.io/yaml decodes with YAML 1.1
//! rules, so `yes`/`on`/`NO` are booleans, `0777` is octal and `1.10` is the float 1.1.
//! Quoted and block scalars are always strings. No YAML library resolves exactly like this.

/// What a scalar means once resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

/// Which variant of `Resolved` a scalar has, in one byte (trees store this, not the number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

impl Resolved {
    pub fn kind(&self) -> Kind {
        match self {
            Resolved::Null => Kind::Null,
            Resolved::Bool(_) => Kind::Bool,
            Resolved::Int(_) => Kind::Int,
            Resolved::Float(_) => Kind::Float,
            Resolved::Str => Kind::Str,
        }
    }

    /// The value of `text` once `resolve` has said it is of `kind`: whatever the tag or style
    /// that led there, the number is read from the text the same way `resolve` read it.
    pub fn from_kind(kind: Kind, text: &str) -> Resolved {
        match kind {
            Kind::Null => Resolved::Null,
            Kind::Str => Resolved::Str,
            Kind::Bool => resolve_bool(text).map_or(Resolved::Str, Resolved::Bool),
            Kind::Int => resolve_int(text).map_or(Resolved::Str, Resolved::Int),
            Kind::Float => resolve_float(text)
                .or_else(|| resolve_int(text).map(|i| i as f64))
                .map_or(Resolved::Str, Resolved::Float),
        }
    }
}

/// How the scalar was written in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

/// Resolve a scalar with its style and explicit core tag (`!!str`, `!!int`, …), if any.
pub fn resolve(text: &str, style: Style, core_tag: Option<&str>) -> Resolved {
    match core_tag {
        Some("str" | "binary" | "timestamp") => return Resolved::Str,
        Some("null") => return Resolved::Null,
        Some("bool") => return resolve_bool(text).map_or(Resolved::Str, Resolved::Bool),
        Some("int") => return resolve_int(text).map_or(Resolved::Str, Resolved::Int),
        Some("float") => {
            return resolve_float(text)
                .or_else(|| resolve_int(text).map(|i| i as f64))
                .map_or(Resolved::Str, Resolved::Float);
        }
        _ => {}
    }
    if style != Style::Plain {
        return Resolved::Str;
    }
    resolve_plain(text)
}

/// YAML 1.1 resolution of an untagged plain scalar.
pub fn resolve_plain(text: &str) -> Resolved {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Resolved::Null;
    }
    if let Some(b) = resolve_bool(text) {
        return Resolved::Bool(b);
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Str;
    }
    if let Some(i) = resolve_int(text) {
        return Resolved::Int(i);
    }
    if let Some(f) = resolve_float(text) {
        return Resolved::Float(f);
    }
    Resolved::Str
}

fn resolve_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Integers as go-yaml v2 reads them: optional sign, `_` separators, `0x`, `0o`, `0b`, and a
/// leading `0` for octal.
fn resolve_int(text: &str) -> Option<i64> {
    let cleaned: std::borrow::Cow<'_, str> =
        if text.contains('_') { text.chars().filter(|c| *c != '_').collect::<String>().into() } else { text.into() };
    let (negative, digits) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    if digits.is_empty() {
        return None;
    }
    let (radix, body) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = digits.strip_prefix("0o") {
        (8, o)
    } else if let Some(b) = digits.strip_prefix("0b") {
        (2, b)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(body, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

fn resolve_float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let cleaned: std::borrow::Cow<'_, str> =
        if text.contains('_') { text.chars().filter(|c| *c != '_').collect::<String>().into() } else { text.into() };
    let body = cleaned.trim_start_matches(['-', '+']);
    // Only decimal notation counts: Rust would also accept "inf", "NaN" and "infinity".
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+')) {
        return None;
    }
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    cleaned.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_booleans() {
        for t in ["yes", "on", "NO", "Off", "y", "TRUE"] {
            assert!(matches!(resolve_plain(t), Resolved::Bool(_)), "{t}");
        }
        assert_eq!(resolve_plain("nope"), Resolved::Str);
    }

    #[test]
    fn numbers() {
        assert_eq!(resolve_plain("3"), Resolved::Int(3));
        assert_eq!(resolve_plain("-3"), Resolved::Int(-3));
        assert_eq!(resolve_plain("0777"), Resolved::Int(0o777));
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(resolve_plain("1.10"), Resolved::Float(1.1));
        assert_eq!(resolve_plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve_plain("25%"), Resolved::Str);
        assert_eq!(resolve_plain("1.2.3"), Resolved::Str);
        assert_eq!(resolve_plain("089"), Resolved::Float(89.0));
        assert_eq!(resolve_plain("-"), Resolved::Str);
        assert_eq!(resolve_plain("infinity"), Resolved::Str);
        assert_eq!(resolve_plain("~"), Resolved::Null);
    }

    #[test]
    fn kind_round_trips_through_the_text() {
        for (text, style, tag) in [
            ("3", Style::Plain, None),
            ("0x1F", Style::Plain, None),
            ("1_000", Style::Plain, None),
            ("0777", Style::Plain, None),
            ("1.10", Style::Plain, None),
            ("-.inf", Style::Plain, None),
            ("yes", Style::Plain, None),
            ("3", Style::Quoted, Some("float")),
            ("3", Style::Quoted, Some("int")),
            ("off", Style::Quoted, Some("bool")),
            ("x", Style::Plain, Some("null")),
            ("web", Style::Plain, None),
        ] {
            let resolved = resolve(text, style, tag);
            let again = Resolved::from_kind(resolved.kind(), text);
            assert!(format!("{resolved:?}") == format!("{again:?}"), "{text}: {resolved:?} vs {again:?}");
        }
    }

    #[test]
    fn style_and_tags() {
        assert_eq!(resolve("yes", Style::Quoted, None), Resolved::Str);
        assert_eq!(resolve("3", Style::Plain, Some("str")), Resolved::Str);
        assert_eq!(resolve("3", Style::Quoted, Some("int")), Resolved::Int(3));
    }
}

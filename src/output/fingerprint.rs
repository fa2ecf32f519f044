//! Stable fingerprints of findings, for GitLab Code Quality and SARIF `partialFingerprints`: a
//! hash of the file path, rule, object (kind, namespace, name) and the place of the offending
//! node in the document (`/spec/template/spec/containers/name=web/image`) — never its line, and
//! not the message, so edits above a finding or a changed replica count keep it. Findings
//! without an object (syntax errors) hash the source text they point at (its first 120 bytes),
//! never the message: the same finding keeps its fingerprint in English and in French.

use std::collections::HashMap;

use super::Report;
use super::place::relative_path;
use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Value};

/// One fingerprint per diagnostic of the report, in the same order; two findings with the same
/// identity get distinct fingerprints by their order of appearance.
pub fn fingerprints(report: &Report<'_>) -> Vec<String> {
    let mut seen: HashMap<u128, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let base = fnv1a_128(identity(report, d).as_bytes());
            let count = seen.entry(base).or_insert(0);
            let occurrence = *count;
            *count += 1;
            let hash = if occurrence == 0 { base } else { fnv1a_128(format!("{base:032x}#{occurrence}").as_bytes()) };
            format!("{hash:032x}")
        })
        .collect()
}

fn identity(report: &Report<'_>, d: &Diagnostic) -> String {
    let file = &report.files[d.file];
    let path = relative_path(&file.source.name);
    // Fields are separated by a byte that cannot occur in any of them.
    let place = match (&d.object, d.span) {
        (Some(o), Some(span)) => {
            let object =
                format!("{}/{}/{}", o.kind, o.namespace.as_deref().unwrap_or(""), o.name.as_deref().unwrap_or(""));
            let starts: Vec<usize> = file.documents.iter().map(|doc| doc.root.span.start()).collect();
            let pointer = starts
                .partition_point(|s| *s <= span.start())
                .checked_sub(1)
                .map(|i| pointer_of(&file.documents[i].root, span.start()))
                .unwrap_or_default();
            format!("object\u{0}{object}\u{0}{pointer}")
        }
        (Some(o), None) => {
            format!(
                "object\u{0}{}/{}/{}",
                o.kind,
                o.namespace.as_deref().unwrap_or(""),
                o.name.as_deref().unwrap_or("")
            )
        }
        (None, Some(span)) => format!("text\u{0}{}", excerpt(report.source(d.file).text(), span.start(), span.end())),
        (None, None) => "file".to_string(),
    };
    format!("v1\u{0}{path}\u{0}{}\u{0}{place}", d.rule)
}

/// Where `offset` is in the tree under `root`: map keys by name (`#key` when the key itself is
/// meant), sequence items by their `name` when they have one (containers, volumes, ports: the
/// Kubernetes merge key), else by index.
fn pointer_of(root: &Node, offset: usize) -> String {
    let inside = |n: &Node| n.span.start() <= offset && offset < n.span.end().max(n.span.start() + 1);
    let mut pointer = String::new();
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Map(entries) => entries.iter().find_map(|e| {
                let key = e.key.text().unwrap_or("?").replace('~', "~0").replace('/', "~1");
                if inside(&e.key) {
                    pointer.push_str(&format!("/{key}#key"));
                    None
                } else if inside(&e.value) {
                    pointer.push_str(&format!("/{key}"));
                    Some(&e.value)
                } else {
                    None
                }
            }),
            Value::Seq(items) => items.iter().enumerate().find(|(_, item)| inside(item)).map(|(i, item)| {
                match item.get("name").and_then(Node::text) {
                    Some(name) => pointer.push_str(&format!("/name={}", name.replace('~', "~0").replace('/', "~1"))),
                    None => pointer.push_str(&format!("/{i}")),
                }
                item
            }),
            Value::Scalar(_) => None,
        };
        match next {
            Some(child) => node = child,
            None => return pointer,
        }
    }
}

/// At most the first 120 bytes of `text[start..end]`, cut at a character boundary.
fn excerpt(text: &str, start: usize, end: usize) -> &str {
    let mut end = end.min(text.len()).min(start.saturating_add(120));
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(start..end).unwrap_or("")
}

/// FNV-1a, 128 bits: simple, stable across platforms and Rust versions.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    bytes.iter().fold(OFFSET, |hash, b| (hash ^ u128::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_cut_at_characters() {
        let text = "é".repeat(100);
        assert_eq!(excerpt(&text, 0, 200), "é".repeat(60));
        assert_eq!(excerpt(&text, 0, 121), "é".repeat(60));
        assert_eq!(excerpt("abc", 1, 99), "bc");
        assert_eq!(excerpt("abc", 5, 9), "");
    }

    #[test]
    fn pointers_name_keys_and_named_items() {
        let text = "spec:\n  containers:\n  - name: web\n    image: nginx\n  - image: x\n";
        let source = crate::source::SourceFile::new("a.yaml", text.to_string());
        let (docs, _) = crate::yaml::load(&source);
        let root = &docs[0].root;
        assert_eq!(pointer_of(root, text.find("nginx").unwrap()), "/spec/containers/name=web/image");
        assert_eq!(pointer_of(root, text.find("image: x").unwrap()), "/spec/containers/1/image#key");
        assert_eq!(pointer_of(root, 0), "/spec#key");
    }

    #[test]
    fn fnv_known_value() {
        // Published FNV-1a 128-bit test vector for the empty string and "a".
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}

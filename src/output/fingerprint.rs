//! Stable fingerprints of findings, for GitLab Code Quality and SARIF `partialFingerprints`: a
//! hash of the file path, rule, object (kind, namespace, name), label and message with any
//! `file:line:column` taken out — never the finding's own line — so edits above a finding keep it.

use std::collections::HashMap;

use super::Report;
use super::place::relative_path;
use crate::diagnostic::Diagnostic;

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
    let path = relative_path(&report.files[d.file].source.name);
    let object = d.object.as_ref().map_or(String::new(), |o| {
        format!("{}/{}/{}", o.kind, o.namespace.as_deref().unwrap_or(""), o.name.as_deref().unwrap_or(""))
    });
    let label = d.label.as_deref().unwrap_or("");
    // Fields are separated by a byte that cannot occur in any of them.
    format!("v1\u{0}{path}\u{0}{}\u{0}{object}\u{0}{label}\u{0}{}", d.rule, without_positions(&d.message))
}

/// The message with `:<line>:<column>` and `line <n>` / `column <n>` numbers replaced, so a
/// finding that names another file's location keeps its fingerprint when that file is edited.
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    'scan: while let Some(c) = rest.chars().next() {
        if let Some(after) = position_suffix(rest) {
            out.push_str(":#:#");
            rest = after;
            continue;
        }
        let at_word_start = out.chars().last().is_none_or(|p| !p.is_alphanumeric());
        for word in ["line ", "column "] {
            if let Some(after) = rest.strip_prefix(word).filter(|_| at_word_start) {
                let n = leading_digits(after);
                if n > 0 {
                    out.push_str(word);
                    out.push('#');
                    rest = &after[n..];
                    continue 'scan;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn leading_digits(text: &str) -> usize {
    text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len()
}

/// If `text` starts with `:<digits>:<digits>`, the text after it.
fn position_suffix(text: &str) -> Option<&str> {
    let after = text.strip_prefix(':')?;
    let n = leading_digits(after);
    if n == 0 {
        return None;
    }
    let after = after[n..].strip_prefix(':')?;
    let m = leading_digits(after);
    (m > 0).then(|| &after[m..])
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
    fn positions_are_taken_out() {
        assert_eq!(
            without_positions("Deployment `a` shares claim `x` with StatefulSet `b` at other.yaml:12:7"),
            "Deployment `a` shares claim `x` with StatefulSet `b` at other.yaml:#:#"
        );
        assert_eq!(without_positions("invalid YAML: at line 3 column 14"), "invalid YAML: at line # column #");
        assert_eq!(without_positions("3 replicas: a:b 10:x pipeline 2"), "3 replicas: a:b 10:x pipeline 2");
    }

    #[test]
    fn fnv_known_value() {
        // Published FNV-1a 128-bit test vector for the empty string and "a".
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}

//! `api-object-too-large`: annotations over the API server's 256 KiB limit, ConfigMap or Secret
//! data over 1 MiB (errors), and objects too large for client-side `kubectl apply`'s
//! `last-applied-configuration` annotation (warning).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::yaml::node::Scalar;
use crate::yaml::scalar::Resolved;
use crate::yaml::{Node, Value};

pub struct ApiObjectTooLarge;

static META: RuleMeta = RuleMeta {
    id: "api-object-too-large",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "Annotations, ConfigMap/Secret data or the whole object too large for the API server or kubectl apply",
    why: "The API server rejects an object whose annotations total more than 256 KiB, or a ConfigMap or Secret with more than 1 MiB of data: the apply fails.",
    why_fr: "L'API server rejette un objet dont les annotations dépassent 256 KiB au total, ou un ConfigMap ou un Secret de plus de 1 MiB de données : l'apply échoue.",
    docs: include_str!("../../rules/api-object-too-large.md"),
    default_enabled: true,
    supersedes: &[],
};

/// `TotalAnnotationSizeLimitB`.
const ANNOTATIONS_MAX: usize = 256 * 1024;
/// `MaxSecretSize`, and the ConfigMap limit (`RuntimeObjectSizeLimit`).
const DATA_MAX: usize = 1024 * 1024;
/// A bound on the compact JSON bytes per source byte of a tree without aliases (see `check`).
const JSON_PER_SOURCE_BYTE: usize = 16;
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}

/// Bytes of base64 text once decoded.
fn decoded_len(text: &str) -> usize {
    let len = text.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    let pad = text.trim_end().bytes().rev().take_while(|b| *b == b'=').count();
    (len / 4 * 3).saturating_sub(pad)
}

impl Rule for ApiObjectTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let display = obj.display();
        let annotations = obj.metadata().and_then(|m| m.entry("annotations")).filter(|e| e.value.as_map().is_some());
        let annotation_bytes: usize = annotations
            .and_then(|e| e.value.as_map())
            .unwrap_or(&[])
            .iter()
            .map(|e| e.key.text().map_or(0, str::len) + e.value.text().map_or(0, str::len))
            .sum();
        if let Some(entry) = annotations.filter(|_| annotation_bytes > ANNOTATIONS_MAX) {
            let v = Violation::new(
                entry.key.span,
                ctx.t(format!("{} of annotations", kib(annotation_bytes)), format!("{} d'annotations", kib(annotation_bytes))),
                ctx.t(
                    format!(
                        "{display}: its annotations total {} bytes, more than the 262144 (256 KiB) the API server accepts",
                        annotation_bytes
                    ),
                    format!(
                        "{display} : ses annotations totalisent {} octets, plus que les 262144 (256 KiB) qu'accepte l'API server",
                        annotation_bytes
                    ),
                ),
                ctx.t(
                    "Move large content out of annotations (into a ConfigMap, or a volume).",
                    "Sortez les contenus volumineux des annotations (dans un ConfigMap, ou un volume).",
                ),
            );
            ctx.report(v);
            return;
        }
        if obj.group().is_empty() && matches!(obj.kind, "ConfigMap" | "Secret") {
            let mut total = 0usize;
            let mut first: Option<&Node> = None;
            for field in ["data", "binaryData", "stringData"] {
                let Some(entry) = obj.root.entry(field) else { continue };
                let Some(map) = entry.value.as_map() else { continue };
                first.get_or_insert(&entry.key);
                for e in map {
                    let key = e.key.text().map_or(0, str::len);
                    let value = e.value.text().unwrap_or_default();
                    let base64 = field == "binaryData" || (obj.kind == "Secret" && field == "data");
                    let bytes = if base64 { decoded_len(value) } else { value.len() };
                    // Secrets count values only; ConfigMaps keys and values.
                    total += bytes + if obj.kind == "ConfigMap" { key } else { 0 };
                }
            }
            if let Some(key) = first.filter(|_| total > DATA_MAX) {
                let v = Violation::new(
                    key.span,
                    ctx.t(format!("{} of data", kib(total)), format!("{} de données", kib(total))),
                    ctx.t(
                        format!("{display} holds {total} bytes of data, more than the 1048576 (1 MiB) the API server accepts"),
                        format!("{display} contient {total} octets de données, plus que les 1048576 (1 MiB) qu'accepte l'API server"),
                    ),
                    ctx.t(
                        "Split the data over several objects, or mount large files from a volume or an image.",
                        "Répartissez les données sur plusieurs objets, ou montez les gros fichiers depuis un volume ou une image.",
                    ),
                )
                .why(ctx.t(
                    "The API server rejects a ConfigMap or Secret with more than 1 MiB of data (etcd's request limit): the apply fails.",
                    "L'API server rejette un ConfigMap ou un Secret de plus de 1 MiB de données (la limite de requête d'etcd) : l'apply échoue.",
                ));
                ctx.report(v);
                return;
            }
        }
        // Client-side `kubectl apply` stores the whole object as JSON in an annotation.
        if obj.annotation(LAST_APPLIED).is_some() {
            return;
        }
        // Most objects are far too small for the walk below. Without aliases a tree holds only
        // what its source spells out, and JSON takes at most `JSON_PER_SOURCE_BYTE` bytes per
        // byte of it (tested below; the worst real case is `n` → `false`).
        let aliased = ctx.index.file(obj.file).is_none_or(|f| f.aliased);
        let source_bytes = obj.root.span.end() - obj.root.span.start();
        let json_bound = JSON_PER_SOURCE_BYTE * source_bytes + JSON_PER_SOURCE_BYTE;
        if !aliased && json_bound + annotation_bytes + LAST_APPLIED.len() <= ANNOTATIONS_MAX {
            return;
        }
        let json_bytes = json_len(obj.root);
        if json_bytes + annotation_bytes + LAST_APPLIED.len() > ANNOTATIONS_MAX {
            let v = Violation::new(
                obj.kind_span(),
                ctx.t(format!("{} as JSON", kib(json_bytes)), format!("{} en JSON", kib(json_bytes))),
                ctx.t(
                    format!("{display} is {json_bytes} bytes as JSON: client-side `kubectl apply` would store it in the `{LAST_APPLIED}` annotation, beyond the 256 KiB limit"),
                    format!("{display} fait {json_bytes} octets en JSON : `kubectl apply` côté client le stockerait dans l'annotation `{LAST_APPLIED}`, au-delà de la limite de 256 KiB"),
                ),
                ctx.t(
                    "Apply it with `kubectl apply --server-side` (or `kubectl create`/`replace`).",
                    "Appliquez-le avec `kubectl apply --server-side` (ou `kubectl create`/`replace`).",
                ),
            )
            .severity(Severity::Warning)
            .why(ctx.t(
                "Client-side `kubectl apply` copies the whole object into the `kubectl.kubernetes.io/last-applied-configuration` annotation; above 256 KiB of annotations the API server rejects it (`metadata.annotations: Too long`). Server-side apply does not use that annotation.",
                "`kubectl apply` côté client copie l'objet entier dans l'annotation `kubectl.kubernetes.io/last-applied-configuration` ; au-delà de 256 KiB d'annotations, l'API server le rejette (`metadata.annotations: Too long`). L'apply côté serveur n'utilise pas cette annotation.",
            ));
            ctx.report(v);
        }
    }
}

/// Length in bytes of the node serialised as compact JSON (as `serde_json::to_string` writes it),
/// computed without building it: this rule looks at every object, and most are small.
fn json_len(root: &Node) -> usize {
    let mut total = 0;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Scalar(s) => total += scalar_json_len(s),
            Value::Seq(items) => {
                total += 2 + items.len().saturating_sub(1);
                stack.extend(items.iter());
            }
            Value::Map(entries) => {
                total += 2 + entries.len().saturating_sub(1);
                for e in entries {
                    // `"key":`
                    total += e.key.scalar().map_or(2, |k| string_json_len(&k.text)) + 1;
                    stack.push(&e.value);
                }
            }
        }
    }
    total
}

fn scalar_json_len(s: &Scalar) -> usize {
    match s.resolved() {
        Resolved::Null => 4,
        Resolved::Bool(b) => {
            if b {
                4
            } else {
                5
            }
        }
        Resolved::Int(i) => usize::from(i < 0) + i.unsigned_abs().checked_ilog10().map_or(1, |d| d as usize + 1),
        Resolved::Float(f) => serde_json::Number::from_f64(f).map_or(4, |n| n.to_string().len()),
        Resolved::Str => string_json_len(&s.text),
    }
}

/// A JSON string with its quotes and serde_json's escapes.
fn string_json_len(text: &str) -> usize {
    // Three counts over chunks of at most 255 bytes, each summed in a `u8` so that it vectorises:
    // these texts are most of a large CRD's bytes. A `"` or `\` takes one more byte of JSON, a
    // control character one more when it has a short escape (`\n`, `\t`), five (`\u00XX`) when
    // not.
    let (mut quotes, mut controls, mut short) = (0, 0, 0);
    for chunk in text.as_bytes().chunks(255) {
        quotes += count(chunk, |b| b == b'"' || b == b'\\');
        let c = count(chunk, |b| b < 0x20);
        if c > 0 {
            controls += c;
            short += count(chunk, |b| matches!(b, b'\n' | b'\r' | b'\t' | 0x08 | 0x0c));
        }
    }
    2 + text.len() + quotes + controls + 4 * (controls - short)
}

/// How many bytes of `chunk` (at most 255) `f` holds for.
fn count(chunk: &[u8], f: impl Fn(u8) -> bool) -> usize {
    usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(f(b))))
}

#[cfg(test)]
mod json_len_tests {
    use super::json_len;

    #[test]
    fn matches_serde_json() {
        let text = "a: 1\nb: [x, \"y\\\"z\", 2.5, null, true, false, -3]\nc: {d: \"tab\\there\", e: \"\\u0001é\"}\nf: |\n  line\n  two\n\
                    g: [0, 9, 10, -10, 99, 100, 0x10, 9223372036854775807, -9223372036854775808, a\\b, 'q\"']\n";
        let file = crate::lint::load_bytes(0, "t.yaml", text.as_bytes().to_vec());
        let root = &file.documents[0].root;
        assert_eq!(json_len(root), serde_json::to_string(&root.to_json()).unwrap().len());
    }

    /// Every ASCII byte, alone and repeated past one counting chunk, and a long mixed text.
    #[test]
    fn string_len_matches_serde_json() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        texts.extend((0u8..0x80).map(|b| char::from(b).to_string().repeat(300)));
        texts.push((0..2000u32).map(|i| char::from((i * 7 % 128) as u8)).chain("é漢🙂".chars()).collect());
        for text in texts {
            assert_eq!(super::string_json_len(&text), serde_json::to_string(&text).unwrap().len(), "{text:?}");
        }
    }

    /// The bound `check` relies on to skip the walk: on every fixture and on texts made to
    /// maximise JSON per source byte, an un-aliased tree's JSON stays within
    /// `JSON_PER_SOURCE_BYTE` bytes per source byte (plus one such unit).
    #[test]
    fn json_stays_within_the_bound_per_source_byte() {
        let mut texts: Vec<String> = [
            "n",
            "y",
            "~",
            "a:",
            "- n\n- y\n- ~\n-\n",
            "[n,n,n,n]",
            "{a,b,c,d}",
            "{? , a}",
            "x: 1e15",
            "- .5e15\n- -1e15\n",
            "\"\\0\\a\\e\\v\\x01\"",
            "? \n: \n",
            "a: |+\n  \n\n\n",
            "[[[[[]]]]]",
            "a:\n b:\n  c:\n   d:\n",
            "- - - - n\n",
            "t: \"\t\t\t\"",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for rule in std::fs::read_dir(dir).unwrap() {
            for file in std::fs::read_dir(rule.unwrap().path()).unwrap() {
                if let Ok(text) = std::fs::read_to_string(file.unwrap().path()) {
                    texts.push(text);
                }
            }
        }
        let mut checked = 0;
        for text in &texts {
            let file = crate::lint::load_bytes(0, "t.yaml", text.as_bytes().to_vec());
            for doc in file.documents.iter().filter(|d| !d.aliased) {
                let mut stack = vec![&doc.root];
                while let Some(node) = stack.pop() {
                    let source = node.span.end() - node.span.start();
                    let bound = super::JSON_PER_SOURCE_BYTE * source + super::JSON_PER_SOURCE_BYTE;
                    assert!(json_len(node) <= bound, "{} JSON bytes from {source} in {text:.80}", json_len(node));
                    checked += 1;
                    match &node.value {
                        crate::yaml::Value::Scalar(_) => {}
                        crate::yaml::Value::Seq(items) => stack.extend(items),
                        crate::yaml::Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
                    }
                }
            }
        }
        assert!(checked > 10_000, "only {checked} nodes checked");
    }
}

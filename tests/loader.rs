//! The YAML loader end to end through the lint pipeline: spans, multi-document streams, JSON,
//! BOM, CRLF, YAML 1.1 scalars, merge keys, duplicate keys, alias bombs, extreme nesting, syntax
//! errors with recovery, bad encodings, Helm templates and non-Kubernetes documents. Each hostile
//! case asserts its diagnostic and that the run finishes (a hang guard, not a speed target: the
//! benchmarks measure speed).

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::{Linted, lint_inputs, lint_str};
use kubeadvise::source::SourceFile;
use kubeadvise::yaml::{self, Node};

/// Run `f` on another thread and fail if it has not finished within a minute.
fn finishes<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60)).expect("the loader hung or panicked")
}

fn only(linted: &Linted) -> Vec<(&'static str, usize)> {
    linted
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.span.map_or(0, |s| linted.files[d.file].source.position(s.start()).line)))
        .collect()
}

fn tree(text: &str) -> Vec<yaml::Document> {
    let (docs, problems) = yaml::load(&SourceFile::new("t.yaml", text.to_string()));
    assert!(problems.is_empty(), "{problems:?}");
    docs
}

#[test]
fn every_key_and_value_has_its_span() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: \"nginx:1.27\"\n";
    let file = SourceFile::new("t.yaml", text.to_string());
    let (docs, _) = yaml::load(&file);
    let image = docs[0].root.pointer("/spec/template/spec/containers/0/image").unwrap();
    let source = file.unpacked();
    assert_eq!(source.slice(image.span), "\"nginx:1.27\"");
    let p = file.position(image.span.start());
    assert_eq!((p.line, p.column), (8, 18));
    let entry = docs[0].root.pointer("/spec/template/spec/containers/0").unwrap().entry("image").unwrap();
    assert_eq!(source.slice(entry.key.span), "image");
}

#[test]
fn multi_document_streams_skip_empty_documents() {
    let docs = tree("---\n---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].index, 1);
    assert!(docs[1].root.get("b").is_some());
}

#[test]
fn json_files_load_with_positions() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n}";
    let linted = lint_str("pod.json", text, Some(&["ctrl-bare-pod"]));
    assert_eq!(only(&linted), vec![("ctrl-bare-pod", 3)]);
}

#[test]
fn bom_is_stripped_and_crlf_handled() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(b"apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n");
    let linted = lint_inputs(vec![("crlf.yaml".into(), bytes)], Some(&["ctrl-bare-pod"]));
    assert_eq!(only(&linted), vec![("ctrl-bare-pod", 2)]);
    let d = &linted.diagnostics[0];
    let pos = linted.files[0].source.position(d.span.unwrap().start());
    assert_eq!(pos.column, 7);
    assert!(d.message.contains("Pod `web`"), "no carriage return in values: {}", d.message);
}

#[test]
fn scalars_resolve_as_kubernetes_reads_them() {
    let docs = tree("a: yes\nb: on\nc: NO\nd: \"yes\"\ne: 0777\nf: 1.10\ng: ~\nh: !!str 3\n");
    let root = &docs[0].root;
    assert_eq!(root.get("a").and_then(Node::as_bool), Some(true));
    assert_eq!(root.get("b").and_then(Node::as_bool), Some(true));
    assert_eq!(root.get("c").and_then(Node::as_bool), Some(false));
    assert_eq!(root.get("d").and_then(Node::as_str), Some("yes"));
    assert_eq!(root.get("e").and_then(Node::as_i64), Some(511));
    assert_eq!(root.get("f").map(Node::to_json), Some(serde_json::json!(1.1)));
    assert!(root.get("g").unwrap().is_null());
    assert_eq!(root.get("h").and_then(Node::as_str), Some("3"));
}

#[test]
fn merge_keys_apply() {
    let docs = tree("defaults: &d {image: nginx, name: base}\nc:\n  <<: *d\n  name: web\n");
    let c = docs[0].root.get("c").unwrap();
    assert_eq!(c.get("image").and_then(Node::text), Some("nginx"));
    assert_eq!(c.get("name").and_then(Node::text), Some("web"));
}

#[test]
fn duplicate_keys_are_kept_and_reported_at_the_second() {
    let linted = lint_str("dup.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n", None);
    assert_eq!(only(&linted), vec![("yaml-duplicate-key", 5)]);
    let d = &linted.diagnostics[0];
    assert_eq!(linted.files[0].source.position(d.labels[0].span.start()).line, 4);
}

#[test]
fn alias_bombs_stop_at_the_budget() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let linted = finishes(move || {
        let l = lint_str("bomb.yaml", &text, None);
        (only(&l), l.diagnostics[0].message.clone())
    });
    assert_eq!(linted.0.len(), 1);
    assert_eq!(linted.0[0].0, "yaml-alias-limit");
    assert!((5..=7).contains(&linted.0[0].1), "reported at the alias that crossed the budget: {:?}", linted.0);
    assert!(linted.1.contains("alias bomb"));
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for depth in [10_000, 100_000] {
        for (open, close) in [("[", "]"), ("{a: ", "}")] {
            let text = format!("{}x{}\n", open.repeat(depth), close.repeat(depth));
            let rules = finishes(move || only(&lint_str("deep.yaml", &text, None)));
            assert_eq!(rules, vec![("yaml-nesting-limit", 1)], "{depth} levels of {open}");
        }
    }
    let mut block = String::new();
    for i in 0..300 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    let rules = finishes(move || only(&lint_str("deep-block.yaml", &block, None)));
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].0, "yaml-nesting-limit");
}

#[test]
fn syntax_errors_are_reported_and_later_documents_still_lint() {
    let text = "apiVersion: v1\nkind: [Pod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: later\n";
    let linted = lint_str("broken.yaml", text, None);
    let rules = only(&linted);
    assert_eq!(rules[0].0, "yaml-syntax");
    assert!(rules.contains(&("ctrl-bare-pod", 5)), "{rules:?}");
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let linted = lint_inputs(vec![("bad.yaml".into(), b"a: 1\nb: caf\xE9\n".to_vec())], None);
    assert_eq!(only(&linted), vec![("input-encoding", 2)]);
    assert!(linted.diagnostics[0].message.contains("byte 11"), "{}", linted.diagnostics[0].message);
}

#[test]
fn utf16_with_bom_is_decoded() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "apiVersion: v1\nkind: Pod\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let linted = lint_inputs(vec![("utf16.yaml".into(), bytes)], None);
    assert_eq!(only(&linted), vec![("ctrl-bare-pod", 2)]);
}

#[test]
fn binary_files_are_reported() {
    let linted = lint_inputs(vec![("blob.yaml".into(), b"PK\x03\x04\x00\x00".to_vec())], None);
    assert_eq!(only(&linted), vec![("input-binary", 1)]);
}

#[test]
fn helm_templates_say_render_first() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"app.fullname\" . }}\n";
    let linted = lint_str("deployment.yaml", text, None);
    assert_eq!(only(&linted), vec![("input-helm-template", 4)]);
    assert!(linted.diagnostics[0].help.as_deref().unwrap().contains("helm template"));
}

#[test]
fn non_kubernetes_documents_are_named() {
    let linted = lint_str("misc.yaml", "just a string\n---\n- a\n- b\n---\nfoo: bar\n---\nkind: Pod\n", None);
    assert_eq!(
        only(&linted),
        vec![
            ("input-not-kubernetes", 1),
            ("input-not-kubernetes", 3),
            ("input-not-kubernetes", 6),
            ("input-missing-type", 8)
        ]
    );
}

#[test]
fn custom_tags_are_never_constructed() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: !!python/object:os.system\n  a: b\n";
    let linted = lint_str("tag.yaml", text, None);
    assert_eq!(only(&linted), vec![("yaml-custom-tag", 5)]);
    assert_eq!(linted.objects, 1, "the object is still linted, its tagged value read as plain data");
}

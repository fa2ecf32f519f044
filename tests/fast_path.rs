//! Differential tests of the YAML fast path (`src/yaml/fast.rs`) against granit-parser: on the
//! bundled examples, the rule fixtures, the fuzz corpus, the real-world corpus (when present) and
//! random block YAML, the fast path either leaves a file to granit or gives exactly the same
//! documents, spans, styles, resolutions and problems.

mod common;

use std::path::Path;

use common::repo_root;
use kubeadvise::yaml::{fast_path_agrees, fast_path_last_bail};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// How many files (and bytes) of a set the fast path took.
#[derive(Default)]
struct Tally {
    files: usize,
    fast: usize,
    bytes: usize,
    fast_bytes: usize,
    mismatches: Vec<String>,
}

impl Tally {
    fn check(&mut self, name: &str, text: &str) {
        self.files += 1;
        self.bytes += text.len();
        match fast_path_agrees(text) {
            Ok(true) => {
                self.fast += 1;
                self.fast_bytes += text.len();
            }
            Ok(false) => {}
            Err(diff) => self.mismatches.push(format!("{name}:\n{diff}")),
        }
    }

    /// Every manifest file under `dir`, found as `kubeadvise check` finds them.
    fn walk(&mut self, dir: &Path) {
        let (inputs, errors) = kubeadvise::discover::discover(&[dir.display().to_string()]);
        assert!(errors.is_empty(), "{errors:?}");
        for input in inputs {
            if let kubeadvise::discover::Input::File(path, _) = input {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    self.check(&path.display().to_string(), &text);
                }
            }
        }
    }

    fn assert_agreed(&self, what: &str) {
        assert!(
            self.mismatches.is_empty(),
            "{} of {} {what} files load differently:\n{}",
            self.mismatches.len(),
            self.files,
            self.mismatches.iter().take(3).cloned().collect::<Vec<_>>().join("\n\n")
        );
    }
}

#[test]
fn examples_and_fixtures_load_alike_and_take_the_fast_path() {
    let mut tally = Tally::default();
    tally.walk(&repo_root().join("examples"));
    tally.walk(&repo_root().join("tests/fixtures"));
    tally.assert_agreed("example and fixture");
    // The fixtures include broken YAML on purpose (left to granit); well-made ones take the fast path.
    assert!(tally.fast * 10 >= tally.files * 8, "fast path took {} of {} files", tally.fast, tally.files);
}

#[test]
fn real_world_corpus_loads_alike() {
    let corpus = repo_root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("../shared/corpus not present: skipped");
        return;
    }
    let mut tally = Tally::default();
    tally.walk(&corpus);
    tally.assert_agreed("corpus");
    assert!(tally.files > 3000, "{} corpus files", tally.files);
    // Measured: 93.6% of the files and 99.1% of the bytes (the rest: CRLF, anchors, tags, …).
    assert!(tally.fast * 10 >= tally.files * 9, "fast path took {} of {} files", tally.fast, tally.files);
    assert!(tally.fast_bytes * 100 >= tally.bytes * 95, "fast path took {} of {} bytes", tally.fast_bytes, tally.bytes);
}

#[test]
fn fuzz_corpora_load_alike() {
    // Inputs that reached new code under `cargo fuzz run lint` and `cargo fuzz run fast_path`.
    for corpus in ["lint-corpus.bin", "fast-path-corpus.bin"] {
        let data = std::fs::read(repo_root().join("tests/fuzz").join(corpus)).expect("the corpus is committed");
        let mut tally = Tally::default();
        let mut rest = &data[..];
        let mut i = 0;
        while rest.len() >= 4 {
            let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            if let Ok(text) = std::str::from_utf8(&rest[4..4 + len]) {
                tally.check(&format!("{corpus} input {i} {text:?}"), text);
            }
            rest = &rest[4 + len..];
            i += 1;
        }
        assert!(rest.is_empty(), "{corpus} is well formed");
        tally.assert_agreed(corpus);
        assert!(tally.fast > 100, "{corpus}: fast path took {} of {} inputs", tally.fast, tally.files);
    }
}

/// Random block YAML in the subset the fast path reads: nested mappings and sequences (compact,
/// indentless and indented), scalars in every style, comments, blank lines and documents.
#[derive(Debug, Clone)]
enum Tree {
    Scalar(Scalar),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
    Flow(String),
}

#[derive(Debug, Clone)]
enum Scalar {
    Plain(String),
    Single(String),
    Double(String),
    Literal(Vec<String>, char),
    Folded(Vec<String>, char),
    /// A plain scalar written over several lines.
    Lines(Vec<String>),
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9._/-]{0,10}",
        Just("yes".to_string()),
        Just("0777".to_string()),
        Just("1.10".to_string()),
        Just("~".to_string()),
        Just("null".to_string()),
        "-?[0-9]{1,5}",
        "[a-z]{1,4}:[a-z0-9]{1,4}",
        "[a-z]{1,3}#[a-z]{1,3}",
    ]
}

fn text_line() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 .,:#'\"\\\\!&*|>{}\\[\\]é-]{0,16}"
}

fn scalar() -> impl Strategy<Value = Scalar> {
    let chomp = prop_oneof![Just(' '), Just('-'), Just('+')];
    let lines = prop::collection::vec(prop_oneof![text_line(), Just(String::new())], 1..5);
    prop_oneof![
        4 => word().prop_map(Scalar::Plain),
        1 => text_line().prop_map(Scalar::Single),
        1 => text_line().prop_map(Scalar::Double),
        1 => (lines.clone(), chomp.clone()).prop_map(|(l, c)| Scalar::Literal(l, c)),
        1 => (lines, chomp).prop_map(|(l, c)| Scalar::Folded(l, c)),
        1 => prop::collection::vec(prop_oneof![word(), Just(String::new())], 2..4).prop_map(Scalar::Lines),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        8 => scalar().prop_map(Tree::Scalar),
        1 => prop_oneof![
            Just("[]".to_string()),
            Just("{}".to_string()),
            Just("[a, 'b', \"c\", 1]".to_string()),
            Just("{k: v, \"q\": [1, {x: y}]}".to_string()),
        ]
        .prop_map(Tree::Flow),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..5).prop_map(Tree::Seq),
            prop::collection::vec((word(), inner), 1..5).prop_map(Tree::Map),
        ]
    })
}

fn single(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn double(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            'é' => out.push_str("\\u00e9"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Write `scalar` after a key or dash at column `indent` (its lines go deeper).
fn write_scalar(scalar: &Scalar, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent + 2);
    match scalar {
        Scalar::Plain(s) => out.push_str(&format!("{s}\n")),
        Scalar::Single(s) => out.push_str(&format!("{}\n", single(s))),
        Scalar::Double(s) => out.push_str(&format!("{}\n", double(s))),
        Scalar::Literal(lines, chomp) | Scalar::Folded(lines, chomp) => {
            let head = if matches!(scalar, Scalar::Literal(..)) { '|' } else { '>' };
            out.push_str(&format!("{head}{}\n", chomp.to_string().trim()));
            // The first line sets the indentation: it has content.
            let first = lines[0].trim();
            out.push_str(&format!("{pad}{}\n", if first.is_empty() { "x" } else { first }));
            for line in &lines[1..] {
                let line = line.trim_start();
                if line.is_empty() { out.push('\n') } else { out.push_str(&format!("{pad}{line}\n")) }
            }
        }
        Scalar::Lines(words) => {
            out.push_str(&format!("{}\n", words[0]));
            for w in &words[1..] {
                if w.is_empty() { out.push('\n') } else { out.push_str(&format!("{pad}{w}\n")) }
            }
            out.push_str(&format!("{pad}end\n"));
        }
    }
}

/// Write a block node at column `indent`; `inline`: its first line goes on the current line (after
/// a dash or a key); `indentless`: sequences under keys go at the key's column.
fn write_block(tree: &Tree, indent: usize, inline: bool, indentless: bool, out: &mut String) {
    let pad = " ".repeat(indent);
    match tree {
        Tree::Scalar(s) => write_scalar(s, indent, out),
        Tree::Flow(f) => out.push_str(&format!("{f}\n")),
        Tree::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 || !inline {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                match item {
                    // Compact: a nested collection starts on the dash's line.
                    Tree::Seq(_) | Tree::Map(_) => write_block(item, indent + 2, true, indentless, out),
                    _ => write_block(item, indent, true, indentless, out),
                }
            }
        }
        Tree::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 || !inline {
                    out.push_str(&pad);
                }
                let key = if k.contains(':') || k.contains('#') { double(k) } else { k.clone() };
                match v {
                    Tree::Map(_) => {
                        out.push_str(&format!("{key}: # nested\n"));
                        write_block(v, indent + 2, false, indentless, out);
                    }
                    Tree::Seq(_) => {
                        out.push_str(&format!("{key}:\n"));
                        let deeper = if indentless { indent } else { indent + 2 };
                        write_block(v, deeper, false, indentless, out);
                    }
                    _ => {
                        out.push_str(&format!("{key}: "));
                        write_block(v, indent, true, indentless, out);
                    }
                }
            }
        }
    }
}

fn document() -> impl Strategy<Value = String> {
    let doc = (prop::collection::vec((word(), tree()), 1..5), any::<bool>()).prop_map(|(entries, indentless)| {
        let mut out = String::new();
        write_block(&Tree::Map(entries), 0, false, indentless, &mut out);
        out
    });
    prop::collection::vec((doc, any::<bool>()), 1..4).prop_map(|docs| {
        let mut out = String::from("# generated\n");
        for (i, (doc, comment)) in docs.into_iter().enumerate() {
            if i > 0 {
                out.push_str(if comment { "--- # next\n\n" } else { "---\n" });
            }
            out.push_str(&doc);
        }
        out
    })
}

#[test]
fn random_block_yaml_loads_alike() {
    let config = Config { cases: 1500, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let taken = std::cell::Cell::new(0usize);
    let bails = std::cell::RefCell::new(std::collections::BTreeMap::<u32, usize>::new());
    runner
        .run(&document(), |text| {
            match fast_path_agrees(&text) {
                Ok(true) => taken.set(taken.get() + 1),
                Ok(false) => *bails.borrow_mut().entry(fast_path_last_bail()).or_default() += 1,
                Err(diff) => return Err(TestCaseError::fail(format!("{text:?}\n{diff}"))),
            }
            Ok(())
        })
        .unwrap();
    // The generator keeps to the fast path's subset: nearly every document is taken (what is
    // left: generated text that happens to be invalid YAML, such as `a: b: c` in a scalar).
    assert!(
        taken.get() >= 1200,
        "fast path took {} of 1500; gave up at fast.rs lines {:?}",
        taken.get(),
        bails.borrow()
    );
}

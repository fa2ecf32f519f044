//! The real-world corpus (`../shared/corpus/`, when present): every file is read without a
//! panic, every file yields objects or a file-level diagnostic, and the per-rule finding counts
//! are snapshotted so every change in findings on real manifests shows up in review.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{lint_inputs, repo_root};

#[test]
fn corpus_lints_cleanly_and_counts_are_stable() {
    let corpus = repo_root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is not present", corpus.display());
        return;
    }
    let (inputs, errors) = kubeadvise::discover::discover(&[corpus.display().to_string()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(inputs.len() > 3000, "corpus has {} files", inputs.len());
    let named: Vec<(String, Vec<u8>)> = inputs
        .iter()
        .map(|input| match input {
            kubeadvise::discover::Input::File(path, _) => {
                let relative = path.strip_prefix(&corpus).unwrap_or(Path::new(path)).display().to_string();
                (relative, std::fs::read(path).expect("corpus file is readable"))
            }
            kubeadvise::discover::Input::Stdin => unreachable!("no stdin here"),
        })
        .collect();
    let linted = lint_inputs(named, None);

    let mut silent = Vec::new();
    for (i, file) in linted.files.iter().enumerate() {
        if file.documents.is_empty() && !linted.diagnostics.iter().any(|d| d.file == i) {
            silent.push(file.source.name.clone());
        }
    }
    assert!(silent.is_empty(), "files with neither objects nor a diagnostic: {silent:?}");

    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in &linted.diagnostics {
        *counts.entry((d.rule.to_string(), d.severity.to_string())).or_default() += 1;
    }
    // rules/README.md summarises the same counts, one row per rule.
    let readme = std::fs::read_to_string(repo_root().join("rules/README.md")).expect("rules/README.md");
    let mut by_rule: BTreeMap<&str, [String; 3]> = BTreeMap::new();
    for ((rule, severity), n) in &counts {
        let slot = match severity.as_str() {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        by_rule.entry(rule.as_str()).or_default()[slot] = n.to_string();
    }
    let stale: Vec<String> = by_rule
        .iter()
        .filter(|(rule, _)| !rule.starts_with("input-") && !rule.starts_with("yaml-"))
        .map(|(rule, [e, w, i])| format!("| `{rule}` | {e} | {w} | {i} |"))
        .filter(|row| !readme.contains(row.as_str()))
        .collect();
    assert!(stale.is_empty(), "rules/README.md corpus table is out of date; expected rows:\n{}", stale.join("\n"));

    let mut table = format!("files: {}\nobjects: {}\n\n", linted.files.len(), linted.objects);
    for ((rule, severity), n) in counts {
        table.push_str(&format!("{rule:45} {severity:8} {n:>6}\n"));
    }
    insta::assert_snapshot!("corpus_rule_counts", table);
}

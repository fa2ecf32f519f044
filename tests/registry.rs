//! Meta-tests over the registry: ids unique and kebab-case; every rule has its page with the
//! required sections, a row in rules/README.md, fail and pass fixtures, a source file starting
//! with a `//!` header; each page's Example fires its rule and its Use instead does not.

mod common;

use std::collections::HashSet;

use common::{lint_str, repo_root};
use kubeadvise::rules::{self, Scope};

const SECTIONS: [&str; 5] = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"];

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

#[test]
fn ids_are_unique_and_kebab_case() {
    let mut seen = HashSet::new();
    for meta in rules::all_metas() {
        assert!(is_kebab(meta.id), "{} is not kebab-case", meta.id);
        assert!(seen.insert(meta.id), "{} registered twice", meta.id);
        assert!(!meta.summary.ends_with('.'), "{}: summary ends with a period", meta.id);
        assert!(meta.why.ends_with('.'), "{}: `why` is a sentence ending with a period", meta.id);
    }
}

#[test]
fn every_rule_has_page_readme_row_and_fixtures() {
    let readme = std::fs::read_to_string(repo_root().join("rules/README.md")).expect("rules/README.md exists");
    let mut problems = Vec::new();
    for meta in rules::all_metas() {
        let page = std::fs::read_to_string(repo_root().join(format!("rules/{}.md", meta.id))).unwrap_or_default();
        if page != meta.docs {
            problems.push(format!("{}: rules/{}.md is not the embedded page", meta.id, meta.id));
        }
        if !page.starts_with(&format!("# {}\n", meta.id)) {
            problems.push(format!("{}: page must start with `# {}`", meta.id, meta.id));
        }
        let mut last = 0;
        for section in SECTIONS {
            match page.find(&format!("\n{section}\n")) {
                Some(at) if at >= last => last = at,
                Some(_) => problems.push(format!("{}: section `{section}` out of order", meta.id)),
                None => problems.push(format!("{}: page lacks `{section}`", meta.id)),
            }
        }
        if !readme.contains(&format!("| `{}` |", meta.id)) {
            problems.push(format!("{}: no row in rules/README.md", meta.id));
        }
        // Unreadable paths, oversized inputs, skipped walk entries and strict-mode findings
        // cannot be fixtures (run with default options); tests/cli.rs, tests/resilience.rs and
        // tests/config.rs cover them.
        if ["input-io-error", "input-too-large", "input-skipped", "suppression-missing-reason"].contains(&meta.id) {
            continue;
        }
        let dir = repo_root().join("tests/fixtures").join(meta.id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect())
            .unwrap_or_default();
        if !names.iter().any(|n| n.starts_with("fail-")) {
            problems.push(format!("{}: no tests/fixtures/{}/fail-* fixture", meta.id, meta.id));
        }
        if !names.iter().any(|n| n.starts_with("pass-")) {
            problems.push(format!("{}: no tests/fixtures/{}/pass-* fixture", meta.id, meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The first ```yaml block after `heading`.
fn yaml_block<'p>(page: &'p str, heading: &str) -> Option<&'p str> {
    let section = &page[page.find(&format!("\n{heading}\n"))?..];
    let next = section[1..].find("\n## ").map_or(section.len(), |i| i + 1);
    let section = &section[..next];
    let start = section.find("```yaml\n")? + "```yaml\n".len();
    let end = section[start..].find("\n```")? + start;
    Some(&section[start..=end])
}

#[test]
fn page_examples_fire_and_fixes_do_not() {
    let mut problems = Vec::new();
    for meta in rules::all_metas() {
        let example = yaml_block(meta.docs, "## Example");
        let fixed = yaml_block(meta.docs, "## Use instead");
        if matches!(meta.scope, Scope::Kinds(_)) && (example.is_none() || fixed.is_none()) {
            problems.push(format!("{}: Example and Use instead need a ```yaml block", meta.id));
            continue;
        }
        if let Some(example) = example {
            let linted = lint_str("example.yaml", example, Some(&[meta.id]));
            if linted.lines_of(meta.id).is_empty() {
                problems.push(format!("{}: the page's Example does not fire the rule", meta.id));
            }
        }
        if let Some(fixed) = fixed {
            let linted = lint_str("fixed.yaml", fixed, Some(&[meta.id]));
            if !linted.lines_of(meta.id).is_empty() {
                problems.push(format!("{}: the page's Use instead fires the rule:\n{}", meta.id, linted.render()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_source_file_is_registered_and_documented() {
    let infra = ["mod.rs", "context.rs", "input.rs", "stateful.rs", "selects_nothing.rs"];
    let ids: HashSet<String> = rules::RULES.iter().map(|r| r.meta().id.replace('-', "_")).collect();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("src/rules")).expect("src/rules exists").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if !text.starts_with("//!") {
            problems.push(format!("src/rules/{name}: must start with a `//!` header"));
        }
        if infra.contains(&name.as_str()) || !name.ends_with(".rs") {
            continue;
        }
        let stem = name.trim_end_matches(".rs");
        if !ids.contains(stem) {
            problems.push(format!("src/rules/{name}: not a registered rule (file name = rule id with `_`)"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fixture_folders_name_rules() {
    for entry in std::fs::read_dir(repo_root().join("tests/fixtures")).expect("tests/fixtures exists").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(name.starts_with('_') || rules::meta(&name).is_some(), "tests/fixtures/{name} names no rule");
    }
}

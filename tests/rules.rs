//! The fixture harness: every `tests/fixtures/<rule-id>/` folder is linted with only that rule
//! enabled. `fail-*` files must fire it exactly at the lines their `# fires:` comment names (and
//! with the `# severity:` given, if any); `pass-*` files must not fire it. A
//! `# kubernetes-version: 1.30` comment lints the file for that target version. The human output of
//! every fail file is an insta snapshot (no colour, width 80). A `<fixture>.base` sidecar is the
//! old version of the fixture, passed as `--base` (diff-mode rules).

mod common;

use std::path::Path;

use common::{expectations, lint_path, repo_root};

#[test]
fn every_fixture_behaves_as_named() {
    let fixtures = repo_root().join("tests/fixtures");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&fixtures).expect("tests/fixtures exists").flatten().collect();
    dirs.sort_by_key(|d| d.file_name());
    for dir in dirs {
        let id = dir.file_name().to_string_lossy().to_string();
        if id.starts_with('_') || !dir.path().is_dir() {
            continue;
        }
        if kubeadvise::rules::meta(&id).is_none() {
            failures.push(format!("tests/fixtures/{id}: no rule has this id"));
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(dir.path()).expect("fixture folder is readable").flatten().collect();
        files.sort_by_key(|f| f.file_name());
        for file in files {
            let name = file.file_name().to_string_lossy().to_string();
            if name.ends_with(".expect") || name.ends_with(".base") {
                continue;
            }
            let relative = Path::new("tests/fixtures").join(&id).join(&name);
            let linted = lint_path(&relative, Some(&[id.as_str()]));
            let lines = linted.lines_of(&id);
            checked += 1;
            if name.starts_with("pass-") {
                if !lines.is_empty() {
                    failures.push(format!(
                        "{}: must not fire, fired at lines {lines:?}\n{}",
                        relative.display(),
                        linted.render()
                    ));
                }
            } else if name.starts_with("fail-") {
                let expect = expectations(&file.path());
                let Some(expected) = expect.lines else {
                    failures.push(format!("{}: fail fixture without a `# fires: <line>` comment", relative.display()));
                    continue;
                };
                let mut sorted = lines.clone();
                sorted.sort_unstable();
                if sorted != expected {
                    failures.push(format!(
                        "{}: expected {id} at lines {expected:?}, got {sorted:?}\n{}",
                        relative.display(),
                        linted.render()
                    ));
                    continue;
                }
                if let Some(severity) = expect.severity {
                    for d in linted.diagnostics.iter().filter(|d| d.rule == id) {
                        if d.severity.as_str() != severity {
                            failures.push(format!(
                                "{}: expected severity {severity}, got {}",
                                relative.display(),
                                d.severity
                            ));
                        }
                    }
                }
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true}, {
                    insta::assert_snapshot!(format!("{id}__{stem}"), linted.render());
                });
            } else {
                failures.push(format!("{}: fixture names start with fail- or pass-", relative.display()));
            }
        }
    }
    assert!(checked > 0, "no fixtures found");
    assert!(failures.is_empty(), "{} fixture failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

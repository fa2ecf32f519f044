//! Diagnostics follow the language: linted with `--lang fr`, every fail fixture's findings have
//! a French message, help and why (different from the English ones), and every rule has a French
//! `why`.

mod common;

use std::path::Path;

use common::{lint_path_in, repo_root};
use kubeadvise::explain::Lang;

#[test]
fn every_finding_of_every_fail_fixture_is_in_french() {
    let fixtures = repo_root().join("tests/fixtures");
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&fixtures).expect("tests/fixtures exists").flatten().collect();
    dirs.sort_by_key(|d| d.file_name());
    for dir in dirs {
        let id = dir.file_name().to_string_lossy().to_string();
        let Some(meta) = kubeadvise::rules::meta(&id) else { continue };
        if meta.why_fr.is_empty() {
            missing.push(format!("{id}: no French `why_fr`"));
        }
        let mut files: Vec<_> = std::fs::read_dir(dir.path()).expect("readable").flatten().collect();
        files.sort_by_key(|f| f.file_name());
        for file in files {
            let name = file.file_name().to_string_lossy().to_string();
            if !name.starts_with("fail-") || name.ends_with(".expect") || name.ends_with(".base") {
                continue;
            }
            let relative = Path::new("tests/fixtures").join(&id).join(&name);
            let en = lint_path_in(&relative, Some(&[id.as_str()]), Lang::En);
            let fr = lint_path_in(&relative, Some(&[id.as_str()]), Lang::Fr);
            let en: Vec<_> = en.diagnostics.iter().filter(|d| d.rule == id).collect();
            let fr: Vec<_> = fr.diagnostics.iter().filter(|d| d.rule == id).collect();
            assert_eq!(en.len(), fr.len(), "{}: the language changed what fires", relative.display());
            for (e, f) in en.iter().zip(&fr) {
                checked += 1;
                assert_eq!((e.span, e.severity), (f.span, f.severity), "{}: same finding", relative.display());
                for (what, a, b) in [
                    ("message", Some(e.message.as_str()), Some(f.message.as_str())),
                    ("label", e.label.as_deref(), f.label.as_deref()),
                    ("help", e.help.as_deref(), f.help.as_deref()),
                    ("why", e.why.as_deref(), f.why.as_deref()),
                ] {
                    if let Some(text) = a.filter(|_| a == b) {
                        missing.push(format!("{}: {what} not translated: {text}", relative.display()));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} findings checked");
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{} untranslated:\n{}", missing.len(), missing.join("\n"));
}

fn check(args: &[&str], locale: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
        .current_dir(repo_root())
        .env("LC_ALL", locale)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("the binary runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_cli_follows_lang_and_the_locale() {
    let file = "examples/03-pizzeria-postgres-deployment.yaml";
    let fr = check(&["check", file, "--lang", "fr"], "C");
    assert!(
        fr.contains("Pourquoi :") && fr.contains("5 problèmes trouvés (1 erreur, 3 avertissements, 1 info)"),
        "{fr}"
    );
    assert_eq!(check(&["check", file], "fr_FR.UTF-8"), fr, "a French locale is the default");
    let en = check(&["check", file, "--lang", "en"], "fr_FR.UTF-8");
    assert!(en.contains("Why:") && en.contains("Found 5 problems"), "{en}");
    let json = check(&["check", file, "--lang", "fr", "--format", "json"], "C");
    assert!(json.contains("\"version\": 1") || json.contains("\"version\":1"), "{json}");
}

/// The French human output on the bundled examples, reviewed as a whole.
#[test]
fn french_output_on_the_examples() {
    insta::assert_snapshot!("examples_fr", check(&["check", "examples/", "--lang", "fr"], "C"));
}

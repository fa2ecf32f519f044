//! Concept guides: every guide exists in English and French with the same sections and the same
//! examples, `explain` picks the language from `--lang` or the locale, and the guides' YAML
//! examples behave as the guides say.

mod common;

use kubeadvise::explain::{CONCEPTS, Lang, explain_concept};

fn headings(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("## ")).collect()
}

fn yaml_blocks(text: &str) -> Vec<String> {
    text.split("```yaml\n").skip(1).filter_map(|b| b.split("\n```").next()).map(str::to_string).collect()
}

#[test]
fn every_guide_exists_in_both_languages_with_the_same_shape() {
    assert_eq!(CONCEPTS.len(), 6);
    for c in CONCEPTS {
        assert!(c.en.starts_with("# ") && c.fr.starts_with("# "), "{}: title", c.id);
        assert_eq!(headings(c.en).len(), headings(c.fr).len(), "{}: same number of sections", c.id);
        assert_eq!(c.en.matches("```").count(), c.fr.matches("```").count(), "{}: same code blocks", c.id);
        assert_eq!(c.en.matches("\n|").count(), c.fr.matches("\n|").count(), "{}: same tables", c.id);
        assert_eq!(yaml_blocks(c.en).len(), yaml_blocks(c.fr).len(), "{}", c.id);
        assert_ne!(c.en, c.fr, "{}: the French guide is translated", c.id);
        assert!(c.fr.contains("Voir aussi"), "{}: French guide", c.id);
    }
}

#[test]
fn guide_examples_behave_as_described() {
    let pod = CONCEPTS.iter().find(|c| c.id == "pod").unwrap();
    let linted = common::lint_str("pod.yaml", &yaml_blocks(pod.en)[0], None);
    assert_eq!(linted.lines_of("ctrl-bare-pod").len(), 1, "the Pod guide shows a bare Pod");
    let dep = CONCEPTS.iter().find(|c| c.id == "deployment").unwrap();
    let linted = common::lint_str("deployment.yaml", &yaml_blocks(dep.en)[0], Some(&["ctrl", "state", "rollout"]));
    assert!(linted.diagnostics.is_empty(), "{}", linted.render());
}

#[test]
fn explain_uses_the_chosen_language() {
    let run = |args: &[&str], lang: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
            .args(args)
            .env("LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run(&["explain", "statefulset"], "fr_FR.UTF-8").contains("pizzas personnalisées"));
    assert!(run(&["explain", "statefulset"], "C.UTF-8").contains("Personalised pizzas"));
    assert!(run(&["explain", "statefulset", "--lang", "en"], "fr_FR.UTF-8").contains("Personalised pizzas"));
    assert!(run(&["explain", "pod-vs-deployment", "--lang", "fr"], "C").starts_with("# Pod ou Deployment ?"));
    let rule = run(&["explain", "ctrl-bare-pod", "--lang", "fr"], "C");
    assert!(rule.contains("qu'en anglais") && rule.contains("## What it does"));
    assert_eq!(explain_concept(&CONCEPTS[0], Lang::En), format!("{}\n", CONCEPTS[0].en.trim_end()));
}

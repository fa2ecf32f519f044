//! Concept guides: every guide exists in English and French with the same sections and the same
//! examples, `explain` picks the language from `--lang` or the locale, and the guides' YAML
//! examples behave as the guides say. French rule pages (`rules/fr/<id>.md`): each names a rule,
//! has the French counterparts of the English page's sections in the same order, and the same YAML
//! blocks byte for byte.

mod common;

use kubeadvise::explain::{CONCEPTS, FR_PAGES, Lang, explain_concept, explain_rule, fr_page};
use kubeadvise::rules::{self, Family, RuleMeta, Scope};

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
    assert!(rule.starts_with("ctrl-bare-pod\n=============\nFamille : Contrôleurs · Sévérité par défaut : "), "{rule}");
    assert!(rule.contains("## Ce que fait la règle") && !rule.contains("qu'en anglais"), "{rule}");
    let rule = run(&["explain", "ctrl-bare-pod"], "fr_FR.UTF-8");
    assert!(rule.contains("## Ce que fait la règle"), "{rule}");
    let rule = run(&["explain", "ctrl-bare-pod", "--lang", "en"], "fr_FR.UTF-8");
    assert!(rule.contains("Family: Controllers") && rule.contains("## What it does"), "{rule}");
    assert_eq!(explain_concept(&CONCEPTS[0], Lang::En), format!("{}\n", CONCEPTS[0].en.trim_end()));
}

/// French section headings for the English ones; a new English heading needs a line here.
const FR_HEADINGS: &[(&str, &str)] = &[
    ("## What it does", "## Ce que fait la règle"),
    ("## Why is this bad?", "## Pourquoi est-ce un problème ?"),
    ("## Example", "## Exemple"),
    ("## Use instead", "## À utiliser à la place"),
    ("## References", "## Références"),
    ("## Configuration", "## Configuration"),
    ("## Options", "## Options"),
    ("## Notes", "## Remarques"),
    ("## Note", "## Remarque"),
    ("## Known limitations", "## Limites connues"),
    ("## Limitations", "## Limites"),
];

fn fenced_languages(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("```")).step_by(2).map(|l| l.trim_start_matches('`')).collect()
}

fn links(text: &str) -> std::collections::BTreeSet<&str> {
    text.split("https://")
        .skip(1)
        .map(|rest| &rest[..rest.find(|c: char| c == ')' || c == '>' || c.is_whitespace()).unwrap_or(rest.len())])
        .collect()
}

/// Relative Markdown links (`](target)` not starting with `http`): (file, anchor).
fn relative_links(text: &str) -> Vec<(&str, Option<&str>)> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|t| !t.starts_with("http") && !t.starts_with('#'))
        .map(|t| match t.split_once('#') {
            Some((file, anchor)) => (file, Some(anchor)),
            None => (t, None),
        })
        .collect()
}

/// GitHub's anchor for a heading: lowercase, spaces to `-`, other punctuation dropped.
fn anchor_of(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Problems of one French page against the English one (empty: well-formed).
fn fr_page_problems(id: &str, en: &str, fr: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if en.lines().next() != fr.lines().next() {
        problems.push(format!("{id}: the title line must be the English one (`# {id}`)"));
    }
    let expected: Vec<String> = headings(en)
        .into_iter()
        .map(|h| match FR_HEADINGS.iter().find(|(e, _)| *e == h) {
            Some((_, f)) => f.to_string(),
            None => format!("<no French heading for `{h}`: add it to FR_HEADINGS>"),
        })
        .collect();
    let found: Vec<&str> = headings(fr);
    if found != expected {
        problems.push(format!("{id}: sections {found:?}, expected {expected:?}"));
    }
    if yaml_blocks(en) != yaml_blocks(fr) {
        problems.push(format!("{id}: the ```yaml blocks must be byte-identical to the English page's"));
    }
    if fenced_languages(en) != fenced_languages(fr) {
        problems.push(format!("{id}: code blocks {:?}, English {:?}", fenced_languages(fr), fenced_languages(en)));
    }
    if links(en) != links(fr) {
        problems.push(format!("{id}: links {:?}, English {:?}", links(fr), links(en)));
    }
    if en.trim_end() == fr.trim_end() {
        problems.push(format!("{id}: not translated"));
    }
    // From rules/fr/: another rule's page resolves to its French page, `../` reaches rules/.
    let dir = common::repo_root().join("rules/fr");
    for (target, anchor) in relative_links(fr) {
        let path = dir.join(target);
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{id}: relative link `{target}` does not resolve from rules/fr/"));
            continue;
        };
        if let Some(anchor) = anchor
            && !text.lines().filter(|l| l.starts_with('#')).any(|h| anchor_of(h) == anchor)
        {
            problems.push(format!("{id}: no heading `#{anchor}` in `{target}` (from rules/fr/)"));
        }
    }
    problems
}

#[test]
fn french_rule_pages_match_the_english_ones() {
    let metas = rules::all_metas();
    let mut problems = Vec::new();
    assert!(FR_PAGES.windows(2).all(|w| w[0].0 < w[1].0), "FR_PAGES sorted by id");
    for (id, fr) in FR_PAGES {
        match metas.iter().find(|m| m.id == *id) {
            None => problems.push(format!("rules/fr/{id}.md: no rule `{id}`")),
            Some(meta) => problems.extend(fr_page_problems(id, meta.docs, fr)),
        }
    }
    let missing: Vec<&str> = metas.iter().map(|m| m.id).filter(|id| fr_page(id).is_none()).collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{} rule(s) without a French page (rules/fr/<id>.md): {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn french_page_checks_catch_mistakes() {
    let en = "# r\n\n## What it does\nFlags.\n\n## Example\n```yaml\na: 1 # one\n```\n\n## References\n- [x](https://k8s.io/a)\n";
    let fr = "# r\n\n## Ce que fait la règle\nSignale.\n\n## Exemple\n```yaml\na: 1 # one\n```\n\n## Références\n- [x](https://k8s.io/a)\n";
    assert_eq!(fr_page_problems("r", en, fr), Vec::<String>::new());
    assert_eq!(fr_page_problems("r", en, &fr.replace("# one", "# un")).len(), 1, "translated YAML comment");
    assert_eq!(fr_page_problems("r", en, &fr.replace("## Exemple", "## Example")).len(), 1, "English heading");
    assert_eq!(fr_page_problems("r", en, &fr.replace("k8s.io/a", "k8s.io/fr/a")).len(), 1, "changed link");
    assert_eq!(fr_page_problems("r", en, en).len(), 2, "untranslated");
    let linked = fr.replace("Signale.", "Voir [a](ctrl-bare-pod.md) et [b](../README.md#the-stateful-image-detector).");
    assert_eq!(fr_page_problems("r", en, &linked), Vec::<String>::new());
    let broken = fr.replace("Signale.", "Voir [a](no-such-rule.md) et [b](README.md#the-stateful-image-detector).");
    assert_eq!(fr_page_problems("r", en, &broken).len(), 2, "links not resolved from rules/fr/: {broken}");
}

#[test]
fn a_rule_without_a_french_page_falls_back_to_english() {
    static META: RuleMeta = RuleMeta {
        id: "no-french-page",
        family: Family::Controllers,
        severity: kubeadvise::diagnostic::Severity::Warning,
        scope: Scope::Kinds(&["Pod"]),
        summary: "s",
        why: "w",
        why_fr: "",
        docs: "# no-french-page\n\n## What it does\nFlags.\n",
        default_enabled: true,
        supersedes: &[],
    };
    let text = explain_rule(&META, Lang::Fr);
    assert!(
        text.starts_with("(Cette page de règle n'existe pour l'instant qu'en anglais.)\n\nno-french-page\n"),
        "{text}"
    );
    assert!(text.contains("Family: Controllers") && text.contains("## What it does"), "{text}");
    assert_eq!(explain_rule(&META, Lang::En), kubeadvise::explain::explain(&META));
}

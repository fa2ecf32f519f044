//! `kubeadvise explain <topic>`: a rule's page with a header, or a concept guide (Pod,
//! Deployment, StatefulSet… with the blog and pizzeria examples) in English or French (rule pages
//! in French from `rules/fr/`, embedded by build.rs); and
//! `kubeadvise rules` (the table of every rule, as text or JSON).

use crate::rules::{self, RuleMeta};

/// Languages of the guides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// From the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`): French for `fr*`, else English.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("fr") { Lang::Fr } else { Lang::En }
    }
}

/// A concept guide, embedded in both languages.
pub struct Concept {
    pub id: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
}

macro_rules! concept {
    ($id:literal) => {
        Concept {
            id: $id,
            en: include_str!(concat!("../docs/concepts/", $id, ".md")),
            fr: include_str!(concat!("../docs/concepts/", $id, ".fr.md")),
        }
    };
}

/// Every concept guide (`kubeadvise explain <id>`).
pub static CONCEPTS: &[Concept] = &[
    concept!("pod"),
    concept!("replicaset"),
    concept!("deployment"),
    concept!("statefulset"),
    concept!("pod-vs-deployment"),
    concept!("deployment-vs-statefulset"),
];

pub fn concept(id: &str) -> Option<&'static Concept> {
    CONCEPTS.iter().find(|c| c.id == id)
}

/// A concept guide in the chosen language.
pub fn explain_concept(concept: &Concept, lang: Lang) -> String {
    let text = match lang {
        Lang::En => concept.en,
        Lang::Fr => concept.fr,
    };
    format!("{}\n", text.trim_end())
}

// `static FR_PAGES: &[(&str, &str)]`: every `rules/fr/<id>.md`, sorted by id (see build.rs).
include!(concat!(env!("OUT_DIR"), "/fr_pages.rs"));

/// The French page of a rule (`rules/fr/<id>.md`), if it has been translated.
pub fn fr_page(id: &str) -> Option<&'static str> {
    FR_PAGES.binary_search_by(|(k, _)| (*k).cmp(id)).ok().map(|i| FR_PAGES[i].1)
}

/// The page of a rule with a header naming its family, default severity and scope, in the chosen
/// language. A rule without a French page is shown in English, with a note saying so.
pub fn explain_rule(meta: &RuleMeta, lang: Lang) -> String {
    match (lang, fr_page(meta.id)) {
        (Lang::En, _) => explain(meta),
        (Lang::Fr, Some(page)) => explain_fr(meta, page),
        (Lang::Fr, None) => {
            let mut out = explain(meta);
            out.insert_str(0, "(Cette page de règle n'existe pour l'instant qu'en anglais.)\n\n");
            out
        }
    }
}

/// The French page of a rule with its header (family, default severity, scope).
fn explain_fr(meta: &RuleMeta, page: &str) -> String {
    let mut out = format!(
        "{id}\n{rule}\nFamille : {family} · Sévérité par défaut : {severity} · S'applique à : {scope}\n\n",
        id = meta.id,
        rule = "=".repeat(meta.id.len()),
        family = family_title_fr(meta.family),
        severity = meta.severity,
        scope = scope_fr(&meta.scope),
    );
    out.push_str(page.trim_end());
    out.push('\n');
    out
}

/// A family's title in French.
pub fn family_title_fr(family: rules::Family) -> &'static str {
    use rules::Family;
    match family {
        Family::Input => "Entrée",
        Family::Controllers => "Contrôleurs",
        Family::StatefulVsStateless => "Avec ou sans état (stateful vs stateless)",
        Family::StatefulSets => "Validité des StatefulSets",
        Family::RolloutAndAvailability => "Sûreté des déploiements et disponibilité",
        Family::CrossResource => "Cohérence entre ressources",
        Family::ApiValidation => "Erreurs de l'API à l'application",
        Family::ApiVersions => "Versions d'API",
    }
}

/// What a rule looks at, in French (kinds keep their Kubernetes names).
fn scope_fr(scope: &rules::Scope) -> String {
    match scope {
        rules::Scope::File => "fichier".to_string(),
        rules::Scope::Kinds(kinds) => kinds.join(", "),
        rules::Scope::All => "tous les kinds".to_string(),
    }
}

/// The page of a rule with a header naming its family, default severity and scope.
pub fn explain(meta: &RuleMeta) -> String {
    let mut out = format!(
        "{id}\n{rule}\nFamily: {family} · Default severity: {severity} · Applies to: {scope}\n\n",
        id = meta.id,
        rule = "=".repeat(meta.id.len()),
        family = meta.family.title(),
        severity = meta.severity,
        scope = meta.scope.describe(),
    );
    out.push_str(meta.docs.trim_end());
    out.push('\n');
    out
}

#[derive(serde::Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    family: rules::Family,
    severity: &'a str,
    scope: String,
    summary: &'a str,
    url: String,
}

/// Every rule as a JSON array.
pub fn rules_json() -> String {
    let rows: Vec<RuleRow<'_>> = rules::all_metas()
        .into_iter()
        .map(|m| RuleRow {
            id: m.id,
            family: m.family,
            severity: m.severity.as_str(),
            scope: m.scope.describe(),
            summary: m.summary,
            url: crate::diagnostic::docs_url(m.id),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).expect("rule rows serialise to JSON");
    text.push('\n');
    text
}

/// Every rule as an aligned text table.
pub fn rules_table() -> String {
    let metas = rules::all_metas();
    let width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:8}  {}\n", "RULE", "SEVERITY", "SUMMARY");
    for m in metas {
        out.push_str(&format!("{:width$}  {:8}  {}\n", m.id, m.severity.as_str(), m.summary));
    }
    out
}

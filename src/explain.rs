//! `kubeadvise explain <rule-id>` (the rule's page with a header) and `kubeadvise rules` (the
//! table of every rule, as text or JSON).

use crate::rules::{self, RuleMeta};

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

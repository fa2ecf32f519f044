//! The `gitlab` format: a GitLab Code Quality report (the Code Climate issue subset GitLab reads:
//! description, check_name, fingerprint, severity, location.path and lines). Fingerprints are
//! stable across runs and do not depend on line numbers (see `fingerprint.rs`).

use serde::Serialize;

use super::Report;
use super::fingerprint::fingerprints;
use super::place::{self, Columns};
use crate::diagnostic::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content<'a>>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Serialize)]
struct Content<'a> {
    body: &'a str,
}

pub fn render(report: &Report<'_>) -> String {
    let issues: Vec<Issue<'_>> = report
        .diagnostics
        .iter()
        .zip(fingerprints(report))
        .map(|(d, fingerprint)| {
            let source = report.source(d.file);
            let lines = place::region(&source, d, Columns::Chars)
                .map_or(Lines { begin: 1, end: 1 }, |r| Lines { begin: r.start_line, end: r.end_line });
            Issue {
                kind: "issue",
                description: place::sentence(d),
                check_name: d.rule,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "info",
                },
                categories: ["Bug Risk"],
                location: Location { path: place::relative_path(&source.name), lines },
                content: d.why.as_deref().map(|body| Content { body }),
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("Code Quality issues serialise to JSON");
    text.push('\n');
    text
}

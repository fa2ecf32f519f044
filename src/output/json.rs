//! The JSON format: a public, versioned contract (`"version": 1`, documented in the README).
//! Lines and columns are 1-based, columns count characters, `end_*` is exclusive.

use std::io::Write;

use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::ObjectRef;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'r, 'a> {
    version: u32,
    diagnostics: Diagnostics<'r, 'a>,
    summary: Summary,
}

/// The report's findings, each turned into a `JsonDiagnostic` as it is written.
struct Diagnostics<'r, 'a>(&'r Report<'a>);

impl Serialize for Diagnostics<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.diagnostics.iter().map(|d| {
            let source = report.source(d.file);
            let start = d.span.map(|s| source.position(s.start()));
            let end = d.span.map(|s| source.end_position(s));
            JsonDiagnostic {
                rule: d.rule,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                url: Some(d.url()),
                file: &report.files[d.file].source.name,
                line: start.map(|p| p.line),
                column: start.map(|p| p.column),
                end_line: end.map(|p| p.line),
                end_column: end.map(|p| p.column),
                object: d.object.as_ref(),
            }
        }))
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    url: Option<String>,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    object: Option<&'a ObjectRef>,
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Write the report to `out` as it is serialised: a 50k-document run's report is tens of
/// megabytes, never held whole.
pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let output = Output { version: VERSION, diagnostics: Diagnostics(report), summary: report.summary() };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &output)?;
    out.write_all(b"\n")?;
    out.flush()
}

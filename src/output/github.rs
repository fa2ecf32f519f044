//! The `github` format: GitHub Actions workflow commands (`::error file=…,line=…::message`), which
//! the runner turns into annotations on the pull request. Escaped as the runner parses them:
//! `%`, CR and LF in the message; those and `:` and `,` in property values.

use super::Report;
use super::place::{self, Columns};
use crate::diagnostic::Severity;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        let source = report.source(d.file);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = vec![("file", place::relative_path(&source.name))];
        if let Some(r) = place::region(&source, d, Columns::Utf16) {
            properties.push(("line", r.start_line.to_string()));
            properties.push(("endLine", r.end_line.to_string()));
            // GitHub accepts columns only on a single-line annotation.
            if r.start_line == r.end_line {
                properties.push(("col", r.start_column.to_string()));
                properties.push(("endColumn", r.end_column.max(r.start_column).to_string()));
            }
        }
        properties.push(("title", d.rule.to_string()));
        let properties: Vec<String> = properties.iter().map(|(k, v)| format!("{k}={}", escape_property(v))).collect();
        out.push_str(&format!("::{command} {}::{}\n", properties.join(","), escape_data(&place::sentence(d))));
    }
    let s = report.summary();
    let n = |count: usize, word: &str| if count == 1 { format!("1 {word}") } else { format!("{count} {word}s") };
    out.push_str(&format!(
        "kubeadvise: {}, {}, {} info in {}; {} checked\n",
        n(s.errors, "error"),
        n(s.warnings, "warning"),
        s.infos,
        n(s.files, "file"),
        n(s.objects, "object")
    ));
    out
}

/// Escape a command's message (`escapeData` in the Actions toolkit).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a command property value (`escapeProperty` in the Actions toolkit).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("dir:a,b%\n"), "dir%3Aa%2Cb%25%0A");
    }
}

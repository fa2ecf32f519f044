//! The `junit` format: JUnit XML as GitLab and Jenkins read it. One `<testsuite>` per input file;
//! in it one `<testcase>` for the file itself (input problems) and one per object × enabled rule
//! that applies to its kind. A finding is a `<failure>`; a rule suppressed by the object's
//! ignore annotation is `<skipped>`. No timestamps or durations, so the output is the same on every run.

use super::Report;
use super::place::{self, Columns};
use super::xml;
use crate::diagnostic::Diagnostic;
use crate::k8s::{Object, objects_of};
use crate::rules::RuleMeta;
use crate::rules::context::IGNORE_ANNOTATION;
use crate::source::SourceFile;

/// What the JUnit emitter needs besides the report: the rules that ran, so passing test cases
/// can be listed too.
pub struct JunitOptions<'a> {
    pub rules: &'a [&'static RuleMeta],
}

enum Outcome<'a> {
    Passed,
    Skipped,
    Failed(Vec<&'a Diagnostic>),
}

struct Case<'a> {
    name: String,
    line: Option<usize>,
    outcome: Outcome<'a>,
}

pub fn render(report: &Report<'_>, options: &JunitOptions<'_>) -> String {
    let mut suites = Vec::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for (index, file) in report.files.iter().enumerate() {
        let path = place::relative_path(&file.source.name);
        let cases = cases(report, index, options);
        let failed = cases.iter().filter(|c| matches!(c.outcome, Outcome::Failed(_))).count();
        let skips = cases.iter().filter(|c| matches!(c.outcome, Outcome::Skipped)).count();
        tests += cases.len();
        failures += failed;
        skipped += skips;
        let mut suite = format!(
            "  <testsuite name=\"{p}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skips}\" time=\"0\">\n",
            cases.len(),
            p = xml::attr(&path)
        );
        for case in &cases {
            suite.push_str(&render_case(case, &path, &file.source));
        }
        suite.push_str("  </testsuite>\n");
        suites.push(suite);
    }
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeadvise\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">\n"
    );
    out.extend(suites);
    out.push_str("</testsuites>\n");
    out
}

/// The test cases of one file: the file itself, then each object × applicable enabled rule.
fn cases<'a>(report: &Report<'a>, index: usize, options: &JunitOptions<'_>) -> Vec<Case<'a>> {
    let file = &report.files[index];
    let in_file: Vec<&'a Diagnostic> = report.diagnostics.iter().filter(|d| d.file == index).collect();
    let objects: Vec<Object<'_>> = file.documents.iter().flat_map(|doc| objects_of(index, &doc.root).0).collect();
    let mut claimed = vec![false; in_file.len()];
    let mut object_cases = Vec::new();
    for object in &objects {
        let who = object_name(object);
        let line = Some(file.source.position(object.kind_span().start).line);
        for meta in options.rules.iter().filter(|m| m.scope.applies_to(object.kind)) {
            let mut found: Vec<&'a Diagnostic> = Vec::new();
            for (i, d) in in_file.iter().enumerate() {
                let inside =
                    d.span.is_some_and(|s| s.start >= object.root.span.start && s.start < object.root.span.end);
                if !claimed[i] && d.rule == meta.id && d.object.is_some() && inside {
                    claimed[i] = true;
                    found.push(d);
                }
            }
            let outcome = if !found.is_empty() {
                Outcome::Failed(found)
            } else if suppressed(object, meta.id) {
                Outcome::Skipped
            } else {
                Outcome::Passed
            };
            object_cases.push(Case { name: format!("{}: {who}", meta.id), line, outcome });
        }
    }
    // Input problems, and anything not tied to one object, belong to the file's own case.
    let rest: Vec<&'a Diagnostic> = in_file.iter().zip(&claimed).filter(|(_, c)| !**c).map(|(d, _)| *d).collect();
    let file_case = Case {
        name: "input".to_string(),
        line: None,
        outcome: if rest.is_empty() { Outcome::Passed } else { Outcome::Failed(rest) },
    };
    std::iter::once(file_case).chain(object_cases).collect()
}

/// Whether the object's own ignore annotation (on it or its pod template) names `rule`. Per
/// container and config suppressions are not told apart from a pass here.
fn suppressed(object: &Object<'_>, rule: &str) -> bool {
    let names = |value: Option<&str>| value.is_some_and(|v| v.split(',').any(|id| id.trim() == rule));
    names(object.annotation(IGNORE_ANNOTATION))
        || object.pod_template().is_some_and(|t| names(t.annotation(IGNORE_ANNOTATION)))
}

/// `Kind/namespace/name`, `Kind/name` without a namespace, `Kind (unnamed)` without a name.
fn object_name(object: &Object<'_>) -> String {
    match (object.namespace(), object.name()) {
        (Some(ns), Some(name)) => format!("{}/{ns}/{name}", object.kind),
        (None, Some(name)) => format!("{}/{name}", object.kind),
        _ => format!("{} (unnamed)", object.kind),
    }
}

fn render_case(case: &Case<'_>, path: &str, source: &SourceFile) -> String {
    let line = match (&case.outcome, case.line) {
        (Outcome::Failed(found), _) => {
            found.first().and_then(|d| place::region(source, d, Columns::Chars)).map(|r| r.start_line)
        }
        (_, line) => line,
    };
    let line = line.map_or(String::new(), |l| format!(" line=\"{l}\""));
    let head = format!(
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line}",
        xml::attr(&case.name),
        xml::attr(path),
        xml::attr(path)
    );
    match &case.outcome {
        Outcome::Passed => format!("{head}/>\n"),
        Outcome::Skipped => format!(
            "{head}>\n      <skipped message=\"suppressed by the kubeadvise.io/ignore annotation\"/>\n    </testcase>\n"
        ),
        Outcome::Failed(found) => {
            let first = found[0];
            let details: Vec<String> = found.iter().map(|d| detail(d, path, source)).collect();
            format!(
                "{head}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                xml::attr(&place::sentence(first)),
                first.severity,
                xml::text(&details.join("\n"))
            )
        }
    }
}

/// One finding as plain text: `path:line:column: severity[rule] message`, help, why and link.
fn detail(d: &Diagnostic, path: &str, source: &SourceFile) -> String {
    let at = match place::region(source, d, Columns::Chars) {
        Some(r) => format!("{path}:{}:{}", r.start_line, r.start_column),
        None => path.to_string(),
    };
    let mut text = format!("{at}: {}[{}] {}", d.severity, d.rule, d.message);
    for (prefix, value) in [("help", &d.help), ("why", &d.why), ("see", &d.url)] {
        if let Some(value) = value {
            text.push_str(&format!("\n  {prefix}: {value}"));
        }
    }
    text
}

//! The `junit` format: JUnit XML as GitLab and Jenkins read it. One `<testsuite>` per input file;
//! in it one `<testcase>` for the file itself (input problems) and one per object × enabled rule
//! that applies to its kind. A finding is a `<failure>`; a rule the object's ignore annotation or
//! a config suppression turns off for it is `<skipped>`. No timestamps or durations, so the
//! output is the same on every run.

use std::collections::HashMap;

use super::Report;
use super::place::{self, Columns};
use super::xml;
use crate::diagnostic::Diagnostic;
use crate::k8s::{Object, objects_of};
use crate::rules::RuleMeta;
use crate::rules::context::IGNORE_ANNOTATION;
use crate::source::Source;
use crate::suppress::config_covers;

/// What the JUnit emitter needs besides the report: the rules that ran, so passing test cases
/// can be listed too.
pub struct JunitOptions<'a> {
    pub rules: &'a [&'static RuleMeta],
    /// The config's suppressions, and the namespace of objects that set none, to tell which
    /// test cases they skip.
    pub config_suppressions: &'a [crate::config::ConfigSuppression],
    pub default_namespace: &'a str,
}

enum Outcome<'a> {
    Passed,
    /// Why the case was not run.
    Skipped(&'static str),
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
    for ((index, file), in_file) in report.files.iter().enumerate().zip(place::by_file(report)) {
        let path = place::relative_path(&file.source.name);
        let cases = cases(report, index, in_file, options);
        let failed = cases.iter().filter(|c| matches!(c.outcome, Outcome::Failed(_))).count();
        let skips = cases.iter().filter(|c| matches!(c.outcome, Outcome::Skipped(_))).count();
        tests += cases.len();
        failures += failed;
        skipped += skips;
        let mut suite = format!(
            "  <testsuite name=\"{p}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skips}\" time=\"0\">\n",
            cases.len(),
            p = xml::attr(&path)
        );
        if !cases.is_empty() {
            let source = report.source(index);
            for case in &cases {
                suite.push_str(&render_case(case, &path, &source));
            }
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
fn cases<'a>(
    report: &Report<'a>,
    index: usize,
    in_file: Vec<&'a Diagnostic>,
    options: &JunitOptions<'_>,
) -> Vec<Case<'a>> {
    let file = &report.files[index];
    let objects: Vec<Object<'_>> = file.documents.iter().flat_map(|doc| objects_of(index, &doc.root).0).collect();
    // Each finding about an object goes to the object whose span holds its primary span
    // (objects come in file order); the rest go to the file's own case.
    let starts: Vec<usize> = objects.iter().map(|o| o.root.span.start()).collect();
    let mut by_object: HashMap<(usize, &str), Vec<&'a Diagnostic>> = HashMap::new();
    let mut rest: Vec<&'a Diagnostic> = Vec::new();
    for d in in_file {
        let owner = d.object.as_ref().and(d.span).and_then(|span| {
            let i = starts.partition_point(|s| *s <= span.start()).checked_sub(1)?;
            let root = objects[i].root.span;
            (span.start() < root.end() && options.rules.iter().any(|m| m.id == d.rule)).then_some(i)
        });
        match owner {
            Some(i) => by_object.entry((i, d.rule)).or_default().push(d),
            None => rest.push(d),
        }
    }
    let mut cases = Vec::new();
    // Only a file with objects needs its text (their lines).
    let source = (!objects.is_empty()).then(|| report.source(index));
    for (i, object) in objects.iter().enumerate() {
        let who = object_name(object);
        let line = source.as_ref().map(|source| source.position(object.kind_span().start()).line);
        for meta in options.rules.iter().filter(|m| m.scope.applies_to(object.kind)) {
            let outcome = match by_object.remove(&(i, meta.id)) {
                Some(found) => Outcome::Failed(found),
                None if suppressed(object, meta.id) => {
                    Outcome::Skipped("suppressed by the kubeadvise.io/ignore annotation")
                }
                None if options.config_suppressions.iter().any(|s| {
                    let namespace = object.namespace().unwrap_or(options.default_namespace);
                    config_covers(s, meta.id, object.declared_kind, namespace, object.name())
                }) =>
                {
                    Outcome::Skipped("suppressed by the configuration")
                }
                None => Outcome::Passed,
            };
            cases.push(Case { name: format!("{}: {who}", meta.id), line, outcome });
        }
    }
    // Findings on an object for a rule whose scope does not list its kind stay visible.
    let mut leftover: Vec<&'a Diagnostic> = by_object.into_values().flatten().collect();
    rest.append(&mut leftover);
    rest.sort_by_key(|d| (d.span.map(|s| s.start()), d.rule));
    let file_case = Case {
        name: "input".to_string(),
        line: None,
        outcome: if rest.is_empty() { Outcome::Passed } else { Outcome::Failed(rest) },
    };
    std::iter::once(file_case).chain(cases).collect()
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

fn render_case(case: &Case<'_>, path: &str, source: &Source<'_>) -> String {
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
        Outcome::Skipped(why) => format!("{head}>\n      <skipped message=\"{why}\"/>\n    </testcase>\n"),
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
fn detail(d: &Diagnostic, path: &str, source: &Source<'_>) -> String {
    let at = match place::region(source, d, Columns::Chars) {
        Some(r) => format!("{path}:{}:{}", r.start_line, r.start_column),
        None => path.to_string(),
    };
    let mut text = format!("{at}: {}[{}] {}", d.severity, d.rule, d.message);
    let url = d.url();
    for (prefix, value) in [("help", d.help.as_deref()), ("why", d.why.as_deref()), ("see", Some(url.as_str()))] {
        if let Some(value) = value {
            text.push_str(&format!("\n  {prefix}: {value}"));
        }
    }
    text
}

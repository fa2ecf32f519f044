//! The SARIF 2.1.0 format, as GitHub code scanning ingests it: every documented rule in
//! `tool.driver.rules` (descriptions, the rule page as help, default level), one result per
//! diagnostic with its region (columns in UTF-16 code units, stated in `columnKind`), the object as
//! a logical location, secondary labels as related locations, and a line-independent fingerprint.

use serde::Serialize;

use super::Report;
use super::fingerprint::fingerprints;
use super::place::{self, Columns, Region};
use crate::diagnostic::{Diagnostic, Severity, docs_url};
use crate::rules::{self, RuleMeta};

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key of kubeadvise's own fingerprint (see `fingerprint.rs`).
pub const FINGERPRINT_KEY: &str = "kubeadvise/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactLocation,
    roles: [&'static str; 1],
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Related>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: String,
    kind: &'static str,
    properties: ObjectProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectProperties<'a> {
    api_version: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Related {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "kubeadvise/v1")]
    kubeadvise: String,
}

pub fn render(report: &Report<'_>) -> String {
    let metas = rules::all_metas();
    let fingerprints = fingerprints(report);
    let results = report
        .diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(d, fingerprint)| result(report, d, &metas, fingerprint))
        .collect();
    let artifacts = report
        .files
        .iter()
        .enumerate()
        .map(|(index, f)| Artifact {
            location: ArtifactLocation { uri: place::uri(&f.source.name), index },
            roles: ["analysisTarget"],
        })
        .collect();
    let execution_successful = !report.diagnostics.iter().any(|d| d.rule == rules::input::IO_ERROR.id);
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "kubeadvise",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: metas.iter().map(|m| descriptor(m)).collect(),
                },
            },
            invocations: [Invocation { execution_successful }],
            artifacts,
            results,
            column_kind: "utf16CodeUnits",
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("a SARIF log serialises to JSON");
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(meta: &'static RuleMeta) -> Descriptor {
    Descriptor {
        id: meta.id,
        name: pascal_case(meta.id),
        short_description: Text { text: period(meta.summary) },
        full_description: Text { text: period(meta.why) },
        help: Help { text: meta.docs, markdown: meta.docs },
        help_uri: docs_url(meta.id),
        default_configuration: Configuration { enabled: meta.default_enabled, level: level(meta.severity) },
        properties: RuleProperties {
            tags: vec!["kubernetes", family_tag(meta)],
            precision: "high",
            problem_severity: match meta.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        },
    }
}

fn family_tag(meta: &RuleMeta) -> &'static str {
    use crate::rules::Family;
    match meta.family {
        Family::Input => "input",
        Family::Controllers => "controllers",
        Family::StatefulVsStateless => "stateful-vs-stateless",
        Family::StatefulSets => "statefulsets",
        Family::RolloutAndAvailability => "rollout-and-availability",
        Family::CrossResource => "cross-resource",
        Family::ApiValidation => "api-validation",
        Family::ApiVersions => "api-versions",
    }
}

fn result<'a>(report: &Report<'a>, d: &'a Diagnostic, metas: &[&RuleMeta], fingerprint: String) -> SarifResult<'a> {
    let source = report.source(d.file);
    let artifact = || ArtifactLocation { uri: place::uri(&source.name), index: d.file };
    // A path that could not be read has no span; its first line stands for the whole artifact.
    let whole = Region { start_line: 1, start_column: 1, end_line: 1, end_column: 1 };
    let region = Some(sarif_region(place::region(&source, d, Columns::Utf16).unwrap_or(whole), d.label.as_deref()));
    let logical_locations = d
        .object
        .iter()
        .filter_map(|o| {
            let name = o.name.as_deref()?;
            let fully_qualified_name = match o.namespace.as_deref() {
                Some(ns) => format!("{ns}/{}/{name}", o.kind),
                None => format!("{}/{name}", o.kind),
            };
            Some(LogicalLocation {
                name,
                fully_qualified_name,
                kind: "resource",
                properties: ObjectProperties {
                    api_version: &o.api_version,
                    kind: &o.kind,
                    namespace: o.namespace.as_deref(),
                },
            })
        })
        .collect();
    let related_locations = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| Related {
            id: i + 1,
            physical_location: PhysicalLocation {
                artifact_location: artifact(),
                region: Some(sarif_region(
                    place::span_region(&source, l.span.start(), l.span.end(), Columns::Utf16),
                    None,
                )),
            },
            message: Text { text: l.text.clone() },
        })
        .collect();
    SarifResult {
        rule_id: d.rule,
        rule_index: metas.iter().position(|m| m.id == d.rule),
        level: level(d.severity),
        message: Text { text: place::sentence(d) },
        locations: [Location {
            physical_location: PhysicalLocation { artifact_location: artifact(), region },
            logical_locations,
        }],
        related_locations,
        partial_fingerprints: Fingerprints { kubeadvise: fingerprint },
    }
}

fn sarif_region(r: Region, label: Option<&str>) -> SarifRegion {
    SarifRegion {
        start_line: r.start_line,
        start_column: r.start_column,
        end_line: r.end_line,
        end_column: r.end_column,
        message: label.filter(|l| !l.is_empty()).map(|l| Text { text: l.to_string() }),
    }
}

/// `ctrl-bare-pod` → `CtrlBarePod` (SARIF's `reportingDescriptor.name` is an identifier).
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |c| c.to_ascii_uppercase().to_string() + chars.as_str())
        })
        .collect()
}

fn period(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) { text.to_string() } else { format!("{text}.") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::pascal_case("sts-no-volumeclaimtemplates"), "StsNoVolumeclaimtemplates");
        assert_eq!(super::period("a summary"), "a summary.");
        assert_eq!(super::FINGERPRINT_KEY, "kubeadvise/v1");
    }
}

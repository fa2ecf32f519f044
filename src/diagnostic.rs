//! `Diagnostic`: one finding, filled at run time and stamped by the rule context (id, severity,
//! docs URL, object reference). Emitters in `output/` render it; nothing here knows a format.

use crate::source::Span;
use compact_str::CompactString;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A labelled place in the same file as the diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// The Kubernetes object a finding is about. Each finding holds one: the strings are stored inline
/// up to 24 bytes (most apiVersions, kinds, namespaces and names), without an allocation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: CompactString,
    pub kind: CompactString,
    pub namespace: Option<CompactString>,
    pub name: Option<CompactString>,
}

/// Where a finding is: a file of the run and, when the file could be read, a span in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong; starts with the kind and name, no trailing period.
    pub message: String,
    /// How to fix it; one imperative sentence.
    pub help: Option<String>,
    /// Why it matters, in terms of what Kubernetes does (shown by the human format). Mostly the
    /// rule's own text, borrowed: tens of thousands of findings do not each copy it.
    pub why: Option<std::borrow::Cow<'static, str>>,
    /// Index of the file in the run's file list.
    pub file: usize,
    /// The offending node; `None` when the file could not be read at all.
    pub span: Option<Span>,
    /// Short noun phrase on the primary span.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub object: Option<ObjectRef>,
    /// Span of the whole object the finding is about (to find its annotations again).
    pub object_span: Option<Span>,
}

impl Diagnostic {
    /// The docs page of the finding's rule (`docs_url`), made when shown: tens of thousands of
    /// findings do not each hold a copy.
    pub fn url(&self) -> String {
        docs_url(self.rule)
    }
}

/// The docs page of a rule, derived from the `repository` field of Cargo.toml.
pub fn docs_url(rule: &str) -> String {
    format!("{}/blob/main/rules/{rule}.md", env!("CARGO_PKG_REPOSITORY"))
}

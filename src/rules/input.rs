//! Ids of input problems: files that cannot be read, decoded or parsed, and documents that are not
//! Kubernetes objects. The loader and the runner find these; they are documented and selectable
//! like rules (`rules/<id>.md`, `--select`, `--ignore`), so they have metadata but no `check`.

use super::{Family, RuleMeta, Scope};
use crate::diagnostic::Severity;

macro_rules! input_meta {
    ($name:ident, $id:literal, $severity:ident, $summary:literal, $why:literal) => {
        pub static $name: RuleMeta = RuleMeta {
            id: $id,
            family: Family::Input,
            severity: Severity::$severity,
            scope: Scope::File,
            summary: $summary,
            why: $why,
            docs: include_str!(concat!("../../rules/", $id, ".md")),
            default_enabled: true,
            supersedes: &[],
        };
    };
}

input_meta!(
    IO_ERROR,
    "input-io-error",
    Error,
    "A path cannot be read (missing, permission denied, a loop)",
    "kubeadvise cannot check what it cannot read; the run exits with status 2."
);
input_meta!(
    ENCODING,
    "input-encoding",
    Error,
    "File is not valid UTF-8 (or UTF-16 with a byte-order mark)",
    "kubectl and the API server read manifests as UTF-8; other bytes are rejected or silently mangled."
);
input_meta!(
    BINARY,
    "input-binary",
    Error,
    "File holds NUL bytes: binary, not YAML or JSON",
    "A binary file in a manifest folder is not applied by anyone; it is usually a mistake or an archive."
);
input_meta!(
    HELM_TEMPLATE,
    "input-helm-template",
    Error,
    "Unrendered Helm template syntax (`{{ .Values.x }}`)",
    "Template actions are not YAML: what kubectl would see is only known after `helm template` renders them."
);
input_meta!(
    NOT_KUBERNETES,
    "input-not-kubernetes",
    Warning,
    "Document is not a Kubernetes object (no apiVersion and kind)",
    "Every object kubectl applies needs apiVersion and kind; a document without them is either not a manifest or is rejected."
);
input_meta!(
    EMPTY,
    "input-empty",
    Info,
    "File holds no YAML document (empty, or only comments)",
    "Nothing in the file is applied; an empty manifest is usually a leftover or a rendering that produced nothing."
);
input_meta!(
    MISSING_TYPE,
    "input-missing-type",
    Error,
    "Object lacks apiVersion or kind, or they are not strings",
    "The API server cannot route an object without both apiVersion and kind as strings; kubectl rejects it."
);
input_meta!(
    YAML_SYNTAX,
    "yaml-syntax",
    Error,
    "Invalid YAML",
    "kubectl cannot parse the document, so nothing in it is applied."
);
input_meta!(
    YAML_DUPLICATE_KEY,
    "yaml-duplicate-key",
    Error,
    "The same key twice in one mapping",
    "The API server rejects duplicate fields (strict decoding), and tools that accept them disagree on which value wins."
);
input_meta!(
    YAML_ALIAS_LIMIT,
    "yaml-alias-limit",
    Error,
    "Aliases expand past the safety budget (an alias bomb)",
    "A few lines of nested aliases can expand to billions of nodes and exhaust the memory of every tool that reads them."
);
input_meta!(
    YAML_NESTING_LIMIT,
    "yaml-nesting-limit",
    Error,
    "Nesting deeper than any Kubernetes object",
    "Extreme nesting is a generated or hostile file; reading it fully risks stack overflows in the tools that process it."
);

pub static METAS: &[&RuleMeta] = &[
    &IO_ERROR,
    &ENCODING,
    &BINARY,
    &HELM_TEMPLATE,
    &NOT_KUBERNETES,
    &EMPTY,
    &MISSING_TYPE,
    &YAML_SYNTAX,
    &YAML_DUPLICATE_KEY,
    &YAML_ALIAS_LIMIT,
    &YAML_NESTING_LIMIT,
];

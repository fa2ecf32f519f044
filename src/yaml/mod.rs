//! The YAML layer: turns a `SourceFile` into spanned documents plus per-file problems. The choice
//! of parser stays inside this module (a line-based fast path for the block subset manifests use,
//! `fast.rs`, and granit-parser, an event parser with byte spans and error recovery, for anything
//! else); everything above it sees only `Node` trees.

mod fast;
pub(crate) mod loader;
pub mod node;
pub mod scalar;

pub use loader::{ALIAS_NODE_BUDGET, MAX_DEPTH, MAX_SOURCE_DEPTH};
pub use node::{Entry, Node, Value};

use crate::source::{Source, SourceFile, Span};

/// Ids of the problems this layer reports (documented like rules, in `rules/<id>.md`).
pub mod codes {
    pub const YAML_SYNTAX: &str = "yaml-syntax";
    pub const YAML_DUPLICATE_KEY: &str = "yaml-duplicate-key";
    pub const YAML_ALIAS_LIMIT: &str = "yaml-alias-limit";
    pub const YAML_NESTING_LIMIT: &str = "yaml-nesting-limit";
    pub const INPUT_HELM_TEMPLATE: &str = "input-helm-template";
    pub const YAML_CUSTOM_TAG: &str = "yaml-custom-tag";
}

/// One non-empty YAML document of a file.
#[derive(Debug, PartialEq)]
pub struct Document {
    pub root: Node,
    /// 0-based position of the document in its file's stream (empty documents count).
    pub index: usize,
    /// Non-core tags written in it (`!!python/object`), in source order: each is reported.
    pub custom_tags: Vec<node::CustomTag>,
    /// Whether an alias was expanded in it: then a node's subtree may hold more than the source
    /// text under its span.
    pub aliased: bool,
    /// Whether a mapping in it repeats a scalar key (each repeat is a `yaml-duplicate-key`
    /// problem): then a key's last value is the one JSON and the API server read.
    pub repeats_keys: bool,
}

/// A problem found while reading a file: becomes a file-level diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<(Span, String)>,
}

impl Problem {
    pub fn new(code: &'static str, span: Span, message: String) -> Self {
        Problem { code, span, message, help: None, labels: Vec::new() }
    }

    pub fn help(mut self, help: &str) -> Self {
        self.help = Some(help.to_string());
        self
    }

    pub fn label(mut self, span: Span, text: &str) -> Self {
        self.labels.push((span, text.to_string()));
        self
    }
}

/// Load every document of a file. Documents that hold unrendered Helm template syntax are
/// reported and left out; documents after a syntax error still load.
pub fn load(file: &SourceFile) -> (Vec<Document>, Vec<Problem>) {
    let file = file.unpacked();
    let (documents, mut problems) = loader::load_documents(file.text());
    for problem in &mut problems {
        if problem.code == codes::YAML_SYNTAX {
            if let Some(at) = template_action_before(file.text(), problem.span.start()) {
                *problem = helm_problem(&file, at);
            }
        }
    }
    // Both tree walks below are skipped (a fast substring scan) for the files that cannot need them.
    let may_template = file.text().contains("{{");
    let may_tag = file.text().contains('!');
    let mut kept = Vec::with_capacity(documents.len());
    for doc in documents {
        let template = if may_template { find_template_node(&doc.root, file.text()) } else { None };
        match template {
            Some(at) => problems.push(helm_problem(&file, at)),
            None => {
                if may_tag {
                    report_custom_tags(&doc.custom_tags, &mut problems);
                }
                kept.push(doc);
            }
        }
    }
    problems.sort_by_key(|p| p.span.start());
    problems.dedup_by(|a, b| a.code == b.code && a.code == codes::INPUT_HELM_TEMPLATE && a.span == b.span);
    (kept, problems)
}

fn helm_problem(file: &Source<'_>, at: usize) -> Problem {
    let end = file.text()[at..].find("}}").map_or(at + 2, |i| at + i + 2);
    let end = end.min(file.line_end(file.line_index(at)));
    Problem::new(
        codes::INPUT_HELM_TEMPLATE,
        Span::new(at, end.max(at)),
        crate::i18n::t(
            "unrendered template syntax: this is a Helm chart template, not a manifest",
            "syntaxe de template non rendue : c'est un template de chart Helm, pas un manifeste",
        ),
    )
    .help(&crate::i18n::t(
        "Render it with `helm template` first and lint the output, e.g. `helm template ./chart | kubeadvise check -`.",
        "Rendez-le d'abord avec `helm template` et vérifiez le résultat, par exemple `helm template ./chart | kubeadvise check -`.",
    ))
}

/// Custom tags are never constructed (the tree keeps plain data); each is reported.
fn report_custom_tags(tags: &[node::CustomTag], problems: &mut Vec<Problem>) {
    for custom in tags {
        let tag = &custom.tag;
        problems.push(
            Problem::new(
                codes::YAML_CUSTOM_TAG,
                custom.span,
                crate::i18n::t(
                    format!("custom tag `{tag}`: Kubernetes does not interpret it, the value is read as plain data"),
                    format!("tag personnalisé `{tag}` : Kubernetes ne l'interprète pas, la valeur est lue comme une donnée simple"),
                ),
            )
            .help(&crate::i18n::t(
                "Remove the tag; if the file comes from another tool (CloudFormation, Python), render it to plain YAML first.",
                "Supprimez le tag ; si le fichier vient d'un autre outil (CloudFormation, Python), rendez-le d'abord en YAML simple.",
            )),
        );
    }
}

/// Start of a Go-template action (`{{ .Values.x }}`, `{{- if … }}`, `{{ include … }}`) in `s`.
/// Argo Workflows' `{{inputs.parameters.x}}` and Prometheus' `{{ $labels.x }}` do not count.
pub fn template_action(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("{{") {
        let at = from + i;
        let rest = s[at + 2..].trim_start_matches('-').trim_start();
        const WORDS: [&str; 12] = [
            "include ",
            "template ",
            "toYaml ",
            "tpl ",
            "if ",
            "range ",
            "with ",
            "end",
            "define ",
            "else",
            "quote ",
            "default ",
        ];
        if rest.starts_with('.') || rest.starts_with("$.") || WORDS.iter().any(|w| rest.starts_with(w)) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// A template action on a non-comment line at or before the line of `offset` (for syntax errors).
fn template_action_before(text: &str, offset: usize) -> Option<usize> {
    let limit = text[offset.min(text.len())..].find('\n').map_or(text.len(), |i| offset + i);
    let mut line_start = 0;
    for line in text[..limit].split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            if let Some(i) = template_action(line) {
                return Some(line_start + i);
            }
        }
        line_start += line.len();
    }
    None
}

/// A node that only exists because template syntax was read as YAML: a plain scalar holding an
/// action, or a flow mapping written `{{ … }}`.
fn find_template_node(root: &Node, text: &str) -> Option<usize> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Scalar(s) => {
                if s.style == scalar::Style::Plain {
                    if let Some(i) = template_action(&s.text) {
                        let offset = text.get(node.span.range()).and_then(template_action).unwrap_or(i);
                        return Some(node.span.start() + offset.min(node.span.len()));
                    }
                }
            }
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                if text.get(node.span.start()..).is_some_and(|t| t.starts_with("{{")) {
                    return Some(node.span.start());
                }
                for e in entries {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
        }
    }
    None
}

/// Whether the fast path (`fast.rs`) and granit-parser load `text` alike: `Ok(true)` when the fast
/// path took the file and gave the same documents and problems, `Ok(false)` when it left the file
/// to granit, `Err` with the first lines that differ otherwise. For the differential tests.
#[doc(hidden)]
pub fn fast_path_agrees(text: &str) -> Result<bool, String> {
    let Some(fast) = fast::load(text) else { return Ok(false) };
    let slow = loader::load_documents_granit(text);
    if fast == slow {
        return Ok(true);
    }
    let (fast, slow) = (format!("{fast:#?}"), format!("{slow:#?}"));
    let at = fast.lines().zip(slow.lines()).position(|(a, b)| a != b).unwrap_or(0);
    let show = |s: &str| s.lines().skip(at.saturating_sub(8)).take(24).collect::<Vec<_>>().join("\n");
    Err(format!("fast path:\n{}\n\ngranit:\n{}", show(&fast), show(&slow)))
}

/// The line of `yaml/fast.rs` where the fast path last gave up on this thread (0: never).
#[doc(hidden)]
pub fn fast_path_last_bail() -> u32 {
    fast::last_bail()
}

/// The root of the first document of `text` (unit tests).
#[cfg(test)]
pub fn test_node(text: &str) -> Node {
    let (mut docs, _) = load(&crate::source::SourceFile::new("t", text.to_string()));
    docs.remove(0).root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_actions() {
        assert!(template_action("image: {{ .Values.image }}").is_some());
        assert!(template_action("{{- if .Values.enabled }}").is_some());
        assert!(template_action("{{inputs.parameters.message}}").is_none());
        assert!(template_action("{{ $labels.instance }}").is_none());
    }

    #[test]
    fn helm_templates_are_reported_not_linted() {
        let f = SourceFile::new("t.yaml", "kind: Pod\nmetadata:\n  name: {{ .Values.name }}\n".into());
        let (docs, problems) = load(&f);
        assert!(docs.is_empty());
        assert_eq!(problems[0].code, codes::INPUT_HELM_TEMPLATE);
        assert_eq!(f.position(problems[0].span.start()).line, 3);
    }

    #[test]
    fn quoted_templates_of_other_tools_are_fine() {
        let f = SourceFile::new("t.yaml", "kind: ConfigMap\ndata:\n  t: \"{{ .Labels.x }}\"\n".into());
        let (docs, problems) = load(&f);
        assert_eq!(docs.len(), 1);
        assert!(problems.is_empty());
    }
}

//! `RuleContext`: what a rule sees while it runs (the object, the cross-object index, the run's
//! options) and the one way it reports. `report` stamps the rule id, severity, docs URL and object
//! reference, so a rule only says what is wrong and where. Suppression is decided before a rule runs.

use crate::diagnostic::{Diagnostic, Label, ObjectRef, Severity};
use crate::index::Index;
use crate::k8s::Object;
use crate::lint::LoadedFile;
use crate::source::Span;

use super::RuleMeta;

/// Annotation naming the rules to ignore on an object: `"<rule-id>[,<rule-id>…]"`.
pub const IGNORE_ANNOTATION: &str = "kubeadvise.io/ignore";
/// Optional annotation saying why.
pub const IGNORE_REASON_ANNOTATION: &str = "kubeadvise.io/ignore-reason";

/// Options of a lint run that rules may read.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Namespace of objects that do not set one.
    pub default_namespace: String,
    /// The input is the whole set of objects (closed world, `--complete`): a referent missing
    /// from it is missing from the cluster too, so open-world `info` findings become `warning`.
    pub complete: bool,
    /// Custom workload kinds checked as a built-in kind: (API group, kind, built-in kind).
    pub kind_aliases: Vec<(String, String, &'static str)>,
    /// Per-rule options from the config (`rules.options.<rule-id>`).
    pub rule_options: std::collections::BTreeMap<String, serde_json::Value>,
    /// Per-rule severity from the config (`rules.severity.<rule-id>`), replacing the rule's own.
    pub severity: std::collections::BTreeMap<String, Severity>,
    /// Language of the diagnostics' messages, help and why (`--lang`, or the locale).
    pub lang: crate::explain::Lang,
    /// The old version of the manifests (`--base`), for rules that compare with it.
    pub base: Option<std::sync::Arc<crate::base::Base>>,
    /// Target Kubernetes minor version (`--kubernetes-version`, config `kubernetesVersion`): one
    /// of the embedded schema versions, the newest by default.
    pub kubernetes_version: String,
    /// The process lints nothing after this run (the CLI): the schema caches, which other runs of
    /// the same process (tests, a library caller) would reuse, are released once the rules ran.
    pub last_run: bool,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            default_namespace: "default".to_string(),
            complete: false,
            kind_aliases: Vec::new(),
            rule_options: Default::default(),
            severity: Default::default(),
            base: None,
            kubernetes_version: crate::schema::newest().to_string(),
            last_run: false,
            lang: crate::explain::Lang::En,
        }
    }
}

impl LintOptions {
    /// The minor of the target Kubernetes version (`30` for 1.30), for rules whose advice
    /// depends on it; the newest embedded version when the option does not parse.
    pub fn target_minor(&self) -> u32 {
        crate::schema::parse_minor(&self.kubernetes_version)
            .or_else(|| crate::schema::parse_minor(crate::schema::newest()))
            .map_or(u32::MAX, |(_, minor)| minor)
    }
}

/// What a rule reports: where, what, how to fix.
#[derive(Debug, Clone)]
pub struct Violation {
    span: Span,
    label: String,
    message: String,
    help: String,
    why: Option<String>,
    labels: Vec<Label>,
    severity: Option<Severity>,
}

impl Violation {
    /// `span`: the offending node; `label`: a short noun phrase shown on it; `message`: what is
    /// wrong, starting with the kind and name; `help`: one imperative sentence.
    pub fn new(span: Span, label: impl Into<String>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Violation {
            span,
            label: label.into(),
            message: message.into(),
            help: help.into(),
            why: None,
            labels: Vec::new(),
            severity: None,
        }
    }

    /// A second place that explains the first (same file).
    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label { span, text: text.into() });
        self
    }

    /// Severity for this finding when the rule's depends on evidence.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// A more specific "why" than the rule's.
    pub fn why(mut self, why: impl Into<String>) -> Self {
        self.why = Some(why.into());
        self
    }
}

/// The files a rule may name: every file of the run, or (while a file is being loaded and its
/// CustomResourceDefinitions condensed) that one file at its index in the run.
#[derive(Clone, Copy)]
pub enum Files<'r> {
    All(&'r [LoadedFile]),
    One(usize, &'r LoadedFile),
}

impl<'r> Files<'r> {
    pub fn get(&self, index: usize) -> Option<&'r LoadedFile> {
        match *self {
            Files::All(files) => files.get(index),
            Files::One(at, file) => (at == index).then_some(file),
        }
    }
}

pub struct RuleContext<'r, 'a> {
    meta: &'static RuleMeta,
    object: Object<'a>,
    pub index: &'r Index<'a>,
    pub options: &'r LintOptions,
    out: &'r mut Vec<Diagnostic>,
}

impl<'r, 'a> RuleContext<'r, 'a> {
    pub fn new(
        meta: &'static RuleMeta,
        object: Object<'a>,
        index: &'r Index<'a>,
        options: &'r LintOptions,
        out: &'r mut Vec<Diagnostic>,
    ) -> Self {
        RuleContext { meta, object, index, options, out }
    }

    /// Whether diagnostics are written in French (`--lang fr` or a French locale).
    pub fn fr(&self) -> bool {
        self.options.lang == crate::explain::Lang::Fr
    }

    /// The English or the French text, as the run's language asks: `ctx.t(format!(…), format!(…))`.
    pub fn t(&self, en: impl Into<String>, fr: impl Into<String>) -> String {
        if self.fr() { fr.into() } else { en.into() }
    }

    /// Report the shared pod-template checks named `check` (`api-ports`, `api-volume-refs`, ...)
    /// that the API server would reject, each with the error it would return.
    pub fn report_pod_problems(&mut self, check: &str) {
        let display = self.object.display();
        for p in crate::k8s::apivalidation::pod_problems(&self.object, check) {
            let problem = p.problem;
            let message = self.t(
                format!("{display}: {}: the API server rejects it with `{}`", problem.message, p.api_error),
                format!("{display} : {} : l'API server le rejette avec `{}`", problem.message, p.api_error),
            );
            let mut v = Violation::new(problem.span, problem.label, message, problem.help);
            if let Some((span, text)) = problem.related {
                v = v.secondary(span, text);
            }
            self.report(v);
        }
    }

    /// This rule's options from the config, if any.
    pub fn rule_option(&self, key: &str) -> Option<&serde_json::Value> {
        self.options.rule_options.get(self.meta.id)?.get(key)
    }

    /// Severity of a finding that depends on a referent absent from the input: `info` in the
    /// default open world, `warning` with `--complete`.
    pub fn open_world_severity(&self) -> Severity {
        if self.options.complete { Severity::Warning } else { Severity::Info }
    }

    /// `path:line:column` of a node of another object, for messages about two files.
    pub fn location(&self, object: &Object<'_>, span: Span) -> String {
        match self.index.file(object.file) {
            Some(file) => {
                let p = file.source.position(span.start());
                format!("{}:{}:{}", file.source.display_name(), p.line, p.column)
            }
            None => "?".to_string(),
        }
    }

    /// Whether `other` is in the same file as the object being checked, so a secondary label
    /// can point at it; otherwise name its location in the message.
    pub fn same_file(&self, other: &Object<'_>) -> bool {
        other.file == self.object.file
    }

    /// The display name of the file an object comes from.
    pub fn file_name(&self, object: &Object<'_>) -> &str {
        self.index.file(object.file).map_or("", |f| f.source.display_name())
    }

    /// Whether `other` is likely applied together with the object being checked: with
    /// `--complete` every input is; otherwise only the same file or directory (example trees,
    /// overlays and provider variants reuse names for objects never applied together).
    pub fn related(&self, other: &Object<'_>) -> bool {
        self.options.complete || self.same_file(other) || self.index.same_directory(self.object.file, other.file)
    }

    pub fn report(&mut self, v: Violation) {
        self.out.push(Diagnostic {
            rule: self.meta.id,
            severity: v.severity.unwrap_or(self.meta.severity),
            message: v.message,
            help: Some(v.help),
            why: Some(v.why.map_or_else(
                || if self.fr() && !self.meta.why_fr.is_empty() { self.meta.why_fr } else { self.meta.why }.into(),
                std::borrow::Cow::Owned,
            )),
            file: self.object.file,
            span: Some(v.span),
            label: Some(v.label),
            labels: v.labels,
            object: Some(object_ref(&self.object)),
            object_span: Some(self.object.root.span),
        });
    }
}

pub fn object_ref(object: &Object<'_>) -> ObjectRef {
    ObjectRef {
        api_version: object.api_version.into(),
        kind: object.declared_kind.into(),
        namespace: object.namespace().map(Into::into),
        name: object.name().map(Into::into),
    }
}

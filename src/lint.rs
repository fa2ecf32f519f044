//! The lint pass over loaded files: file problems become diagnostics, documents become objects,
//! the cross-object index is built once, then every enabled rule runs on every object in its
//! scope. Output is sorted, so it is the same whatever order work was done in.
//!
//! Large CustomResourceDefinitions are condensed while their file is loaded (`condense`): the
//! rules that read a whole object run on them there, then their schemas give way to a hash, so the
//! trees held for the cross-object pass stay small.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Label};
use crate::index::Index;
use crate::k8s::{KindAlias, Object, objects_of};
use crate::rules::{self, LintOptions, RuleContext, RuleMeta, input};
use crate::source::{SourceFile, Span};
use crate::suppress::Suppressions;
use crate::yaml::{self, Document, Node};

/// One input after reading and parsing.
pub struct LoadedFile {
    pub source: SourceFile,
    pub documents: Vec<Document>,
    /// Problems found while reading it (encoding, syntax, limits…).
    pub problems: Vec<Diagnostic>,
    /// Findings of the whole-tree rules on the objects `condense` condensed, and where those
    /// objects start (their whole-tree rules are not run again).
    pub condensed: Condensed,
    /// Whether an alias was expanded in any of its documents (`yaml::Document::aliased`).
    pub aliased: bool,
    /// Whether any of its documents repeats a key (`yaml::Document::repeats_keys`).
    pub repeats_keys: bool,
}

/// What `condense` did to a file.
#[derive(Default)]
pub struct Condensed {
    pub findings: Vec<Diagnostic>,
    pub objects: Vec<usize>,
}

impl LoadedFile {
    pub fn new(source: SourceFile, documents: Vec<Document>, problems: Vec<Diagnostic>) -> LoadedFile {
        let aliased = documents.iter().any(|d| d.aliased);
        let repeats_keys = documents.iter().any(|d| d.repeats_keys);
        LoadedFile { source, documents, problems, condensed: Condensed::default(), aliased, repeats_keys }
    }
}

/// Rules that read an object's whole tree (schema validation, YAML 1.1 scalars, the object's size,
/// the comparison with `--base`). On a CustomResourceDefinition they run before it is condensed;
/// none of them looks at other objects of the run.
pub const WHOLE_TREE_RULES: &[&str] = &[
    "api-schema-violation",
    "api-unknown-field",
    "api-ambiguous-scalar",
    "api-object-too-large",
    "api-immutable-field-change",
];

/// Rules that validate objects against their schema (built-in or from a CRD of the input): they
/// run in a pass of their own, after which the compiled validators are let go
/// (`tests::schema_rules_are_listed` keeps the list complete).
pub const SCHEMA_RULES: &[&str] =
    &["api-schema-violation", "api-unknown-field", "api-ambiguous-scalar", "api-no-schema"];

/// Run the whole-tree rules on the CustomResourceDefinitions of a freshly loaded file (`index` is
/// its place in the run), then condense their schemas (`schema::condense_crd`). The findings are
/// kept on the file; `lint_with` reports them and skips those rules on these objects. The other
/// rules, and custom resources validated against these CRDs, see the same results as on the
/// full tree (tested on every fixture and the corpus).
pub fn condense(index: usize, file: &mut LoadedFile, selection: &Selection, options: &LintOptions) {
    let mut findings = Vec::new();
    let mut starts = Vec::new();
    {
        let objects: Vec<Object<'_>> = file
            .documents
            .iter()
            .flat_map(|doc| objects_of(index, &doc.root).0)
            .filter(|o| o.is("apiextensions.k8s.io", "CustomResourceDefinition"))
            .collect();
        if objects.is_empty() {
            return;
        }
        let run = Index::new(&objects, rules::Files::One(index, file), &options.default_namespace);
        let whole_tree = enabled_rules(selection, |id| WHOLE_TREE_RULES.contains(&id));
        for object in &objects {
            run_rules(object, &run, &whole_tree, options, &mut findings);
            starts.push(object.root.span.start());
        }
    }
    for doc in &mut file.documents {
        let root = &mut doc.root;
        if starts.contains(&root.span.start()) {
            crate::schema::condense_crd(root);
        } else if let Some(yaml::Value::Seq(items)) = root.get_mut("items").map(|items| &mut items.value) {
            for item in items.iter_mut().filter(|item| starts.contains(&item.span.start())) {
                crate::schema::condense_crd(item);
            }
        }
    }
    file.condensed = Condensed { findings, objects: starts };
}

/// Which rule ids run.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: HashSet<&'static str>,
}

impl Selection {
    /// Every rule that is on by default.
    pub fn all() -> Selection {
        Selection { enabled: rules::all_metas().iter().filter(|m| m.default_enabled).map(|m| m.id).collect() }
    }

    pub fn only(ids: &[&'static str]) -> Selection {
        Selection { enabled: ids.iter().copied().collect() }
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        self.enabled.contains(id)
    }

    pub fn enable(&mut self, id: &'static str) {
        self.enabled.insert(id);
    }

    pub fn disable(&mut self, id: &str) {
        self.enabled.remove(id);
    }
}

/// A file-level diagnostic from rule metadata.
pub fn file_diagnostic(meta: &'static RuleMeta, file: usize, span: Option<Span>, message: String) -> Diagnostic {
    Diagnostic {
        rule: meta.id,
        severity: meta.severity,
        message,
        help: None,
        why: Some(
            if crate::i18n::lang() == crate::explain::Lang::Fr && !meta.why_fr.is_empty() {
                meta.why_fr
            } else {
                meta.why
            }
            .into(),
        ),
        file,
        span,
        label: None,
        labels: Vec::new(),
        object: None,
        object_span: None,
    }
}

/// Parse one source into documents and problems.
pub fn load_file(index: usize, source: SourceFile) -> LoadedFile {
    let (documents, problems) = yaml::load(&source);
    let problems = problems
        .into_iter()
        .map(|p| {
            let meta = rules::meta(p.code).expect("every loader problem code has metadata (tested)");
            let mut d = file_diagnostic(meta, index, Some(p.span), p.message);
            d.help = p.help;
            let (en, fr) = match p.code {
                yaml::codes::YAML_DUPLICATE_KEY => ("set again here", "redéfinie ici"),
                yaml::codes::YAML_ALIAS_LIMIT => ("this alias crosses the budget", "cet alias dépasse le budget"),
                yaml::codes::YAML_NESTING_LIMIT => ("too deep", "trop profond"),
                yaml::codes::YAML_CUSTOM_TAG => ("custom tag", "tag personnalisé"),
                yaml::codes::INPUT_HELM_TEMPLATE => ("template action", "action de template"),
                _ => ("here", "ici"),
            };
            d.label = Some(crate::i18n::t(en, fr));
            d.labels = p.labels.into_iter().map(|(span, text)| Label { span, text }).collect();
            d
        })
        .collect();
    LoadedFile::new(source, documents, problems)
}

/// Decode and parse the bytes of one input; encoding problems become its only diagnostic.
pub fn load_bytes(index: usize, name: &str, bytes: Vec<u8>) -> LoadedFile {
    match crate::source::decode(name, bytes) {
        Ok(source) => load_file(index, source),
        Err(failed) => {
            let (source, error) = *failed;
            let meta = rules::meta(error.code).expect("decode error codes have metadata");
            let mut d = file_diagnostic(meta, index, Some(Span::empty(error.offset)), error.message);
            d.help = Some(if error.code == input::BINARY.id {
                crate::i18n::t(
                    "Leave binary files out of the paths you check.",
                    "Laissez les fichiers binaires hors des chemins que vous vérifiez.",
                )
            } else {
                crate::i18n::t("Save the file as UTF-8.", "Enregistrez le fichier en UTF-8.")
            });
            LoadedFile::new(source, Vec::new(), vec![d])
        }
    }
}

/// Result of a lint run.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub objects: usize,
}

pub fn lint(files: &[LoadedFile], selection: &Selection, options: &LintOptions) -> Outcome {
    lint_with(files, selection, options, &Suppressions { config: &[], config_file: None, strict: false })
}

/// Lint with the config's suppressions.
pub fn lint_with(
    files: &[LoadedFile],
    selection: &Selection,
    options: &LintOptions,
    suppressions: &Suppressions<'_>,
) -> Outcome {
    crate::i18n::set_lang(options.lang);
    let mut diagnostics: Vec<Diagnostic> = files
        .iter()
        .flat_map(|f| f.problems.iter().chain(&f.condensed.findings).cloned())
        .filter(|d| selection.is_enabled(d.rule))
        .collect();
    let mut objects = Vec::new();
    for (i, file) in files.iter().enumerate() {
        if file.documents.is_empty() && file.problems.is_empty() && selection.is_enabled(input::EMPTY.id) {
            let mut d = file_diagnostic(
                &input::EMPTY,
                i,
                Some(Span::empty(0)),
                crate::i18n::t(
                    "file holds no YAML document: nothing in it is checked or applied",
                    "le fichier ne contient aucun document YAML : rien n'y est vérifié ni appliqué",
                ),
            );
            d.help = Some(crate::i18n::t(
                "Delete the file, or find out why the step that rendered it produced nothing.",
                "Supprimez le fichier, ou cherchez pourquoi l'étape qui l'a produit n'a rien rendu.",
            ));
            diagnostics.push(d);
        }
        for doc in &file.documents {
            let (found, not_objects) = objects_of(i, &doc.root);
            let aliases: Vec<KindAlias<'_>> =
                options.kind_aliases.iter().map(|(g, k, b)| (g.as_str(), k.as_str(), *b)).collect();
            objects.extend(found.into_iter().map(|o| o.with_aliases(&aliases)));
            for node in not_objects {
                if let Some(d) = not_an_object(i, node) {
                    if selection.is_enabled(d.rule) {
                        diagnostics.push(d);
                    }
                }
            }
        }
    }
    objects.shrink_to_fit();
    let index = Index::new(&objects, rules::Files::All(files), &options.default_namespace);
    // Two passes over the objects: the schema rules first, then the others. The schema pass
    // takes the objects one apiVersion and kind at a time, and (on the process's last run) lets
    // the compiled validators of a kind go when its objects are done (`schema::scoped`); the
    // caches are emptied before the other rules add their findings.
    let is_schema = |id: &str| SCHEMA_RULES.contains(&id);
    // The whole-tree rules of a condensed CRD ran when its file loaded.
    let schema_rules = enabled_rules(selection, is_schema);
    let schema_rules_condensed = enabled_rules(selection, |id| is_schema(id) && !WHOLE_TREE_RULES.contains(&id));
    let other_rules = enabled_rules(selection, |id| !is_schema(id));
    let other_rules_condensed = enabled_rules(selection, |id| !is_schema(id) && !WHOLE_TREE_RULES.contains(&id));
    let check = |object: &Object<'_>, schema_pass: bool, out: &mut Vec<Diagnostic>| {
        let condensed = files.get(object.file).is_some_and(|f| f.condensed.objects.contains(&object.root.span.start()));
        let rules = match (schema_pass, condensed) {
            (true, false) => &schema_rules,
            (true, true) => &schema_rules_condensed,
            (false, false) => &other_rules,
            (false, true) => &other_rules_condensed,
        };
        run_rules(object, &index, rules, options, out);
    };
    // A kind is taken with all its API versions at once: the versions of a custom resource
    // often share one schema, converted once per scope. Within a kind, objects of one version
    // are together, so each version's validator is compiled once.
    let mut by_kind: Vec<usize> = (0..objects.len()).collect();
    by_kind.sort_by_key(|&i| (objects[i].group(), objects[i].declared_kind, objects[i].api_version));
    // A kind with many objects is split so that both threads work on it (each part compiles its
    // validators at most once).
    const PART: usize = 4096;
    let kinds: Vec<&[usize]> = by_kind
        .chunk_by(|&a, &b| {
            (objects[a].group(), objects[a].declared_kind) == (objects[b].group(), objects[b].declared_kind)
        })
        .flat_map(|kind| kind.chunks(PART))
        .collect();
    // Findings are gathered per kind, then per object; the sort below makes the output
    // independent of the thread count and of scheduling.
    let mut found: Vec<Vec<Diagnostic>> = kinds
        .par_iter()
        .map(|group| {
            let pass = || {
                let mut out = Vec::new();
                for &i in *group {
                    check(&objects[i], true, &mut out);
                }
                out.shrink_to_fit();
                out
            };
            if options.last_run { crate::schema::scoped(pass) } else { pass() }
        })
        .collect();
    if options.last_run {
        crate::schema::release_caches();
    }
    found.par_extend(objects.par_iter().map(|object| {
        let mut out = Vec::new();
        check(object, false, &mut out);
        // Held until every object is checked: no spare capacity (a Vec of one finding reserves
        // four).
        out.shrink_to_fit();
        out
    }));
    diagnostics.reserve_exact(found.iter().map(Vec::len).sum());
    diagnostics.extend(found.into_iter().flatten());
    apply_precedence(&mut diagnostics);
    let mut diagnostics =
        crate::suppress::apply(&objects, diagnostics, selection, suppressions, &options.default_namespace);
    for d in &mut diagnostics {
        if let Some(severity) = options.severity.get(d.rule) {
            d.severity = *severity;
        }
    }
    sort_stable(&mut diagnostics, |a, b| {
        (a.file, a.span.map(|s| s.start()), a.rule, &a.message).cmp(&(
            b.file,
            b.span.map(|s| s.start()),
            b.rule,
            &b.message,
        ))
    });
    Outcome { diagnostics, objects: objects.len() }
}

/// A stable sort that moves each element once, in place: the order is found by sorting indices.
/// `sort_by` on the findings themselves would take a scratch buffer of up to 8 MB (half the
/// findings, or 8 MB of them), at the run's peak of memory.
fn sort_stable<T>(items: &mut [T], compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    // Position `i` takes the element at `order[i]`: follow each cycle of the permutation,
    // swapping the carried element along it; `order[j] = j` marks a position done.
    for start in 0..items.len() {
        let mut j = start;
        while order[j] != start {
            let next = order[j];
            items.swap(j, next);
            order[j] = j;
            j = next;
        }
        order[j] = j;
    }
}

/// The rules `selection` enables that `wanted` accepts, in catalogue order: chosen once per run,
/// not once per object.
fn enabled_rules(selection: &Selection, wanted: impl Fn(&str) -> bool) -> Vec<&'static dyn rules::Rule> {
    rules::RULES.iter().copied().filter(|rule| selection.is_enabled(rule.meta().id) && wanted(rule.meta().id)).collect()
}

/// Run on `object` each of `rules` whose scope takes it.
fn run_rules(
    object: &Object<'_>,
    index: &Index<'_>,
    rules: &[&'static dyn rules::Rule],
    options: &LintOptions,
    out: &mut Vec<Diagnostic>,
) {
    for rule in rules {
        let meta = rule.meta();
        if !meta.scope.applies_to(object.kind) {
            continue;
        }
        let mut ctx = RuleContext::new(meta, *object, index, options, out);
        rule.check(object, &mut ctx);
    }
}

/// Drop a generic finding when a more specific rule reports the same node of the same object.
fn apply_precedence(diagnostics: &mut Vec<Diagnostic>) {
    let specific: Vec<(&'static str, usize, Option<Span>, &'static [&'static str])> = diagnostics
        .iter()
        .filter_map(|d| {
            let meta = rules::meta(d.rule)?;
            (!meta.supersedes.is_empty()).then_some((d.rule, d.file, d.span, meta.supersedes))
        })
        .collect();
    if specific.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !specific
            .iter()
            .any(|(_, file, span, supersedes)| *file == d.file && *span == d.span && supersedes.contains(&d.rule))
    });
}

/// Why a document (or `List` item) is not an object: not a mapping, or no usable apiVersion/kind.
fn not_an_object(file: usize, node: &Node) -> Option<Diagnostic> {
    let (what, what_fr) = match &node.value {
        yaml::Value::Scalar(_) => ("a scalar", "un scalaire"),
        yaml::Value::Seq(_) => ("a sequence", "une séquence"),
        yaml::Value::Map(_) => ("", ""),
    };
    if !what.is_empty() {
        let mut d = file_diagnostic(
            &input::NOT_KUBERNETES,
            file,
            Some(head(node)),
            crate::i18n::t(
                format!("document is {what}, not a Kubernetes object"),
                format!("le document est {what_fr}, pas un objet Kubernetes"),
            ),
        );
        d.help = Some(crate::i18n::t(
            "Lint only Kubernetes manifests: each document must be a mapping with apiVersion and kind.",
            "Ne vérifiez que des manifestes Kubernetes : chaque document doit être un mapping avec apiVersion et kind.",
        ));
        return Some(d);
    }
    let api = node.entry("apiVersion");
    let kind = node.entry("kind");
    if api.is_none() && kind.is_none() {
        let mut d = file_diagnostic(
            &input::NOT_KUBERNETES,
            file,
            Some(head(node)),
            crate::i18n::t(
                "document has neither apiVersion nor kind: not a Kubernetes object",
                "le document n'a ni apiVersion ni kind : ce n'est pas un objet Kubernetes",
            ),
        );
        d.help = Some(crate::i18n::t(
            "Add apiVersion and kind if this is a manifest; otherwise leave the file out of the paths you check.",
            "Ajoutez apiVersion et kind si c'est un manifeste ; sinon, laissez le fichier hors des chemins que vous vérifiez.",
        ));
        return Some(d);
    }
    let (span, message) = match (api, kind) {
        (Some(a), _) if a.value.as_str().is_none() => {
            (a.value.span, crate::i18n::t("`apiVersion` must be a string", "`apiVersion` doit être une chaîne"))
        }
        (_, Some(k)) if k.value.as_str().is_none() => {
            (k.value.span, crate::i18n::t("`kind` must be a string", "`kind` doit être une chaîne"))
        }
        (None, Some(k)) => {
            let kind = k.value.text().unwrap_or("?");
            (
                k.key.span.cover(k.value.span),
                crate::i18n::t(
                    format!("object of kind `{kind}` has no apiVersion"),
                    format!("l'objet de kind `{kind}` n'a pas d'apiVersion"),
                ),
            )
        }
        (Some(a), None) => (
            a.key.span.cover(a.value.span),
            crate::i18n::t("object has an apiVersion but no kind", "l'objet a un apiVersion mais pas de kind"),
        ),
        _ => return None,
    };
    let mut d = file_diagnostic(&input::MISSING_TYPE, file, Some(span), message);
    d.help = Some(crate::i18n::t(
        "Give the object both `apiVersion` and `kind` as strings, e.g. `apiVersion: apps/v1` and `kind: Deployment`.",
        "Donnez à l'objet `apiVersion` et `kind` sous forme de chaînes, par exemple `apiVersion: apps/v1` et `kind: Deployment`.",
    ));
    Some(d)
}

/// The first line of a node, for a finding about the node as a whole.
fn head(node: &Node) -> Span {
    match &node.value {
        yaml::Value::Map(entries) => entries.first().map_or(node.span, |e| e.key.span),
        yaml::Value::Seq(items) => {
            items.first().map_or(node.span, |i| Span::new(node.span.start(), i.span.start().max(node.span.start())))
        }
        yaml::Value::Scalar(_) => node.span,
    }
}

#[cfg(test)]
mod sort_tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sort_stable_matches_the_standard_stable_sort(items in proptest::collection::vec((0u8..5, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            super::sort_stable(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items;
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule whose check validates against a schema is in `SCHEMA_RULES`: one left out
    /// would run after the validators are released and compile them again.
    #[test]
    fn schema_rules_are_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut validating = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            if !["schema::report(", "schema::validate("].iter().any(|call| text.contains(call)) {
                continue;
            }
            let Some(at) = text.find("id: \"") else { continue };
            let id = text[at + 5..].split('"').next().unwrap().to_string();
            validating.push(id);
        }
        validating.sort();
        assert!(validating.len() >= 3, "{validating:?}");
        for id in &validating {
            assert!(SCHEMA_RULES.contains(&id.as_str()), "{id} validates against a schema but is not in SCHEMA_RULES");
        }
        for id in SCHEMA_RULES {
            assert!(rules::meta(id).is_some(), "{id} is not a rule");
        }
    }
}

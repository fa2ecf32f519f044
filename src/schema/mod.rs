//! Offline schema validation: the embedded Kubernetes JSON schemas (`schemas/`, one per minor
//! version), a `jsonschema` validator per (version, kind) compiled once per process and shared by
//! every thread, CustomResourceDefinitions of the run as schemas of their custom resources, and
//! the translation of validator errors into findings on the exact YAML node.
//!
//! No network, ever: references resolve through a `Registry` holding the version's definitions,
//! and `jsonschema` is built without its HTTP retriever.

mod crd;
mod embedded;
mod message;
mod view;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Registry};
use serde_json::Value;

use crate::index::Index;
use crate::k8s::Object;
use crate::source::Span;

pub use crd::condense as condense_crd;
pub use embedded::SCHEMAS;
pub use message::{Category, Issue};

/// A compiled schema; it validates the YAML tree in place (`view`).
type Validator = jsonschema::Validator<view::Yaml>;

/// Base URI of the embedded definitions; one resource per version (`<BASE><version>`).
const BASE: &str = "https://schemas.kubeadvise.invalid/kubernetes/";

/// The embedded Kubernetes minor versions, oldest first.
pub fn versions() -> impl Iterator<Item = &'static str> {
    SCHEMAS.iter().map(|(v, _)| *v)
}

/// The newest embedded version: the default target.
pub fn newest() -> &'static str {
    SCHEMAS.last().map_or("", |(v, _)| v)
}

/// The embedded version `wanted` names: `1.30`, `v1.30`, `1.30.4`.
pub fn resolve_version(wanted: &str) -> Option<&'static str> {
    let w = wanted.trim().trim_start_matches('v');
    let mut parts = w.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) || parts.next().is_some() {
        return None;
    }
    let wanted = format!("{}.{}", major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?);
    versions().find(|v| *v == wanted)
}

/// `(major, minor)` of a version string such as `1.30`.
pub fn parse_minor(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.trim_start_matches('v').split_once('.')?;
    let minor = minor.split('.').next()?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// One version's definitions, loaded on first use: each definition stays raw JSON text until a
/// kind that reaches it is validated, so a run pays only for the kinds it meets.
struct Loaded {
    version: &'static str,
    uri: String,
    /// `"<apiVersion>/<kind>"` → definition name.
    kinds: HashMap<String, String>,
    defs: HashMap<String, Box<serde_json::value::RawValue>>,
}

fn loaded(version: &str) -> Option<&'static Loaded> {
    static CELLS: OnceLock<Vec<OnceLock<Option<Loaded>>>> = OnceLock::new();
    let cells = CELLS.get_or_init(|| SCHEMAS.iter().map(|_| OnceLock::new()).collect());
    let at = SCHEMAS.iter().position(|(v, _)| *v == version)?;
    cells[at].get_or_init(|| load(SCHEMAS[at].0, SCHEMAS[at].1)).as_ref()
}

fn load(version: &'static str, packed: &[u8]) -> Option<Loaded> {
    #[derive(serde::Deserialize)]
    struct File {
        kinds: HashMap<String, String>,
        #[serde(rename = "$defs")]
        defs: HashMap<String, Box<serde_json::value::RawValue>>,
    }
    let mut raw = Vec::new();
    ruzstd::decoding::StreamingDecoder::new(packed).ok()?.read_to_end(&mut raw).ok()?;
    let file: File = serde_json::from_slice(&raw).ok()?;
    Some(Loaded { version, uri: format!("{BASE}{version}"), kinds: file.kinds, defs: file.defs })
}

/// ObjectMeta, which custom resources share with built-in kinds.
const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// `{"$defs": {...}}` with the definitions reachable from `root` (cached per version and root).
type Docs = Mutex<HashMap<(&'static str, String), Arc<Value>>>;

/// Schema closures by version and root definition (`closure`).
static DOCS: OnceLock<Docs> = OnceLock::new();

fn closure(loaded: &'static Loaded, root: &str) -> Arc<Value> {
    let docs = DOCS.get_or_init(Default::default);
    let key = (loaded.version, root.to_string());
    if let Some(doc) = docs.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Arc::clone(doc);
    }
    let mut defs = serde_json::Map::new();
    let mut queue = vec![root.to_string()];
    while let Some(name) = queue.pop() {
        if defs.contains_key(&name) {
            continue;
        }
        let Some(def) = loaded.defs.get(&name).and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok()) else {
            continue;
        };
        collect_refs(&def, &mut queue);
        defs.insert(name, def);
    }
    let doc = Arc::new(serde_json::json!({ "$defs": defs }));
    // ObjectMeta's closure (a few KB) serves every custom resource kind: it stays for the run,
    // where a kind's own closure goes when its objects are done.
    if root != OBJECT_META {
        added(|a| a.docs.push(key.clone()));
    }
    docs.lock().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::clone(&doc));
    doc
}

fn collect_refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some((_, name)) = r.rsplit_once("#/$defs/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}

/// API groups served by the Kubernetes API server itself (now or in the past), as opposed to
/// groups of custom resources (`gateway.networking.k8s.io` and `snapshot.storage.k8s.io` are CRDs).
pub fn is_builtin_group(group: &str) -> bool {
    const GROUPS: &[&str] = &[
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "extensions",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    ];
    GROUPS.contains(&group)
}

/// Whether `obj` has a schema (built-in, or from a CRD in the input) for `version`: cheap, without
/// validating.
pub fn has_schema(obj: &Object<'_>, version: &str, index: &Index<'_>) -> bool {
    let Some(loaded) = loaded(version) else { return false };
    if loaded.kinds.contains_key(&format!("{}/{}", obj.api_version, obj.declared_kind)) {
        return true;
    }
    let Some((group, v)) = obj.api_version.rsplit_once('/') else { return false };
    index.custom_resource_definitions(group, obj.declared_kind).iter().any(|crd| crd::served_schema(crd, v).is_some())
}

/// Whether the embedded schema of `version` knows `apiVersion`/`kind` (a built-in kind).
pub fn has_builtin(version: &str, api_version: &str, kind: &str) -> bool {
    loaded(version).is_some_and(|l| l.kinds.contains_key(&format!("{api_version}/{kind}")))
}

type Shared = Arc<OnceLock<Option<Arc<Validator>>>>;

/// Drop the compiled validators and converted CRD schemas once the rules of a run are done: a
/// large run's findings are gathered and sorted after that, and these caches (tens of MB on a
/// repository with many CRDs) need not stay beside them. Called only for a process's last run
/// (`LintOptions::last_run`): a later run would build them again.
pub fn release_caches() {
    if let Some(map) = VALIDATORS.get() {
        map.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
    if let Some(docs) = DOCS.get() {
        docs.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
    crd::release_cache();
}

/// What a thread added to the caches inside `scoped`, to let go when the scope ends.
#[derive(Default)]
struct Added {
    recording: bool,
    validators: Vec<String>,
    docs: Vec<(&'static str, String)>,
    converted: Vec<u64>,
}

thread_local! {
    static ADDED: RefCell<Added> = RefCell::new(Added::default());
}

/// Note a cache entry this thread added, if it is inside `scoped`.
fn added(note: impl FnOnce(&mut Added)) {
    ADDED.with(|a| {
        let mut a = a.borrow_mut();
        if a.recording {
            note(&mut a);
        }
    });
}

/// Run `f` (the schema rules on the objects of one apiVersion and kind), then drop the compiled
/// validators, schema closures and converted CRD schemas it added to the caches: the objects of
/// a kind are validated together, so a run holds the validators of the kinds in progress, not
/// of every kind it has seen. Entries another thread still uses stay alive through its `Arc`; a
/// later object of the kind would compile them again.
pub fn scoped<R>(f: impl FnOnce() -> R) -> R {
    ADDED.with(|a| a.borrow_mut().recording = true);
    let result = f();
    let added = ADDED.with(|a| std::mem::take(&mut *a.borrow_mut()));
    if let Some(map) = VALIDATORS.get() {
        let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
        for key in &added.validators {
            map.remove(key);
        }
    }
    if let Some(docs) = DOCS.get() {
        let mut docs = docs.lock().unwrap_or_else(|e| e.into_inner());
        for key in &added.docs {
            docs.remove(key);
        }
    }
    crd::release(&added.converted);
    result
}

/// Compiled validators by kind (built-in or CRD schema), shared by every thread of a run.
static VALIDATORS: OnceLock<Mutex<HashMap<String, Shared>>> = OnceLock::new();

/// The validator for `key`, built by `build` the first time any thread asks for it.
fn validator(key: String, build: impl FnOnce() -> Option<Validator>) -> Option<Arc<Validator>> {
    let cell: Shared = {
        let mut map = VALIDATORS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        if !map.contains_key(&key) {
            added(|a| a.validators.push(key.clone()));
        }
        Arc::clone(map.entry(key).or_default())
    };
    cell.get_or_init(|| build().map(Arc::new)).clone()
}

/// Compile `schema`, whose references point into `doc` (registered at the version's URI). The
/// registry lives only while compiling: the validator keeps what it needs.
fn build(loaded: &'static Loaded, doc: &Arc<Value>, schema: &Value) -> Option<Validator> {
    let registry = Registry::new().draft(Draft::Draft202012).add(&loaded.uri, Arc::clone(doc)).ok()?.prepare().ok()?;
    jsonschema::options_for::<view::Yaml>()
        .with_draft(Draft::Draft202012)
        .with_registry(&registry)
        .should_validate_formats(false)
        .build(schema)
        .map_err(|e| {
            if std::env::var_os("KUBEADVISE_DEBUG_SCHEMA").is_some() {
                eprintln!("schema compile error: {e}");
            }
        })
        .ok()
}

/// What validating one object found.
#[derive(Debug)]
pub enum Outcome {
    /// Validated against a schema (built-in or from a CRD in the input).
    Checked(Vec<Issue>),
    /// No schema for this kind: not validated; why, for `api-no-schema`.
    NoSchema(String),
}

/// Validate `obj` against the schema of its kind for Kubernetes `version`. The schema rules of one
/// object run one after the other on one thread and share the result: the last object validated
/// on this thread is remembered (by run, file, position and version).
pub fn validate(obj: &Object<'_>, version: &str, index: &Index<'_>) -> Arc<Outcome> {
    type Last = RefCell<Option<((u64, usize, usize), String, Arc<Outcome>)>>;
    thread_local! {
        static LAST: Last = const { RefCell::new(None) };
    }
    let id = (index.run_id(), obj.file, obj.root.span.start());
    if let Some(hit) = LAST.with(|last| {
        last.borrow().as_ref().filter(|(k, v, _)| *k == id && v == version).map(|(_, _, outcome)| Arc::clone(outcome))
    }) {
        return hit;
    }
    let outcome = Arc::new(validate_uncached(obj, version, index));
    LAST.with(|last| *last.borrow_mut() = Some((id, version.to_string(), Arc::clone(&outcome))));
    outcome
}

fn validate_uncached(obj: &Object<'_>, version: &str, index: &Index<'_>) -> Outcome {
    let Some(loaded) = loaded(version) else {
        return Outcome::NoSchema(crate::i18n::t(
            format!("no embedded schemas for Kubernetes {version}"),
            format!("pas de schémas intégrés pour Kubernetes {version}"),
        ));
    };
    // A strategic-merge patch (`$patch: delete`, kustomize): a fragment, not an object to validate.
    if obj.root.get("$patch").is_some() {
        return Outcome::Checked(Vec::new());
    }
    let key = format!("{}/{}", obj.api_version, obj.declared_kind);
    let custom = !loaded.kinds.contains_key(&key);
    let (validator, root, doc): (Option<Arc<Validator>>, Arc<Value>, Arc<Value>) =
        if let Some(def) = loaded.kinds.get(&key) {
            let root = serde_json::json!({ "$ref": format!("{}#/$defs/{def}", loaded.uri) });
            let doc = closure(loaded, def);
            (validator(format!("{version} {key}"), || build(loaded, &doc, &root)), Arc::new(root), doc)
        } else {
            match crd::schema_for(obj, index, &loaded.uri) {
                crd::Found::Schema(schema, key) => {
                    let doc = closure(loaded, OBJECT_META);
                    (validator(format!("{version} crd {key:x}"), || build(loaded, &doc, &schema)), schema, doc)
                }
                crd::Found::Problem(issue) => return Outcome::Checked(vec![issue]),
                crd::Found::None => {
                    return Outcome::NoSchema(not_served(obj, version));
                }
            }
        };
    let Some(validator) = validator else {
        return Outcome::NoSchema(crate::i18n::t(
            "its schema could not be compiled",
            "son schéma n'a pas pu être compilé",
        ));
    };
    // The API server prunes `null` fields of custom resources before validating them, and
    // ignores `status` outside the status subresource: the view of a custom resource leaves them
    // out. Only a file that repeats a key needs its mappings' members checked for repeats.
    let repeats = index.file(obj.file).is_none_or(|f| f.repeats_keys);
    let instance = view::View::root(obj.root, custom, repeats);
    let mut issues = Vec::new();
    for error in validator.iter_errors(instance) {
        message::translate(obj, &error, &doc, &root, &mut issues);
    }
    issues.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    if !custom {
        for issue in &mut issues {
            if let Some((pointer, name)) = &issue.unknown {
                if let Some(newer) = added_in(version, &key, pointer, name) {
                    let field =
                        message::display_path(&format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1")));
                    issue.message = crate::i18n::t(
                        format!("unknown field `{field}` in Kubernetes {version}: it was added in Kubernetes {newer}"),
                        format!(
                            "champ inconnu `{field}` dans Kubernetes {version} : il a été ajouté dans Kubernetes {newer}"
                        ),
                    );
                    issue.help = crate::i18n::t(
                        format!(
                            "Target Kubernetes {newer} or later (--kubernetes-version) if the cluster runs it; otherwise remove `{name}`."
                        ),
                        format!(
                            "Ciblez Kubernetes {newer} ou plus récent (--kubernetes-version) si le cluster l'exécute ; sinon, supprimez `{name}`."
                        ),
                    );
                }
            }
        }
    }
    Outcome::Checked(issues)
}

/// Why a kind absent from the embedded schemas and from the input's CRDs has no schema.
fn not_served(obj: &Object<'_>, version: &str) -> String {
    if is_builtin_group(obj.group()) {
        let (api_version, kind) = (obj.api_version, obj.declared_kind);
        crate::i18n::t(
            format!("Kubernetes {version} does not serve `{api_version}` `{kind}`"),
            format!("Kubernetes {version} ne sert pas `{api_version}` `{kind}`"),
        )
    } else {
        crate::i18n::t(
            "it is a custom resource and its CustomResourceDefinition is not in the input",
            "c'est une ressource personnalisée et sa CustomResourceDefinition n'est pas dans les fichiers vérifiés",
        )
    }
}

/// Report the schema issues of `category` found on `obj` (the three schema rules share this).
pub fn report(obj: &Object<'_>, ctx: &mut crate::rules::RuleContext<'_, '_>, category: Category) {
    let outcome = validate(obj, &ctx.options.kubernetes_version, ctx.index);
    let Outcome::Checked(issues) = outcome.as_ref() else { return };
    // Looked up only when a required field is missing: it reads the file system.
    let kustomized = std::cell::OnceCell::new();
    for issue in issues.iter().filter(|i| i.category == category) {
        // Kustomize bases and patches are completed before they are applied (patches are partial,
        // `commonLabels` adds selectors): a missing field there is not an error.
        if issue.missing && *kustomized.get_or_init(|| in_kustomize_tree(std::path::Path::new(ctx.file_name(obj)))) {
            continue;
        }
        let message =
            ctx.t(format!("{}: {}", obj.display(), issue.message), format!("{} : {}", obj.display(), issue.message));
        ctx.report(crate::rules::Violation::new(issue.span, issue.label.as_str(), message, issue.help.as_str()));
    }
}

/// The first version newer than `version` whose schema of `key` knows field `name` at `pointer`.
fn added_in(version: &str, key: &str, pointer: &str, name: &str) -> Option<&'static str> {
    let current = parse_minor(version)?;
    versions().filter(|v| parse_minor(v).is_some_and(|m| m > current)).find(|v| {
        loaded(v).is_some_and(|l| {
            l.kinds.get(key).is_some_and(|def| {
                let root = serde_json::json!({ "$ref": format!("#/$defs/{def}") });
                known_fields(&closure(l, def), &root, pointer).contains(&name)
            })
        })
    })
}

/// Whether a `kustomization.yaml` sits in the file's folder or one of its parents.
fn in_kustomize_tree(file: &std::path::Path) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<std::path::PathBuf, bool>>> = OnceLock::new();
    if file.as_os_str().is_empty() {
        return false;
    }
    let Some(dir) = file.parent() else { return false };
    let cache = CACHE.get_or_init(Default::default);
    if let Some(known) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(dir) {
        return *known;
    }
    if !file.is_file() {
        return false;
    }
    let found = dir
        .ancestors()
        .take(4)
        .any(|d| ["kustomization.yaml", "kustomization.yml", "Kustomization"].iter().any(|n| d.join(n).is_file()));
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_path_buf(), found);
    found
}

/// Follow `$ref`s (into the version's `$defs`).
fn deref<'v>(doc: &'v Value, mut schema: &'v Value) -> &'v Value {
    for _ in 0..32 {
        let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit_once("#/$defs/")) else {
            break;
        };
        match doc.get("$defs").and_then(|d| d.get(name.1)) {
            Some(next) => schema = next,
            None => break,
        }
    }
    schema
}

/// The schema that applies at instance pointer `pointer` below `root`.
fn schema_at<'v>(doc: &'v Value, root: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut schema = deref(doc, root);
    if pointer.is_empty() {
        return Some(schema);
    }
    for raw in pointer.strip_prefix('/')?.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        schema = branches(doc, schema).into_iter().find_map(|s| {
            if let Some(p) = s.get("properties").and_then(|p| p.get(&token)) {
                return Some(deref(doc, p));
            }
            if token.parse::<usize>().is_ok() {
                if let Some(items) = s.get("items") {
                    return Some(deref(doc, items));
                }
            }
            s.get("additionalProperties").filter(|a| a.is_object()).map(|a| deref(doc, a))
        })?;
    }
    Some(schema)
}

/// A schema and the `anyOf`/`allOf` branches it combines, references followed.
fn branches<'v>(doc: &'v Value, schema: &'v Value) -> Vec<&'v Value> {
    let mut out = vec![deref(doc, schema)];
    for key in ["allOf", "anyOf", "oneOf"] {
        for b in out[0].get(key).and_then(Value::as_array).into_iter().flatten() {
            out.push(deref(doc, b));
        }
    }
    out
}

/// Field names the schema knows at `pointer` (a mapping).
fn known_fields<'v>(doc: &'v Value, root: &'v Value, pointer: &str) -> Vec<&'v str> {
    let Some(schema) = schema_at(doc, root, pointer) else { return Vec::new() };
    branches(doc, schema)
        .into_iter()
        .filter_map(|s| s.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.keys().map(String::as_str))
        .collect()
}

/// The span a finding about a missing field of the node at `pointer` points at: the key that
/// holds that node, or the object's `kind` for the root.
fn parent_label_span(obj: &Object<'_>, pointer: &str) -> Span {
    if pointer.is_empty() {
        return obj.kind_span();
    }
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let last = last.replace("~1", "/").replace("~0", "~");
    let Some(parent_node) = obj.root.pointer(parent) else { return obj.kind_span() };
    if let Some(entry) = parent_node.entry(&last) {
        return entry.key.span;
    }
    match obj.root.pointer(pointer) {
        Some(node) => node.as_map().and_then(|m| m.first()).map_or(node.span, |e| e.key.span),
        None => obj.kind_span(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_version_loads() {
        for v in versions() {
            let l = loaded(v).unwrap_or_else(|| panic!("{v} loads"));
            assert!(l.kinds.contains_key("apps/v1/Deployment"), "{v}");
        }
        assert_eq!(newest(), "1.37");
    }

    #[test]
    fn versions_resolve() {
        assert_eq!(resolve_version("1.30"), Some("1.30"));
        assert_eq!(resolve_version("v1.30.4"), Some("1.30"));
        assert_eq!(resolve_version("1.3"), None);
        assert_eq!(resolve_version("1.99"), None);
        assert_eq!(resolve_version("x"), None);
    }

    #[test]
    fn fields_at_a_place() {
        let l = loaded("1.37").unwrap();
        let root = serde_json::json!({"$ref": "#/$defs/io.k8s.api.apps.v1.Deployment"});
        let doc = closure(l, "io.k8s.api.apps.v1.Deployment");
        let fields = known_fields(&doc, &root, "/spec/template/spec/containers/0");
        assert!(fields.contains(&"volumeMounts"));
    }
}

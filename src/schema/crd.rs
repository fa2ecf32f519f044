//! CustomResourceDefinitions in the input as schemas of their custom resources: the
//! `openAPIV3Schema` of the version the resource names, turned into JSON Schema the way the API
//! server reads a structural schema (`nullable`, `x-kubernetes-int-or-string`, pruning of unknown
//! fields unless `x-kubernetes-preserve-unknown-fields`, implicit `apiVersion`/`kind`/`metadata`).
//!
//! Also the condensing of a CRD once its own checks have run (`condense`): its schemas, most of
//! the bytes of a CRD, are replaced by a hash and read again from the source only when a custom
//! resource of the run needs one.

use serde_json::{Map, Value, json};

use super::{Category, Issue};
use crate::index::Index;
use crate::k8s::Object;

pub(super) enum Found {
    /// The converted schema and a fingerprint of its source (the validator cache key).
    Schema(std::sync::Arc<Value>, u64),
    /// The CRD is in the input but does not serve the resource's version.
    Problem(Issue),
    None,
}

/// The schema the input's CRDs give `obj`, if any.
pub(super) fn schema_for(obj: &Object<'_>, index: &Index<'_>, base: &str) -> Found {
    let (group, version) = match obj.api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => return Found::None,
    };
    let crds = index.custom_resource_definitions(group, obj.declared_kind);
    let Some(first) = crds.first() else { return Found::None };
    // Several CRDs for one kind (two releases of a chart): the first that serves the version.
    let schema = crds.iter().find_map(|crd| served_schema(crd, version));
    let Some(schema) = schema else {
        let served: Vec<String> = crds
            .iter()
            .filter_map(|crd| crd.spec())
            .flat_map(|spec| spec.get("versions").map(|v| v.items()).unwrap_or_default())
            .filter(|v| v.get("served").and_then(|s| s.as_bool()) != Some(false))
            .filter_map(|v| v.get("name").and_then(|n| n.as_str()).map(|n| format!("`{group}/{n}`")))
            .collect();
        // Served, but without a schema: nothing to validate against.
        if crds.iter().any(|crd| serves(crd, version)) {
            return Found::None;
        }
        let Some(api) = obj.root.get("apiVersion") else { return Found::None };
        let (name, api_version) = (first.name().unwrap_or("?"), obj.api_version);
        let served = served.join(", ");
        return Found::Problem(Issue {
            category: Category::Violation,
            span: api.span,
            label: crate::i18n::t("version not served", "version non servie"),
            message: if served.is_empty() {
                crate::i18n::t(
                    format!("the CustomResourceDefinition `{name}` in the input does not serve `{api_version}`"),
                    format!("la CustomResourceDefinition `{name}` des fichiers vérifiés ne sert pas `{api_version}`"),
                )
            } else {
                crate::i18n::t(
                    format!(
                        "the CustomResourceDefinition `{name}` in the input does not serve `{api_version}` (it serves {served})"
                    ),
                    format!(
                        "la CustomResourceDefinition `{name}` des fichiers vérifiés ne sert pas `{api_version}` (elle sert {served})"
                    ),
                )
            },
            help: crate::i18n::t(
                "Use a version the CustomResourceDefinition serves.",
                "Utilisez une version que la CustomResourceDefinition sert.",
            ),
            missing: false,
            unknown: None,
        });
    };
    // apiextensions.k8s.io/v1beta1 CRDs (and v1 with `preserveUnknownFields: true`) keep unknown
    // fields instead of pruning them.
    let crd = crds.iter().find(|c| served_schema(c, version).is_some()).unwrap_or(first);
    let preserve = crd
        .spec()
        .and_then(|s| s.get("preserveUnknownFields"))
        .and_then(|p| p.as_bool())
        .unwrap_or(crd.api_version == "apiextensions.k8s.io/v1beta1");
    let key = fingerprint(tree_hash(schema), preserve, base);
    let cache = CONVERTED.get_or_init(Default::default);
    if let Some(done) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Found::Schema(std::sync::Arc::clone(done), key);
    }
    let Some(json) = schema_json(crd, schema, index) else { return Found::None };
    let mut root = convert(&json);
    if preserve {
        strip_closed(&mut root);
    }
    // The API server adds these to every custom resource.
    if let Some(map) = root.as_object_mut() {
        map.entry("properties").or_insert_with(|| json!({}));
    }
    if let Some(props) = root.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert("apiVersion".into(), json!({"type": "string"}));
        props.insert("kind".into(), json!({"type": "string"}));
        props.insert(
            "metadata".into(),
            json!({"$ref": format!("{base}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")}),
        );
    }
    let root = std::sync::Arc::new(root);
    super::added(|a| a.converted.push(key));
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, std::sync::Arc::clone(&root));
    Found::Schema(root, key)
}

/// FNV-1a over bytes.
fn eat(h: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *h ^= u64::from(*b);
        *h = h.wrapping_mul(0x0100_0000_01b3);
    }
}

/// The cache key of a converted schema and its validator: the schema's tree hash, whether unknown
/// fields are kept, and the version's definitions it refers to.
fn fingerprint(tree: u64, preserve: bool, base: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    eat(&mut h, base.as_bytes());
    eat(&mut h, &[u8::from(preserve)]);
    eat(&mut h, &tree.to_le_bytes());
    h
}

type Converted = std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<Value>>>;

/// Converted CRD schemas by `fingerprint`, shared by every thread of a run.
static CONVERTED: std::sync::OnceLock<Converted> = std::sync::OnceLock::new();

/// Drop the converted schemas of these keys (`super::scoped`).
pub(super) fn release(keys: &[u64]) {
    if let (Some(cache), false) = (CONVERTED.get(), keys.is_empty()) {
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            cache.remove(key);
        }
    }
}

/// Empty the converted-schema cache (`super::release_caches`).
pub(super) fn release_cache() {
    if let Some(cache) = CONVERTED.get() {
        cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Key of the single entry of a condensed schema, whose value is the hash of the schema it
/// replaces. Not a valid OpenAPI keyword, so it cannot be mistaken for a real schema.
const CONDENSED: &str = "\u{0}kubeadvise-condensed";

/// The hash a condensed schema stands for.
fn condensed_hash(node: &crate::yaml::Node) -> Option<u64> {
    let [entry] = node.as_map()? else { return None };
    if entry.key.as_str()? != CONDENSED {
        return None;
    }
    u64::from_str_radix(entry.value.as_str()?, 16).ok()
}

/// A hash of a schema's source tree (keys, scalars, structure), much cheaper than converting it;
/// a condensed schema hashes as the schema it replaced. foldhash's quality hasher with a fixed
/// seed (the same in every run): these trees are the largest of a run, and it takes them several
/// times faster than SipHash, or than the byte-at-a-time FNV-1a used before.
fn tree_hash(node: &crate::yaml::Node) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    if let Some(h) = condensed_hash(node) {
        return h;
    }
    let mut h = foldhash::quality::FixedState::with_seed(0x6b75_6265_6164_7669).build_hasher();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            crate::yaml::Value::Scalar(s) => {
                h.write_u8(u8::from(s.style == crate::yaml::scalar::Style::Plain));
                // The length first: `ab` + `c` and `a` + `bc` differ.
                h.write_usize(s.text.len());
                h.write(s.text.as_bytes());
            }
            crate::yaml::Value::Seq(items) => {
                h.write_u8(3);
                h.write_usize(items.len());
                stack.extend(items.iter().rev());
            }
            crate::yaml::Value::Map(entries) => {
                h.write_u8(4);
                h.write_usize(entries.len());
                for e in entries.iter().rev() {
                    stack.push(&e.value);
                    stack.push(&e.key);
                }
            }
        }
    }
    h.finish()
}

/// The `openAPIV3Schema` nodes of a CRD (`spec.versions[*].schema` and v1beta1's
/// `spec.validation`, the places `served_schema` reads), for changing them.
fn schemas_mut(crd_root: &mut crate::yaml::Node) -> Vec<&mut crate::yaml::Node> {
    let Some(crate::yaml::Value::Map(entries)) = crd_root.get_mut("spec").map(|spec| &mut spec.value) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.iter_mut() {
        match entry.key.as_str() {
            Some("versions") => {
                if let crate::yaml::Value::Seq(versions) = &mut entry.value.value {
                    found.extend(
                        versions
                            .iter_mut()
                            .filter_map(|v| v.get_mut("schema").and_then(|s| s.get_mut("openAPIV3Schema"))),
                    );
                }
            }
            Some("validation") => found.extend(entry.value.get_mut("openAPIV3Schema")),
            _ => {}
        }
    }
    found
}

/// Replace every schema of the CRD at `crd_root` (other than stubs, which are small and validate
/// nothing) by a one-entry mapping holding its hash, keeping its span. The CRD's own checks must
/// have run: they read the schemas. Returns how many schemas were replaced.
pub fn condense(crd_root: &mut crate::yaml::Node) -> usize {
    let mut done = 0;
    for node in schemas_mut(crd_root) {
        if node.get_some("properties").is_none() || condensed_hash(node).is_some() {
            continue;
        }
        let hash = tree_hash(node);
        let at = crate::source::Span::empty(node.span.start());
        let scalar = |text: &str| crate::yaml::Node {
            span: at,
            value: crate::yaml::Value::Scalar(crate::yaml::node::Scalar::new(
                text,
                crate::yaml::scalar::Style::Quoted,
                crate::yaml::scalar::Resolved::Str,
                false,
            )),
        };
        node.value = crate::yaml::Value::Map(vec![crate::yaml::Entry {
            key: scalar(CONDENSED),
            value: scalar(&format!("{hash:016x}")),
        }]);
        done += 1;
    }
    done
}

/// The JSON of a served schema: from the tree, or, for a condensed schema, from the CRD's source
/// parsed again (the same text gives the same tree).
fn schema_json(crd: &Object<'_>, schema: &crate::yaml::Node, index: &Index<'_>) -> Option<Value> {
    if condensed_hash(schema).is_none() {
        return Some(schema.to_json());
    }
    let text = index.file_text(crd.file)?;
    // The schema's own text, its first line padded with spaces so every column (and so every
    // block scalar's indentation) is what it was: one schema is parsed, not the whole file.
    let span = schema.span;
    if let Some(body) = text.get(span.range()) {
        let line_start = text[..span.start()].rfind('\n').map_or(0, |i| i + 1);
        let mut alone = " ".repeat(span.start() - line_start);
        alone.push_str(body);
        let (documents, problems) = crate::yaml::loader::load_documents(&alone);
        if let ([doc], []) = (documents.as_slice(), problems.as_slice()) {
            if doc.root.as_map().is_some() {
                return Some(doc.root.to_json());
            }
        }
    }
    // An alias to an anchor outside the schema: parse the whole file.
    let (documents, _) = crate::yaml::loader::load_documents(&text);
    documents.iter().find_map(|doc| doc.root.find_span(schema.span)).map(crate::yaml::Node::to_json)
}

/// Drop every `additionalProperties: false` (unknown fields are kept, not pruned).
fn strip_closed(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            map.values_mut().for_each(strip_closed);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_closed),
        _ => {}
    }
}

/// Whether `crd` serves `version`.
fn serves(crd: &Object<'_>, version: &str) -> bool {
    let Some(spec) = crd.spec() else { return false };
    let versions = spec.get("versions").map(|v| v.items()).unwrap_or_default();
    versions.iter().any(|v| {
        v.get("name").and_then(|n| n.as_str()) == Some(version)
            && v.get("served").and_then(|s| s.as_bool()) != Some(false)
    }) || (versions.is_empty() && spec.get("version").and_then(|v| v.as_str()) == Some(version))
}

/// The `openAPIV3Schema` `crd` gives `version`, if it serves it with a schema.
pub(super) fn served_schema<'a>(crd: &Object<'a>, version: &str) -> Option<&'a crate::yaml::Node> {
    if !serves(crd, version) {
        return None;
    }
    let spec = crd.spec()?;
    let entry = spec
        .get("versions")
        .map(|v| v.items())
        .unwrap_or_default()
        .iter()
        .find(|v| v.get("name").and_then(|n| n.as_str()) == Some(version));
    entry
        .and_then(|v| v.path(&["schema", "openAPIV3Schema"]))
        .or_else(|| spec.path(&["validation", "openAPIV3Schema"]))
        // A stub (`type: object` and nothing else) validates nothing useful.
        .filter(|s| s.get_some("properties").is_some() || condensed_hash(s).is_some())
}

/// A structural OpenAPI v3 schema as JSON Schema 2020-12.
pub(super) fn convert(schema: &Value) -> Value {
    let Some(src) = schema.as_object() else { return json!({}) };
    let mut out = Map::new();
    let nullable = src.get("nullable").and_then(Value::as_bool) == Some(true);
    let int_or_string = src.get("x-kubernetes-int-or-string").and_then(Value::as_bool) == Some(true);
    let preserve = src.get("x-kubernetes-preserve-unknown-fields").and_then(Value::as_bool) == Some(true);
    let embedded = src.get("x-kubernetes-embedded-resource").and_then(Value::as_bool) == Some(true);
    if int_or_string {
        let mut types = vec![json!({"type": "integer"}), json!({"type": "string"})];
        if nullable {
            types.push(json!({"type": "null"}));
        }
        out.insert("anyOf".into(), Value::Array(types));
    } else if let Some(t) = src.get("type").and_then(Value::as_str) {
        out.insert("type".into(), if nullable { json!([t, "null"]) } else { json!(t) });
    }
    for key in [
        "enum",
        "required",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "multipleOf",
        "pattern",
    ] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    bounds(src, &mut out);
    // A `set` list: the API server rejects a repeated item ("Duplicate value").
    if src.get("x-kubernetes-list-type").and_then(Value::as_str) == Some("set") {
        out.insert("uniqueItems".into(), Value::Bool(true));
    }
    if let (Some(e), true) = (out.get_mut("enum").and_then(Value::as_array_mut), nullable) {
        e.push(Value::Null);
    }
    let mut properties = Map::new();
    if let Some(props) = src.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            properties.insert(k.clone(), convert(v));
        }
    }
    if embedded {
        for k in ["apiVersion", "kind"] {
            properties.entry(k.to_string()).or_insert_with(|| json!({"type": "string"}));
        }
        properties.entry("metadata".to_string()).or_insert_with(|| json!({"type": "object"}));
    }
    let has_properties = !properties.is_empty();
    if has_properties || embedded {
        out.insert("properties".into(), Value::Object(properties));
    }
    if let Some(items) = src.get("items") {
        out.insert("items".into(), convert(items));
    }
    match src.get("additionalProperties") {
        Some(Value::Bool(b)) => {
            out.insert("additionalProperties".into(), Value::Bool(*b));
        }
        Some(ap @ Value::Object(_)) => {
            out.insert("additionalProperties".into(), convert(ap));
        }
        _ if (has_properties || src.get("type").and_then(Value::as_str) == Some("object")) && !preserve => {
            // Structural schemas prune unknown fields; strict field validation reports them.
            out.insert("additionalProperties".into(), Value::Bool(false));
        }
        _ => {}
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = src.get(key).and_then(Value::as_array) {
            // Value validations only (structural schemas forbid types and properties there).
            out.insert(key.into(), Value::Array(list.iter().map(convert_validation).collect()));
        }
    }
    Value::Object(out)
}

/// `minimum`/`maximum` with OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`, as
/// JSON Schema 2020-12 writes them (the exclusive keywords carry the bound).
fn bounds(src: &Map<String, Value>, out: &mut Map<String, Value>) {
    for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        let Some(limit) = src.get(bound) else { continue };
        let key = if src.get(exclusive).and_then(Value::as_bool) == Some(true) { exclusive } else { bound };
        out.insert(key.into(), limit.clone());
    }
}

/// A branch of `allOf`/`anyOf`/`oneOf`: only `required`, `enum`, bounds and nested branches.
fn convert_validation(schema: &Value) -> Value {
    let Some(src) = schema.as_object() else { return json!({}) };
    let mut out = Map::new();
    for key in ["required", "enum", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]
    {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    bounds(src, &mut out);
    if let Some(props) = src.get("properties").and_then(Value::as_object) {
        let props: Map<String, Value> = props.iter().map(|(k, v)| (k.clone(), convert_validation(v))).collect();
        out.insert("properties".into(), Value::Object(props));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = src.get(key).and_then(Value::as_array) {
            out.insert(key.into(), Value::Array(list.iter().map(convert_validation).collect()));
        }
    }
    if let Some(not) = src.get("not") {
        out.insert("not".into(), convert_validation(not));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_bounds_and_set_lists_become_json_schema() {
        let converted = convert(&json!({
            "type": "object",
            "minProperties": 1,
            "properties": {
                "ratio": {"type": "number", "maximum": 1, "exclusiveMaximum": true, "minimum": 0},
                "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}
            }
        }));
        assert_eq!(converted["minProperties"], json!(1));
        let ratio = &converted["properties"]["ratio"];
        assert_eq!((&ratio["exclusiveMaximum"], &ratio["minimum"]), (&json!(1), &json!(0)));
        assert!(ratio.get("maximum").is_none());
        assert_eq!(converted["properties"]["tags"]["uniqueItems"], json!(true));
    }

    #[test]
    fn structural_schema_becomes_json_schema() {
        let s = convert(&json!({
            "type": "object",
            "properties": {
                "port": {"x-kubernetes-int-or-string": true},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "name": {"type": "string", "nullable": true}
            }
        }));
        assert_eq!(s["additionalProperties"], json!(false));
        assert!(s["properties"]["extra"].get("additionalProperties").is_none());
        assert_eq!(s["properties"]["name"]["type"], json!(["string", "null"]));
        assert!(s["properties"]["port"].get("anyOf").is_some());
    }
}

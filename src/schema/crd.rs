//! CustomResourceDefinitions in the input as schemas of their custom resources: the
//! `openAPIV3Schema` of the version the resource names, turned into JSON Schema the way the API
//! server reads a structural schema (`nullable`, `x-kubernetes-int-or-string`, pruning of unknown
//! fields unless `x-kubernetes-preserve-unknown-fields`, implicit `apiVersion`/`kind`/`metadata`).

use serde_json::{Map, Value, json};

use super::{Category, Issue};
use crate::index::Index;
use crate::k8s::Object;

pub(super) enum Found {
    Schema(Value),
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
    let Some(crd) = index.custom_resource_definition(group, obj.declared_kind) else { return Found::None };
    let Some(spec) = crd.spec() else { return Found::None };
    let versions = spec.get("versions").map(|v| v.items()).unwrap_or_default();
    let entry = versions.iter().find(|v| v.get("name").and_then(|n| n.as_str()) == Some(version));
    let schema = match entry {
        Some(v) if v.get("served").and_then(|s| s.as_bool()) != Some(false) => v
            .path(&["schema", "openAPIV3Schema"])
            .or_else(|| spec.path(&["validation", "openAPIV3Schema"])),
        _ if versions.is_empty() && spec.get("version").and_then(|v| v.as_str()) == Some(version) => {
            spec.path(&["validation", "openAPIV3Schema"])
        }
        _ => {
            let served: Vec<String> = versions
                .iter()
                .filter(|v| v.get("served").and_then(|s| s.as_bool()) != Some(false))
                .filter_map(|v| v.get("name").and_then(|n| n.as_str()).map(|n| format!("`{group}/{n}`")))
                .collect();
            let Some(api) = obj.root.get("apiVersion") else { return Found::None };
            return Found::Problem(Issue {
                category: Category::Violation,
                span: api.span,
                label: "version not served".to_string(),
                message: format!(
                    "the CustomResourceDefinition `{}` in the input does not serve `{}`{}",
                    crd.name().unwrap_or("?"),
                    obj.api_version,
                    if served.is_empty() { String::new() } else { format!(" (it serves {})", served.join(", ")) }
                ),
                help: "Use a version the CustomResourceDefinition serves.".to_string(),
            });
        }
    };
    let Some(schema) = schema else { return Found::None };
    let mut root = convert(&schema.to_json());
    // The API server adds these to every custom resource.
    if let Some(props) = root.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert("apiVersion".into(), json!({"type": "string"}));
        props.insert("kind".into(), json!({"type": "string"}));
        props.insert(
            "metadata".into(),
            json!({"$ref": format!("{base}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")}),
        );
    }
    Found::Schema(root)
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
    for key in ["enum", "required", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern"] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
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

/// A branch of `allOf`/`anyOf`/`oneOf`: only `required`, `enum`, bounds and nested branches.
fn convert_validation(schema: &Value) -> Value {
    let Some(src) = schema.as_object() else { return json!({}) };
    let mut out = Map::new();
    for key in ["required", "enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
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

//! Shared pieces of the apply-time validation rules (`api-*`): which objects have their pod
//! template validated at admission, and `podcheck` problems restated as the API server's own
//! error (`spec.template.spec.containers[0].name: Invalid value: "myApp"`).

use super::Object;
use super::fieldpath::field_path;
use super::kinds::{is_builtin, is_fragment};
use super::podcheck::{self, Problem};
use crate::yaml::Node;

/// Built-in kinds whose pod template (or spec) the API server validates as a Pod when the object
/// is created. StatefulSet templates are not (`sts-template-invalid` reports them).
pub const POD_VALIDATED_KINDS: &[&str] =
    &["Pod", "Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "Job", "CronJob"];

/// Whether the API server validates this object's pod template at admission. Partial objects
/// (a Kustomize patch without the required selector) are left alone: their volumes and ports
/// come from the base they are merged into.
pub fn validates_pod_template(obj: &Object<'_>) -> bool {
    POD_VALIDATED_KINDS.contains(&obj.kind) && is_builtin(obj) && !is_fragment(obj)
}

/// Whether a file is named like a Kustomize patch
/// (`repo-patch.yaml`, `patches/deployment.yaml`): its pod spec is merged into a base that holds
/// the rest (volumes, ports), so references out of it are not errors as written.
pub fn in_patch_file(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    path.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| word.starts_with("patch"))
}

/// A `podcheck` problem with the API server's error line.
#[derive(Debug, Clone)]
pub struct ApiProblem {
    pub problem: Problem,
    /// `spec.template.spec.containers[0].name: Invalid value: "myApp"`.
    pub api_error: String,
}

/// The `podcheck` problems of `check` (`api-ports`, `api-volume-refs`, ...) on the object's pod
/// template, for objects whose template the API server validates.
pub fn pod_problems(obj: &Object<'_>, check: &str) -> Vec<ApiProblem> {
    if !validates_pod_template(obj) {
        return Vec::new();
    }
    let Some(spec) = obj.pod_spec() else { return Vec::new() };
    podcheck::check_pod_spec(&spec)
        .into_iter()
        .filter(|p| p.check == check)
        .map(|problem| {
            let api_error = api_error(obj.root, &problem);
            ApiProblem { problem, api_error }
        })
        .collect()
}

/// The value at `span` as the API server quotes it.
fn quoted(root: &Node, span: crate::source::Span) -> String {
    let mut found = None;
    find_text(root, span, &mut found);
    format!("\"{}\"", found.unwrap_or_default())
}

fn find_text<'a>(node: &'a Node, span: crate::source::Span, out: &mut Option<&'a str>) {
    if out.is_some() || !(node.span.start() <= span.start() && span.end() <= node.span.end()) {
        return;
    }
    if node.span == span {
        *out = node.text();
        return;
    }
    if let Some(entries) = node.as_map() {
        for e in entries {
            find_text(&e.value, span, out);
        }
    }
    for item in node.items() {
        find_text(item, span, out);
    }
}

/// Path of the parent of the node at `span` (the list item a missing field belongs to).
pub fn parent_path(path: &str) -> &str {
    if path.ends_with(']') { path } else { path.rsplit_once('.').map_or(path, |(p, _)| p) }
}

fn api_error(root: &Node, p: &Problem) -> String {
    let path = field_path(root, p.span).unwrap_or_else(|| "spec".to_string());
    let required = |field: &str| format!("{}.{field}: Required value", parent_path(&path));
    match p.label.as_str() {
        // The labels are matched in English and in French (`podcheck` writes them in the run's language).
        "container without a name" | "volume without a name" | "conteneur sans nom" | "volume sans nom" => {
            required("name")
        }
        "port without containerPort" | "port sans containerPort" => required("containerPort"),
        "mount without mountPath" | "montage sans mountPath" => required("mountPath"),
        "several volume sources" | "plusieurs sources de volume" => {
            format!("{}: Forbidden: may not specify more than 1 volume type", parent_path(&path))
        }
        "not TCP, UDP or SCTP" | "ni TCP, ni UDP, ni SCTP" => {
            format!("{path}: Unsupported value: {}: supported values: \"SCTP\", \"TCP\", \"UDP\"", quoted(root, p.span))
        }
        l if l.starts_with("duplicate") || l.ends_with("en double") => {
            format!("{path}: Duplicate value: {}", quoted(root, p.span))
        }
        _ => format!("{path}: Invalid value: {}", quoted(root, p.span)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, check: &str) -> Vec<String> {
        let (mut docs, _) = crate::yaml::load(&crate::source::SourceFile::new("t", text.to_string()));
        let root = docs.remove(0).root;
        let obj = Object::new(0, &root).unwrap();
        pod_problems(&obj, check).into_iter().map(|p| p.api_error).collect()
    }

    #[test]
    fn api_errors_name_the_field() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: a\n  - name: Web\n    image: b\n    ports:\n    - {name: http, containerPort: 80, protocol: tcp}\n    - {name: http}\n";
        assert_eq!(
            errors(pod, "api-container-name"),
            ["spec.containers[0].name: Required value", "spec.containers[1].name: Invalid value: \"Web\""]
        );
        assert_eq!(
            errors(pod, "api-ports"),
            [
                "spec.containers[1].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[1].ports[1].containerPort: Required value",
                "spec.containers[1].ports[1].name: Duplicate value: \"http\"",
            ]
        );
    }

    #[test]
    fn patch_files() {
        assert!(in_patch_file("overlays/prod/repo-patch.yaml"));
        assert!(in_patch_file("overlays/prod/patches/deploy.yaml"));
        assert!(!in_patch_file("base/deployment.yaml"));
        assert!(!in_patch_file("dispatcher/deployment.yaml"));
        // A colon in a file name is part of the name, not a line number.
        assert!(in_patch_file("a:b:c-patch.yaml"));
    }
}

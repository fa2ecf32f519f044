//! Offline schema validation: every embedded Kubernetes version is selectable, a field added in a
//! newer version is unknown in an older one, a CRD in the input validates its custom resources,
//! and the kubeconform fixtures of the corpus get the errors they are meant to show.

mod common;

use std::path::Path;
use std::process::Command;

use kubeadvise::lint::{self, LoadedFile, Selection};
use kubeadvise::rules::LintOptions;

const SCHEMA_RULES: [&str; 4] = ["api-unknown-field", "api-schema-violation", "api-ambiguous-scalar", "api-no-schema"];

/// (rule, 1-based line, message) of every finding of the schema rules on `text` for `version`.
fn lint_version(text: &str, version: &str) -> Vec<(&'static str, usize, String)> {
    let files: Vec<LoadedFile> = vec![lint::load_bytes(0, "in.yaml", text.as_bytes().to_vec())];
    let options = LintOptions { kubernetes_version: version.to_string(), ..LintOptions::default() };
    let outcome = lint::lint(&files, &Selection::only(&SCHEMA_RULES), &options);
    outcome
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.span.map_or(0, |s| files[0].source.position(s.start()).line), d.message.clone()))
        .collect()
}

const SIDECAR: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
    - name: proxy
      image: registry.example.com/proxy:1.0
      restartPolicy: Always
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
";

#[test]
fn a_field_added_later_is_unknown_in_older_versions() {
    let old = lint_version(SIDECAR, "1.27");
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!((old[0].0, old[0].1), ("api-unknown-field", 9));
    assert!(old[0].2.contains("added in Kubernetes 1.28"), "{}", old[0].2);
    assert!(lint_version(SIDECAR, "1.28").is_empty());
}

#[test]
fn every_embedded_version_is_selectable() {
    let deployment = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          replicas: 3
";
    let versions: Vec<&str> = kubeadvise::schema::versions().collect();
    assert!(versions.len() >= 4, "at least the four newest minor versions");
    for v in versions {
        let found = lint_version(deployment, v);
        assert_eq!(found.len(), 1, "{v}: {found:?}");
        assert_eq!((found[0].0, found[0].1), ("api-unknown-field", 18), "{v}");
        let status = Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
            .env("LC_ALL", "C")
            .args(["check", "--no-config", "--kubernetes-version", v, "-"])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs");
        assert_ne!(status.status.code(), Some(2), "{v} is accepted");
    }
}

#[test]
fn an_unknown_version_is_a_usage_error_naming_the_available_ones() {
    let out = Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
        .env("LC_ALL", "C")
        .args(["check", "--no-config", "--kubernetes-version", "1.99", "-"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1.99") && stderr.contains(kubeadvise::schema::newest()), "{stderr}");
}

#[test]
fn a_crd_in_the_input_validates_its_custom_resources() {
    let text = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    kind: Widget
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size:
                  type: integer
                port:
                  x-kubernetes-int-or-string: true
                note:
                  type: string
                  nullable: true
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: big
spec:
  size: large
  port: http
  note: null
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: none
spec:
  port: 8080
---
apiVersion: example.com/v2
kind: Widget
metadata:
  name: later
spec:
  size: 1
";
    let found = lint_version(text, "1.37");
    let lines: Vec<(&str, usize)> = found.iter().map(|(r, l, _)| (*r, *l)).collect();
    assert_eq!(
        lines,
        [("api-schema-violation", 36), ("api-schema-violation", 44), ("api-schema-violation", 47)],
        "{found:?}"
    );
    assert!(found[0].2.contains("`spec.size` must be an integer"), "{}", found[0].2);
    assert!(found[1].2.contains("lacks the required field `size`"), "{}", found[1].2);
    assert!(found[2].2.contains("does not serve `example.com/v2`"), "{}", found[2].2);
}

/// kubeconform's own fixtures: the invalid ones fail where they are meant to, the valid ones pass.
#[test]
fn kubeconform_fixtures_show_what_they_are_meant_to() {
    let dir = Path::new("/work/shared/corpus/yannh__kubeconform/fixtures");
    if !dir.is_dir() {
        eprintln!("corpus not present: skipped");
        return;
    }
    let lint_file = |name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).expect("fixture readable");
        lint_version(&text, "1.37").into_iter().map(|(r, l, _)| (r, l)).collect::<Vec<_>>()
    };
    // `replicas: "asd"` and a misspelt `templates`.
    assert_eq!(lint_file("invalid.yaml"), [("api-schema-violation", 6), ("api-unknown-field", 9)]);
    assert_eq!(lint_file("list_invalid.yaml"), [("api-schema-violation", 26), ("api-unknown-field", 29)]);
    // A Service port written as a string.
    assert_eq!(lint_file("multi_invalid.yaml"), [("api-schema-violation", 12)]);
    // `replicas` on a DaemonSet.
    assert_eq!(lint_file("extra_property.yaml"), [("api-unknown-field", 7)]);
    for valid in [
        "valid.yaml",
        "multi_valid.yaml",
        "list_valid.yaml",
        "int_or_string.yaml",
        "quantity.yaml",
        "null_string.yaml",
        "null_array.yaml",
        "unconventional_keys.yaml",
        "generate_name.yaml",
    ] {
        assert_eq!(lint_file(valid), [], "{valid}");
    }
}

/// The API-version rules follow the target: nothing before the replacement exists, info once it
/// does, warning once deprecated, error once removed.
#[test]
fn api_version_findings_follow_the_target_version() {
    let text = "\
apiVersion: admissionregistration.k8s.io/v1beta1
kind: ValidatingAdmissionPolicy
metadata:
  name: p
";
    let run = |version: &str| {
        let files: Vec<LoadedFile> = vec![lint::load_bytes(0, "in.yaml", text.as_bytes().to_vec())];
        let options = LintOptions { kubernetes_version: version.to_string(), ..LintOptions::default() };
        let outcome = lint::lint(&files, &Selection::only(&["apiver-deprecated", "apiver-removed"]), &options);
        outcome.diagnostics.iter().map(|d| (d.rule, d.severity.to_string())).collect::<Vec<_>>()
    };
    assert_eq!(run("1.29"), []);
    assert_eq!(run("1.30"), [("apiver-deprecated", "info".to_string())]);
    assert_eq!(run("1.31"), [("apiver-deprecated", "warning".to_string())]);
    assert_eq!(run("1.34"), [("apiver-removed", "error".to_string())]);
}

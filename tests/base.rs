//! `--base <path>`: the old version of the manifests, compared by `api-immutable-field-change`.
//! A file or a directory; without it the rule says nothing; a missing path is a usage error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
        .env("LC_ALL", "C")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&o.stdout)))
}

fn sts(storage: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {{app: db}}
  template:
    metadata:
      labels: {{app: db}}
    spec:
      containers:
        - name: db
          image: example.com/db:1.0.0
          volumeMounts:
            - {{name: data, mountPath: /data}}
  volumeClaimTemplates:
    - metadata: {{name: data}}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {{requests: {{storage: {storage}}}}}
"
    )
}

const RULE: &str = "api-immutable-field-change";

#[test]
fn base_directory_reports_the_changed_node_and_the_old_location() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old/db/sts.yaml", &sts("10Gi"));
    write(dir.path(), "new/db/sts.yaml", &sts("20Gi"));
    let o = run(dir.path(), &["check", "new", "--base", "old", "--select", RULE, "--format", "json"]);
    let v = json(&o);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{v:#}");
    let d = &diags[0];
    assert_eq!(d["rule"], RULE);
    assert_eq!(d["severity"], "error");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("spec.volumeClaimTemplates[0].spec.resources.requests.storage"), "{message}");
    assert!(message.contains("`10Gi`") && message.contains("old/db/sts.yaml:22:"), "{message}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn base_file_without_changes_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", &sts("10Gi"));
    write(dir.path(), "new.yaml", &sts("10Gi"));
    let o = run(dir.path(), &["check", "new.yaml", "--base", "old.yaml", "--select", RULE, "--format", "json"]);
    assert_eq!(json(&o)["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn without_base_the_rule_is_silent() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "new.yaml", &sts("20Gi"));
    let o = run(dir.path(), &["check", "new.yaml", "--select", RULE, "--format", "json"]);
    assert_eq!(json(&o)["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn missing_base_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "new.yaml", &sts("20Gi"));
    let o = run(dir.path(), &["check", "new.yaml", "--base", "no-such-dir", "--select", RULE]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-dir"));
}

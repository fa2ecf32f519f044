//! Configuration, suppressions and baselines end to end through the binary: `.kubeadvise.yaml`
//! discovery, validation errors at their line, every setting, the three suppression levels,
//! strict and unused suppressions, `--write-baseline`/`--baseline`, and `kubeadvise init`.

use std::path::Path;
use std::process::{Command, Output};

const BARE_POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
        .env("LC_ALL", "C")
        .current_dir(dir)
        .args(args)
        .env("COLUMNS", "80")
        .output()
        .unwrap()
}

fn json_in(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run_in(dir, &all);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    (out.status.code(), v)
}

fn rules(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn config_is_found_in_a_parent_and_applies() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".kubeadvise.yaml", "failOn: error\nrules:\n  severity:\n    ctrl-bare-pod: info\n");
    write(dir.path(), "k8s/pod.yaml", BARE_POD);
    let sub = dir.path().join("k8s");
    let (code, v) = json_in(&sub, &["check", "pod.yaml"]);
    assert_eq!(code, Some(0), "failOn error, and the finding is now info");
    assert_eq!(v["diagnostics"][0]["severity"], "info");
    // Command-line options win over the file.
    let (code, _) = json_in(&sub, &["check", "pod.yaml", "--fail-on", "info"]);
    assert_eq!(code, Some(1));
    // --no-config ignores it.
    let (code, v) = json_in(&sub, &["check", "pod.yaml", "--no-config"]);
    assert_eq!((code, v["diagnostics"][0]["severity"].as_str()), (Some(1), Some("warning")));
}

#[test]
fn invalid_config_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cfg.yaml", "failOn: warning\nrules:\n  ignore: [ctrl-bare-pod]\n  severty: {}\n");
    write(dir.path(), "pod.yaml", BARE_POD);
    let out = run_in(dir.path(), &["check", "pod.yaml", "--config", "cfg.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cfg.yaml:4:3") && err.contains("unknown key `severty`") && err.contains("severity"), "{err}");
    // In French, the same error at the same place.
    let out = run_in(dir.path(), &["check", "pod.yaml", "--config", "cfg.yaml", "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cfg.yaml:4:3")
            && err.contains("clé inconnue `severty` dans rules")
            && err.contains("Vouliez-vous dire `severity` ?"),
        "{err}"
    );
}

#[test]
fn ignore_exclude_and_namespace_from_config() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".kubeadvise.yaml", "rules:\n  ignore: [ctrl-replicationcontroller]\nexclude: ['vendor/**']\n");
    write(dir.path(), "pod.yaml", BARE_POD);
    write(dir.path(), "vendor/pod.yaml", BARE_POD);
    write(dir.path(), "rc.yaml", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: old\n");
    let (_, v) = json_in(dir.path(), &["check", "."]);
    let files: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files, vec!["./pod.yaml"], "vendor/ excluded, the RC rule ignored");
    // A file named explicitly is read even when excluded.
    let (_, v) = json_in(dir.path(), &["check", "vendor/pod.yaml"]);
    assert_eq!(rules(&v), vec!["ctrl-bare-pod"]);
}

#[test]
fn custom_workload_kinds_and_stateful_images() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".kubeadvise.yaml",
        "workloadKinds:\n- {apiGroup: argoproj.io, kind: Rollout, behavesAs: Deployment}\nstatefulImages:\n- {name: AcmeDB, images: [acme/acmedb], ports: [7777], dataPaths: [/var/lib/acmedb]}\n",
    );
    write(
        dir.path(),
        "rollout.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n  replicas: 4\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 100%\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27.3\n",
    );
    write(
        dir.path(),
        "db.yaml",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n      - name: db\n        image: acme/acmedb:3.1\n        ports:\n        - containerPort: 7777\n",
    );
    let (_, v) = json_in(dir.path(), &["check", "rollout.yaml", "db.yaml"]);
    let d = v["diagnostics"].as_array().unwrap();
    let rollout =
        d.iter().find(|d| d["rule"] == "rollout-max-unavailable-all").expect("the Rollout is checked as a Deployment");
    assert_eq!(rollout["object"]["kind"], "Rollout");
    assert!(rollout["message"].as_str().unwrap().starts_with("Rollout `web`"));
    let sts = d.iter().find(|d| d["rule"] == "sts-no-volumeclaimtemplates").unwrap();
    assert_eq!(sts["severity"], "warning", "AcmeDB with its port is a stateful server");
    assert!(sts["message"].as_str().unwrap().contains("AcmeDB"));
}

#[test]
fn suppressions_at_three_levels_with_unused_and_strict() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".kubeadvise.yaml",
        "suppressions:\n- {rule: ctrl-bare-pod, namespace: 'debug-*', reason: debug pods}\n- {rule: ctrl-bare-replicaset}\n",
    );
    let pods = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: debug-1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  annotations:\n    kubeadvise.io/ignore: ctrl-bare-pod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n  annotations:\n    kubeadvise.io/ignore: ctrl-bare-pod,ctrl-bare-replicaset\n    kubeadvise.io/ignore-reason: kept for the demo\n";
    write(dir.path(), "pods.yaml", pods);
    let (code, v) = json_in(dir.path(), &["check", "pods.yaml"]);
    let found: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap_or(0)))
        .collect();
    // Pod a by config, b and c by annotation; c's replicaset id never applies to a Pod; the
    // config's replicaset suppression matched nothing (it points into the config file).
    assert_eq!(code, Some(0), "{found:?}");
    assert_eq!(found, vec![("suppression-unused".to_string(), 19), ("suppression-unused".to_string(), 3)]);
    assert_eq!(v["diagnostics"][1]["file"], ".kubeadvise.yaml");

    let (code, v) = json_in(dir.path(), &["check", "pods.yaml", "--strict-suppressions"]);
    assert_eq!(code, Some(1));
    let strict: Vec<String> = rules(&v).into_iter().filter(|r| r == "suppression-missing-reason").collect();
    assert_eq!(strict.len(), 2, "pod b's annotation and the config's second entry lack a reason: {v}");
}

#[test]
fn config_suppressions_see_the_default_namespace_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".kubeadvise.yaml",
        "suppressions:\n- {rule: ctrl-bare-pod, namespace: sandbox, reason: scratch pods}\n",
    );
    write(dir.path(), "pod.yaml", BARE_POD);
    // The Pod sets no namespace: it lands in `default`, which the suppression does not cover...
    let (code, v) = json_in(dir.path(), &["check", "pod.yaml"]);
    assert_eq!((code, rules(&v).contains(&"ctrl-bare-pod".to_string())), (Some(1), true), "{v}");
    // ...unless the run puts unnamespaced objects in `sandbox`.
    let (code, v) = json_in(dir.path(), &["check", "pod.yaml", "--namespace", "sandbox"]);
    assert_eq!(code, Some(0), "{v}");
    assert!(!rules(&v).contains(&"ctrl-bare-pod".to_string()), "{v}");
}

#[test]
fn junit_marks_config_suppressions_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".kubeadvise.yaml",
        "suppressions:\n- {rule: ctrl-bare-pod, name: 'scratch-*', reason: debugging}\n",
    );
    let pods = BARE_POD.replace("name: web\nspec", "name: scratch-1\nspec");
    write(dir.path(), "pods.yaml", &format!("{BARE_POD}---\n{pods}"));
    let out = run_in(dir.path(), &["check", "pods.yaml", "--select", "ctrl-bare-pod", "--format", "junit"]);
    let xml = String::from_utf8_lossy(&out.stdout);
    let case = |name: &str| -> String {
        let start = xml.find(&format!("name=\"ctrl-bare-pod: Pod/{name}\"")).unwrap_or_else(|| panic!("{xml}"));
        xml[start..].split("</testcase>").next().unwrap().to_string()
    };
    assert!(case("web").contains("<failure"), "{xml}");
    assert!(case("scratch-1").contains("<skipped message=\"suppressed by the configuration\"/>"), "{xml}");
    assert!(xml.contains("skipped=\"1\""), "{xml}");
}

#[test]
fn container_level_suppression() {
    let dir = tempfile::tempdir().unwrap();
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  annotations:\n    kubeadvise.io/ignore.sidecar: sts-volumemount-unresolved\nspec:\n  template:\n    spec:\n      containers:\n      - name: db\n        image: postgres:17.2\n        volumeMounts: [{name: nope, mountPath: /x}]\n      - name: sidecar\n        image: busybox:1.37\n        volumeMounts: [{name: nope, mountPath: /x}]\n";
    write(dir.path(), "sts.yaml", sts);
    let (_, v) = json_in(dir.path(), &["check", "sts.yaml", "--select", "sts-volumemount-unresolved"]);
    let lines: Vec<u64> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![13], "only the db container's mount is reported");
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let keep = tempfile::tempdir().unwrap();
    let base_path = keep.path().join("base.json");
    let base_arg = base_path.to_str().unwrap();
    write(dir.path(), "pod.yaml", BARE_POD);
    write(dir.path(), "rc.yaml", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: old\n");
    let out = run_in(dir.path(), &["check", ".", "--write-baseline", base_arg]);
    assert_eq!(out.status.code(), Some(1));
    let base: serde_json::Value = serde_json::from_slice(&std::fs::read(&base_path).unwrap()).unwrap();
    assert_eq!(base["version"], 1);
    assert_eq!(base["findings"].as_array().unwrap().len(), 2);

    // Lines added above the finding do not invalidate it; the RC is fixed; a new Pod appears.
    write(
        dir.path(),
        "pod.yaml",
        &format!("# moved down\n\n{BARE_POD}---\n{}", BARE_POD.replace("name: web", "name: new")),
    );
    std::fs::remove_file(dir.path().join("rc.yaml")).unwrap();
    let (code, v) = json_in(dir.path(), &["check", ".", "--baseline", base_arg]);
    assert_eq!(code, Some(1));
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(v["diagnostics"][0]["object"]["name"], "new");
    assert_eq!((v["summary"]["baselined"].as_u64(), v["summary"]["fixed"].as_u64()), (Some(1), Some(1)));
    let human = run_in(dir.path(), &["check", ".", "--baseline", base_arg, "--color", "never"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("Baseline: 1 known finding hidden, 1 finding fixed"));
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join(".kubeadvise.yaml")).unwrap();
    assert!(text.contains("failOn: warning"));
    assert_eq!(run_in(dir.path(), &["init"]).status.code(), Some(2));
    assert_eq!(run_in(dir.path(), &["init", "--force"]).status.code(), Some(0));
    // The starter config is valid and changes nothing by default.
    write(dir.path(), "pod.yaml", BARE_POD);
    let (code, v) = json_in(dir.path(), &["check", "pod.yaml"]);
    assert_eq!((code, rules(&v)), (Some(1), vec!["ctrl-bare-pod".to_string()]));
}

#[test]
fn rule_options_reach_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 12\n";
    write(dir.path(), "ds.yaml", ds);
    // Only this rule: the DaemonSet is a fragment other rules (schema validation) report.
    let args = ["check", "ds.yaml", "--select", "rollout-max-unavailable-all"];
    let (_, v) = json_in(dir.path(), &args);
    assert!(rules(&v).is_empty(), "without a node count an integer is not judged");
    write(dir.path(), ".kubeadvise.yaml", "rules:\n  options:\n    rollout-max-unavailable-all: {expectedNodes: 10}\n");
    let (_, v) = json_in(dir.path(), &args);
    assert_eq!(rules(&v), vec!["rollout-max-unavailable-all"]);
}

//! The built binary end to end: files, directories, stdin, `kind: List`, JSON input, exit codes
//! 0/1/2, the JSON contract, `explain`, `rules`, usage errors, colour control.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeadvise"));
    cmd.env("LC_ALL", "C");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("NO_COLOR").env("COLUMNS", "80");
    cmd
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child =
        bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

const BARE_POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n";
const CONFIGMAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";

#[test]
fn examples_report_each_story_at_its_line() {
    let o = run(&["check", "examples/", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let found: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for (rule, file, line) in [
        ("ctrl-bare-pod", "examples/01-blog-bare-pod.yaml", 4),
        ("state-deployment-shared-pvc", "examples/03-pizzeria-postgres-deployment.yaml", 40),
        ("state-deployment-rwo-rolling-update", "examples/03-pizzeria-postgres-deployment.yaml", 40),
        ("sts-no-volumeclaimtemplates", "examples/05-pizzeria-queue-statefulset-no-claims.yaml", 8),
        ("rollout-max-unavailable-all", "examples/06-blog-max-unavailable-100.yaml", 15),
    ] {
        assert!(
            found.iter().any(|(r, f, l)| r == rule && f == file && *l == line),
            "{rule} not reported at {file}:{line}; found {found:#?}"
        );
    }
    for clean in ["examples/02-blog-deployment.yaml", "examples/04-pizzeria-postgres-statefulset.yaml"] {
        let in_clean: Vec<_> = found.iter().filter(|(_, f, _)| f == clean).collect();
        assert!(in_clean.is_empty(), "{clean} is the done-right example, yet: {in_clean:?}");
    }
}

#[test]
fn json_contract_snapshot() {
    let o = run(&[
        "check",
        "examples/03-pizzeria-postgres-deployment.yaml",
        "examples/02-blog-deployment.yaml",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!("json_contract", stdout(&o));
}

#[test]
fn human_output_snapshot() {
    let o = run(&["check", "examples/05-pizzeria-queue-statefulset-no-claims.yaml", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("human_sts_example", stdout(&o));
}

#[test]
fn exit_codes() {
    let dir = temp_dir();
    let clean = write(dir.path(), "clean.yaml", CONFIGMAP);
    let bad = write(dir.path(), "pod.yaml", BARE_POD);
    assert_eq!(run(&["check", clean.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(run(&["check", bad.to_str().unwrap()]).status.code(), Some(1));
    // The bare Pod is a warning: below an error threshold it does not fail the run.
    assert_eq!(run(&["check", bad.to_str().unwrap(), "--fail-on", "error"]).status.code(), Some(0));
    // A missing path is an I/O error (2), and the other files are still checked.
    let o = run(&["check", "no/such/file.yaml", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let rules: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"input-io-error") && rules.contains(&"ctrl-bare-pod"), "{rules:?}");
    let io = &v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "input-io-error").unwrap();
    assert_eq!(io["file"], "no/such/file.yaml");
    assert!(io["line"].is_null() && io["object"].is_null());
}

#[test]
fn dangling_symlink_given_explicitly_is_an_io_error() {
    let dir = temp_dir();
    let link = dir.path().join("gone.yaml");
    std::os::unix::fs::symlink(dir.path().join("missing-target.yaml"), &link).unwrap();
    let o = run(&["check", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("input-io-error"), "{}", stdout(&o));
    assert!(stdout(&o).contains("gone.yaml"));
}

#[test]
fn stdin_is_read_with_dash() {
    let o = run_stdin(&["check", "-", "--format", "json"], BARE_POD);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["diagnostics"][0]["rule"], "ctrl-bare-pod");
    assert_eq!(v["diagnostics"][0]["file"], "-");
    assert_eq!(v["diagnostics"][0]["line"], 2);
    let human = run_stdin(&["check", "-", "--color", "never"], BARE_POD);
    assert!(stdout(&human).contains("<stdin>:2:7"), "{}", stdout(&human));
}

#[test]
fn directories_are_walked_for_manifests_only() {
    let dir = temp_dir();
    write(dir.path(), "a/pod.yaml", BARE_POD);
    write(dir.path(), "b/pod.yml", BARE_POD);
    write(
        dir.path(),
        "c/pod.json",
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"c","image":"nginx:1.27.3"}]}}"#,
    );
    write(dir.path(), "notes.txt", BARE_POD);
    write(dir.path(), ".hidden/pod.yaml", BARE_POD);
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["summary"]["files"], 3, "{}", stdout(&o));
    let files: Vec<String> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_string()).collect();
    assert!(
        files[0].ends_with("a/pod.yaml") && files[1].ends_with("b/pod.yml") && files[2].ends_with("c/pod.json"),
        "{files:?}"
    );
}

#[test]
fn json_input_points_at_the_right_line() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "pod.json",
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"j\"}\n}\n",
    );
    let v = json(&run(&["check", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["diagnostics"][0]["rule"], "ctrl-bare-pod");
    assert_eq!((v["diagnostics"][0]["line"].as_u64(), v["diagnostics"][0]["column"].as_u64()), (Some(3), Some(11)));
}

#[test]
fn list_items_are_objects_with_their_own_lines() {
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n";
    let v = json(&run_stdin(&["check", "-", "--format", "json"], list));
    let lines: Vec<u64> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![5, 8]);
    assert_eq!(v["diagnostics"][1]["object"]["name"], "b");
    assert_eq!(v["summary"]["objects"], 2);
}

#[test]
fn select_and_ignore() {
    let o = run(&["check", "examples/", "--select", "ctrl", "--format", "json"]);
    let v = json(&o);
    assert!(v["diagnostics"].as_array().unwrap().iter().all(|d| d["rule"].as_str().unwrap().starts_with("ctrl-")));
    let o = run(&["check", "examples/01-blog-bare-pod.yaml", "--ignore", "ctrl-bare-pod"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn unknown_rule_is_a_usage_error_with_a_suggestion() {
    let o = run(&["check", "examples/", "--select", "ctrl-bare-pd"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown rule `ctrl-bare-pd`") && err.contains("ctrl-bare-pod"), "{err}");
    let o = run(&["explain", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_prints_the_page_with_a_header() {
    let o = run(&["explain", "ctrl-bare-pod"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("ctrl-bare-pod\n"), "{text}");
    assert!(text.contains("Family: Controllers · Default severity: warning · Applies to: Pod"));
    assert!(text.contains("## Why is this bad?"));
}

#[test]
fn rules_lists_every_rule() {
    let o = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), kubeadvise::rules::all_metas().len());
    assert!(ids.contains(&"sts-volumemount-unresolved"));
    let table = stdout(&run(&["rules"]));
    assert!(table.lines().any(|l| l.starts_with("ctrl-bare-pod ") && l.contains("warning")));
}

#[test]
fn colour_follows_the_flag() {
    let never = run(&["check", "examples/01-blog-bare-pod.yaml", "--color", "never"]);
    assert!(!stdout(&never).contains('\u{1b}'));
    let always = run(&["check", "examples/01-blog-bare-pod.yaml", "--color", "always"]);
    assert!(stdout(&always).contains('\u{1b}'));
    // Not a terminal: auto means no colour.
    let auto = run(&["check", "examples/01-blog-bare-pod.yaml"]);
    assert!(!stdout(&auto).contains('\u{1b}'));
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let dir = temp_dir();
    write(dir.path(), "1-broken.yaml", "kind: [Pod\n");
    write(dir.path(), "2-binary.yaml", "a\u{0}b");
    write(dir.path(), "3-pod.yaml", BARE_POD);
    let v = json(&run(&["check", dir.path().to_str().unwrap(), "--format", "json"]));
    let rules: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["yaml-syntax", "input-binary", "ctrl-bare-pod"]);
}

#[test]
fn annotation_suppresses_a_rule() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  annotations:\n    kubeadvise.io/ignore: ctrl-bare-pod\n    kubeadvise.io/ignore-reason: debug pod\n";
    let o = run_stdin(&["check", "-"], pod);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

//! Integrations generated from or built around the CLI: shell completions (bash completion driven
//! for real; zsh and fish syntax-checked where installed), the man pages (rendered by groff where
//! installed), and the composite GitHub Action in `action.yml` (its check step run with bash).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kubeadvise::source::SourceFile;
use kubeadvise::yaml::{self, Node};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn kubeadvise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
        .env("LC_ALL", "C")
        .current_dir(root())
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

// ---------------------------------------------------------------- completions

/// What bash completion offers for `words`, the last one being completed.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n_kubeadvise kubeadvise '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let o = Command::new("bash").args(["--norc", "--noprofile", "-c", &program]).output().expect("bash runs");
    assert!(o.status.success(), "{}", text(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn bash_completion_completes_subcommands_flags_and_formats() {
    if !installed("bash") {
        eprintln!("SKIPPED bash_completion_completes_subcommands_flags_and_formats: bash is not installed");
        return;
    }
    let o = kubeadvise(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("kubeadvise.bash");
    std::fs::write(&script, &o.stdout).unwrap();

    let subcommands = bash_complete(&script, &["kubeadvise", ""]);
    for sub in ["check", "explain", "rules", "completions", "man"] {
        assert!(subcommands.iter().any(|s| s == sub), "{sub} not offered: {subcommands:?}");
    }
    let flags = bash_complete(&script, &["kubeadvise", "check", "--"]);
    for flag in ["--format", "--output", "--select", "--fail-on"] {
        assert!(flags.iter().any(|s| s == flag), "{flag} not offered: {flags:?}");
    }
    let formats = bash_complete(&script, &["kubeadvise", "check", "--format", ""]);
    assert_eq!(formats, ["human", "json", "sarif", "junit", "github", "gitlab", "checkstyle"]);
    let shells = bash_complete(&script, &["kubeadvise", "completions", ""]);
    assert!(shells.iter().any(|s| s == "zsh"), "{shells:?}");
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, check) in [
        ("bash", Some(("bash", vec!["-n"]))),
        ("zsh", Some(("zsh", vec!["-n"]))),
        ("fish", Some(("fish", vec!["--no-execute"]))),
        ("elvish", None),
        ("powershell", None),
    ] {
        let o = kubeadvise(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", text(&o));
        let script = stdout(&o);
        assert!(script.contains("kubeadvise") && script.contains("--format"), "{shell} script:\n{script}");
        // Scripts of shells that complete values offer the format names.
        if check.is_some() {
            assert!(script.contains("checkstyle"), "{shell} script does not offer the formats:\n{script}");
        }
        if let Some((program, args)) = check {
            if !installed(program) {
                eprintln!("(syntax check of the {shell} script skipped: {program} is not installed)");
                continue;
            }
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join(format!("kubeadvise.{shell}"));
            std::fs::write(&file, &script).unwrap();
            let o = Command::new(program).args(&args).arg(&file).output().unwrap();
            assert!(o.status.success(), "{program} rejects the {shell} script:\n{}", text(&o));
        }
    }
    let o = kubeadvise(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "an unknown shell is a usage error");
}

// ---------------------------------------------------------------- man

#[test]
fn man_pages() {
    let main = stdout(&kubeadvise(&["man"]));
    assert!(main.contains(".TH kubeadvise 1"), "{main}");
    for part in [".SH NAME", ".SH SYNOPSIS", "kubeadvise\\-check(1)", "kubeadvise\\-completions(1)"] {
        assert!(main.contains(part), "`{part}` missing from the man page:\n{main}");
    }
    let check = stdout(&kubeadvise(&["man", "check"]));
    assert!(check.contains(".TH kubeadvise-check 1"), "{check}");
    for part in ["\\-\\-format", "\\-\\-output", "sarif", "checkstyle", "\\-\\-fail\\-on"] {
        assert!(check.contains(part), "`{part}` missing from kubeadvise-check(1)");
    }
    let o = kubeadvise(&["man", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown subcommand `nope`"), "{}", text(&o));

    if !installed("groff") {
        eprintln!("(rendering the man pages skipped: groff is not installed)");
        return;
    }
    for page in [&main, &check] {
        // -k: preconv (as man does), -ww: all warnings.
        let mut child = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success() && o.stderr.is_empty(), "groff warns:\n{}", text(&o));
        let rendered = String::from_utf8_lossy(&o.stdout).replace('\u{8}', "");
        assert!(rendered.contains("kubeadvise"), "{rendered}");
    }
}

// ---------------------------------------------------------------- action.yml

fn action() -> Node {
    let source = SourceFile::new("action.yml", std::fs::read_to_string(root().join("action.yml")).unwrap());
    let (mut documents, problems) = yaml::load(&source);
    assert!(problems.is_empty(), "action.yml: {:?}", problems.iter().map(|p| &p.message).collect::<Vec<_>>());
    assert_eq!(documents.len(), 1);
    documents.remove(0).root
}

fn step<'a>(action: &'a Node, id: &str) -> &'a Node {
    let steps = action.get("runs").and_then(|r| r.get("steps")).expect("runs.steps");
    steps
        .items()
        .iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some(id))
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn action_yml_is_a_composite_action() {
    let action = action();
    let runs = action.get("runs").unwrap();
    assert_eq!(runs.get("using").and_then(Node::as_str), Some("composite"));
    for input in ["paths", "fail-on", "sarif-file", "args"] {
        let node = action.get("inputs").and_then(|i| i.get(input)).unwrap_or_else(|| panic!("input {input}"));
        assert!(node.get("description").is_some(), "input {input} has no description");
    }
    for s in runs.get("steps").unwrap().items() {
        assert_eq!(s.get("shell").and_then(Node::as_str), Some("bash"), "composite run steps need a shell");
    }
    let install = step(&action, "install").get("run").and_then(Node::as_str).unwrap();
    assert!(install.contains("cargo install --locked") && install.contains("--path \"$ACTION_PATH\""), "{install}");
    assert!(install.contains("$GITHUB_PATH"));
    let check = step(&action, "check").get("run").and_then(Node::as_str).unwrap();
    assert!(check.contains("--format github") && check.contains("sarif=$KUBEADVISE_SARIF"), "{check}");
}

/// Run the action's check step as the runner would, with kubeadvise on PATH.
fn run_check_step(env: &[(&str, &str)], dir: &Path) -> (Output, String) {
    let action = action();
    let script = step(&action, "check").get("run").and_then(Node::as_str).unwrap().to_string();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_kubeadvise")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let output_file = dir.join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", &script])
        .current_dir(root())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file)
        .env("KUBEADVISE_FAIL_ON", "warning")
        .env("KUBEADVISE_ARGS", "")
        .env("KUBEADVISE_SARIF", "");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    (o, std::fs::read_to_string(&output_file).unwrap())
}

#[test]
fn action_check_step_runs_kubeadvise() {
    if !installed("bash") {
        eprintln!("SKIPPED action_check_step_runs_kubeadvise: bash is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("kubeadvise.sarif");
    let paths = "tests/fixtures/_formats/bare-pods.yaml\n  tests/fixtures/_formats/clean.yaml";
    let (o, outputs) = run_check_step(
        &[
            ("KUBEADVISE_PATHS", paths),
            ("KUBEADVISE_SARIF", sarif.to_str().unwrap()),
            ("KUBEADVISE_ARGS", "--select ctrl-bare-pod"),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "a warning fails the step with fail-on warning:\n{}", text(&o));
    let out = stdout(&o);
    assert!(out.starts_with("::warning file=tests/fixtures/_formats/bare-pods.yaml,line=3,"), "{out}");
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(log["runs"][0]["artifacts"].as_array().unwrap().len(), 2, "both paths were checked");
    assert_eq!(outputs.trim(), format!("sarif-file={}", sarif.display()));

    // fail-on error lets the warning pass; an empty sarif-file writes no SARIF; `*` is not globbed.
    let (o, _) = run_check_step(
        &[
            ("KUBEADVISE_PATHS", "tests/fixtures/_formats/bare-pods.yaml"),
            ("KUBEADVISE_FAIL_ON", "error"),
            ("KUBEADVISE_ARGS", "--select ctrl-bare-pod"),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(stdout(&o).contains("::warning "));
    let (o, _) = run_check_step(&[("KUBEADVISE_PATHS", "tests/fixtures/_formats/*.yaml")], dir.path());
    assert_eq!(o.status.code(), Some(2), "a literal `*` path does not exist: {}", text(&o));
}

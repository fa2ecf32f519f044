//! The pre-commit hook for real: installs `pre-commit` from PyPI into a venv (cached under
//! target/), validates this checkout's `.pre-commit-hooks.yaml`, creates a git repository with a
//! bad manifest and a `.pre-commit-config.yaml` that uses that hook, and checks that the commit is
//! refused with the diagnostic and accepted after the fix. The config overrides only the hook's
//! `language` (rust -> system) so the binary this test run built is used instead of pre-commit
//! compiling the crate again in release mode (that took most of CI's time); the hook's entry,
//! arguments and file pattern are the manifest's own. Skipped, with a message, only where python3
//! is absent.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sh(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn ok(cmd: &mut Command) -> String {
    let out = sh(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid");
    c
}

const BARE_POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n";
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27.3\n";

#[test]
fn pre_commit_refuses_a_bad_manifest_and_accepts_the_fix() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed, so pre-commit cannot be installed");
        return;
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cache = repo.join("target/precommit-test");
    let venv = cache.join("venv");
    if !venv.join("bin/pre-commit").exists() {
        ok(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "pre-commit"]));
    }
    let pre_commit = venv.join("bin/pre-commit");
    let manifest = repo.join(".pre-commit-hooks.yaml");
    ok(Command::new(&pre_commit).arg("validate-manifest").arg(&manifest));
    let hooks = std::fs::read_to_string(&manifest).unwrap();
    assert!(hooks.contains("language: rust"), "users install the hook with cargo:\n{hooks}");

    // The hook is installed from a commit of this repository: a snapshot of the hook manifest as
    // it is now, committed or not (with `language: system` nothing else of the tree is used).
    let snapshot = tempfile::tempdir().unwrap();
    std::fs::copy(&manifest, snapshot.path().join(".pre-commit-hooks.yaml")).unwrap();
    ok(git(snapshot.path()).args(["init", "-q"]));
    ok(git(snapshot.path()).args(["add", "."]));
    ok(git(snapshot.path()).args(["commit", "-q", "-m", "snapshot"]));
    let rev = ok(git(snapshot.path()).args(["rev-parse", "HEAD"])).trim().to_string();

    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    ok(git(dir).args(["init", "-q"]));
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: kubeadvise\n        language: system\n",
            snapshot.path().display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("web.yaml"), BARE_POD).unwrap();
    let home = cache.join("home");
    ok(Command::new(&pre_commit).current_dir(dir).env("PRE_COMMIT_HOME", &home).arg("install"));
    ok(git(dir).args(["add", "."]));
    let refused =
        sh(git(dir).env("PRE_COMMIT_HOME", &home).env("PATH", path_with(&venv)).args(["commit", "-m", "add web"]));
    let output = format!("{}{}", String::from_utf8_lossy(&refused.stdout), String::from_utf8_lossy(&refused.stderr));
    assert!(!refused.status.success(), "the commit of a bare Pod must be refused:\n{output}");
    assert!(output.contains("ctrl-bare-pod") && output.contains("web.yaml:2:7"), "{output}");

    std::fs::write(dir.join("web.yaml"), DEPLOYMENT).unwrap();
    ok(git(dir).args(["add", "."]));
    let accepted =
        sh(git(dir).env("PRE_COMMIT_HOME", &home).env("PATH", path_with(&venv)).args(["commit", "-m", "add web"]));
    let output = format!("{}{}", String::from_utf8_lossy(&accepted.stdout), String::from_utf8_lossy(&accepted.stderr));
    assert!(accepted.status.success(), "the fixed manifest must be accepted:\n{output}");
}

/// PATH with the venv's tools and the directory of the kubeadvise binary this test run built.
fn path_with(venv: &Path) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_kubeadvise")).parent().unwrap().to_path_buf();
    format!("{}:{}:{}", venv.join("bin").display(), bin.display(), std::env::var("PATH").unwrap_or_default())
}

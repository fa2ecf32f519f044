//! Running the built binary from the integration tests: a command with a fixed locale and width,
//! a hang guard, and the JSON report's findings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A Pod with no controller (one `ctrl-bare-pod` finding).
pub const BARE_POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n";

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeadvise"));
    cmd.env("LC_ALL", "C");
    cmd.env("COLUMNS", "80").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

/// Run with a time limit: a hung run fails the test instead of blocking the suite. Output is
/// collected on another thread so a large report never fills the pipe.
pub fn run(cmd: &mut Command) -> Output {
    let child = cmd.spawn().expect("the binary runs");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(output) => output.expect("output is readable"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("kubeadvise did not finish within the hang guard");
        }
    }
}

pub fn check_json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = run(bin().arg("check").args(args).args(["--format", "json"]));
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), v)
}

pub fn rules_and_files(v: &serde_json::Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["file"].as_str().unwrap().to_string()))
        .collect()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

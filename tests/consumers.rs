//! The CI formats read by their real consumers: SARIF validated by Microsoft's SARIF Multitool
//! (npm `@microsoft/sarif-multitool`, with its default rules and with GitHub code scanning's
//! ingestion rules), JUnit read back by `junitparser` (PyPI). Both tools are installed once under
//! `target/tmp/` from their registries; a test is skipped, saying so, only where `npm` or `python3`
//! is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

const MULTITOOL: &str = "@microsoft/sarif-multitool@5.7.0";
const JUNITPARSER: &str = "junitparser==5.0.3";
const FIXTURES: &str = "tests/fixtures/_formats";
const SELECT: &str =
    "input-empty,yaml-syntax,ctrl-bare-pod,state-deployment-shared-pvc,state-deployment-rwo-rolling-update";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("consumers")
}

fn kubeadvise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeadvise"))
        .env("LC_ALL", "C")
        .current_dir(root())
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Run a tool with a time limit, so a hung tool fails the test instead of the CI run.
fn run_limited(cmd: &mut Command, limit: Duration) -> Output {
    let mut child =
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn works(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

// ---------------------------------------------------------------- SARIF Multitool

/// Path of the Multitool executable, installing the npm package on first use; `None` without npm.
fn multitool() -> Option<&'static Path> {
    static TOOL: OnceLock<Option<PathBuf>> = OnceLock::new();
    TOOL.get_or_init(|| {
        if !works("npm", "--version") {
            return None;
        }
        let dir = cache().join("sarif-multitool");
        let resolve = |dir: &Path| {
            // The package's index.js exports the path of the platform's executable.
            let o = Command::new("node")
                .current_dir(dir)
                .args(["-p", "require('@microsoft/sarif-multitool')"])
                .output()
                .ok()?;
            let path = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            (o.status.success() && path.is_file()).then_some(path)
        };
        if let Some(path) = resolve(&dir) {
            return Some(path);
        }
        std::fs::create_dir_all(&dir).expect("cache dir");
        let o = run_limited(
            Command::new("npm").current_dir(&dir).args([
                "install",
                "--prefix",
                ".",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--loglevel=error",
                MULTITOOL,
            ]),
            Duration::from_secs(600),
        );
        assert!(o.status.success(), "npm install {MULTITOOL} failed:\n{}", text(&o));
        let path = resolve(&dir).unwrap_or_else(|| panic!("{MULTITOOL} installed no executable for this platform"));
        // The package makes it executable in a postinstall script, which npm may not have run.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mut mode = std::fs::metadata(&path).expect("executable").permissions();
            mode.set_mode(mode.mode() | 0o700);
            std::fs::set_permissions(&path, mode).expect("chmod");
        }
        Some(path)
    })
    .as_deref()
}

/// The Multitool's policy for these tests: every rule on except SARIF2006 (UrisShouldBeReachable),
/// which resolves and fetches each help URI over the network; offline that costs about 20 s of
/// DNS timeouts per validation and checks nothing about the log itself.
const POLICY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
"#;

/// Validate a SARIF file; returns the Multitool's findings as (level, rule id, location) at
/// levels error and warning.
fn validate(tool: &Path, sarif: &Path, rule_kind: Option<&str>) -> Vec<(String, String, String)> {
    let out = sarif.with_extension(format!("{}.validation.sarif", rule_kind.unwrap_or("default")));
    let policy = sarif.with_extension("policy.xml");
    std::fs::write(&policy, POLICY).expect("policy file");
    let mut cmd = Command::new(tool);
    cmd.arg("validate")
        .arg(sarif)
        .arg("--output")
        .arg(&out)
        .arg("--config")
        .arg(&policy)
        .args(["--log", "ForceOverwrite", "--level", "Error;Warning"])
        // The .NET runtime in the executable needs no ICU this way.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
    if let Some(kind) = rule_kind {
        cmd.args(["--rule-kind", kind]);
    }
    let o = run_limited(&mut cmd, Duration::from_secs(300));
    let log: Value = std::fs::read_to_string(&out)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("the Multitool wrote no readable log ({:?}):\n{}", o.status, text(&o)));
    let run = &log["runs"][0];
    assert_eq!(
        run["invocations"][0]["executionSuccessful"],
        true,
        "the Multitool did not run to completion:\n{}",
        text(&o)
    );
    run["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| {
                    (
                        r["level"].as_str().unwrap_or("warning").to_string(),
                        r["ruleId"].as_str().unwrap_or("?").to_string(),
                        r["message"]["arguments"].to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sarif_multitool_accepts_the_output() {
    let Some(tool) = multitool() else {
        eprintln!("SKIPPED sarif_multitool_accepts_the_output: npm is not installed, so the SARIF Multitool cannot be");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let runs: [(&str, Vec<&str>); 2] = [
        ("fixtures.sarif", vec![FIXTURES, "--select", SELECT]),
        // Every rule, every fixture and example, and an unreadable path (a result with no span).
        ("everything.sarif", vec!["tests/fixtures", "examples", "no-such-file.yaml", "--select", "all"]),
    ];
    for (name, args) in runs {
        let sarif = dir.path().join(name);
        let spec = format!("sarif={}", sarif.display());
        let mut all = vec!["check"];
        all.extend(args);
        all.extend(["--format", &spec]);
        let o = kubeadvise(&all);
        assert!(matches!(o.status.code(), Some(1 | 2)), "{}", text(&o));
        for rule_kind in [None, Some("Gh")] {
            let findings = validate(tool, &sarif, rule_kind);
            assert!(
                findings.is_empty(),
                "SARIF Multitool validate ({}) on {name} reports:\n{findings:#?}",
                rule_kind.unwrap_or("default rules")
            );
        }
    }
}

#[test]
fn sarif_multitool_catches_a_broken_log() {
    // The check has teeth: a result without a location breaks GitHub's ingestion rules.
    let Some(tool) = multitool() else {
        eprintln!("SKIPPED sarif_multitool_catches_a_broken_log: npm is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = kubeadvise(&["check", FIXTURES, "--select", SELECT, "--format", "sarif"]);
    let mut log: Value = serde_json::from_slice(&o.stdout).unwrap();
    log["runs"][0]["results"][0].as_object_mut().unwrap().remove("locations");
    let sarif = dir.path().join("broken.sarif");
    std::fs::write(&sarif, serde_json::to_string_pretty(&log).unwrap()).unwrap();
    let findings = validate(tool, &sarif, Some("Gh"));
    assert!(findings.iter().any(|(level, _, _)| level == "error"), "{findings:#?}");
}

// ---------------------------------------------------------------- junitparser

/// Python with junitparser in a venv under target/tmp; `None` without python3.
fn python() -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if !works("python3", "--version") {
                return None;
            }
            let venv = cache().join("junit-venv");
            let python = if cfg!(windows) { venv.join("Scripts/python.exe") } else { venv.join("bin/python") };
            let ready = |python: &Path| {
                Command::new(python).args(["-c", "import junitparser"]).output().is_ok_and(|o| o.status.success())
            };
            if python.is_file() && ready(&python) {
                return Some(python);
            }
            let o = run_limited(Command::new("python3").arg("-m").arg("venv").arg(&venv), Duration::from_secs(300));
            assert!(o.status.success(), "python3 -m venv failed:\n{}", text(&o));
            let o = run_limited(
                Command::new(&python).args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    JUNITPARSER,
                ]),
                Duration::from_secs(600),
            );
            assert!(o.status.success(), "pip install {JUNITPARSER} failed:\n{}", text(&o));
            Some(python)
        })
        .as_deref()
}

/// Reads a JUnit file with junitparser and prints what it understood, as JSON.
const READ_JUNIT: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        results = [{"kind": type(r).__name__, "type": r.type, "message": r.message, "text": r.text} for r in case.result]
        cases.append({"name": case.name, "classname": case.classname, "results": results})
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                   "errors": suite.errors, "skipped": suite.skipped, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors,
                  "skipped": xml.skipped, "suites": suites}))
"#;

#[test]
fn junitparser_reads_the_junit_report() {
    let Some(python) = python() else {
        eprintln!("SKIPPED junitparser_reads_the_junit_report: python3 is not installed, so junitparser cannot be");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("report.xml");
    let spec = format!("junit={}", junit.display());
    let o = kubeadvise(&["check", FIXTURES, "--select", SELECT, "--format", &spec, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let reference: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diagnostics = reference["diagnostics"].as_array().unwrap();

    let o = run_limited(Command::new(python).arg("-c").arg(READ_JUNIT).arg(&junit), Duration::from_secs(120));
    assert!(o.status.success(), "junitparser could not read the report:\n{}", text(&o));
    let read: Value = serde_json::from_slice(&o.stdout).unwrap();

    let suites = read["suites"].as_array().unwrap();
    assert_eq!(suites.len(), 6, "one suite per input file");
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d["file"].as_str().unwrap()).collect();
    files.dedup();
    let names: Vec<&str> = suites.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(files.iter().all(|f| names.contains(f)), "{files:?} vs {names:?}");

    // Counts: every case is passed, failed or skipped; totals add up.
    let cases: Vec<&Value> = suites.iter().flat_map(|s| s["cases"].as_array().unwrap()).collect();
    let results: Vec<&Value> = cases.iter().flat_map(|c| c["results"].as_array().unwrap()).collect();
    let failures = results.iter().filter(|r| r["kind"] == "Failure").count();
    let skipped = results.iter().filter(|r| r["kind"] == "Skipped").count();
    assert_eq!(read["tests"].as_u64().unwrap() as usize, cases.len());
    assert_eq!(read["failures"].as_u64().unwrap() as usize, failures);
    assert_eq!(read["skipped"].as_u64().unwrap() as usize, skipped);
    assert_eq!(read["errors"], 0);
    assert_eq!((cases.len(), failures, skipped), (11, 6, 1), "{read:#}");
    for suite in suites {
        let in_suite = suite["cases"].as_array().unwrap();
        assert_eq!(suite["tests"].as_u64().unwrap() as usize, in_suite.len());
    }

    // Messages: every diagnostic is in a failure of its file's suite, with its severity as type.
    for d in diagnostics {
        let suite = suites.iter().find(|s| s["name"] == d["file"]).unwrap();
        let message = d["message"].as_str().unwrap();
        let failure = suite["cases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["results"].as_array().unwrap())
            .find(|r| r["kind"] == "Failure" && r["text"].as_str().unwrap_or("").contains(message))
            .unwrap_or_else(|| panic!("no failure carries `{message}`"));
        assert!(failure["text"].as_str().unwrap().contains(&format!("[{}]", d["rule"].as_str().unwrap())));
        let first_line = failure["text"].as_str().unwrap().lines().next().unwrap().to_string();
        if first_line.contains(message) {
            assert!(failure["message"].as_str().unwrap().starts_with(message));
            assert_eq!(failure["type"], d["severity"]);
        }
    }
    let skipped_case = cases.iter().find(|c| c["results"][0]["kind"] == "Skipped").unwrap();
    assert_eq!(skipped_case["name"], "ctrl-bare-pod: Pod/debug");
}

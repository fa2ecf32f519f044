//! Hostile and unusual inputs through the built binary: FIFOs, symbolic links and cycles,
//! unreadable files and directories, odd file names, huge lines, many documents and files,
//! oversized inputs, NUL bytes, tabs and unterminated quotes. Each asserts the exact behaviour, that the run ends (a hang guard, not a speed
//! target: `bench/` measures speed), and that the good files next to the bad ones still lint.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::binary::{BARE_POD, bin, check_json, rules_and_files, run, write};

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().map(|s| s.success()).unwrap_or(false);
    assert!(ok, "mkfifo is available");
}

#[test]
fn fifo_inside_a_directory_is_skipped_with_a_note_and_never_blocks() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.yaml"));
    write(dir.path(), "pod.yaml", BARE_POD);
    let (code, v) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let found = rules_and_files(&v);
    assert!(found.iter().any(|(r, f)| r == "input-skipped" && f.ends_with("pipe.yaml")), "{found:?}");
    assert!(found.iter().any(|(r, f)| r == "ctrl-bare-pod" && f.ends_with("pod.yaml")), "{found:?}");
}

#[test]
fn fifo_named_explicitly_is_read_like_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("rendered");
    mkfifo(&fifo);
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(writer_path).unwrap();
        f.write_all(BARE_POD.as_bytes()).unwrap();
    });
    let (code, v) = check_json(&[fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(code, Some(1));
    assert_eq!(v["diagnostics"][0]["rule"], "ctrl-bare-pod");
}

#[test]
fn symlinks_are_not_followed_by_default_and_cycles_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real/pod.yaml", BARE_POD);
    std::os::unix::fs::symlink(dir.path().join("real/pod.yaml"), dir.path().join("link.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.yaml"), dir.path().join("dangling.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("real/loop")).unwrap();
    let root = dir.path().to_str().unwrap();

    let (code, v) = check_json(&[root]);
    assert_eq!(code, Some(1), "skipped links are notes, not I/O errors");
    let found = rules_and_files(&v);
    assert!(found.iter().any(|(r, f)| r == "input-skipped" && f.ends_with("/link.yaml")), "{found:?}");
    assert!(found.iter().any(|(r, f)| r == "input-skipped" && f.ends_with("/dangling.yaml")), "{found:?}");
    assert_eq!(found.iter().filter(|(r, _)| r == "ctrl-bare-pod").count(), 1);

    let (_, v) = check_json(&[root, "--follow-links"]);
    let found = rules_and_files(&v);
    // link.yaml now reads the Pod; the loop back to the root is a cycle, named and not walked again.
    assert!(found.iter().any(|(r, f)| r == "ctrl-bare-pod" && f.ends_with("/link.yaml")), "{found:?}");
    assert!(found.iter().any(|(r, f)| r == "input-skipped" && f.ends_with("real/loop")), "{found:?}");
}

/// Whether this process runs as root (effective uid 0), which reads files whatever their mode.
fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|ids| ids.split_whitespace().nth(1)) == Some("0")
}

#[test]
fn unreadable_files_and_directories_are_io_errors_and_the_rest_lints() {
    use std::os::unix::fs::PermissionsExt;
    let chmod = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", BARE_POD);
    let secret = write(dir.path(), "secret.yaml", BARE_POD);
    write(dir.path(), "locked/inner.yaml", BARE_POD);
    chmod(&secret, 0o000);
    chmod(&dir.path().join("locked"), 0o000);
    chmod(dir.path(), 0o755);
    // Root reads and lists whatever the mode: as root, the run is made as `nobody` through
    // util-linux's `setpriv`.
    let exe = env!("CARGO_BIN_EXE_kubeadvise");
    let mut cmd = if is_root() {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", exe]);
        cmd
    } else {
        Command::new(exe)
    };
    cmd.env("LC_ALL", "C").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let root = dir.path().to_str().unwrap();
    // The directory walked, and the unreadable file named on its own too.
    let out = run(cmd.args(["check", root, secret.to_str().unwrap(), "--format", "json"]));
    chmod(&dir.path().join("locked"), 0o755);
    assert_eq!(out.status.code(), Some(2), "I/O errors exit 2: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let diagnostics = v["diagnostics"].as_array().unwrap();
    let io_errors: Vec<(&str, &str)> = diagnostics
        .iter()
        .filter(|d| d["rule"] == "input-io-error")
        .map(|d| (d["file"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(io_errors.len(), 3, "{io_errors:?}");
    assert_eq!(io_errors.iter().filter(|(f, _)| f.ends_with("/secret.yaml")).count(), 2, "{io_errors:?}");
    assert!(io_errors.iter().any(|(f, _)| f.ends_with("/locked")), "{io_errors:?}");
    assert!(io_errors.iter().all(|(_, m)| m.contains("permission denied")), "{io_errors:?}");
    let found = rules_and_files(&v);
    assert!(found.iter().any(|(r, f)| r == "ctrl-bare-pod" && f.ends_with("/good.yaml")), "{found:?}");
    assert!(!found.iter().any(|(_, f)| f.ends_with("/inner.yaml")), "{found:?}");
}

#[test]
fn nul_bytes_are_named_at_their_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nul.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\0b\n");
    write(dir.path(), "pod.yaml", BARE_POD);
    let (code, v) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let nul = v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "input-binary").expect("input-binary");
    assert!(nul["file"].as_str().unwrap().ends_with("/nul.yaml"));
    assert_eq!((nul["line"].as_u64(), nul["column"].as_u64()), (Some(4), Some(10)));
    assert!(nul["message"].as_str().unwrap().contains("NUL byte at byte 50"), "{}", nul["message"]);
    assert!(rules_and_files(&v).iter().any(|(r, f)| r == "ctrl-bare-pod" && f.ends_with("/pod.yaml")));
}

#[test]
fn odd_file_names_are_printed_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "with space.yaml", BARE_POD);
    write(dir.path(), "new\nline.yaml", BARE_POD);
    write(dir.path(), "--help.yaml", BARE_POD);
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xE9.yaml"));
    std::fs::write(&odd, BARE_POD).unwrap();
    let (code, v) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let files: Vec<String> = rules_and_files(&v).into_iter().map(|(_, f)| f).collect();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("/--help.yaml")));
    assert!(files.iter().any(|f| f.ends_with("/with space.yaml")));
    assert!(files.iter().any(|f| f.ends_with("/new\\nline.yaml")));
    assert!(files.iter().any(|f| f.ends_with("/caf\\xE9.yaml")));
}

#[test]
fn a_fifty_megabyte_line_is_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\n  annotations: {{a: \"{}\"}}\n",
        "x".repeat(50 << 20)
    );
    let path = write(dir.path(), "big.yaml", &text);
    let out = run(bin().args(["check", path.to_str().unwrap(), "--color", "never"]));
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.len() < 4096, "output is {} bytes", stdout.len());
    assert!(stdout.contains("big.yaml:2:7"), "{stdout}");
}

#[test]
fn oversized_inputs_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.yaml", &BARE_POD.repeat(2000));
    let small = write(dir.path(), "small.yaml", BARE_POD);
    let (code, v) = check_json(&[big.to_str().unwrap(), small.to_str().unwrap(), "--max-file-size", "10K"]);
    assert_eq!(code, Some(1));
    let found = rules_and_files(&v);
    assert_eq!(found[0].0, "input-too-large");
    assert_eq!(found[1].0, "ctrl-bare-pod");
    let out = run(bin().args(["check", small.to_str().unwrap(), "--max-file-size", "lots"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn many_documents_in_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..100_000 {
        text.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"));
    }
    let path = write(dir.path(), "many.yaml", &text);
    let (code, v) = check_json(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(v["summary"]["objects"], 100_000);
}

/// One name defined 20,000 times in one file: each definition is reported once, against the one
/// just before it. Checking each against every earlier one was quadratic (43 s in a release build).
#[test]
fn many_objects_of_one_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\ndata:\n  k: v{i}\n"));
    }
    let path = write(dir.path(), "same.yaml", &text);
    let (code, v) = check_json(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(v["summary"]["objects"], 20_000);
    let findings = v["diagnostics"].as_array().unwrap();
    assert_eq!(findings.len(), 19_999);
    assert!(findings.iter().all(|d| d["rule"] == "xref-duplicate-object"));
    // The first finding is on the second definition's name (line 12); the last on the last's.
    assert_eq!(findings[0]["line"], 12);
    assert_eq!(findings[19_998]["line"], 7 * 19_999 + 5);
}

#[test]
fn many_small_files_in_a_tree() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..100_000 {
        let path = dir.path().join(format!("d{}/c{i}.yaml", i % 100));
        if i < 100 {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        }
        std::fs::write(path, format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n")).unwrap();
    }
    let (code, v) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(v["summary"]["files"], 100_000);
}

#[test]
fn ten_thousand_containers() {
    let mut text = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: wide\nspec:\n  serviceName: wide\n  template:\n    spec:\n      containers:\n",
    );
    for i in 0..10_000 {
        text.push_str(&format!("      - name: c{i}\n        image: nginx:1.27.3\n        volumeMounts:\n        - name: v{i}\n          mountPath: /d\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "wide.yaml", &text);
    let (_, v) = check_json(&[path.to_str().unwrap(), "--select", "sts-volumemount-unresolved"]);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 10_000);
}

#[test]
fn tabs_and_unterminated_quotes_are_syntax_errors_and_the_rest_lints() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-tabs.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n");
    write(dir.path(), "b-quote.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\n");
    write(dir.path(), "c-pod.yaml", BARE_POD);
    let (_, v) = check_json(&[dir.path().to_str().unwrap()]);
    let found: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(found[0], ("yaml-syntax".to_string(), 4));
    assert_eq!(found[1].0, "yaml-syntax");
    assert_eq!(found[2].0, "ctrl-bare-pod");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let one = run(bin().args(["check", corpus.to_str().unwrap(), "--format", "json", "--jobs", "1"]));
    let four = run(bin().args(["check", corpus.to_str().unwrap(), "--format", "json", "--jobs", "4"]));
    assert_eq!(one.stdout, four.stdout);
}

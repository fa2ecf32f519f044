//! A 200 MB document (issue 6): refused by the default `--max-file-size` without being read, and
//! linted within about four times its size when the limit is raised. Alone in its test binary so
//! that `getrusage(RUSAGE_CHILDREN)`, the peak memory of this process's finished children, sees
//! only the runs made here, one after the other.

use std::io::Write;
use std::path::Path;

mod common;
use common::binary::{BARE_POD, check_json, rules_and_files};

/// The largest resident set of the finished children so far, in bytes.
fn children_peak_bytes() -> u64 {
    // SAFETY: `rusage` is plain data, valid when zeroed; `getrusage` fills the struct it is given
    // and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    u64::try_from(usage.ru_maxrss).unwrap() * 1024 // kilobytes on Linux
}

/// A ConfigMap of `size` bytes or a little more: one block scalar of 100-byte lines.
fn write_huge_config_map(path: &Path, size: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: |\n";
    out.write_all(head.as_bytes()).unwrap();
    let line = format!("    {}\n", "x".repeat(95));
    for _ in 0..(size - head.len()).div_ceil(line.len()) {
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
}

#[test]
fn a_two_hundred_megabyte_document_is_refused_unread_or_linted_within_four_times_its_size() {
    const SIZE: usize = 200 << 20;
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.yaml");
    write_huge_config_map(&huge, SIZE);
    std::fs::write(dir.path().join("pod.yaml"), BARE_POD).unwrap();
    let root = dir.path().to_str().unwrap();

    // The default limit (64 MiB): refused by its size, never read; the file beside it is linted.
    let (code, report) = check_json(&[root]);
    assert_eq!(code, Some(1));
    let found = rules_and_files(&report);
    assert!(found.iter().any(|(r, f)| r == "input-too-large" && f.ends_with("/huge.yaml")), "{found:?}");
    assert!(found.iter().any(|(r, f)| r == "ctrl-bare-pod" && f.ends_with("/pod.yaml")), "{found:?}");
    let refused_peak = children_peak_bytes();
    assert!(refused_peak < 64 << 20, "refusing the document took {} MB", refused_peak >> 20);

    // With the limit raised it is read and linted: one object, found too large for the API
    // server, and the run's peak stays within four times the document (3.0 measured: the text,
    // the block scalar's value as read, and its copy into the tree).
    let (code, report) = check_json(&[root, "--max-file-size", "256M"]);
    assert_eq!(code, Some(1));
    let found = rules_and_files(&report);
    assert!(!found.iter().any(|(r, _)| r == "input-too-large"), "{found:?}");
    assert!(found.iter().any(|(r, f)| r == "api-object-too-large" && f.ends_with("/huge.yaml")), "{found:?}");
    assert_eq!(report["summary"]["objects"], 2);
    let peak = children_peak_bytes();
    assert!(peak <= 4 * SIZE as u64, "linting a 200 MB document peaked at {} MB", peak >> 20);
}

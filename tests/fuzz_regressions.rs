//! Regression tests from fuzzing: the minimised corpus of `cargo fuzz run lint` (inputs that
//! each reach new code; `tests/fuzz/lint-corpus.bin`, records of a little-endian u32 length and
//! the bytes) is linted with every rule and rendered in both formats, and must never panic.
//! Regenerate with `cargo fuzz cmin lint` (see fuzz/README.md).

mod common;

#[test]
fn every_fuzz_corpus_input_lints_without_panicking() {
    let data = std::fs::read(common::repo_root().join("tests/fuzz/lint-corpus.bin")).expect("the corpus is committed");
    let mut inputs = Vec::new();
    let mut rest = &data[..];
    while rest.len() >= 4 {
        let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        inputs.push(rest[4..4 + len].to_vec());
        rest = &rest[4 + len..];
    }
    assert!(rest.is_empty(), "the corpus file is well formed");
    assert!(inputs.len() > 1000, "{} inputs", inputs.len());
    for (i, bytes) in inputs.into_iter().enumerate() {
        let linted = common::lint_inputs(vec![(format!("fuzz-{i}.yaml"), bytes)], Some(&["all"]));
        let _ = linted.render();
        let report = kubeadvise::output::Report::new(&linted.files, &linted.diagnostics, linted.objects, None);
        let _ = kubeadvise::output::json::render(&report);
    }
}

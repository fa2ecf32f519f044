//! Fuzz target: the whole lint of one input (every rule, both output formats) must never panic.
#![no_main]

use kubeadvise::lint::{self, Selection};
use kubeadvise::output::{Report, human, json};
use kubeadvise::rules::LintOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = vec![lint::load_bytes(0, "fuzz.yaml", data.to_vec())];
    let mut selection = Selection::all();
    for meta in kubeadvise::rules::all_metas() {
        selection.enable(meta.id);
    }
    let outcome = lint::lint(&files, &selection, &LintOptions::default());
    let report = Report::new(&files, &outcome.diagnostics, outcome.objects, None);
    let _ = human::render(&report, human::HumanOptions { color: false, width: 80, lang: kubeadvise::explain::Lang::En });
    let _ = json::render(&report);
});

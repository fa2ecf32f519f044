//! Fuzz target: decoding and loading arbitrary bytes must never panic, and every span the loader
//! produces must lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = kubeadvise::source::decode("fuzz.yaml", data.to_vec()) {
        let (docs, problems) = kubeadvise::yaml::load(&source);
        for p in &problems {
            assert!(p.span.end() <= source.len());
        }
        for d in &docs {
            assert!(d.root.span.end() <= source.len());
            let _ = d.root.to_json();
        }
    }
});

//! Fuzz target: the YAML fast path (`src/yaml/fast.rs`) either leaves an input to granit-parser or
//! loads it exactly as granit does (same documents, spans, styles, resolutions and problems).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(diff) = kubeadvise::yaml::fast_path_agrees(text) {
            panic!("the fast path and granit disagree on {text:?}:\n{diff}");
        }
    }
});

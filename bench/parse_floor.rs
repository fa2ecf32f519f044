//! The parse-only floor for the benchmarks: reads and parses the same files as `kubeadvise
//! check`, with the same discovery, decoding, YAML parser and thread pool, and runs no rule.
//! Usage: `parse_floor DIR…`; prints files, documents and nodes.

use rayon::prelude::*;

// The binary's allocator: the floor is measured under the same conditions as `kubeadvise check`.
#[global_allocator]
static GLOBAL: kubeadvise::alloc::Allocator = kubeadvise::alloc::Allocator;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let (inputs, errors) = kubeadvise::discover::discover(&paths);
    let totals: (usize, usize, usize) = inputs
        .par_iter()
        .filter_map(|input| match input {
            kubeadvise::discover::Input::File(path, name) => Some((std::fs::read(path).ok()?, name)),
            kubeadvise::discover::Input::Stdin => None,
        })
        .map(|(bytes, name)| match kubeadvise::source::decode(name, bytes) {
            Ok(source) => {
                let (docs, _) = kubeadvise::yaml::load(&source);
                (1, docs.len(), docs.iter().map(|d| d.root.count_nodes()).sum())
            }
            Err(_) => (1, 0, 0),
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    println!("files {} documents {} nodes {} errors {}", totals.0, totals.1, totals.2, errors.len());
}

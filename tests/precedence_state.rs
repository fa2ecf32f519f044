//! Precedence between family B rules (catalogue §H.2): `state-db-ephemeral-storage` replaces
//! `state-sts-emptydir-data` when both find the same emptyDir mount of a StatefulSet.

mod common;

use std::path::Path;

use common::lint_path;

#[test]
fn ephemeral_storage_supersedes_sts_emptydir_data() {
    let both = ["state-db-ephemeral-storage", "state-sts-emptydir-data"];
    let linted = lint_path(Path::new("tests/fixtures/state-sts-emptydir-data/fail-engine-data-path.yaml"), Some(&both));
    assert_eq!(linted.lines_of("state-db-ephemeral-storage"), vec![24]);
    assert!(linted.lines_of("state-sts-emptydir-data").is_empty(), "{}", linted.render());
    // A mount only the generic rule finds is still reported.
    let linted =
        lint_path(Path::new("tests/fixtures/state-sts-emptydir-data/fail-generic-data-path.yaml"), Some(&both));
    assert_eq!(linted.lines_of("state-sts-emptydir-data"), vec![24, 26]);
}

//! Cross-resource findings across files: the finding points at the primary file and names the
//! other file's `path:line:col`; objects in unrelated directories are not combined unless the
//! run is closed-world (`--complete`).

mod common;

use common::{Linted, lint_inputs};
use kubeadvise::lint::{self, LoadedFile, Selection};
use kubeadvise::rules::LintOptions;

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
";

const HPA: &str = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 6
";

const PDB: &str = "\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: web
";

const TEAM_PDB: &str = "\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: everything
spec:
  maxUnavailable: 1
  selector: {}
";

fn inputs(files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    files.iter().map(|(name, text)| (name.to_string(), text.as_bytes().to_vec())).collect()
}

fn messages(linted: &Linted, rule: &str) -> Vec<(String, usize, String)> {
    linted
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            let file = &linted.files[d.file].source;
            let line = d.span.map_or(0, |s| file.position(s.start()).line);
            (file.name.clone(), line, d.message.clone())
        })
        .collect()
}

#[test]
fn findings_point_at_the_primary_file_and_name_the_other() {
    let linted = lint_inputs(
        inputs(&[("k8s/deploy.yaml", DEPLOYMENT), ("k8s/hpa.yaml", HPA), ("k8s/pdb.yaml", PDB)]),
        Some(&["hpa-with-static-replicas", "pdb-blocks-eviction"]),
    );
    let hpa = messages(&linted, "hpa-with-static-replicas");
    assert_eq!(hpa.len(), 1, "{}", linted.render());
    assert_eq!((hpa[0].0.as_str(), hpa[0].1), ("k8s/deploy.yaml", 6));
    assert!(hpa[0].2.contains("k8s/hpa.yaml:9:11"), "{}", hpa[0].2);

    // The budget is judged against the autoscaler's minimum (2 of 2 must stay): the finding is
    // on the budget, naming where the count comes from.
    let pdb = messages(&linted, "pdb-blocks-eviction");
    assert_eq!(pdb.len(), 1, "{}", linted.render());
    assert_eq!((pdb[0].0.as_str(), pdb[0].1), ("k8s/pdb.yaml", 6));
    assert!(pdb[0].2.contains("k8s/hpa.yaml:10:16"), "{}", pdb[0].2);
}

#[test]
fn two_budgets_in_other_files_are_named_with_their_locations() {
    let linted = lint_inputs(
        inputs(&[("k8s/deploy.yaml", DEPLOYMENT), ("k8s/pdb.yaml", PDB), ("k8s/team.yaml", TEAM_PDB)]),
        Some(&["xref-pod-multiple-pdbs"]),
    );
    let found = messages(&linted, "xref-pod-multiple-pdbs");
    assert_eq!(found.len(), 1, "{}", linted.render());
    assert_eq!((found[0].0.as_str(), found[0].1), ("k8s/deploy.yaml", 12));
    assert!(found[0].2.contains("`web` (k8s/pdb.yaml:8:5)"), "{}", found[0].2);
    assert!(found[0].2.contains("`everything` (k8s/team.yaml:7:13)"), "{}", found[0].2);
}

#[test]
fn unrelated_directories_are_combined_only_in_a_closed_world() {
    let files =
        inputs(&[("app/deploy.yaml", DEPLOYMENT), ("examples/hpa.yaml", HPA), ("examples/copy.yaml", DEPLOYMENT)]);
    let ids = ["hpa-with-static-replicas", "xref-duplicate-object"];
    let linted = lint_inputs(files.clone(), Some(&ids));
    // examples/copy.yaml is next to the autoscaler; app/deploy.yaml is not.
    assert_eq!(messages(&linted, "hpa-with-static-replicas").len(), 1, "{}", linted.render());
    assert_eq!(messages(&linted, "hpa-with-static-replicas")[0].0, "examples/copy.yaml");
    assert!(messages(&linted, "xref-duplicate-object").is_empty(), "{}", linted.render());

    let loaded: Vec<LoadedFile> =
        files.into_iter().enumerate().map(|(i, (name, bytes))| lint::load_bytes(i, &name, bytes)).collect();
    let options = LintOptions { complete: true, ..LintOptions::default() };
    let outcome = lint::lint(&loaded, &Selection::only(&ids), &options);
    let closed = Linted { diagnostics: outcome.diagnostics, objects: outcome.objects, files: loaded };
    assert_eq!(messages(&closed, "hpa-with-static-replicas").len(), 2, "{}", closed.render());
    let duplicates = messages(&closed, "xref-duplicate-object");
    assert_eq!(duplicates.len(), 1, "{}", closed.render());
    assert_eq!(duplicates[0].0, "examples/copy.yaml");
    assert!(duplicates[0].2.contains("app/deploy.yaml:4:9"), "{}", duplicates[0].2);
}

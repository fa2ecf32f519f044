//! Condensing CustomResourceDefinitions and packing texts while files load (`lint::condense`,
//! `SourceFile::pack`) changes no finding and no report: the fixtures, the examples and the
//! real-world corpus (when present) give the same diagnostics, message for message and span for
//! span, and the same rendered reports, as with every tree kept whole and every text plain; and
//! condensing does replace the schemas it should.

mod common;

use std::path::{Path, PathBuf};

use common::{lint_inputs, lint_inputs_uncondensed, repo_root};
use kubeadvise::diagnostic::Diagnostic;

fn key(d: &Diagnostic) -> String {
    format!("{} {:?} {} {} {:?} {:?} {:?}", d.file, d.span, d.rule, d.severity, d.message, d.help, d.labels)
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let (inputs, errors) = kubeadvise::discover::discover(&[dir.display().to_string()]);
    assert!(errors.is_empty(), "{errors:?}");
    let mut files: Vec<PathBuf> = inputs
        .into_iter()
        .filter_map(|input| match input {
            kubeadvise::discover::Input::File(path, _) => Some(path),
            kubeadvise::discover::Input::Stdin => None,
        })
        .collect();
    files.sort();
    files
}

fn read_all(paths: &[PathBuf], root: &Path) -> Vec<(String, Vec<u8>)> {
    paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            (name, std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        })
        .collect()
}

fn assert_same(inputs: Vec<(String, Vec<u8>)>, what: &str) -> usize {
    let plain = lint_inputs_uncondensed(inputs.clone(), None);
    let whole: Vec<String> = plain.diagnostics.iter().map(key).collect();
    let condensed = lint_inputs(inputs, None);
    let got: Vec<String> = condensed.diagnostics.iter().map(key).collect();
    let missing: Vec<&String> = whole.iter().filter(|k| !got.contains(k)).take(5).collect();
    let extra: Vec<&String> = got.iter().filter(|k| !whole.contains(k)).take(5).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{what}: lost {missing:#?}\ngained {extra:#?}");
    assert_eq!(whole, got, "{what}: same findings in another order");
    // Reports read the packed texts back: positions and excerpts are the plain ones.
    assert_eq!(plain.render(), condensed.render(), "{what}: human report");
    assert_eq!(plain.render_json(), condensed.render_json(), "{what}: JSON report");
    condensed.files.iter().map(|f| f.condensed.objects.len()).sum()
}

#[test]
fn fixtures_and_examples_give_the_same_findings_condensed() {
    let root = repo_root();
    let mut condensed = 0;
    // One run per fixture (as the fixture tests lint them) and one over the examples.
    for path in yaml_files(&root.join("tests/fixtures")) {
        condensed += assert_same(read_all(std::slice::from_ref(&path), &root), &path.display().to_string());
    }
    condensed += assert_same(read_all(&yaml_files(&root.join("examples")), &root), "examples/");
    assert!(condensed >= 3, "the fixtures hold CustomResourceDefinitions to condense ({condensed})");
}

#[test]
fn corpus_gives_the_same_findings_condensed() {
    let corpus = repo_root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is not present", corpus.display());
        return;
    }
    let condensed = assert_same(read_all(&yaml_files(&corpus), &corpus), "corpus");
    assert!(condensed > 100, "{condensed} CustomResourceDefinitions condensed");
}

#[test]
fn a_condensed_crd_keeps_its_spans_and_still_validates_its_resources() {
    let crd = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              description: What the widget is.
              properties:
                size: {type: integer, maximum: 10}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  size: 12
";
    let linted = lint_inputs(vec![("w.yaml".to_string(), crd.as_bytes().to_vec())], None);
    let file = &linted.files[0];
    assert_eq!(file.condensed.objects, vec![0]);
    let schema = file.documents[0].root.pointer("/spec/versions/0/schema/openAPIV3Schema").expect("schema node");
    // The placeholder keeps the schema's place (its span) but none of its content.
    assert_eq!(&crd[schema.span.start()..schema.span.start() + 11], "type: objec");
    assert!(schema.get("properties").is_none());
    assert_eq!(schema.count_nodes(), 3);
    let violation: Vec<usize> = linted.lines_of("api-schema-violation");
    assert_eq!(violation, vec![27], "{:#?}", linted.diagnostics);
}

#[test]
fn a_schema_that_aliases_another_is_read_again_from_the_whole_file() {
    let crd = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: &schema
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer, maximum: 10}
    - name: v2
      served: true
      storage: false
      schema:
        openAPIV3Schema: *schema
---
apiVersion: example.com/v2
kind: Gadget
metadata: {name: g}
spec:
  size: 12
";
    let inputs = vec![("g.yaml".to_string(), crd.as_bytes().to_vec())];
    let condensed = lint_inputs(inputs.clone(), None);
    assert_eq!(condensed.files[0].condensed.objects, vec![0]);
    assert_eq!(condensed.lines_of("api-schema-violation"), vec![31], "{:#?}", condensed.diagnostics);
    let whole = lint_inputs_uncondensed(inputs, None);
    assert_eq!(
        condensed.diagnostics.iter().map(key).collect::<Vec<_>>(),
        whole.diagnostics.iter().map(key).collect::<Vec<_>>()
    );
}

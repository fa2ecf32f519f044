//! Property tests on stable Rust: random YAML trees written out as block or flow YAML load back
//! with every scalar's span slicing to its own text (keys and values), and arbitrary bytes never
//! make the loader or the whole lint panic.

mod common;

use kubeadvise::source::{Source, SourceFile};
use kubeadvise::yaml::{self, Node, Value};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Tree {
    Scalar(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

fn word() -> impl Strategy<Value = String> {
    // Plain scalars that stay strings in YAML 1.1 and need no quoting.
    "[a-z][a-z0-9-]{0,11}".prop_filter("not a YAML 1.1 keyword", |s| {
        !matches!(s.as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null")
    })
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = word().prop_map(Tree::Scalar);
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..6).prop_map(Tree::Seq),
            prop::collection::btree_map(word(), inner, 1..6).prop_map(|m| Tree::Map(m.into_iter().collect())),
        ]
    })
}

fn block(tree: &Tree, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match tree {
        Tree::Scalar(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Tree::Seq(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&format!("{pad}- "));
                match item {
                    Tree::Scalar(_) => block(item, indent + 2, out),
                    _ => {
                        out.push_str("x-nested:");
                        block(item, indent + 4, out)
                    }
                }
            }
        }
        Tree::Map(entries) => {
            out.push('\n');
            for (k, v) in entries {
                out.push_str(&format!("{pad}{k}: "));
                block(v, indent + 2, out);
            }
        }
    }
}

fn flow(tree: &Tree) -> String {
    match tree {
        Tree::Scalar(s) => s.clone(),
        Tree::Seq(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Tree::Map(entries) => {
            format!("{{{}}}", entries.iter().map(|(k, v)| format!("{k}: {}", flow(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

/// Every scalar (key or value) slices back to its own text; collections cover their children.
/// The text is read back from the packed file, as reports read it.
fn spans_round_trip(node: &Node, file: &Source<'_>) -> Result<(), String> {
    match &node.value {
        Value::Scalar(s) => {
            let slice = file.slice(node.span);
            if slice != &*s.text {
                return Err(format!("span {:?} slices to {slice:?}, scalar is {:?}", node.span, s.text));
            }
        }
        Value::Seq(items) => {
            for item in items {
                if item.span.start() < node.span.start() || item.span.end() > node.span.end() {
                    return Err(format!("item {:?} outside its sequence {:?}", item.span, node.span));
                }
                spans_round_trip(item, file)?;
            }
        }
        Value::Map(entries) => {
            for e in entries {
                spans_round_trip(&e.key, file)?;
                spans_round_trip(&e.value, file)?;
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn block_yaml_spans_slice_back(t in tree()) {
        let mut text = String::from("root:");
        block(&t, 2, &mut text);
        let mut file = SourceFile::new("p.yaml", text.clone());
        let (docs, problems) = yaml::load(&file);
        prop_assert!(problems.is_empty(), "{problems:?}\n{text}");
        prop_assert_eq!(docs.len(), 1);
        file.pack();
        spans_round_trip(&docs[0].root, &file.unpacked()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    }

    #[test]
    fn flow_yaml_spans_slice_back(t in tree()) {
        let text = format!("root: {}\n", flow(&t));
        let mut file = SourceFile::new("p.yaml", text.clone());
        let (docs, problems) = yaml::load(&file);
        prop_assert!(problems.is_empty(), "{problems:?}\n{text}");
        file.pack();
        spans_round_trip(&docs[0].root, &file.unpacked()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let linted = common::lint_inputs(vec![("any.yaml".to_string(), bytes)], None);
        for d in &linted.diagnostics {
            if let Some(span) = d.span {
                prop_assert!(span.end() <= linted.files[d.file].source.len());
            }
        }
        let _ = linted.render();
    }

    #[test]
    fn yaml_like_text_never_panics(text in "([a-zA-Z:{}\\[\\],&*!|>'\"#%@` -]|\n|\t){0,256}") {
        let linted = common::lint_inputs(vec![("any.yaml".to_string(), text.into_bytes())], None);
        let _ = linted.render();
    }
}

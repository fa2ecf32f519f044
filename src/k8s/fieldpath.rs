//! The API server's name for a node: `spec.template.spec.containers[0].name`, the field path its
//! validation errors start with, found by walking an object's tree to a span.

use crate::source::Span;
use crate::yaml::{Node, Value};

/// The field path of the node (value or key) at `span` inside `root`; `None` when not found.
pub fn field_path(root: &Node, span: Span) -> Option<String> {
    let mut path = String::new();
    walk(root, span, &mut path).then_some(path)
}

fn walk(node: &Node, span: Span, path: &mut String) -> bool {
    if node.span == span {
        return true;
    }
    if !(node.span.start() <= span.start() && span.end() <= node.span.end()) {
        return false;
    }
    let len = path.len();
    match &node.value {
        Value::Map(entries) => {
            for e in entries.iter().rev() {
                let Some(key) = e.key.text() else { continue };
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if e.key.span == span || walk(&e.value, span, path) {
                    return true;
                }
                path.truncate(len);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                if walk(item, span, path) {
                    return true;
                }
                path.truncate(len);
            }
        }
        Value::Scalar(_) => {}
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn paths_of_values_and_keys() {
        let (mut docs, _) = crate::yaml::load(&SourceFile::new(
            "t",
            "spec:\n  containers:\n  - name: a\n  - name: b\n    ports: [{containerPort: 1}]\n".to_string(),
        ));
        let root = docs.remove(0).root;
        let b = root.path(&["spec", "containers", "1", "name"]).unwrap();
        assert_eq!(field_path(&root, b.span).as_deref(), Some("spec.containers[1].name"));
        let port = root.path(&["spec", "containers", "1", "ports", "0", "containerPort"]).unwrap();
        assert_eq!(field_path(&root, port.span).as_deref(), Some("spec.containers[1].ports[0].containerPort"));
        let key = &root.get("spec").unwrap().entry("containers").unwrap().key;
        assert_eq!(field_path(&root, key.span).as_deref(), Some("spec.containers"));
    }
}

//! The spanned YAML tree: every key and value is a `Node` with a byte span into the whole file.
//! Accessors for rules (map lookup, JSON-Pointer lookup, typed reads) and conversion to
//! `serde_json::Value` live here; building the tree from parser events lives in `loader.rs`.

use super::scalar::{Kind, Resolved, Style};
use crate::source::Span;

/// One key or value. 48 bytes: every tree of the run is held until the cross-object pass ends,
/// so the node is kept small (the numeric value of a scalar is re-read from its text on demand,
/// and custom tags are listed on the `Document` rather than carried by every node).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// A non-core tag and where it is written (listed on its `Document`, reported by the loader).
#[derive(Clone, Debug, PartialEq)]
pub struct CustomTag {
    pub tag: Box<str>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in source order, duplicates kept (the loader reports them).
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The scalar's text after escape processing (short texts, most keys and values, are stored
    /// inline without an allocation).
    pub text: compact_str::CompactString,
    pub style: Style,
    /// What the text resolves to; the number itself is parsed again from `text` when asked.
    kind: Kind,
    /// Written with a non-core tag (`!foo`): its value is not what its text looks like.
    custom_tag: bool,
}

impl Scalar {
    /// A scalar with its resolution (from `scalar::resolve`) and whether it has a custom tag.
    pub fn new(text: &str, style: Style, resolved: Resolved, custom_tag: bool) -> Scalar {
        Scalar { text: compact_str::CompactString::from(text), style, kind: resolved.kind(), custom_tag }
    }

    /// What Kubernetes reads: null, a boolean, a number or a string.
    pub fn resolved(&self) -> Resolved {
        Resolved::from_kind(self.kind, &self.text)
    }

    pub fn has_custom_tag(&self) -> bool {
        self.custom_tag
    }
}

impl Entry {
    /// The key as JSON names it: a scalar's text, `""` for a mapping or sequence key.
    pub fn json_key(&self) -> &str {
        self.key.scalar().map_or("", |s| &s.text)
    }
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of any scalar, whatever it resolves to (`3`, `true`, `web`).
    pub fn text(&self) -> Option<&str> {
        self.scalar().filter(|s| s.kind != Kind::Null).map(|s| &*s.text)
    }

    /// The text of a scalar that resolves to a string.
    pub fn as_str(&self) -> Option<&str> {
        self.scalar().filter(|s| s.kind == Kind::Str).map(|s| &*s.text)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.scalar().filter(|s| s.kind == Kind::Int)?.resolved() {
            Resolved::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.scalar().filter(|s| s.kind == Kind::Bool)?.resolved() {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(s) if s.kind == Kind::Null)
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Items of a sequence; an empty slice for anything else (null, missing, wrong type).
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// The entry for `key` in a mapping. With duplicate keys the last one wins, as in the JSON the
    /// API server decodes.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key.scalar().is_some_and(|s| &*s.text == key))
    }

    /// The value of `key` (last duplicate wins, as `get`), for changing it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Map(entries) => {
                entries.iter_mut().rev().find(|e| e.key.scalar().is_some_and(|s| &*s.text == key)).map(|e| &mut e.value)
            }
            _ => None,
        }
    }

    /// The node of this subtree whose span is `span` (an alias, not the anchor it copies, when
    /// both could match), descending only into children that contain it.
    pub fn find_span(&self, span: Span) -> Option<&Node> {
        let mut node = self;
        loop {
            if node.span == span {
                return Some(node);
            }
            let inside = |n: &Node| n.span.start() <= span.start() && span.end() <= n.span.end();
            node = match &node.value {
                Value::Scalar(_) => return None,
                Value::Seq(items) => items.iter().find(|n| inside(n))?,
                Value::Map(entries) => entries.iter().flat_map(|e| [&e.key, &e.value]).find(|n| inside(n))?,
            };
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// A value that is present and not null.
    pub fn get_some(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|n| !n.is_null())
    }

    /// Follow a path of keys (maps) and indexes (sequences).
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| match &node.value {
            Value::Map(_) => node.get(key),
            Value::Seq(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            Value::Scalar(_) => None,
        })
    }

    /// RFC 6901 JSON Pointer lookup (`/spec/template/spec/containers/0/image`).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, raw| {
            let token = raw.replace("~1", "/").replace("~0", "~");
            match &node.value {
                Value::Map(_) => node.get(&token),
                Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                Value::Scalar(_) => None,
            }
        })
    }

    /// Number of nodes in this subtree (keys count), iteratively.
    pub fn count_nodes(&self) -> usize {
        let mut stack = vec![self];
        let mut count = 0;
        while let Some(node) = stack.pop() {
            count += 1;
            match &node.value {
                Value::Scalar(_) => {}
                Value::Seq(items) => stack.extend(items.iter()),
                Value::Map(entries) => {
                    for e in entries {
                        stack.push(&e.key);
                        stack.push(&e.value);
                    }
                }
            }
        }
        count
    }

    /// The JSON value Kubernetes would see (last duplicate key wins; non-string keys use their text).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar(s) => match s.resolved() {
                Resolved::Null => J::Null,
                Resolved::Bool(b) => J::Bool(b),
                Resolved::Int(i) => J::from(i),
                Resolved::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
                Resolved::Str => J::String(String::from(s.text.as_str())),
            },
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                // Collected in one go (sorted, then built in bulk: faster than inserting one by
                // one); a repeated key keeps its last value, as `insert` would.
                J::Object(entries.iter().map(|e| (String::from(e.json_key()), e.value.to_json())).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn node_stays_small() {
        eprintln!(
            "Node = {} bytes, Entry = {}",
            std::mem::size_of::<super::Node>(),
            std::mem::size_of::<super::Entry>()
        );
        assert!(std::mem::size_of::<super::Node>() <= 40);
    }
}

//! The YAML tree as `jsonschema` instances (its `json::Json` representation): validators read
//! `yaml::Node`s in place instead of a `serde_json::Value` copy of each object, which took a
//! tenth of a run's CPU to build and drop.
//!
//! The view answers exactly as `Node::to_json` (followed, for custom resources, by the API
//! server's pruning) would: scalars resolve as Kubernetes reads them, a non-finite float is
//! `null`, a mapping's repeated key keeps its last value, and a non-scalar key reads as `""`.
//! Members come in source order, not `to_json`'s sorted order: findings are sorted afterwards
//! (`lint_with`), so the order validators meet them in does not show.

use std::borrow::Cow;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object};
use serde_json::Value as J;

use crate::yaml::node::Scalar;
use crate::yaml::scalar::{Resolved, Style};
use crate::yaml::{Entry, Node, Value};

/// The representation: `Validator<Yaml>` validates `View`s.
pub struct Yaml;

/// How a mapping's members are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prune {
    /// As written.
    No,
    /// Members whose value is `null` are left out, as the API server prunes them from custom
    /// resources.
    Nulls,
    /// The root of a custom resource: `null` members and `status` (validated only through the
    /// status subresource) are left out.
    NullsAndStatus,
}

/// One node of an instance.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    node: &'a Node,
    prune: Prune,
    /// Whether a mapping may repeat a key (its file reported one): then every member is checked
    /// against the later ones. Without it only members with an empty key are (two non-scalar
    /// keys both read as `""`, and the loader does not report those).
    repeats: bool,
}

impl<'a> View<'a> {
    /// The instance `root`, pruned as a custom resource when `custom`; `repeats` says whether its
    /// file may repeat a key in a mapping.
    pub fn root(root: &'a Node, custom: bool, repeats: bool) -> View<'a> {
        View { node: root, prune: if custom { Prune::NullsAndStatus } else { Prune::No }, repeats }
    }

    fn child(&self, node: &'a Node) -> View<'a> {
        let prune = if self.prune == Prune::No { Prune::No } else { Prune::Nulls };
        View { node, prune, repeats: self.repeats }
    }

    fn scalar(&self) -> Option<&'a Scalar> {
        self.node.scalar()
    }

    /// The node as `Node::to_json` builds it, pruned as the view reads it.
    fn json(&self) -> J {
        match &self.node.value {
            Value::Scalar(_) => self.node.to_json(),
            Value::Seq(items) => J::Array(items.iter().map(|item| self.child(item).json()).collect()),
            Value::Map(_) => {
                let map = self.as_map().expect("a mapping");
                J::Object(map.members().map(|(name, value)| (name.to_string(), value.json())).collect())
            }
        }
    }

    fn as_map(&self) -> Option<Map<'a>> {
        match &self.node.value {
            Value::Map(entries) => Some(Map { entries, parent: *self }),
            _ => None,
        }
    }
}

/// Whether the node reads as JSON `null` (`to_json` turns a non-finite float into `null` too).
fn is_null(node: &Node) -> bool {
    node.scalar().is_some_and(|s| match s.resolved() {
        Resolved::Null => true,
        Resolved::Float(f) => !f.is_finite(),
        _ => false,
    })
}

impl Json for Yaml {
    type Node<'a> = View<'a>;
    type PreparedKey = String;
    type StringBuffer = Option<Node>;

    /// `get` scans the members: a members pass never costs more than a look-up.
    const KEYS_PER_LOOKUP: usize = usize::MAX / 64;
    /// A tree: no node is its own descendant (aliases are expanded into copies).
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(buffer: &mut Option<Node>, string: &str, f: impl FnOnce(View<'_>) -> T) -> T {
        let node = buffer.insert(Node {
            span: crate::source::Span::default(),
            value: Value::Scalar(Scalar::new(string, Style::Quoted, Resolved::Str, false)),
        });
        f(View { node, prune: Prune::No, repeats: false })
    }
}

impl<'a> JsonNode<'a, Yaml> for View<'a> {
    type Object = Map<'a>;
    type Array = Seq<'a>;
    type Number = serde_json::Number;

    fn as_object(&self) -> Option<Map<'a>> {
        self.as_map()
    }

    fn as_array(&self) -> Option<Seq<'a>> {
        match &self.node.value {
            Value::Seq(items) => Some(Seq { items, parent: *self }),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        self.scalar().filter(|s| s.resolved() == Resolved::Str).map(|s| Cow::Borrowed(&*s.text))
    }

    fn as_number(&self) -> Option<serde_json::Number> {
        match self.scalar()?.resolved() {
            Resolved::Int(i) => Some(i.into()),
            Resolved::Float(f) => serde_json::Number::from_f64(f),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.scalar()?.resolved() {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        is_null(self.node)
    }

    fn json_type(&self) -> JsonType {
        match &self.node.value {
            Value::Map(_) => JsonType::Object,
            Value::Seq(_) => JsonType::Array,
            Value::Scalar(s) => match s.resolved() {
                Resolved::Null => JsonType::Null,
                Resolved::Bool(_) => JsonType::Boolean,
                Resolved::Int(_) => JsonType::Number,
                Resolved::Float(f) if f.is_finite() => JsonType::Number,
                Resolved::Float(_) => JsonType::Null,
                Resolved::Str => JsonType::String,
            },
        }
    }

    fn string_length(&self) -> Option<u64> {
        self.as_string().map(|s| s.chars().count() as u64)
    }

    fn string_length_within(&self, min: u64, max: u64) -> Option<bool> {
        let string = self.as_string()?;
        // A code point takes one to four bytes: the count lies in `ceil(bytes / 4)..=bytes`.
        let bytes = string.len() as u64;
        let fewest = bytes.div_ceil(4);
        if bytes < min || fewest > max {
            return Some(false);
        }
        if min <= fewest && bytes <= max {
            return Some(true);
        }
        Some((min..=max).contains(&(string.chars().count() as u64)))
    }

    fn equals_value(&self, expected: &J) -> bool {
        // `enum` of strings, the common case, without building the value.
        if let (Some(s), J::String(e)) = (self.scalar(), expected) {
            return s.resolved() == Resolved::Str && *s.text == **e;
        }
        jsonschema::json::cmp::equal(&self.json(), expected)
    }

    fn to_value(&self) -> Cow<'a, J> {
        Cow::Owned(self.json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self.node) as usize))
    }
}

/// A mapping.
#[derive(Clone, Copy, Debug)]
pub struct Map<'a> {
    entries: &'a [Entry],
    parent: View<'a>,
}

/// Above this many entries, a mapping that may repeat a key finds each key's last entry through
/// a table instead of scanning the entries after each one (quadratic on a large mapping).
const SCAN_UP_TO: usize = 32;

/// Each key's last entry in a mapping.
type LastEntries<'a> = foldhash::HashMap<&'a str, usize>;

impl<'a> Map<'a> {
    /// Each key's last entry, when the mapping may repeat a key and is too large to scan.
    fn last_entries(&self) -> Option<LastEntries<'a>> {
        let entries = self.entries;
        let may_repeat = self.parent.repeats || entries.iter().any(|e| e.json_key().is_empty());
        (may_repeat && entries.len() > SCAN_UP_TO)
            .then(|| entries.iter().enumerate().map(|(i, e)| (e.json_key(), i)).collect())
    }

    /// Whether entry `i` is a member: not overridden by a later one with its key, not pruned.
    /// `last` is `last_entries`.
    fn visible(&self, i: usize, last: Option<&LastEntries<'a>>) -> bool {
        let entry = &self.entries[i];
        let name = entry.json_key();
        let overridden = match last {
            Some(last) => last.get(name) != Some(&i),
            None => {
                (self.parent.repeats || name.is_empty()) && self.entries[i + 1..].iter().any(|e| e.json_key() == name)
            }
        };
        !overridden && self.kept(entry, name)
    }

    /// Whether pruning keeps the member `entry` named `name`.
    fn kept(&self, entry: &Entry, name: &str) -> bool {
        match self.parent.prune {
            Prune::No => true,
            Prune::Nulls => !is_null(&entry.value),
            Prune::NullsAndStatus => name != "status" && !is_null(&entry.value),
        }
    }

    fn plain(&self) -> bool {
        self.parent.prune == Prune::No && !self.parent.repeats
    }
}

impl<'a> Object<'a, Yaml> for Map<'a> {
    type Node = View<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        if self.plain() && !self.entries.iter().any(|e| e.json_key().is_empty()) {
            return self.entries.len();
        }
        let last = self.last_entries();
        (0..self.entries.len()).filter(|&i| self.visible(i, last.as_ref())).count()
    }

    fn get(&self, name: &String) -> Option<View<'a>> {
        // The last entry with the key is the member.
        let entry = self.entries.iter().rev().find(|e| e.json_key() == name)?;
        self.kept(entry, name).then(|| self.parent.child(&entry.value))
    }

    fn members(&self) -> Members<'a> {
        Members { map: *self, next: 0, last: self.last_entries() }
    }
}

/// A mapping's members, in source order.
pub struct Members<'a> {
    map: Map<'a>,
    next: usize,
    last: Option<LastEntries<'a>>,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, View<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.map.entries.len() {
            let i = self.next;
            self.next += 1;
            if self.map.visible(i, self.last.as_ref()) {
                let entry = &self.map.entries[i];
                return Some((entry.json_key(), self.map.parent.child(&entry.value)));
            }
        }
        None
    }
}

/// A sequence.
#[derive(Clone, Copy, Debug)]
pub struct Seq<'a> {
    items: &'a [Node],
    parent: View<'a>,
}

impl<'a> Array<'a, Yaml> for Seq<'a> {
    type Node = View<'a>;
    type ElementsIter = Elements<'a>;

    fn len(&self) -> usize {
        self.items.len()
    }

    fn elements(&self) -> Elements<'a> {
        Elements { items: self.items.iter(), parent: self.parent }
    }
}

/// A sequence's items.
pub struct Elements<'a> {
    items: std::slice::Iter<'a, Node>,
    parent: View<'a>,
}

impl<'a> Iterator for Elements<'a> {
    type Item = View<'a>;

    fn next(&mut self) -> Option<View<'a>> {
        self.items.next().map(|item| self.parent.child(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first document's root, and whether its file repeats a key (as `validate_uncached`
    /// tells).
    fn load(text: &str) -> (Node, bool) {
        let file = crate::lint::load_bytes(0, "t.yaml", text.as_bytes().to_vec());
        let reported = file.problems.iter().any(|d| d.rule == crate::yaml::codes::YAML_DUPLICATE_KEY);
        assert_eq!(file.repeats_keys, reported, "{text:?}");
        (file.documents.into_iter().next().expect("a document").root, file.repeats_keys)
    }

    /// What `validate_uncached` validated before the view: the tree as JSON, pruned for custom
    /// resources.
    fn reference(node: &Node, custom: bool) -> J {
        fn prune(value: &mut J) {
            match value {
                J::Object(map) => {
                    map.retain(|_, v| !v.is_null());
                    map.values_mut().for_each(prune);
                }
                J::Array(items) => items.iter_mut().for_each(prune),
                _ => {}
            }
        }
        let mut json = node.to_json();
        if custom {
            prune(&mut json);
            if let Some(map) = json.as_object_mut() {
                map.remove("status");
            }
        }
        json
    }

    /// The view read through the trait only, as a validator reads it.
    fn through_trait(view: View<'_>) -> J {
        if let Some(map) = view.as_object() {
            let json: serde_json::Map<String, J> =
                map.members().map(|(name, value)| (name.to_string(), through_trait(value))).collect();
            assert_eq!(map.len(), json.len(), "len of {json:?}");
            for (name, value) in &json {
                assert_eq!(map.get(name).map(through_trait).as_ref(), Some(value), "get {name}");
            }
            assert!(map.get(&"\u{1}absent".to_string()).is_none());
            return J::Object(json);
        }
        if let Some(seq) = view.as_array() {
            let items: Vec<J> = seq.elements().map(through_trait).collect();
            assert_eq!(seq.len(), items.len());
            return J::Array(items);
        }
        let json = match view.json_type() {
            JsonType::Null => {
                assert!(view.is_null());
                J::Null
            }
            JsonType::Boolean => J::Bool(view.as_boolean().expect("a boolean")),
            JsonType::Number => J::Number(view.as_number().expect("a number")),
            JsonType::String => J::String(view.as_string().expect("a string").into_owned()),
            other => panic!("unexpected type {other:?}"),
        };
        assert!(view.equals_value(&json), "{json:?} equals itself");
        assert_eq!(view.to_value().into_owned(), json);
        json
    }

    #[test]
    fn reads_as_to_json_does() {
        let texts = [
            "a: 1\nb: [x, \"y\", 2.5, null, true, no, -3, 0x1F, .inf, .nan, ~]\nc: {d: e}\n",
            // Repeated keys (the last wins), non-scalar keys (all read as ""), an empty key.
            "a: 1\nb: 2\na: 3\n? [x]\n: 4\n? {y: z}\n: 5\n\"\": 6\n",
            "\"\": 1\n? [x]\n: 2\n",
            // Custom resources: nulls pruned at every depth, `status` at the root only.
            "status: {x: 1}\nspec: {a: null, b: [null, {c: ~, d: 1}], e: .nan, status: 2}\nn: null\n",
            "a: b\na: null\nc: null\nc: 1\n",
            "[1, 2, {a: null}]\n",
            "plain\n",
        ];
        for text in texts {
            let (node, repeats) = load(text);
            for custom in [false, true] {
                let expected = reference(&node, custom);
                // As validation reads it, and with every member checked for a repeated key.
                for repeats in [repeats, true] {
                    let view = View::root(&node, custom, repeats);
                    assert_eq!(through_trait(view), expected, "{text:?} custom={custom} repeats={repeats}");
                    assert_eq!(view.to_value().into_owned(), expected, "{text:?}");
                }
            }
        }
    }

    /// Mappings too large to scan for repeated keys: the table gives the same members.
    #[test]
    fn large_mappings_with_repeated_keys() {
        let mut text: String = (0..100).map(|i| format!("k{}: {i}\n", i % 40)).collect();
        text.push_str("? [x]\n: 1\n? [y]\n: null\nstatus: 2\n");
        let (node, repeats) = load(&text);
        assert!(repeats);
        for custom in [false, true] {
            let view = View::root(&node, custom, repeats);
            assert_eq!(through_trait(view), reference(&node, custom), "custom={custom}");
            // k0..k39, "" (both non-scalar keys, the last one null) and status; a custom
            // resource prunes the last two.
            assert_eq!(view.as_object().map(|m| m.len()), Some(if custom { 40 } else { 42 }));
        }
        // Many non-scalar keys in a file with no repeated scalar key.
        let text: String = (0..50).map(|i| format!("? [x{i}]\n: {i}\n")).chain(["a: 1\n".to_string()]).collect();
        let (node, repeats) = load(&text);
        assert!(!repeats);
        let view = View::root(&node, false, repeats);
        assert_eq!(through_trait(view), reference(&node, false));
        assert_eq!(view.as_object().map(|m| m.len()), Some(2));
    }

    /// A random flow mapping: keys from a small set (so they repeat), some non-scalar or empty,
    /// values of every resolution (`null`, `~`, `.nan`, `yes`, numbers, strings), nested maps and
    /// lists, `status` among the keys.
    fn flow_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            Just("status".to_string()),
            Just("\"\"".to_string()),
            Just("[x]".to_string()),
            Just("{ y: 1 }".to_string()),
            Just("1".to_string()),
        ];
        let leaf = prop_oneof![
            Just("null"),
            Just("~"),
            Just(".nan"),
            Just("-.inf"),
            Just("yes"),
            Just("0x1F"),
            Just("1.5"),
            Just("'q'"),
            Just("word"),
            Just("\"two words\""),
        ]
        .prop_map(str::to_string);
        // Spaced: `{{` would read as a Helm template action.
        let map = |entries: Vec<(String, String)>| {
            let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("{{ {} }}", body.join(", "))
        };
        let inner_key = key.clone();
        let tree = leaf.prop_recursive(4, 48, 5, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(|items| format!("[{}]", items.join(", "))),
                proptest::collection::vec((inner_key.clone(), inner), 0..6).prop_map(map),
            ]
        });
        // The root is a mapping, as an object's is.
        proptest::collection::vec((key, tree), 0..6).prop_map(move |entries| format!("{}\n", map(entries)))
    }

    proptest::proptest! {
        /// Whatever the tree, the view reads as the pruned JSON copy validation used to build.
        #[test]
        fn random_trees_read_as_to_json(text in flow_text()) {
            let file = crate::lint::load_bytes(0, "t.yaml", text.as_bytes().to_vec());
            let repeats = file.repeats_keys;
            let reported = file.problems.iter().any(|d| d.rule == crate::yaml::codes::YAML_DUPLICATE_KEY);
            proptest::prop_assert_eq!(repeats, reported);
            proptest::prop_assert_eq!(file.documents.len(), 1, "{:?}", file.problems);
            for doc in &file.documents {
                for custom in [false, true] {
                    let expected = reference(&doc.root, custom);
                    for repeats in [repeats, true] {
                        proptest::prop_assert_eq!(through_trait(View::root(&doc.root, custom, repeats)), expected.clone());
                    }
                }
            }
        }
    }

    #[test]
    fn string_lengths_count_characters() {
        let (node, _) = load("a: héllo🙂\n");
        let view = View::root(&node, false, false);
        let value = view.as_object().and_then(|m| m.get(&"a".to_string())).expect("a");
        assert_eq!(value.string_length(), Some(6));
        for (min, max) in [(0, 5), (6, 6), (7, 10), (0, 100), (2, 3)] {
            assert_eq!(value.string_length_within(min, max), Some((min..=max).contains(&6)), "{min}..={max}");
        }
    }
}

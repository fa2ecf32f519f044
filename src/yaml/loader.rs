//! Builds spanned `Node` trees from granit-parser's event stream, one document at a time, without
//! recursion: a stack of open collections. Expands aliases under a node budget, applies `<<` merge
//! keys, keeps duplicate keys (and reports them), and recovers after a syntax error so later
//! documents still load.

use std::collections::HashMap;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, Tag};

use super::node::{CustomTag, Entry, Node, Scalar, Value};
use super::scalar::{Style, resolve};
use super::{Document, Problem, codes};
use crate::source::Span;

/// Nodes that alias expansion may add to one document. A real manifest stays far below; an alias
/// bomb (`a: &a [x,x,…]`, `b: &b [*a,*a,…]`, …) hits it after a few levels.
pub const ALIAS_NODE_BUDGET: usize = 200_000;
/// Deepest nesting accepted, counting collections copied in by aliases.
pub const MAX_DEPTH: usize = 512;
/// Deepest nesting the parser accepts in the source itself (block and flow alike).
pub const MAX_SOURCE_DEPTH: usize = 256;

/// An open collection. Its children wait on the document's scratch stacks (`DocState::items`,
/// `DocState::entries`) from `base` on, and move into a vector of the exact size when it closes:
/// no vector grows child by child, so loading does not reallocate and leaves no slack.
pub(super) enum Frame {
    Seq { start: usize, anchor: usize, base: usize },
    Map { start: usize, anchor: usize, base: usize, key: Option<Node> },
}

struct Anchored {
    node: Node,
    nodes: usize,
    height: usize,
}

/// Loader state for one document (the fast path in `fast.rs` builds its trees through it too).
#[derive(Default)]
pub(super) struct DocState {
    pub(super) stack: Vec<Frame>,
    /// Items of the open sequences, innermost last.
    pub(super) items: Vec<Node>,
    /// Entries of the open mappings, innermost last.
    pub(super) entries: Vec<Entry>,
    pub(super) root: Option<Node>,
    anchors: HashMap<usize, Anchored>,
    anchor_names: HashMap<usize, String>,
    alias_nodes: usize,
    start: usize,
    /// Non-core tags written in the document, in source order.
    custom_tags: Vec<CustomTag>,
    /// Whether a mapping of the document repeats a scalar key (each repeat is reported).
    repeats_keys: bool,
}

/// Load every document of `text`: the fast path (`fast.rs`) when the file keeps to the block
/// subset it reads, granit-parser otherwise.
pub fn load_documents(text: &str) -> (Vec<Document>, Vec<Problem>) {
    match super::fast::load(text) {
        Some(loaded) => loaded,
        None => load_documents_granit(text),
    }
}

/// Load every document of `text` with granit-parser (any YAML, errors and recovery included).
pub fn load_documents_granit(text: &str) -> (Vec<Document>, Vec<Problem>) {
    let options = granit_parser::options! {
        emit_anchor_events: true,
        block_nesting_limit: MAX_SOURCE_DEPTH,
        flow_nesting_limit: MAX_SOURCE_DEPTH,
    };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let mut doc = DocState::default();
    let mut doc_index = 0usize;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(pair)) => pair,
            Some(Err(error)) => {
                problems.push(scan_problem(text, &error, doc.start));
                doc = DocState::default();
                doc_index += 1;
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    Ok(false) | Err(_) => break,
                }
            }
        };
        let range = span.byte_range().unwrap_or(0..0);
        let tag_start = span.tag_start().and_then(|m| m.byte_offset());
        let span = Span::new(range.start, range.end);
        // A custom tag keeps its own span (`!!python/object` where it is written).
        let tagged = |custom: Option<Box<str>>| {
            custom.map(|tag| {
                let start = tag_start.unwrap_or(span.start());
                let span = Span::new(start, start + tag.len().min(text.len().saturating_sub(start)));
                CustomTag { tag, span }
            })
        };
        let outcome = match event {
            Event::StreamStart | Event::StreamEnd => Ok(()),
            Event::DocumentStart(..) => {
                doc = DocState { start: span.start(), ..DocState::default() };
                Ok(())
            }
            Event::DocumentEnd => {
                documents.extend(doc.finish(doc_index));
                doc_index += 1;
                Ok(())
            }
            Event::Scalar(text_value, style, anchor, tag) => {
                let (style, core, custom) = classify(style, tag.as_deref());
                let resolved = resolve(&text_value, style, core.as_deref());
                let custom = tagged(custom);
                let node =
                    Node { span, value: Value::Scalar(Scalar::new(&text_value, style, resolved, custom.is_some())) };
                doc.custom_tags.extend(custom);
                doc.finish_node(node, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                let (_, _, custom) = classify(ScalarStyle::Plain, tag.as_deref());
                doc.custom_tags.extend(tagged(custom));
                doc.stack.push(Frame::Seq { start: span.start(), anchor, base: doc.items.len() });
                Ok(())
            }
            Event::MappingStart(_, anchor, tag) => {
                let (_, _, custom) = classify(ScalarStyle::Plain, tag.as_deref());
                doc.custom_tags.extend(tagged(custom));
                doc.stack.push(Frame::Map { start: span.start(), anchor, base: doc.entries.len(), key: None });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => doc.close(span, &mut problems),
            Event::Anchor(id, name) => {
                doc.anchor_names.insert(id, name.into_owned());
                Ok(())
            }
            Event::Alias(id) => doc.alias(id, span),
            Event::UnresolvedAlias(name) => Err(Problem::new(
                codes::YAML_SYNTAX,
                span,
                crate::i18n::t(
                    format!("alias `*{name}` refers to no anchor defined before it in this document"),
                    format!("l'alias `*{name}` ne renvoie à aucune ancre définie avant lui dans ce document"),
                ),
            )
            .help(&crate::i18n::t(
                "Define the anchor (`&name`) before the alias, in the same document.",
                "Définissez l'ancre (`&name`) avant l'alias, dans le même document.",
            ))),
            #[allow(unreachable_patterns)]
            _ => Ok(()),
        };
        if let Err(problem) = outcome {
            problems.push(problem);
            doc = DocState::default();
            doc_index += 1;
            match parser.proceed_next_document() {
                Ok(true) => continue,
                Ok(false) | Err(_) => break,
            }
        }
    }
    (documents, problems)
}

/// Style of a scalar, the YAML core tag suffix (`str`, `int`, …) and any non-core tag.
fn classify(style: ScalarStyle, tag: Option<&Tag>) -> (Style, Option<String>, Option<Box<str>>) {
    let style = match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
        _ => Style::Quoted,
    };
    match tag {
        None => (style, None, None),
        Some(t) if t.is_yaml_core_schema() => {
            let suffix = t.core_suffix().unwrap_or_default().to_string();
            let known = matches!(
                suffix.as_str(),
                "str" | "int" | "float" | "bool" | "null" | "map" | "seq" | "binary" | "timestamp" | "merge"
            );
            if known { (style, Some(suffix), None) } else { (style, None, Some(t.original().into())) }
        }
        // The non-specific tag `!` just forces a string.
        Some(t) if t.original() == "!" => (style, Some("str".to_string()), None),
        Some(t) => (style, None, Some(t.original().into())),
    }
}

fn scan_problem(text: &str, error: &ScanError, doc_start: usize) -> Problem {
    let at = error.marker().byte_offset().unwrap_or(doc_start).min(text.len());
    let span = Span::new(at, at);
    if matches!(error.kind(), ErrorKind::RecursionLimitExceeded) {
        return Problem::new(
            codes::YAML_NESTING_LIMIT,
            span,
            crate::i18n::t(
                format!("nesting deeper than {MAX_SOURCE_DEPTH} levels; the document is not loaded"),
                format!("imbrication de plus de {MAX_SOURCE_DEPTH} niveaux ; le document n'est pas chargé"),
            ),
        )
        .help(&too_deep_help());
    }
    Problem::new(
        codes::YAML_SYNTAX,
        span,
        crate::i18n::t(format!("invalid YAML: {}", error.kind()), format!("YAML invalide : {}", error.kind())),
    )
    .help(&crate::i18n::t(
        "Fix the YAML syntax at this position; the rest of this document is not checked.",
        "Corrigez la syntaxe YAML à cet endroit ; le reste de ce document n'est pas vérifié.",
    ))
}

fn too_deep_help() -> String {
    crate::i18n::t(
        "No Kubernetes object nests this deep: check how this file was generated.",
        "Aucun objet Kubernetes n'est imbriqué aussi profondément : vérifiez comment ce fichier a été généré.",
    )
}

impl DocState {
    /// The document once its end is read: `None` when it is empty (its root null or missing).
    pub(super) fn finish(&mut self, index: usize) -> Option<Document> {
        let root = self.root.take().filter(|root| !root.is_null())?;
        Some(Document {
            root,
            index,
            custom_tags: std::mem::take(&mut self.custom_tags),
            aliased: self.alias_nodes > 0,
            repeats_keys: self.repeats_keys,
        })
    }

    fn finish_node(&mut self, node: Node, anchor: usize) -> Result<(), Problem> {
        if anchor != 0 {
            let nodes = node.count_nodes();
            let height = height(&node);
            self.anchors.insert(anchor, Anchored { node: node.clone(), nodes, height });
        }
        self.attach(node);
        Ok(())
    }

    pub(super) fn attach(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => self.entries.push(Entry { key: k, value: node }),
            },
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), Problem> {
        let name = self.anchor_names.get(&id).cloned().unwrap_or_default();
        let Some(target) = self.anchors.get(&id) else {
            return Err(Problem::new(
                codes::YAML_SYNTAX,
                span,
                crate::i18n::t(
                    format!("alias `*{name}` refers to a collection that contains it (a recursive alias)"),
                    format!("l'alias `*{name}` renvoie à une collection qui le contient (un alias récursif)"),
                ),
            )
            .help(&crate::i18n::t(
                "An alias cannot point at the collection it is inside: write the content out.",
                "Un alias ne peut pas désigner la collection qui le contient : écrivez le contenu en entier.",
            )));
        };
        self.alias_nodes += target.nodes;
        if self.alias_nodes > ALIAS_NODE_BUDGET {
            return Err(Problem::new(
                codes::YAML_ALIAS_LIMIT,
                span,
                crate::i18n::t(
                    format!(
                        "aliases expand to more than {ALIAS_NODE_BUDGET} nodes (an alias bomb?); the document is not loaded"
                    ),
                    format!(
                        "les alias se développent en plus de {ALIAS_NODE_BUDGET} nœuds (une bombe d'alias ?) ; le document n'est pas chargé"
                    ),
                ),
            )
            .help(&crate::i18n::t(
                "Write the repeated content out, or reuse it through fewer nested aliases.",
                "Écrivez le contenu répété en entier, ou réutilisez-le avec moins d'alias imbriqués.",
            )));
        }
        if self.stack.len() + target.height > MAX_DEPTH {
            return Err(Problem::new(
                codes::YAML_NESTING_LIMIT,
                span,
                crate::i18n::t(
                    format!("alias `*{name}` nests the document deeper than {MAX_DEPTH} levels"),
                    format!("l'alias `*{name}` imbrique le document sur plus de {MAX_DEPTH} niveaux"),
                ),
            )
            .help(&too_deep_help()));
        }
        let mut node = target.node.clone();
        // Keep the anchor's content, but point the outer node at the alias so a diagnostic on the
        // whole value lands where the author wrote it.
        node.span = span;
        self.attach(node);
        Ok(())
    }

    pub(super) fn close(&mut self, end_span: Span, problems: &mut Vec<Problem>) -> Result<(), Problem> {
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        let (node, anchor) = match frame {
            Frame::Seq { start, anchor, base } => {
                // Trees live for the whole run (the cross-object pass needs them): sized exactly.
                let items: Vec<Node> = self.items.drain(base..).collect();
                let end = collection_end(start, end_span, items.last().map(|n| n.span.end()));
                (Node { span: Span::new(start, end), value: Value::Seq(items) }, anchor)
            }
            Frame::Map { start, anchor, base, .. } => {
                let entries: Vec<Entry> = self.entries.drain(base..).collect();
                let end =
                    collection_end(start, end_span, entries.last().map(|e| e.value.span.end().max(e.key.span.end())));
                let mut entries = merge_keys(entries)?;
                entries.shrink_to_fit();
                self.repeats_keys |= report_duplicates(&entries, problems);
                (Node { span: Span::new(start, end), value: Value::Map(entries) }, anchor)
            }
        };
        self.finish_node(node, anchor)
    }
}

/// Block collections end with their last child; flow collections with their closing bracket.
fn collection_end(start: usize, end_span: Span, last_child: Option<usize>) -> usize {
    if end_span.end() > end_span.start() { end_span.end() } else { last_child.unwrap_or(start).max(start) }
}

fn height(node: &Node) -> usize {
    let mut max = 0;
    let mut stack = vec![(node, 1usize)];
    while let Some((n, depth)) = stack.pop() {
        max = max.max(depth);
        match &n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => stack.extend(items.iter().map(|c| (c, depth + 1))),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| (&e.value, depth + 1))),
        }
    }
    max
}

fn is_merge_key(node: &Node) -> bool {
    matches!(node.scalar(), Some(s) if &*s.text == "<<" && s.style == Style::Plain)
}

/// Apply YAML merge keys: explicit keys win, then earlier merged mappings over later ones.
fn merge_keys(entries: Vec<Entry>) -> Result<Vec<Entry>, Problem> {
    if !entries.iter().any(|e| is_merge_key(&e.key)) {
        return Ok(entries);
    }
    let (merges, mut explicit): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| is_merge_key(&e.key));
    for merge in merges {
        let sources: Vec<&Node> = match &merge.value.value {
            Value::Map(_) => vec![&merge.value],
            Value::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => items.iter().collect(),
            _ => {
                return Err(Problem::new(
                    codes::YAML_SYNTAX,
                    merge.value.span,
                    crate::i18n::t(
                        "the merge key `<<` needs a mapping or a list of mappings",
                        "la clé de fusion `<<` attend un mapping ou une liste de mappings",
                    ),
                )
                .help(&crate::i18n::t(
                    "Merge an anchored mapping (`<<: *defaults`) or a list of them (`<<: [*a, *b]`).",
                    "Fusionnez un mapping ancré (`<<: *defaults`) ou une liste de mappings (`<<: [*a, *b]`).",
                )));
            }
        };
        for source in sources {
            for entry in source.as_map().unwrap_or(&[]) {
                let key = entry.key.text().unwrap_or_default();
                if !explicit.iter().any(|e| e.key.text() == Some(key)) {
                    explicit.push(entry.clone());
                }
            }
        }
    }
    Ok(explicit)
}

/// Report each scalar key `entries` repeats; whether there was one.
fn report_duplicates(entries: &[Entry], problems: &mut Vec<Problem>) -> bool {
    // Most mappings are small: a scan of the keys before beats hashing them.
    const SCAN_UP_TO: usize = 16;
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut repeats = false;
    for (i, entry) in entries.iter().enumerate() {
        let Some(scalar) = entry.key.scalar() else { continue };
        let first = if entries.len() <= SCAN_UP_TO {
            entries[..i].iter().find(|e| e.key.scalar().is_some_and(|k| k.text == scalar.text)).map(|e| &e.key.span)
        } else {
            seen.get(&*scalar.text)
        };
        if let Some(first) = first {
            repeats = true;
            problems.push(
                Problem::new(
                    codes::YAML_DUPLICATE_KEY,
                    entry.key.span,
                    crate::i18n::t(
                        format!("duplicate key `{}` in the same mapping", scalar.text),
                        format!("clé `{}` en double dans le même mapping", scalar.text),
                    ),
                )
                .label(*first, &crate::i18n::t("first set here", "définie une première fois ici"))
                .help(&crate::i18n::t(
                    "Remove one of the two keys: the API server rejects duplicates, and tools disagree on which one wins.",
                    "Supprimez l'une des deux clés : l'API server rejette les doublons, et les outils ne s'accordent pas sur celle qui l'emporte.",
                )),
            );
        } else if entries.len() > SCAN_UP_TO {
            seen.insert(&scalar.text, entry.key.span);
        }
    }
    repeats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Vec<Document>, Vec<Problem>) {
        load_documents(text)
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "a: 1\nb:\n  c: [x, y]\n";
        let (docs, problems) = load(text);
        assert!(problems.is_empty());
        let root = &docs[0].root;
        let c = root.entry("b").unwrap().value.entry("c").unwrap();
        assert_eq!(&text[c.key.span.range()], "c");
        assert_eq!(&text[c.value.span.range()], "[x, y]");
        let y = &c.value.items()[1];
        assert_eq!(&text[y.span.range()], "y");
    }

    #[test]
    fn merge_keys_apply_and_explicit_keys_win() {
        let (docs, problems) = load("base: &b {x: 1, y: 2}\nobj:\n  <<: *b\n  y: 3\n");
        assert!(problems.is_empty());
        let obj = docs[0].root.get("obj").unwrap();
        assert_eq!(obj.get("x").and_then(Node::as_i64), Some(1));
        assert_eq!(obj.get("y").and_then(Node::as_i64), Some(3));
    }

    #[test]
    fn duplicate_keys_are_kept_and_reported() {
        let (docs, problems) = load("a: 1\na: 2\n");
        assert_eq!(docs[0].root.as_map().unwrap().len(), 2);
        assert_eq!(docs[0].root.get("a").and_then(Node::as_i64), Some(2));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, codes::YAML_DUPLICATE_KEY);
    }

    #[test]
    fn recovers_after_a_syntax_error() {
        let (docs, problems) = load("a: [1\n---\nb: 2\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].index, 1);
        assert!(docs[0].root.get("b").is_some());
    }
}

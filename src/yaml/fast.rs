//! The fast path of the YAML layer: a line-based loader for the block subset manifests are written
//! in (block mappings and sequences, plain, quoted and block scalars, one-line flow collections,
//! comments, `---`). It builds the tree through the granit loader's own `DocState`, so spans,
//! duplicate-key problems and resolution come from the same code. On anything else (anchors,
//! aliases, tags, tabs, CR, control characters, multi-line flow, directives, and every error) it
//! gives up and the caller loads the whole file with granit-parser. `yaml::fast_path_agrees`
//! checks that both paths give the same documents and problems.

use std::borrow::Cow;
use std::cell::Cell;

use super::loader::{DocState, Frame};
use super::node::{Node, Scalar, Value};
use super::scalar::{Style, resolve};
use super::{Document, Problem};
use crate::source::Span;

/// Deepest nesting the fast path takes; deeper files go to granit (which has its own limit).
const MAX_FAST_DEPTH: usize = 64;
/// Longest plain or quoted key the fast path takes (YAML caps implicit keys at 1024 characters).
const MAX_KEY_LEN: usize = 1000;

thread_local! {
    /// The line of this file where the fast path last gave up (0: never), for coverage studies.
    static LAST_BAIL: Cell<u32> = const { Cell::new(0) };
}

/// Give up on the fast path, remembering where.
#[track_caller]
fn bail<T>() -> Option<T> {
    let line = std::panic::Location::caller().line();
    LAST_BAIL.with(|b| b.set(line));
    None
}

/// The line of `fast.rs` where the fast path last gave up on this thread (0: never).
pub(super) fn last_bail() -> u32 {
    LAST_BAIL.with(Cell::get)
}

/// An open block collection: the column of its keys or dashes.
struct Block {
    indent: usize,
    seq: bool,
    /// A sequence written at its parent key's column (`key:\n- a`): closed by the next key.
    indentless: bool,
}

/// A mapping value or sequence item that did not start on the line of its key or dash: a node
/// on the next lines (indented deeper), or null.
struct Pending {
    /// Column of the mapping's keys or the sequence's dashes.
    indent: usize,
    /// Offset of the key's `:` or of the dash (where a null value's span sits).
    at: usize,
    /// A sequence item.
    item: bool,
    /// A null here is known to sit where granit puts it: after a bare `:`, or after a dash that
    /// ends its line (after `-  # comment` granit's choice is not checked: left to it).
    null_known: bool,
}

/// How a sequence item starts its sequence.
#[derive(Clone, Copy, PartialEq)]
enum NewSeq {
    /// The item continues an open sequence.
    No,
    /// The first item of a sequence that starts at its dash.
    Regular,
    /// The first item of an indentless sequence, which starts at the item's content.
    Indentless,
}

struct Fast<'a> {
    text: &'a str,
    b: &'a [u8],
    /// Start and end (the `\n`, or the end of the text) of the line being read.
    line: usize,
    eol: usize,
    doc: DocState,
    blocks: Vec<Block>,
    pending: Option<Pending>,
    /// Column of the block holding the flow collection being read (`None`: at the root), which
    /// its continuation lines must be indented deeper than.
    flow_parent: Option<usize>,
    in_doc: bool,
    doc_index: usize,
    documents: Vec<Document>,
    problems: Vec<Problem>,
}

/// Load every document of `text`, or `None` when the file leaves the subset this path reads.
pub(super) fn load(text: &str) -> Option<(Vec<Document>, Vec<Problem>)> {
    if !plain_characters(text.as_bytes()) {
        return bail();
    }
    let mut fast = Fast {
        text,
        b: text.as_bytes(),
        line: 0,
        eol: 0,
        doc: DocState::default(),
        blocks: Vec::new(),
        pending: None,
        flow_parent: None,
        in_doc: false,
        doc_index: 0,
        documents: Vec::new(),
        problems: Vec::new(),
    };
    fast.run()?;
    Some((fast.documents, fast.problems))
}

/// Whether `b` holds only characters the fast path reads as granit does: no CR, no control
/// character but tab and line feed, no DEL, C1 control, BOM, line or paragraph separator, or
/// U+FFFE/U+FFFF (granit rejects or treats each of these specially).
fn plain_characters(b: &[u8]) -> bool {
    // Branch-free over each chunk (so it vectorises): any byte that is not printable ASCII, tab
    // or line feed sends the chunk to the exact check below.
    let unusual = |c: u8| u8::from(c.wrapping_sub(0x20) >= 0x5f) & u8::from(c != b'\n') & u8::from(c != b'\t');
    for (n, chunk) in b.chunks(64).enumerate() {
        if chunk.iter().fold(0u8, |any, &c| any | unusual(c)) == 0 {
            continue;
        }
        let base = n * 64;
        for (i, &c) in chunk.iter().enumerate() {
            let at = |k: usize| b.get(base + i + k).copied().unwrap_or(0);
            let bad = match c {
                0x7f => true,
                c if c < 0x20 => c != b'\n' && c != b'\t',
                0xc2 => (0x80..=0x9f).contains(&at(1)),
                0xe2 => at(1) == 0x80 && matches!(at(2), 0xa8 | 0xa9),
                0xef => (at(1) == 0xbb && at(2) == 0xbf) || (at(1) == 0xbf && matches!(at(2), 0xbe | 0xbf)),
                _ => false,
            };
            if bad {
                return false;
            }
        }
    }
    true
}

/// Characters that cannot start a plain scalar here (or that start what this path leaves to
/// granit: anchors, aliases, tags, complex keys, directives, reserved indicators).
fn indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// An untagged scalar node, resolved as the granit loader resolves it.
fn scalar_node(text: &str, style: Style, span: Span) -> Node {
    let resolved = resolve(text, style, None);
    Node { span, value: Value::Scalar(Scalar::new(text, style, resolved, false)) }
}

/// Line folding of flow scalars: one line break is a space, `n` empty lines are `n` newlines.
fn fold(out: &mut String, empties: usize) {
    if empties == 0 {
        out.push(' ');
    } else {
        out.extend(std::iter::repeat_n('\n', empties));
    }
}

impl<'a> Fast<'a> {
    /// Column of `at` on the current line.
    fn col(&self, at: usize) -> usize {
        at - self.line
    }

    fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', &self.b[from..]).map_or(self.b.len(), |i| from + i)
    }

    fn next_line(&self, eol: usize) -> usize {
        (eol + 1).min(self.b.len())
    }

    fn spaces(&self, from: usize, to: usize) -> usize {
        self.b[from..to].iter().take_while(|&&c| c == b' ').count()
    }

    fn run(&mut self) -> Option<()> {
        let mut pos = 0;
        while pos < self.b.len() {
            pos = self.read_line(pos)?;
        }
        self.end_doc()
    }

    /// Read the line starting at `pos` (and any later lines a scalar on it takes); returns where
    /// the next line to read starts.
    fn read_line(&mut self, pos: usize) -> Option<usize> {
        let eol = self.line_end(pos);
        self.line = pos;
        self.eol = eol;
        let indent = self.spaces(pos, eol);
        let c = pos + indent;
        if c == eol || self.b[c] == b'#' {
            return Some(self.next_line(eol));
        }
        if self.b[c] == b'\t' {
            return bail();
        }
        let line = &self.b[pos..eol];
        if indent == 0 {
            if line.starts_with(b"---") && (line.len() == 3 || line[3] == b' ') {
                let after = 3 + self.spaces(pos + 3, eol);
                if after != line.len() && line[after] != b'#' {
                    return bail();
                }
                self.end_doc()?;
                self.start_doc();
                return Some(self.next_line(eol));
            }
            if line.starts_with(b"---") || line.starts_with(b"...") || line[0] == b'%' {
                return bail();
            }
        }
        if memchr::memchr(b'\t', line).is_some() {
            return bail();
        }
        if !self.in_doc {
            self.start_doc();
        }
        self.content_line(indent, c)
    }

    fn start_doc(&mut self) {
        self.in_doc = true;
        self.doc = DocState::default();
    }

    fn end_doc(&mut self) -> Option<()> {
        if !self.in_doc {
            return Some(());
        }
        if let Some(p) = self.pending.take() {
            self.attach_null(&p)?;
        }
        while !self.blocks.is_empty() {
            self.close_block()?;
        }
        self.documents.extend(self.doc.finish(self.doc_index));
        self.doc_index += 1;
        self.in_doc = false;
        Some(())
    }

    fn attach_null(&mut self, p: &Pending) -> Option<()> {
        if !p.null_known {
            return bail();
        }
        self.doc.attach(scalar_node("~", Style::Plain, Span::new(p.at, p.at)));
        Some(())
    }

    fn push_frame(&mut self, frame: Frame) -> Option<()> {
        if self.doc.stack.len() >= MAX_FAST_DEPTH {
            return bail();
        }
        self.doc.stack.push(frame);
        Some(())
    }

    fn push_block(&mut self, start: usize, indent: usize, seq: bool, indentless: bool) -> Option<()> {
        let frame = if seq {
            Frame::Seq { start, anchor: 0, base: self.doc.items.len() }
        } else {
            Frame::Map { start, anchor: 0, base: self.doc.entries.len(), key: None }
        };
        self.push_frame(frame)?;
        self.blocks.push(Block { indent, seq, indentless });
        Some(())
    }

    fn close_block(&mut self) -> Option<()> {
        self.blocks.pop();
        self.close_frame(Span::empty(0))
    }

    fn close_frame(&mut self, end: Span) -> Option<()> {
        match self.doc.close(end, &mut self.problems) {
            Ok(()) => Some(()),
            Err(_) => bail(),
        }
    }

    fn is_dash(&self, at: usize) -> bool {
        self.b[at] == b'-' && (at + 1 == self.eol || self.b[at + 1] == b' ')
    }

    /// A content line at column `c` (`indent` spaces in).
    fn content_line(&mut self, indent: usize, c: usize) -> Option<usize> {
        let dash = self.is_dash(c);
        if let Some(p) = self.pending.take() {
            if indent > p.indent {
                // The value of the key above (or the item), on its own lines: a block collection
                // starting here, or a scalar.
                return self.inline_node(c, p.indent, true);
            }
            if indent == p.indent && dash && !p.item {
                return self.seq_item(c, NewSeq::Indentless);
            }
            self.attach_null(&p)?;
        }
        while let Some(top) = self.blocks.last() {
            if top.indent > indent || (top.indent == indent && top.indentless && !dash) {
                self.close_block()?;
            } else {
                break;
            }
        }
        match self.blocks.last() {
            None if self.doc.root.is_some() => bail(),
            None => match self.b[c] {
                b'[' | b'{' => {
                    self.flow_parent = None;
                    let end = self.flow(c)?;
                    self.rest_blank(end)?;
                    Some(self.next_line(self.eol))
                }
                _ => self.new_collection(c),
            },
            Some(top) if top.indent != indent => bail(),
            Some(top) if top.seq => {
                if dash {
                    self.seq_item(c, NewSeq::No)
                } else {
                    bail()
                }
            }
            Some(_) => {
                if dash {
                    bail()
                } else {
                    self.entry(c)
                }
            }
        }
    }

    /// The root block collection, starting at column `c`.
    fn new_collection(&mut self, c: usize) -> Option<usize> {
        if self.is_dash(c) {
            return self.seq_item(c, NewSeq::Regular);
        }
        if self.key_at(c)? {
            self.push_block(c, self.col(c), false, false)?;
            return self.entry(c);
        }
        bail()
    }

    /// Whether a mapping key starts at `c` on the current line.
    fn key_at(&self, c: usize) -> Option<bool> {
        match self.b[c] {
            b'"' | b'\'' => match self.quoted(c, 0, false)? {
                None => Some(false),
                Some((_, after, _)) => {
                    let colon = after + self.spaces(after, self.eol);
                    Some(colon < self.eol && self.is_colon(colon))
                }
            },
            _ if !self.plain_start(c) => Some(false),
            _ => Some(self.scan_plain(c).0.is_some()),
        }
    }

    /// Whether a plain scalar (block context) may start at `at`: not an indicator, but a `-`
    /// followed by more than a space (`-1`, `--flag`).
    fn plain_start(&self, at: usize) -> bool {
        let c = self.b[at];
        !indicator(c) || (c == b'-' && at + 1 < self.eol && self.b[at + 1] != b' ')
    }

    /// A `:` that ends a key: followed by a space or the end of the line.
    fn is_colon(&self, at: usize) -> bool {
        self.b[at] == b':' && (at + 1 == self.eol || self.b[at + 1] == b' ')
    }

    /// Scan a plain scalar on the current line from `c`: the key's `:` if it is a key, and the
    /// end of its text (trailing spaces and any comment left out).
    fn scan_plain(&self, c: usize) -> (Option<usize>, usize, bool) {
        let mut i = c;
        let mut comment = false;
        while let Some(k) = memchr::memchr2(b':', b'#', &self.b[i..self.eol]) {
            i += k;
            if self.b[i] == b':' {
                if self.is_colon(i) {
                    let end = c + self.text[c..i].trim_end_matches(' ').len();
                    return (Some(i), end, false);
                }
            } else if i > c && self.b[i - 1] == b' ' {
                comment = true;
                break;
            }
            i += 1;
        }
        if !comment {
            i = self.eol;
        }
        let end = c + self.text[c..i].trim_end_matches(' ').len();
        (None, end, comment)
    }

    /// A sequence item whose dash is at `c`.
    fn seq_item(&mut self, c: usize, new: NewSeq) -> Option<usize> {
        let v = c + 1 + self.spaces(c + 1, self.eol);
        let empty = v == self.eol || self.b[v] == b'#';
        match new {
            NewSeq::No => {}
            NewSeq::Regular => self.push_block(c, self.col(c), true, false)?,
            // An indentless sequence starts at its first item's content.
            NewSeq::Indentless if empty => return bail(),
            NewSeq::Indentless => self.push_block(v, self.col(c), true, true)?,
        }
        if empty {
            // The item is on the next lines, or null.
            self.pending = Some(Pending { indent: self.col(c), at: c + 1, item: true, null_known: c + 1 == self.eol });
            return Some(self.next_line(self.eol));
        }
        self.inline_node(v, self.col(c), true)
    }

    /// A mapping entry whose key starts at `c` (the open mapping's column).
    fn entry(&mut self, c: usize) -> Option<usize> {
        let (key, colon) = match self.b[c] {
            b'"' | b'\'' => {
                let Some((text, after, _)) = self.quoted(c, 0, false)? else { return bail() };
                let colon = after + self.spaces(after, self.eol);
                if colon == self.eol || !self.is_colon(colon) || text.len() > MAX_KEY_LEN {
                    return bail();
                }
                (scalar_node(&text, Style::Quoted, Span::new(c, after)), colon)
            }
            _ if !self.plain_start(c) => return bail(),
            _ => {
                let (Some(colon), end, _) = self.scan_plain(c) else { return bail() };
                let key = &self.text[c..end];
                if key.is_empty() || key.len() > MAX_KEY_LEN || key == "<<" {
                    return bail();
                }
                (scalar_node(key, Style::Plain, Span::new(c, end)), colon)
            }
        };
        self.doc.attach(key);
        let v = colon + 1 + self.spaces(colon + 1, self.eol);
        if v == self.eol || self.b[v] == b'#' {
            self.pending = Some(Pending { indent: self.col(c), at: colon, item: false, null_known: true });
            return Some(self.next_line(self.eol));
        }
        self.inline_node(v, self.col(c), false)
    }

    /// A node starting at `v` on the current line, inside a block whose column is `parent`.
    /// `collections`: whether a compact block collection may start here (after a dash).
    fn inline_node(&mut self, v: usize, parent: usize, collections: bool) -> Option<usize> {
        match self.b[v] {
            b'-' if self.is_dash(v) => {
                if !collections {
                    return bail();
                }
                self.seq_item(v, NewSeq::Regular)
            }
            b'[' | b'{' => {
                self.flow_parent = Some(parent);
                let end = self.flow(v)?;
                self.rest_blank(end)?;
                Some(self.next_line(self.eol))
            }
            b'|' | b'>' => self.block_scalar(v, parent),
            b'"' | b'\'' => {
                if collections && self.key_at(v)? {
                    self.push_block(v, self.col(v), false, false)?;
                    return self.entry(v);
                }
                let Some((text, after, eol)) = self.quoted(v, parent, true)? else { return bail() };
                let node = scalar_node(&text, Style::Quoted, Span::new(v, after));
                self.eol = eol;
                self.rest_blank(after)?;
                self.doc.attach(node);
                Some(self.next_line(eol))
            }
            _ if !self.plain_start(v) => bail(),
            _ => {
                let (colon, end, comment) = self.scan_plain(v);
                if colon.is_some() {
                    if !collections {
                        return bail();
                    }
                    self.push_block(v, self.col(v), false, false)?;
                    return self.entry(v);
                }
                self.plain_value(v, end, comment, parent)
            }
        }
    }

    /// The rest of the line from `i` holds nothing but spaces and a comment.
    fn rest_blank(&self, i: usize) -> Option<()> {
        let j = i + self.spaces(i, self.eol);
        if j == self.eol || (j > i && self.b[j] == b'#') { Some(()) } else { bail() }
    }

    /// A plain scalar value from `v` to `end` on this line, and its continuation lines (indented
    /// deeper than `parent`).
    fn plain_value(&mut self, v: usize, end: usize, comment: bool, parent: usize) -> Option<usize> {
        let all: &'a str = self.text;
        let first = &all[v..end];
        let mut resume = self.next_line(self.eol);
        let mut folded: Option<String> = None;
        let mut span_end = end;
        if !comment {
            let mut pos = resume;
            let mut empties = 0;
            while pos < self.b.len() {
                let le = self.line_end(pos);
                let s = self.spaces(pos, le);
                let c = pos + s;
                if c == le {
                    empties += 1;
                    pos = self.next_line(le);
                    continue;
                }
                if s <= parent || self.b[c] == b'#' {
                    break;
                }
                let line = &self.b[c..le];
                if self.b[c] == b':'
                    || memchr::memchr(b'\t', line).is_some()
                    || line.ends_with(b":")
                    || memchr::memmem::find(line, b": ").is_some()
                    || memchr::memmem::find(line, b" #").is_some()
                {
                    return bail();
                }
                let e = c + self.text[c..le].trim_end_matches(' ').len();
                let out = folded.get_or_insert_with(|| first.to_string());
                fold(out, empties);
                out.push_str(&self.text[c..e]);
                span_end = e;
                empties = 0;
                pos = self.next_line(le);
                resume = pos;
            }
        }
        let text = folded.as_deref().unwrap_or(first);
        self.doc.attach(scalar_node(text, Style::Plain, Span::new(v, span_end)));
        Some(resume)
    }

    /// A quoted scalar whose opening quote is at `v`. Returns its text, the offset just past the
    /// closing quote and the end of the line holding it; `None` inside when `multi_line` is false
    /// and the scalar does not close on this line. Continuation lines must be indented deeper
    /// than `parent`.
    #[allow(clippy::type_complexity)]
    fn quoted(&self, v: usize, parent: usize, multi_line: bool) -> Option<Option<(Cow<'a, str>, usize, usize)>> {
        let text: &'a str = self.text;
        let quote = self.b[v];
        let mut eol = self.eol;
        let mut i = v + 1;
        // Fast case: one line, no escape.
        {
            let stop = if quote == b'"' {
                self.b[i..eol].iter().position(|&c| c == b'"' || c == b'\\')
            } else {
                memchr::memchr(b'\'', &self.b[i..eol])
            };
            if let Some(k) = stop {
                let close = i + k;
                if self.b[close] == quote && !(quote == b'\'' && self.b.get(close + 1) == Some(&b'\'')) {
                    return Some(Some((Cow::Borrowed(&text[i..close]), close + 1, eol)));
                }
            }
        }
        let mut out = String::new();
        loop {
            // Output length where this line's trailing unescaped spaces start.
            let mut trail: Option<usize> = None;
            let mut escaped_break = false;
            while i < eol {
                let c = self.b[i];
                if c == quote {
                    if quote == b'\'' && i + 1 < eol && self.b[i + 1] == b'\'' {
                        out.push('\'');
                        trail = None;
                        i += 2;
                        continue;
                    }
                    return Some(Some((Cow::Owned(out), i + 1, eol)));
                }
                if c == b'\\' && quote == b'"' {
                    if i + 1 == eol {
                        escaped_break = true;
                        break;
                    }
                    i = self.escape(i + 1, &mut out)?;
                    trail = None;
                    continue;
                }
                if c == b' ' {
                    if trail.is_none() {
                        trail = Some(out.len());
                    }
                    out.push(' ');
                    i += 1;
                    continue;
                }
                // A run of ordinary characters.
                let run = self.b[i..eol]
                    .iter()
                    .position(|&c| c == quote || c == b' ' || (c == b'\\' && quote == b'"'))
                    .map_or(eol, |k| i + k);
                out.push_str(&self.text[i..run]);
                trail = None;
                i = run;
            }
            if !multi_line || eol == self.b.len() {
                return if multi_line { bail() } else { Some(None) };
            }
            if !escaped_break {
                if let Some(t) = trail {
                    out.truncate(t);
                }
            }
            // Continuation lines.
            let mut empties = 0;
            let mut pos = self.next_line(eol);
            loop {
                if pos >= self.b.len() {
                    return bail();
                }
                eol = self.line_end(pos);
                let line = &self.b[pos..eol];
                if memchr::memchr(b'\t', line).is_some() || line.starts_with(b"---") || line.starts_with(b"...") {
                    return bail();
                }
                let s = self.spaces(pos, eol);
                if pos + s == eol {
                    empties += 1;
                    pos = self.next_line(eol);
                    continue;
                }
                if s <= parent {
                    return bail();
                }
                i = pos + s;
                break;
            }
            if escaped_break {
                if empties > 0 {
                    return bail();
                }
            } else {
                fold(&mut out, empties);
            }
        }
    }

    /// A double-quoted escape whose letter is at `i`; returns the offset after it.
    fn escape(&self, i: usize, out: &mut String) -> Option<usize> {
        let simple = match self.b[i] {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' | b'\t' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let digits = match self.b[i] {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = self.text.get(i + 1..i + 1 + digits).filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
                let Some(code) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) else {
                    return bail();
                };
                out.push(code);
                return Some(i + 1 + digits);
            }
            _ => return bail(),
        };
        out.push(simple);
        Some(i + 1)
    }

    /// A block scalar whose header (`|` or `>`, then `+` or `-` and an indentation digit, in any
    /// order) is at `v`, in a block at column `parent`. Returns where the line that ends it starts.
    fn block_scalar(&mut self, v: usize, parent: usize) -> Option<usize> {
        let literal = self.b[v] == b'|';
        let mut h = v + 1;
        let mut chomp = b' ';
        let mut explicit = None;
        while h < self.eol {
            match self.b[h] {
                c @ (b'+' | b'-') if chomp == b' ' => chomp = c,
                c @ b'1'..=b'9' if explicit.is_none() => explicit = Some(usize::from(c - b'0')),
                _ => break,
            }
            h += 1;
        }
        if h < self.eol && self.b[h] != b' ' {
            return bail();
        }
        self.rest_blank(h)?;
        let n = self.b.len();
        let first = self.next_line(self.eol);
        if first >= n {
            return bail();
        }
        let indent = match explicit {
            Some(digit) => parent + digit,
            None => {
                let first_eol = self.line_end(first);
                let indent = self.spaces(first, first_eol);
                if first + indent == first_eol || indent <= parent || self.b[first + indent] == b'\t' {
                    // Leading empty lines, an empty scalar, or a tab where the indentation is read.
                    return bail();
                }
                indent
            }
        };
        let mut start = None;
        // Sized once from the lines the text is read from (it is never longer, but for a line
        // break the source may lack at its end): a large block scalar grown by doubling held up
        // to twice its size while the last copy was made, then was copied into the tree.
        let mut out = String::with_capacity(self.block_extent(first, indent) + 1);
        let mut empties = 0usize;
        let mut content_lines = 0usize;
        let mut pos = first;
        let end = loop {
            if pos >= n {
                break n;
            }
            let le = self.line_end(pos);
            let s = self.spaces(pos, le);
            if pos + s == le && s <= indent {
                if le == n {
                    // Spaces with no line break after them end the text: not an empty line.
                    pos = n;
                    continue;
                }
                empties += 1;
                pos = self.next_line(le);
                continue;
            }
            if s < indent {
                break pos + s;
            }
            let line = &self.text[pos + indent..le];
            if le == n && line.bytes().all(|c| c == b' ') {
                return bail();
            }
            if content_lines == 0 {
                // Leading empty lines (only with an indentation indicator) are kept as newlines.
                out.extend(std::iter::repeat_n('\n', empties));
                start = Some(pos + indent);
            }
            if content_lines > 0 {
                if literal {
                    out.extend(std::iter::repeat_n('\n', empties + 1));
                } else {
                    if matches!(line.as_bytes()[0], b' ' | b'\t') {
                        return bail();
                    }
                    fold(&mut out, empties);
                }
            } else if !literal && matches!(line.as_bytes()[0], b' ' | b'\t') {
                return bail();
            }
            out.push_str(line);
            content_lines += 1;
            empties = 0;
            pos = self.next_line(le);
        };
        let Some(start) = start else { return bail() };
        match chomp {
            b'-' => {}
            b'+' => out.extend(std::iter::repeat_n('\n', empties + 1)),
            _ => out.push('\n'),
        }
        self.doc.attach(scalar_node(&out, Style::Block, Span::new(start, end)));
        // The next line to read: the one that ended the scalar (or the end of the text).
        let resume = if end >= n { n } else { self.text[..end].rfind('\n').map_or(0, |i| i + 1) };
        Some(resume)
    }

    /// Bytes from `first` to the end of the block scalar whose lines start there, indented by
    /// `indent`: up to the first line that is not blank and is indented less (as `block_scalar`
    /// reads them).
    fn block_extent(&self, first: usize, indent: usize) -> usize {
        let n = self.b.len();
        let mut pos = first;
        while pos < n {
            let le = self.line_end(pos);
            let s = self.spaces(pos, le);
            if pos + s != le && s < indent {
                break;
            }
            pos = self.next_line(le);
        }
        pos - first
    }

    /// A flow collection opening at `v`; returns the offset past its closing bracket. It may span
    /// lines (JSON): `self.line` and `self.eol` then move to the line of the closing bracket.
    fn flow(&mut self, v: usize) -> Option<usize> {
        let seq = self.b[v] == b'[';
        let frame = if seq {
            Frame::Seq { start: v, anchor: 0, base: self.doc.items.len() }
        } else {
            Frame::Map { start: v, anchor: 0, base: self.doc.entries.len(), key: None }
        };
        self.push_frame(frame)?;
        let close = if seq { b']' } else { b'}' };
        let mut i = v + 1;
        loop {
            i = self.flow_space(i, true)?;
            if self.b[i] == close {
                self.close_frame(Span::new(i, i + 1))?;
                return Some(i + 1);
            }
            if !seq {
                i = self.flow_scalar(i, true)?;
                // An implicit key and its `:` stay on one line.
                i = self.flow_space(i, false)?;
                if self.b[i] != b':' {
                    return bail();
                }
                i = self.flow_space(i + 1, true)?;
                if matches!(self.b[i], b',' | b'}') {
                    return bail();
                }
            }
            i = match self.b[i] {
                b'[' | b'{' => self.flow(i)?,
                _ => self.flow_scalar(i, false)?,
            };
            i = self.flow_space(i, true)?;
            if self.b[i] == b',' {
                i += 1;
            } else if self.b[i] != close {
                return bail();
            }
        }
    }

    /// Skip spaces inside a flow collection, and with `lines` comments and line breaks too; gives
    /// up if the collection does not go on (or goes on at a column its block does not allow).
    fn flow_space(&mut self, mut i: usize, lines: bool) -> Option<usize> {
        loop {
            let j = i + self.spaces(i, self.eol);
            if j < self.eol && !(self.b[j] == b'#' && (j == self.line || self.b[j - 1] == b' ')) {
                return Some(j);
            }
            if !lines || self.eol >= self.b.len() {
                return bail();
            }
            let next = self.eol + 1;
            let le = self.line_end(next);
            let line = &self.b[next..le];
            if memchr::memchr(b'\t', line).is_some() || line.starts_with(b"---") || line.starts_with(b"...") {
                return bail();
            }
            self.line = next;
            self.eol = le;
            let s = self.spaces(next, le);
            if let Some(parent) = self.flow_parent {
                if next + s < le && self.b[next + s] != b'#' && s <= parent {
                    return bail();
                }
            }
            i = next;
        }
    }

    /// A scalar in a flow collection at `i`; `key`: a flow mapping key. Returns the offset after it.
    fn flow_scalar(&mut self, i: usize, key: bool) -> Option<usize> {
        let node = match self.b[i] {
            b'"' | b'\'' => {
                let Some((text, after, _)) = self.quoted(i, 0, false)? else { return bail() };
                let node = scalar_node(&text, Style::Quoted, Span::new(i, after));
                self.doc.attach(node);
                return Some(after);
            }
            c if indicator(c)
                && !(c == b'-'
                    && i + 1 < self.eol
                    && !matches!(self.b[i + 1], b' ' | b',' | b'[' | b']' | b'{' | b'}')) =>
            {
                return bail();
            }
            _ => {
                let mut j = i;
                while j < self.eol {
                    match self.b[j] {
                        b',' | b'[' | b']' | b'{' | b'}' => break,
                        // A comment ends the line (the scalar must not go on below it).
                        b'#' if self.b[j - 1] == b' ' => break,
                        b'#' => return bail(),
                        b':' => {
                            if key && j + 1 < self.eol && self.b[j + 1] == b' ' {
                                break;
                            }
                            return bail();
                        }
                        _ => j += 1,
                    }
                }
                // A scalar that reaches the end of its line must be followed by `,` or a closing
                // bracket (`flow` checks): a plain scalar going on below is left to granit.
                let end = i + self.text[i..j].trim_end_matches(' ').len();
                if key && self.text[i..end].len() > MAX_KEY_LEN {
                    return bail();
                }
                scalar_node(&self.text[i..end], Style::Plain, Span::new(i, end))
            }
        };
        let end = node.span.end();
        self.doc.attach(node);
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::super::loader::load_documents_granit;
    use super::*;

    /// Both paths agree on `text`, and the fast path took it.
    fn agrees(text: &str) {
        let fast = load(text).unwrap_or_else(|| panic!("fast path gave up at fast.rs:{} on {text:?}", last_bail()));
        let slow = load_documents_granit(text);
        assert_eq!(format!("{fast:#?}"), format!("{slow:#?}"), "on {text:?}");
    }

    /// The fast path leaves `text` to granit.
    fn gives_up(text: &str) {
        assert!(load(text).is_none(), "fast path took {text:?}");
    }

    #[test]
    fn block_collections_and_spans() {
        agrees("a: 1\nb:\n  c: [x, y]\n  d: {k: v, \"q\": 'w'}\n");
        agrees("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n");
        agrees("- - a\n  - b\n- c: 1\n  d: 2\n");
        agrees("key:\n- a\n- b\nnext: 3\n");
        agrees("a:\n  - x\n  -  y\nb:\nc:\n");
        agrees("  indented: root\n  second: 2\n");
        agrees("a: []\nb: {}\nc: [ ]\nd: [[1, 2], {e: f}]\n");
        agrees("{\"a\":1, \"b\": [true, null]}\n");
        agrees("{\n  \"a\": 1,\n  \"b\": [\n    true,\n\n    null\n  ],\n  \"c\": {}\n}\n");
        agrees("a: [ x, # first\n  y ]\nb: {\n  k: v }\n");
    }

    #[test]
    fn plain_scalars() {
        agrees("a: foo\n  bar\n\n  baz\nb: x # comment\nc: a#b\nd: http://x:80/\n");
        agrees("- foo\n  bar\n- -1\n- .5\n- 0x1F\n- yes\n- ~\n");
        agrees("a: foo   \nb:    spaced\n");
        agrees("-\n  below\n- # c\n  k: v\n-\n- x\n-\n");
        agrees("a:\n  below\n  and on\nb:\n  'quoted\n  below'\nc:\n  [1]\nd:\n  |\n   x\n");
        // A continuation line may start with what would be an indicator on its own line.
        agrees("- foo\n  - bar\n- a\n  \"b\", 'c' [d] {e} &f *g !h |i >j %k @l `m ?n\n");
        agrees("key: DryRun runs `kubectl\n  --dry-run` only\n");
    }

    #[test]
    fn quoted_scalars() {
        agrees("a: 'it''s'\nb: \"tab\\there\"\nc: \"\"\nd: ''\n");
        agrees("a: \"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\0\\a\\b\\v\\f\\r\\e\\ \\/\\\\\\\"\"\n");
        agrees("a: \"one\n  two\n\n  three \"\nb: 'x\n   y  \n   z'\n");
        agrees("a: \"joined\\\n  here\"\nb: \"kept \\\n  space\"\n");
        agrees("\"quoted key\": 1\n'other': 2\n");
        agrees("- \"k\": v\n  j: w\n");
    }

    #[test]
    fn block_scalars() {
        agrees("a: |\n  line1\n  line2\n\n  line3\nb: x\n");
        agrees("a: >\n  one\n  two\n\n  three\nb: x\n");
        agrees("a: |-\n  strip\n\n\nb: |+\n  keep\n\n\nc: |\n  clip\n\n");
        agrees("a: |+\n  keep at eof");
        // Found by the fast_path fuzz target: spaces after the last line break are no empty line.
        agrees("pi]grn: |+\n    \u{3061}#rer rs \n ");
        agrees("a: |+\n  x\n\n  ");
        agrees("a: |\n  clip at eof");
        agrees("a: |-\n  strip at eof\n");
        agrees("a: |\n  x\n     \n  y\n");
        agrees("- |\n  item\n- >-\n  folded\n  item\n");
        agrees("a: | # comment\n    deep\n      deeper\n# end\nb: 1\n");
        agrees("a:\n  b: |2-\n\n\n    Valid: x\n  c: >-1\n   y\n   z\n");
        agrees("- |1\n   lead\n  x\n");
    }

    #[test]
    fn documents_and_comments() {
        agrees("# c\n---\na: 1\n---\n---\nb: 2\n--- # x\nc: 3\n");
        agrees("a: 1\n---\n");
        agrees("# only a comment\n");
        agrees("");
        agrees("a: 1\na: 2\n");
    }

    #[test]
    fn what_it_leaves_to_granit() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a:\n\t- x\n",
            "a: 1\r\n",
            "\u{feff}a: 1\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n...\n",
            "a: [1,\n2]\n",
            "a:\n-\n  b\n",
            "- # null\n- x\n",
            "a: >\n  x\n    more\n",
            "a: b: c\n",
            "a: 'open\n",
            "? complex\n: key\n",
            "a: \"\\q\"\n",
            "plain root scalar\n",
        ] {
            gives_up(text);
        }
    }
}

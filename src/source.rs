//! One input file held in memory (`SourceFile`), byte spans (`Span`) and the line index that turns
//! a byte offset into a 1-based line and a character column. Also the `miette::SourceCode`
//! implementation backed by that index, so rendering a diagnostic never rescans the file.

use std::borrow::Cow;

use miette::{MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A half-open byte range `[start, end)` into the whole text of one file. Offsets are stored as
/// `u32` (inputs are capped at `MAX_TEXT_BYTES`): a tree node is 8 bytes smaller, which the
/// memory budget of large runs needs; `start()` and `end()` give them back as `usize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: u32,
    end: u32,
}

/// An offset as stored in a `Span`. Every offset is into one input text, and no text is longer
/// than `MAX_TEXT_BYTES`; anything larger is clamped (never reached: inputs are refused first).
const fn offset(at: usize) -> u32 {
    if at > u32::MAX as usize { u32::MAX } else { at as u32 }
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start: offset(start), end: offset(end) }
    }

    pub const fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    /// Byte offset of the first byte.
    pub const fn start(&self) -> usize {
        self.start as usize
    }

    /// Byte offset just past the last byte.
    pub const fn end(&self) -> usize {
        self.end as usize
    }

    /// The byte range, to slice the text with.
    pub const fn range(&self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    pub const fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// Largest input text: line starts are stored as `u32` (the CLI's `--max-file-size` is capped here).
pub const MAX_TEXT_BYTES: u64 = u32::MAX as u64;

/// A position as people read it: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Inputs shorter than this stay plain text: packing them saves too little to matter.
const PACK_MIN_BYTES: usize = 512;
/// Inputs longer than this stay plain too: packing one would need a second buffer of its size
/// while its tree is held, and a run with such inputs is bounded by their trees anyway.
const PACK_MAX_BYTES: usize = 16 << 20;

/// Texts up to this size are packed through a buffer and a hash table kept by each thread;
/// `lz4_flex::block::compress` would zero a new buffer of the text's size for each.
const SCRATCH_MAX_BYTES: usize = 1 << 20;

/// `bytes` packed (LZ4 block format), in a block of its exact size.
fn compress(bytes: &[u8]) -> Box<[u8]> {
    use lz4_flex::block::{CompressTable, compress_into_with_table, get_maximum_output_size};
    thread_local! {
        static SCRATCH: std::cell::RefCell<(CompressTable, Vec<u8>)> =
            std::cell::RefCell::new((CompressTable::large(), Vec::new()));
    }
    if bytes.len() > SCRATCH_MAX_BYTES {
        return lz4_flex::block::compress(bytes).into_boxed_slice();
    }
    SCRATCH.with_borrow_mut(|(table, out)| {
        let need = get_maximum_output_size(bytes.len());
        if out.len() < need {
            out.resize(need, 0);
        }
        match compress_into_with_table(bytes, out, table) {
            Ok(len) => out[..len].into(),
            // Not reached: the buffer has the size the format needs at most.
            Err(_) => lz4_flex::block::compress(bytes).into_boxed_slice(),
        }
    })
}

/// The text of one input and where its lines start.
///
/// Once its file is parsed the text is packed (`pack`, LZ4) and its line index let go: the rules
/// read the trees, not the text, and a 50k-document run would otherwise hold every input twice
/// (text and tree) until the report is written. `unpacked` gives the text and its line index
/// back for as long as the returned view lives; the report unpacks one file at a time
/// (`output::Report::source`).
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or as found under a directory they gave); `-` for stdin.
    pub name: String,
    /// Decoded text with any UTF-8 byte-order mark removed, plain or packed. Offsets index into
    /// the plain text.
    text: Text,
    /// Byte offset of the start of each line (u32: inputs are at most 4 GiB, `MAX_TEXT_BYTES`),
    /// built on first use: a text packed once parsed (most of a run's bytes) never needs one held.
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

#[derive(Debug)]
enum Text {
    Plain(String),
    /// An LZ4 block of the plain text, and the plain text's length in bytes.
    Packed {
        bytes: Box<[u8]>,
        len: usize,
    },
}

impl SourceFile {
    pub fn new(name: impl Into<String>, mut text: String) -> Self {
        // Held for the whole run: no spare capacity (standard input is read into a growing buffer).
        if text.capacity() > text.len() + text.len() / 16 {
            text.shrink_to_fit();
        }
        SourceFile { name: name.into(), line_starts: std::sync::OnceLock::new(), text: Text::Plain(text) }
    }

    /// Pack the text (LZ4) when that saves at least a quarter of it, and let any line index go
    /// (`unpacked` builds one for as long as it lives); call once the file is parsed.
    pub fn pack(&mut self) {
        if let Text::Plain(text) = &self.text {
            if (PACK_MIN_BYTES..=PACK_MAX_BYTES).contains(&text.len()) {
                let packed = compress(text.as_bytes());
                if packed.len() <= text.len() / 4 * 3 {
                    self.text = Text::Packed { bytes: packed, len: text.len() };
                    self.line_starts = std::sync::OnceLock::new();
                }
            }
        }
    }

    /// Whether the text is held packed.
    pub fn is_packed(&self) -> bool {
        matches!(self.text, Text::Packed { .. })
    }

    /// The text, when it is held plain.
    pub fn plain_text(&self) -> Option<&str> {
        match &self.text {
            Text::Plain(text) => Some(text),
            Text::Packed { .. } => None,
        }
    }

    /// The whole text: borrowed when plain, unpacked into a new string when packed.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.text {
            Text::Plain(text) => Cow::Borrowed(text),
            Text::Packed { bytes, len } => Cow::Owned(
                lz4_flex::block::decompress(bytes, *len)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .expect("a packed text unpacks to the UTF-8 text it was packed from"),
            ),
        }
    }

    /// The text with every accessor that reads it, unpacked for as long as the view lives.
    pub fn unpacked(&self) -> Source<'_> {
        let text = self.text();
        let line_starts = match &text {
            Cow::Borrowed(text) => Cow::Borrowed(self.line_starts.get_or_init(|| line_starts(text)).as_slice()),
            Cow::Owned(text) => Cow::Owned(line_starts(text)),
        };
        Source { file: self, text, line_starts }
    }

    /// Length of the text in bytes.
    pub fn len(&self) -> usize {
        match &self.text {
            Text::Plain(text) => text.len(),
            Text::Packed { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name shown to people: `<stdin>` for `-`.
    pub fn display_name(&self) -> &str {
        if self.name == "-" { "<stdin>" } else { &self.name }
    }

    /// 1-based line and character column of a byte offset (unpacks a packed text: for the few
    /// positions the rules name in messages; reports go through `unpacked`).
    pub fn position(&self, offset: usize) -> Position {
        self.unpacked().position(offset)
    }
}

/// Byte offset of the start of each line: 0, then one past each `\n`.
fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| u32::try_from(at + 1).unwrap_or(u32::MAX)));
    starts
}

/// A `SourceFile` with its text and line index at hand (borrowed, or unpacked for this view):
/// every accessor that reads lines or characters lives here. Dereferences to the file for its
/// name.
pub struct Source<'a> {
    file: &'a SourceFile,
    text: Cow<'a, str>,
    line_starts: Cow<'a, [u32]>,
}

impl std::ops::Deref for Source<'_> {
    type Target = SourceFile;

    fn deref(&self) -> &SourceFile {
        self.file
    }
}

impl Source<'_> {
    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 0-based line index holding byte `offset` (offsets past the end map to the last line).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line_index: usize) -> usize {
        self.line_starts[line_index] as usize
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// End of line `line_index`, excluding its line break (`\n` or `\r\n`).
    pub fn line_end(&self, line_index: usize) -> usize {
        let end = self.line_starts.get(line_index + 1).map_or(self.text.len(), |next| *next as usize - 1);
        let bytes = self.text.as_bytes();
        if end > self.line_start(line_index) && bytes.get(end - 1) == Some(&b'\r') { end - 1 } else { end }
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_start(line);
        let column = self.text[start..offset].chars().count() + 1;
        Position { line: line + 1, column }
    }

    /// The position just after the last character of `span` (an exclusive end, as editors use).
    pub fn end_position(&self, span: Span) -> Position {
        self.position(span.end().max(span.start()))
    }

    /// The largest character boundary at or before `offset` (clamped to the text).
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The text of a span (empty if the span does not fall on character boundaries).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Whether an excerpt around `span` is short enough to print: a 50 MB single line must not be
    /// echoed to a terminal or CI log.
    pub fn excerpt_is_printable(&self, span: Span) -> bool {
        const MAX_EXCERPT_BYTES: usize = 4096;
        let first = self.line_index(span.start());
        let last = self.line_index(span.end().max(span.start()));
        let from = self.line_start(first.saturating_sub(1));
        let to = self.line_end((last + 1).min(self.line_count() - 1));
        // Control characters (a binary header before a NUL) would garble a terminal.
        to.saturating_sub(from) <= MAX_EXCERPT_BYTES
            && !self.text[from..to].chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    }
}

/// Why a file's bytes could not be read as text.
#[derive(Debug)]
pub struct DecodeError {
    pub code: &'static str,
    pub offset: usize,
    pub message: String,
}

/// Decode a file's bytes: UTF-8 (a byte-order mark is dropped), or UTF-16 with a byte-order mark.
/// NUL bytes in anything else mean a binary file; invalid UTF-8 is reported at its byte offset.
/// On error the returned `SourceFile` holds a lossy decoding, good enough to place the error.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceFile, Box<(SourceFile, DecodeError)>> {
    if let Some(text) = decode_utf16(&bytes) {
        return match text {
            Ok(text) => Ok(SourceFile::new(name, text)),
            Err(offset) => Err(Box::new((
                SourceFile::new(name, String::new()),
                DecodeError {
                    code: "input-encoding",
                    offset: 0,
                    message: crate::i18n::t(
                        format!("invalid UTF-16 at byte {offset}"),
                        format!("UTF-16 invalide à l'octet {offset}"),
                    ),
                },
            ))),
        };
    }
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let body = &bytes;
    if let Some(nul) = memchr::memchr(0, body) {
        let lossy = String::from_utf8_lossy(&body[..nul]).into_owned();
        let offset = lossy.len();
        return Err(Box::new((
            SourceFile::new(name, lossy),
            DecodeError {
                code: "input-binary",
                offset,
                message: crate::i18n::t(
                    format!("binary file: NUL byte at byte {nul}, not YAML or JSON text"),
                    format!("fichier binaire : octet NUL à l'octet {nul}, pas du texte YAML ni JSON"),
                ),
            },
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(&error.as_bytes()[..at]).into_owned();
            Err(Box::new((
                SourceFile::new(name, lossy),
                DecodeError {
                    code: "input-encoding",
                    offset: at,
                    message: crate::i18n::t(
                        format!("invalid UTF-8 at byte {at}: YAML and JSON files must be UTF-8 text"),
                        format!(
                            "UTF-8 invalide à l'octet {at} : les fichiers YAML et JSON doivent être du texte UTF-8"
                        ),
                    ),
                },
            )))
        }
    }
}

/// `Some` when the bytes start with a UTF-16 byte-order mark: the decoded text, or the byte
/// offset of the first bad code unit.
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, usize>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
        })
        .collect();
    if bytes.len() % 2 != 0 {
        return Some(Err(bytes.len() - 1));
    }
    let mut text = String::with_capacity(units.len());
    let mut unit = 0;
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok(c) => {
                text.push(c);
                unit += c.len_utf16();
            }
            Err(_) => return Some(Err(2 + 2 * unit)),
        }
    }
    Some(Ok(text))
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        read_span(self, &self.text, span, context_lines_before, context_lines_after)
    }
}

/// A plain `SourceFile` is its own source code (the config file, which is never packed); a packed
/// one is read through `unpacked`.
impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        match &self.text {
            Text::Plain(text) => read_span(&self.unpacked(), text, span, context_lines_before, context_lines_after),
            Text::Packed { .. } => Err(miette::MietteError::OutOfBounds),
        }
    }
}

/// The lines around `span` of `source`, whose text is `text`.
fn read_span<'a>(
    source: &Source<'_>,
    text: &'a str,
    span: &SourceSpan,
    context_lines_before: usize,
    context_lines_after: usize,
) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
    let start = span.offset();
    let end = start + span.len();
    if end > text.len() {
        return Err(miette::MietteError::OutOfBounds);
    }
    let first_line = source.line_index(start).saturating_sub(context_lines_before);
    let last_line = if span.is_empty() {
        source.line_index(start)
    } else {
        source.line_index(end - 1).max(source.line_index(start))
    };
    let last_line = (last_line + context_lines_after).min(source.line_count() - 1);
    // Like miette's own implementation: without leading context the contents start at the
    // span itself, and the column is the span's (used for the `[file:line:column]` header).
    let (data_start, column) = if context_lines_before == 0 {
        (start, source.position(start).column - 1)
    } else {
        (source.line_start(first_line), 0)
    };
    let data_end = source.line_end(last_line).max(end);
    Ok(Box::new(MietteSpanContents::new_named(
        source.display_name().to_string(),
        &text.as_bytes()[data_start..data_end],
        SourceSpan::new(data_start.into(), data_end - data_start),
        first_line,
        column,
        last_line - first_line + 1,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_match_a_byte_by_byte_scan() {
        let naive = |text: &str| {
            let mut starts = vec![0u32];
            starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i as u32 + 1));
            starts
        };
        // Newlines at the edges of 16, 32 and 64-byte blocks, long runs, CRLF, multi-byte
        // characters, none at all, and only newlines.
        let mut texts: Vec<String> = vec![String::new(), "\n".into(), "a".into(), "é\r\nb\n".into()];
        for len in [63, 64, 65, 127, 128, 129, 300, 1000] {
            texts.push("\n".repeat(len));
            texts.push("x".repeat(len));
            for step in [1, 2, 7, 40, 63, 64, 65] {
                texts.push((0..len).map(|i| if i % step == step - 1 { '\n' } else { 'k' }).collect());
            }
        }
        for text in &texts {
            assert_eq!(line_starts(text), naive(text), "{text:?}");
        }
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let f = SourceFile::new("a.yaml", "a: 1\r\nnamé: é\n".to_string());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(6), Position { line: 2, column: 1 });
        let value = f.text().rfind('é').unwrap();
        assert_eq!(f.position(value), Position { line: 2, column: 7 });
        assert_eq!(f.unpacked().line_end(0), 4);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("a", b"\xEF\xBB\xBFa: 1".to_vec()).unwrap().text(), "a: 1");
        let (_, e) = *decode("a", b"a: 1\nb: \xFF\n".to_vec()).unwrap_err();
        assert_eq!((e.code, e.offset), ("input-encoding", 8));
        let (_, e) = *decode("a", b"a: 1\x00".to_vec()).unwrap_err();
        assert_eq!(e.code, "input-binary");
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("a: é".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode("a", utf16).unwrap().text(), "a: é");
    }

    #[test]
    fn huge_lines_are_not_printable() {
        let f = SourceFile::new("a.yaml", format!("a: {}\n", "x".repeat(10_000)));
        assert!(!f.unpacked().excerpt_is_printable(Span::new(0, 1)));
        let g = SourceFile::new("b.yaml", "a: 1\n".to_string());
        assert!(g.unpacked().excerpt_is_printable(Span::new(0, 1)));
    }

    #[test]
    fn packed_texts_read_as_plain_ones() {
        // ASCII and not, CRLF, a long line: every accessor answers the same packed and plain.
        let text = format!(
            "apiVersion: v1\r\nkind: ConfigMap\nmetadata:\n  name: café\ndata:\n  a: \"{}\"\n  b: ü\n",
            "xyz".repeat(400)
        );
        for text in [text.clone(), text.replace(['é', 'ü'], "e")] {
            let plain = SourceFile::new("a.yaml", text.clone());
            let mut packed = SourceFile::new("a.yaml", text.clone());
            packed.pack();
            assert!(packed.is_packed() && !plain.is_packed());
            assert_eq!(packed.text(), text.as_str());
            assert_eq!(packed.len(), text.len());
            let (p, q) = (plain.unpacked(), packed.unpacked());
            assert_eq!(p.line_count(), q.line_count());
            for offset in 0..=text.len() + 2 {
                assert_eq!(plain.position(offset), packed.position(offset), "offset {offset}");
                assert_eq!(p.position(offset), q.position(offset), "offset {offset}");
                assert_eq!(p.line_index(offset), q.line_index(offset), "offset {offset}");
            }
            for line in 0..p.line_count() {
                assert_eq!(p.line_end(line), q.line_end(line));
                let span = Span::new(p.line_start(line), p.line_end(line));
                assert_eq!(p.slice(span), q.slice(span));
                assert_eq!(p.excerpt_is_printable(span), q.excerpt_is_printable(span));
            }
        }
        // Short texts, and texts that do not shrink, stay plain.
        let mut short = SourceFile::new("b.yaml", "a: 1\n".to_string());
        short.pack();
        assert!(!short.is_packed());
    }
}

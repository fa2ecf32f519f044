//! Where a diagnostic is, as the CI formats need it: the file path relative to the working
//! directory (with `/` separators, or a `file://` URI for SARIF), and the region with columns in
//! characters or in UTF-16 code units (SARIF's default `columnKind`, and what JavaScript counts).

use std::path::{Component, Path};

use crate::diagnostic::Diagnostic;
use crate::source::Source;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Unicode scalar values (what the human and JSON formats print).
    Chars,
    /// UTF-16 code units (SARIF's default `columnKind`; GitHub's annotations).
    Utf16,
}

/// A region: 1-based lines and columns, the end column exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The region of a diagnostic's primary span, `None` when it has no span (an unreadable path).
pub fn region(source: &Source<'_>, d: &Diagnostic, columns: Columns) -> Option<Region> {
    d.span.map(|span| span_region(source, span.start(), span.end(), columns))
}

/// The region of the bytes `[start, end)`. A span that ends just after a line break ends at the
/// end of that line instead, so it does not spill onto the next one.
pub fn span_region(source: &Source<'_>, start: usize, end: usize, columns: Columns) -> Region {
    let start = source.floor_char_boundary(start);
    let mut end = source.floor_char_boundary(end.max(start));
    if end > start {
        let line = source.line_index(end);
        if source.line_start(line) == end && line > 0 {
            end = source.line_end(line - 1).max(start);
        }
    }
    let (start_line, start_column) = line_column(source, start, columns);
    let (end_line, end_column) = line_column(source, end, columns);
    Region { start_line, start_column, end_line, end_column }
}

fn line_column(source: &Source<'_>, offset: usize, columns: Columns) -> (usize, usize) {
    let line = source.line_index(offset);
    let before = &source.text()[source.line_start(line)..offset];
    let column = match columns {
        Columns::Chars => before.chars().count(),
        Columns::Utf16 => before.encode_utf16().count(),
    };
    (line + 1, column + 1)
}

/// The path of an input relative to the working directory, with `/` separators: `./a.yaml`
/// becomes `a.yaml`, an absolute path under the working directory loses that prefix, and any
/// other absolute path stays absolute. Standard input stays `-`.
pub fn relative_path(name: &str) -> String {
    if name == "-" {
        return name.to_string();
    }
    let path = Path::new(name);
    let cwd = std::env::current_dir().ok();
    let path = match &cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().replace('\\', "/")),
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute && !cfg!(windows) {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// The SARIF `artifactLocation.uri` of an input: a relative reference for a path under the
/// working directory (`manifests/web%20app.yaml`), a `file://` URI for an absolute one.
pub fn uri(name: &str) -> String {
    let path = relative_path(name);
    if let Some(rest) = path.strip_prefix('/') {
        format!("file:///{}", percent_encode(rest))
    } else if path.len() > 1 && path.as_bytes().get(1) == Some(&b':') {
        // A Windows drive path (`C:/x.yaml`).
        format!("file:///{}", percent_encode(&path))
    } else {
        percent_encode(&path)
    }
}

/// Percent-encode everything but unreserved characters and `/` (RFC 3986 §2.3). A drive
/// letter's colon is kept so `C:/x` stays a path.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, byte) in text.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (byte == b':' && i == 1 && text.as_bytes()[0].is_ascii_alphabetic());
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The diagnostics of each file of the report, in report order (one pass, for big runs).
pub fn by_file<'a>(report: &super::Report<'a>) -> Vec<Vec<&'a Diagnostic>> {
    let mut files = vec![Vec::new(); report.files.len()];
    for d in report.diagnostics {
        if let Some(list) = files.get_mut(d.file) {
            list.push(d);
        }
    }
    files
}

/// A diagnostic as one sentence or two: the message with a final period, then the help.
pub fn sentence(d: &Diagnostic) -> String {
    let mut text = d.message.trim_end().to_string();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    if let Some(help) = d.help.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        text.push(' ');
        text.push_str(help);
        if !help.ends_with(['.', '!', '?']) {
            text.push('.');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn columns_in_chars_and_utf16() {
        let f = SourceFile::new("a.yaml", "a: 1\nb: \"😀é\" # x\n".to_string());
        let f = f.unpacked();
        let hash = f.text().find('#').unwrap();
        let r = span_region(&f, hash, hash + 1, Columns::Chars);
        assert_eq!((r.start_line, r.start_column, r.end_line, r.end_column), (2, 9, 2, 10));
        let r = span_region(&f, hash, hash + 1, Columns::Utf16);
        assert_eq!((r.start_line, r.start_column, r.end_column), (2, 10, 11));
    }

    #[test]
    fn a_span_ending_after_a_line_break_stays_on_its_line() {
        let f = SourceFile::new("a.yaml", "a: 1\nb: 2\n".to_string());
        let f = f.unpacked();
        let r = span_region(&f, 0, 5, Columns::Chars);
        assert_eq!((r.start_line, r.start_column, r.end_line, r.end_column), (1, 1, 1, 5));
        let r = span_region(&f, 10, 10, Columns::Chars);
        assert_eq!((r.start_line, r.start_column, r.end_line, r.end_column), (3, 1, 3, 1));
    }

    #[test]
    fn paths_and_uris() {
        assert_eq!(relative_path("./manifests/a.yaml"), "manifests/a.yaml");
        assert_eq!(relative_path("-"), "-");
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("x").join("a b.yaml");
        assert_eq!(relative_path(inside.to_str().unwrap()), "x/a b.yaml");
        assert_eq!(uri(inside.to_str().unwrap()), "x/a%20b.yaml");
        assert_eq!(uri("../other/é.yaml"), "../other/%C3%A9.yaml");
        if cfg!(unix) && !cwd.starts_with("/nonexistent-root") {
            assert_eq!(uri("/nonexistent-root/a#1.yaml"), "file:///nonexistent-root/a%231.yaml");
        }
    }
}

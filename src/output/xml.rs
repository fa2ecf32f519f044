//! XML escaping for the JUnit and Checkstyle emitters. Characters XML 1.0 cannot carry at all
//! (most C0 controls, unpaired surrogates cannot occur in a Rust string) become U+FFFD.

/// Escape text for element content.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escape text for a double-quoted attribute value; line breaks and tabs become character
/// references so attribute-value normalisation does not turn them into spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::attr("a<b & \"c\"\n\u{1}"), "a&lt;b &amp; &quot;c&quot;&#10;\u{FFFD}");
        assert_eq!(super::text("x > y\n"), "x &gt; y\n");
    }
}

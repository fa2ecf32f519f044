//! The `checkstyle` format: Checkstyle's XML report (`<checkstyle><file><error …/>`), read by
//! Jenkins (Warnings Next Generation), reviewdog and many editors. Every input file is listed;
//! columns count characters; `source` is the rule id.

use super::Report;
use super::place::{self, Columns};
use super::xml;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for ((index, file), found) in report.files.iter().enumerate().zip(place::by_file(report)) {
        let name = xml::attr(&place::relative_path(&file.source.name));
        if found.is_empty() {
            out.push_str(&format!("  <file name=\"{name}\"/>\n"));
            continue;
        }
        out.push_str(&format!("  <file name=\"{name}\">\n"));
        let source = report.source(index);
        for d in found {
            let position = match place::region(&source, d, Columns::Chars) {
                Some(r) => format!(" line=\"{}\" column=\"{}\"", r.start_line, r.start_column),
                None => String::new(),
            };
            out.push_str(&format!(
                "    <error{position} severity=\"{}\" message=\"{}\" source=\"{}\"/>\n",
                d.severity,
                xml::attr(&place::sentence(d)),
                xml::attr(d.rule)
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

//! The human format: each diagnostic rendered by miette's graphical handler (code, docs URL,
//! message, labelled excerpt at the exact node, help and why), then one summary line.
//! A diagnostic whose excerpt would be huge (a 50 MB line) is printed without it.

use std::fmt;
use std::rc::Rc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    /// Language of the words the output adds around the diagnostics ("Why:", the summary).
    pub lang: crate::explain::Lang,
}

/// Adapter giving miette a view of one diagnostic and its file.
struct View<'a> {
    d: &'a Diagnostic,
    source: Rc<Source<'a>>,
    show_source: bool,
    message: String,
    help: Option<String>,
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}[{}]", self.d.severity, self.d.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.url()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.show_source.then_some(&*self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.show_source {
            return None;
        }
        let span = self.d.span?;
        let primary = LabeledSpan::new_primary_with_span(self.d.label.clone(), (span.start(), span.len()));
        let secondary = self
            .d
            .labels
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()), (l.span.start(), l.span.len())));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

pub fn render(report: &Report<'_>, options: HumanOptions) -> String {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(options.width).with_links(false);
    let mut out = String::new();
    for d in report.diagnostics {
        let source = report.source(d.file);
        let show_source = d.span.is_some_and(|s| source.excerpt_is_printable(s));
        let location = match d.span {
            Some(span) => {
                let p = source.position(span.start());
                format!("{}:{}:{}", source.display_name(), p.line, p.column)
            }
            None => source.display_name().to_string(),
        };
        // Without an excerpt, miette shows no location: put it in the message.
        let message = if show_source { d.message.clone() } else { format!("{location}: {}", d.message) };
        let why = if options.lang == crate::explain::Lang::Fr { "Pourquoi :" } else { "Why:" };
        let help = match (&d.help, &d.why) {
            (Some(h), Some(w)) => Some(format!("{h}\n{why} {w}")),
            (Some(h), None) => Some(h.clone()),
            (None, Some(w)) => Some(format!("{why} {w}")),
            (None, None) => None,
        };
        let view = View { d, source, show_source, message, help };
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &view);
        out.push('\n');
    }
    out.push_str(&if options.lang == crate::explain::Lang::Fr {
        summary_line_fr(report, options.color)
    } else {
        summary_line(report, options.color)
    });
    out.push('\n');
    if let Some(b) = report.baseline.filter(|_| options.lang == crate::explain::Lang::Fr) {
        out.push_str(&format!("Référence : {} masqué(s), {} corrigé(s) depuis son écriture.\n", b.hidden, b.fixed));
    } else if let Some(b) = report.baseline {
        out.push_str(&format!(
            "Baseline: {} hidden, {} fixed since it was written.\n",
            plural(b.hidden, "known finding"),
            plural(b.fixed, "finding")
        ));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

fn summary_line(report: &Report<'_>, color: bool) -> String {
    let s = report.summary();
    let checked = format!("checked {} in {}", plural(s.objects, "object"), plural(s.files, "file"));
    let total = s.errors + s.warnings + s.infos;
    let text = if total == 0 {
        format!("No problems found; {checked}.")
    } else {
        let parts: Vec<String> = [(s.errors, "error"), (s.warnings, "warning"), (s.infos, "info")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| if *w == "info" { format!("{n} info") } else { plural(*n, w) })
            .collect();
        format!(
            "Found {} ({}) in {}; {checked}.",
            plural(total, "problem"),
            parts.join(", "),
            plural(report.files_with_findings(), "file")
        )
    };
    if color {
        let style = anstyle::Style::new().bold();
        format!("{style}{text}{style:#}")
    } else {
        text
    }
}

/// The summary line in French.
fn summary_line_fr(report: &Report<'_>, color: bool) -> String {
    let s = report.summary();
    let n = |n: usize, one: &str, many: &str| if n <= 1 { format!("{n} {one}") } else { format!("{n} {many}") };
    let checked =
        format!("{} dans {}", n(s.objects, "objet vérifié", "objets vérifiés"), n(s.files, "fichier", "fichiers"));
    let total = s.errors + s.warnings + s.infos;
    let text = if total == 0 {
        format!("Aucun problème trouvé ; {checked}.")
    } else {
        let parts: Vec<String> = [
            (s.errors, "erreur", "erreurs"),
            (s.warnings, "avertissement", "avertissements"),
            (s.infos, "info", "infos"),
        ]
        .iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(count, one, many)| n(*count, one, many))
        .collect();
        format!(
            "{} ({}) dans {} ; {checked}.",
            n(total, "problème trouvé", "problèmes trouvés"),
            parts.join(", "),
            n(report.files_with_findings(), "fichier", "fichiers")
        )
    };
    if color {
        let style = anstyle::Style::new().bold();
        format!("{style}{text}{style:#}")
    } else {
        text
    }
}

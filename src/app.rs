//! One run of the program: discover → read → load → lint → emit → exit status. Usage errors
//! (an unknown rule id) are returned as `UsageError`; I/O problems on inputs become diagnostics
//! and exit status 2, after every other file has been linted.

use std::io::{IsTerminal, Read};

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, Format, FormatSpec, ListFormat};
use crate::diagnostic::Severity;
use crate::discover::{self, Input};
use crate::lint::{self, LoadedFile, Selection};
use crate::output::{self, Report, human::HumanOptions, junit::JunitOptions};
use crate::rules::{self, LintOptions, RuleMeta, input};
use crate::source::SourceFile;

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above the failure threshold.
    Clean = 0,
    /// Findings at or above the failure threshold.
    Findings = 1,
    /// Usage, configuration or I/O error.
    Error = 2,
}

/// A mistake in how the program was called.
#[derive(Debug)]
pub struct UsageError {
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

impl miette::Diagnostic for UsageError {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
}

/// Run a parsed command line, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn std::io::Write) -> Result<Status, UsageError> {
    match cli.command {
        Command::Check(args) => check(&args, out),
        Command::Explain { rule } => {
            let meta = rules::meta(&rule).ok_or_else(|| unknown_rule(&rule))?;
            write_out(out, &crate::explain::explain(meta));
            Ok(Status::Clean)
        }
        Command::Rules { format } => {
            let text = match format {
                ListFormat::Human => crate::explain::rules_table(),
                ListFormat::Json => crate::explain::rules_json(),
            };
            write_out(out, &text);
            Ok(Status::Clean)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "kubeadvise", &mut script);
            write_out(out, &String::from_utf8_lossy(&script));
            Ok(Status::Clean)
        }
        Command::Man { command } => {
            write_out(out, &man_page(command.as_deref())?);
            Ok(Status::Clean)
        }
    }
}

/// The roff man page of the program, or of one subcommand (`kubeadvise-check(1)`).
fn man_page(subcommand: Option<&str>) -> Result<String, UsageError> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // Building gives subcommands their display names (`kubeadvise-check`), used as page titles.
    cmd.build();
    let page = match subcommand {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
            UsageError {
                message: format!("unknown subcommand `{name}`"),
                help: Some(format!("Man pages exist for: {}.", names.join(", "))),
            }
        })?,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff).expect("rendering into memory cannot fail");
    Ok(String::from_utf8_lossy(&roff).into_owned())
}

fn write_out(out: &mut dyn std::io::Write, text: &str) {
    // A closed pipe (`kubeadvise check | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn unknown_rule(id: &str) -> UsageError {
    let ids: Vec<&str> = rules::all_metas().iter().map(|m| m.id).collect();
    let help = match crate::suggest::closest(id, ids.iter().copied()) {
        Some(g) => format!("Did you mean `{g}`? `kubeadvise rules` lists every rule."),
        None => "`kubeadvise rules` lists every rule.".to_string(),
    };
    UsageError { message: format!("unknown rule `{id}`"), help: Some(help) }
}

/// Rule ids named by `tokens`: exact ids, `all`, or family prefixes (`sts` → every `sts-*`).
pub fn resolve_ids(tokens: &[String]) -> Result<Vec<&'static str>, UsageError> {
    let metas = rules::all_metas();
    let mut ids = Vec::new();
    for token in tokens.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let matched: Vec<&'static str> = metas
            .iter()
            .filter(|m| token.eq_ignore_ascii_case("all") || m.id == token || m.id.starts_with(&format!("{token}-")))
            .map(|m| m.id)
            .collect();
        if matched.is_empty() {
            return Err(unknown_rule(token));
        }
        ids.extend(matched);
    }
    Ok(ids)
}

fn selection(args: &CheckArgs) -> Result<Selection, UsageError> {
    let mut selection =
        if args.select.is_empty() { Selection::all() } else { Selection::only(&resolve_ids(&args.select)?) };
    for id in resolve_ids(&args.ignore)? {
        selection.disable(id);
    }
    Ok(selection)
}

fn check(args: &CheckArgs, out: &mut dyn std::io::Write) -> Result<Status, UsageError> {
    let selection = selection(args)?;
    let destinations = destinations(args)?;
    let options = LintOptions { default_namespace: args.namespace.clone(), complete: args.complete };
    let (mut inputs, path_errors) = discover::discover(&args.paths);
    // A report this run writes is not an input, even when it sits among the manifests.
    let reports: Vec<std::path::PathBuf> =
        destinations.iter().filter_map(|d| d.path.as_ref()).filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    inputs.retain(|input| match input {
        Input::File(path, _) => std::fs::canonicalize(path).map_or(true, |p| !reports.contains(&p)),
        Input::Stdin => true,
    });
    let mut io_failed = !path_errors.is_empty();
    let mut files: Vec<LoadedFile> = Vec::with_capacity(inputs.len() + path_errors.len());
    for error in path_errors {
        files.push(unreadable(files.len(), &error.name, error.message));
    }
    for input in inputs {
        let (name, bytes) = match &input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                ("-".to_string(), std::io::stdin().read_to_end(&mut bytes).map(|_| bytes))
            }
            Input::File(path, name) => (name.clone(), std::fs::read(path)),
        };
        match bytes {
            Err(e) => {
                io_failed = true;
                files.push(unreadable(files.len(), &name, discover::io_message(&e)));
            }
            Ok(bytes) => files.push(lint::load_bytes(files.len(), &name, bytes)),
        }
    }
    let outcome = lint::lint(&files, &selection, &options);
    let report = Report { files: &files, diagnostics: &outcome.diagnostics, objects: outcome.objects };
    let enabled: Vec<&'static RuleMeta> =
        rules::all_metas().into_iter().filter(|m| selection.is_enabled(m.id)).collect();
    let mut write_errors = Vec::new();
    for destination in &destinations {
        let color = match destination.path {
            None => use_color(args.color),
            Some(_) => args.color == ColorChoice::Always,
        };
        let text = render(destination.format, &report, &enabled, color);
        match &destination.path {
            None => write_out(out, &text),
            Some(path) => {
                if let Err(e) = std::fs::write(path, text) {
                    write_errors.push(format!("cannot write `{path}`: {}", discover::io_message(&e)));
                }
            }
        }
    }
    if !write_errors.is_empty() {
        return Err(UsageError {
            message: write_errors.join("; "),
            help: Some("Check that the report's folder exists and is writable.".to_string()),
        });
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    Ok(if io_failed {
        Status::Error
    } else if outcome.diagnostics.iter().any(|d| d.severity >= threshold) {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// Where each report goes: `--format` values (human on standard output by default), with
/// `--output` redirecting the one that would go to standard output.
fn destinations(args: &CheckArgs) -> Result<Vec<FormatSpec>, UsageError> {
    let mut specs = args.format.clone();
    if specs.is_empty() {
        specs.push(FormatSpec { format: Format::Human, path: None });
    }
    let to_stdout = specs.iter().filter(|s| s.path.is_none()).count();
    if to_stdout > 1 {
        return Err(UsageError {
            message: format!("{to_stdout} formats would go to standard output; at most one can"),
            help: Some("Write the others to files, e.g. `--format sarif=kubeadvise.sarif`.".to_string()),
        });
    }
    if let Some(output) = args.output.as_deref().filter(|o| *o != "-") {
        match specs.iter_mut().find(|s| s.path.is_none()) {
            Some(spec) => spec.path = Some(output.to_string()),
            None => {
                return Err(UsageError {
                    message: "`--output` has nothing to write: every `--format` already names its file".to_string(),
                    help: Some("Drop `--output`, or give one `--format` without `=FILE`.".to_string()),
                });
            }
        }
    }
    for (i, spec) in specs.iter().enumerate() {
        if let Some(path) = &spec.path {
            if specs[..i].iter().any(|other| other.path.as_ref() == Some(path)) {
                return Err(UsageError {
                    message: format!("two formats would be written to `{path}`"),
                    help: Some("Give each `--format NAME=FILE` its own file.".to_string()),
                });
            }
        }
    }
    Ok(specs)
}

fn render(format: Format, report: &Report<'_>, enabled: &[&'static RuleMeta], color: bool) -> String {
    match format {
        Format::Human => output::human::render(report, HumanOptions { color, width: width() }),
        Format::Json => output::json::render(report),
        Format::Sarif => output::sarif::render(report),
        Format::Junit => output::junit::render(report, &JunitOptions { rules: enabled }),
        Format::Github => output::github::render(report),
        Format::Gitlab => output::gitlab::render(report),
        Format::Checkstyle => output::checkstyle::render(report),
    }
}

fn unreadable(index: usize, name: &str, message: String) -> LoadedFile {
    let mut d = lint::file_diagnostic(&input::IO_ERROR, index, None, format!("cannot read `{name}`: {message}"));
    d.help = Some("Check the path and its permissions; the other files were still checked.".to_string());
    LoadedFile { source: SourceFile::new(name, String::new()), documents: Vec::new(), problems: vec![d] }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Terminal width for wrapping: `COLUMNS`, else 100.
fn width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w| *w >= 40).unwrap_or(100)
}

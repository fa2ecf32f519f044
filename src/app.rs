//! One run of the program: discover → read → load → lint → emit → exit status. Usage errors
//! (an unknown rule id) are returned as `UsageError`; I/O problems on inputs become diagnostics
//! and exit status 2, after every other file has been linted.

use std::io::{IsTerminal, Read};

use rayon::prelude::*;

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, Format, LangChoice, ListFormat};
use crate::diagnostic::Severity;
use crate::discover::{self, Input};
use crate::explain::{self, Lang};
use crate::lint::{self, LoadedFile, Selection};
use crate::output::{self, Report, human::HumanOptions};
use crate::rules::{self, LintOptions, input};
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
        Command::Explain { topic, lang } => {
            let lang = match lang {
                Some(LangChoice::En) => Lang::En,
                Some(LangChoice::Fr) => Lang::Fr,
                None => Lang::from_env(),
            };
            let text = match (explain::concept(&topic), rules::meta(&topic)) {
                (Some(concept), _) => explain::explain_concept(concept, lang),
                (None, Some(meta)) => explain::explain_rule(meta, lang),
                (None, None) => return Err(unknown_topic(&topic)),
            };
            write_out(out, &text);
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
    }
}

fn write_out(out: &mut dyn std::io::Write, text: &str) {
    // A closed pipe (`kubeadvise check | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn unknown_topic(topic: &str) -> UsageError {
    let concepts: Vec<&str> = explain::CONCEPTS.iter().map(|c| c.id).collect();
    let ids: Vec<&str> = rules::all_metas().iter().map(|m| m.id).chain(concepts.iter().copied()).collect();
    let guess = crate::suggest::closest(topic, ids.iter().copied());
    let mut help = format!("Concepts: {}. `kubeadvise rules` lists every rule.", concepts.join(", "));
    if let Some(g) = guess {
        help = format!("Did you mean `{g}`? {help}");
    }
    UsageError { message: format!("no rule or concept named `{topic}`"), help: Some(help) }
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
    let options = LintOptions { default_namespace: args.namespace.clone(), complete: args.complete };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()
        .map_err(|e| UsageError { message: format!("cannot start {} worker threads: {e}", args.jobs), help: None })?;
    let max = args.max_file_size;
    let (files, io_failed) = pool.install(|| read_inputs(&args.paths, args.follow_links, max));
    let outcome = pool.install(|| lint::lint(&files, &selection, &options));
    let report = Report { files: &files, diagnostics: &outcome.diagnostics, objects: outcome.objects };
    let text = match args.format {
        Format::Human => output::human::render(&report, HumanOptions { color: use_color(args.color), width: width() }),
        Format::Json => output::json::render(&report),
    };
    write_out(out, &text);
    let status = exit_status(args, io_failed, &outcome.diagnostics);
    // The process ends right after this: freeing millions of nodes one by one would only add
    // wall time (up to a second on a 50k-document run).
    std::mem::forget(outcome);
    std::mem::forget(files);
    Ok(status)
}

fn exit_status(args: &CheckArgs, io_failed: bool, diagnostics: &[crate::diagnostic::Diagnostic]) -> Status {
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if io_failed {
        Status::Error
    } else if diagnostics.iter().any(|d| d.severity >= threshold) {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// Discover, read and parse every input (files in parallel). Returns the files in input order
/// and whether any path could not be read.
fn read_inputs(paths: &[String], follow_links: bool, max_file_size: u64) -> (Vec<LoadedFile>, bool) {
    let found = discover::discover_with(paths, &discover::WalkOptions { follow_links });
    let mut files: Vec<LoadedFile> = Vec::with_capacity(found.inputs.len() + found.errors.len());
    let io_failed = !found.errors.is_empty();
    for error in found.errors {
        files.push(unreadable(files.len(), &error.name, error.message));
    }
    for skipped in found.skipped {
        files.push(skipped_file(files.len(), &skipped.name, skipped.message));
    }
    // Standard input can be read once; naming `-` twice reads it empty the second time.
    let mut stdin = Some(());
    let offset = files.len();
    let stdin_bytes: Vec<Option<std::io::Result<Vec<u8>>>> = found
        .inputs
        .iter()
        .map(|input| match input {
            Input::Stdin if stdin.take().is_some() => Some(read_limited(std::io::stdin().lock(), max_file_size)),
            Input::Stdin => Some(Ok(Vec::new())),
            Input::File(..) => None,
        })
        .collect();
    let loaded: Vec<(LoadedFile, bool)> = found
        .inputs
        .par_iter()
        .zip(stdin_bytes)
        .enumerate()
        .map(|(i, (input, stdin))| {
            let index = offset + i;
            let (name, bytes) = match input {
                Input::Stdin => ("-".to_string(), stdin.unwrap_or_else(|| Ok(Vec::new()))),
                Input::File(path, name) => {
                    (name.clone(), std::fs::File::open(path).and_then(|f| read_limited(f, max_file_size)))
                }
            };
            match bytes {
                Err(e) => (unreadable(index, &name, discover::io_message(&e)), true),
                Ok(bytes) if bytes.len() as u64 > max_file_size => (too_large(index, &name, max_file_size), false),
                Ok(bytes) => (lint::load_bytes(index, &name, bytes), false),
            }
        })
        .collect();
    let mut failed = io_failed;
    for (file, io_error) in loaded {
        failed |= io_error;
        files.push(file);
    }
    (files, failed)
}

/// Read at most `max + 1` bytes, so an oversized input is detected without holding all of it.
fn read_limited(reader: impl Read, max: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_large(index: usize, name: &str, max: u64) -> LoadedFile {
    let mut d = lint::file_diagnostic(
        &input::TOO_LARGE,
        index,
        None,
        format!("`{name}` is larger than --max-file-size ({max} bytes): not checked"),
    );
    d.help =
        Some("Split the file, or raise the limit with `--max-file-size` if it really is one manifest.".to_string());
    LoadedFile { source: SourceFile::new(name, String::new()), documents: Vec::new(), problems: vec![d] }
}

fn skipped_file(index: usize, name: &str, message: String) -> LoadedFile {
    let mut d = lint::file_diagnostic(&input::SKIPPED, index, None, format!("`{name}` skipped: {message}"));
    d.help = Some("Name the file on the command line (or pass `--follow-links`) to check it.".to_string());
    LoadedFile { source: SourceFile::new(name, String::new()), documents: Vec::new(), problems: vec![d] }
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

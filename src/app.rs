//! One run of the program: discover → read → load → lint → emit → exit status. Usage errors
//! (an unknown rule id) are returned as `UsageError`; I/O problems on inputs become diagnostics
//! and exit status 2, after every other file has been linted.

use std::io::{IsTerminal, Read};

use rayon::prelude::*;

use crate::baseline;
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, Format, FormatSpec, LangChoice, ListFormat};
use crate::config::{self, Config};
use crate::diagnostic::Severity;
use crate::discover::{self, Input};
use crate::explain::{self, Lang};
use crate::lint::{self, LoadedFile, Selection};
use crate::output::{self, Report, human::HumanOptions, junit::JunitOptions};
use crate::rules::{self, LintOptions, RuleMeta, input};
use crate::source::SourceFile;
use crate::suppress::Suppressions;

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
pub fn run(cli: Cli, out: &mut dyn std::io::Write) -> Result<Status, miette::Report> {
    match cli.command {
        Command::Check(args) => check(&args, out),
        Command::Init { force } => init(force, out),
        Command::Explain { topic, lang } => {
            let lang = match lang {
                Some(LangChoice::En) => Lang::En,
                Some(LangChoice::Fr) => Lang::Fr,
                None => Lang::from_env(),
            };
            let text = match (explain::concept(&topic), rules::meta(&topic)) {
                (Some(concept), _) => explain::explain_concept(concept, lang),
                (None, Some(meta)) => explain::explain_rule(meta, lang),
                (None, None) => return Err(unknown_topic(&topic).into()),
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

fn selection(args: &CheckArgs, config: &Config) -> Result<Selection, UsageError> {
    let select = if args.select.is_empty() { &config.select } else { &args.select };
    let mut selection = if select.is_empty() { Selection::all() } else { Selection::only(&resolve_ids(select)?) };
    for id in resolve_ids(&config.ignore)?.into_iter().chain(resolve_ids(&args.ignore)?) {
        selection.disable(id);
    }
    Ok(selection)
}

/// The embedded schema version `wanted` names (the newest when none); a usage error otherwise.
fn kubernetes_version(wanted: Option<&str>) -> Result<&'static str, UsageError> {
    let Some(wanted) = wanted else { return Ok(crate::schema::newest()) };
    crate::schema::resolve_version(wanted).ok_or_else(|| UsageError {
        message: format!("no embedded schemas for Kubernetes version `{wanted}`"),
        help: Some(format!(
            "Available versions: {}. Pass one of them to --kubernetes-version (or kubernetesVersion in the config).",
            crate::schema::versions().collect::<Vec<_>>().join(", ")
        )),
    })
}

fn usage(message: String) -> miette::Report {
    UsageError { message, help: None }.into()
}

fn load_config(args: &CheckArgs) -> Result<Config, miette::Report> {
    if args.no_config {
        return Ok(Config::default());
    }
    let cwd = std::env::current_dir().map_err(|e| usage(format!("cannot read the working directory: {e}")))?;
    match config::find(args.config.as_deref(), &cwd) {
        Some(path) => Ok(config::load(&path)?),
        None => Ok(Config::default()),
    }
}

/// Globs of `exclude`, matched against paths relative to the config file's directory.
struct Exclude {
    set: globset::GlobSet,
    base: std::path::PathBuf,
}

impl Exclude {
    fn new(config: &Config) -> Result<Option<Exclude>, miette::Report> {
        if config.exclude.is_empty() {
            return Ok(None);
        }
        let mut builder = globset::GlobSetBuilder::new();
        for glob in &config.exclude {
            builder.add(globset::Glob::new(glob).map_err(|e| usage(format!("config exclude `{glob}`: {e}")))?);
        }
        let base = config
            .path
            .as_deref()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| std::path::PathBuf::from("."), std::path::Path::to_path_buf);
        let set = builder.build().map_err(|e| usage(format!("config exclude: {e}")))?;
        Ok(Some(Exclude { set, base: std::path::absolute(&base).unwrap_or(base) }))
    }

    fn excludes(&self, path: &std::path::Path) -> bool {
        // Compare without `.` components: `./vendor/a.yaml` is `vendor/a.yaml`.
        let clean = |p: &std::path::Path| -> std::path::PathBuf {
            p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
        };
        let absolute = clean(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
        let relative =
            absolute.strip_prefix(clean(&self.base)).map_or_else(|_| clean(path), std::path::Path::to_path_buf);
        self.set.is_match(&relative) || self.set.is_match(clean(path))
    }
}

fn check(args: &CheckArgs, out: &mut dyn std::io::Write) -> Result<Status, miette::Report> {
    let lang = match args.lang {
        Some(LangChoice::En) => Lang::En,
        Some(LangChoice::Fr) => Lang::Fr,
        None => Lang::from_env(),
    };
    // The config's own errors follow the language too.
    crate::i18n::set_lang(lang);
    let mut config = load_config(args)?;
    let selection = selection(args, &config)?;
    let destinations = destinations(args)?;
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => config.fail_on.unwrap_or(Severity::Warning),
    };
    let kind_aliases = config
        .workload_kinds
        .iter()
        .filter_map(|k| {
            let builtin = config::BEHAVIOURS.iter().find(|b| **b == k.behaves_as)?;
            Some((k.group.clone(), k.kind.clone(), *builtin))
        })
        .collect();
    let options = LintOptions {
        default_namespace: args
            .namespace
            .clone()
            .or_else(|| config.namespace.clone())
            .unwrap_or_else(|| "default".into()),
        complete: args.complete,
        kind_aliases,
        rule_options: config.options.clone(),
        severity: config.severity.clone(),
        base: None,
        kubernetes_version: kubernetes_version(
            args.kubernetes_version.as_deref().or(config.kubernetes_version.as_deref()),
        )?
        .to_string(),
        lang,
        last_run: true,
    };
    crate::rules::stateful::configure(&config.stateful_images).map_err(usage)?;
    let exclude = Exclude::new(&config)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()
        .map_err(|e| usage(format!("cannot start {} worker threads: {e}", args.jobs)))?;
    // Positions are indexed in 32 bits: no input beyond 4 GiB, whatever the option says.
    let max = args.max_file_size.min(crate::source::MAX_TEXT_BYTES);
    // A report this run writes is not an input, even when it sits among the manifests.
    let reports: Vec<std::path::PathBuf> =
        destinations.iter().filter_map(|d| d.path.as_ref()).filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    // The language was set at the start of the run: input problems follow it too.
    let mut options = options;
    // The base first: the rules that run while the inputs load compare with it.
    if let Some(path) = &args.base {
        if !path.exists() {
            return Err(usage(format!("cannot read base `{}`: no such file or directory", path.display())));
        }
        let paths = [path.display().to_string()];
        let (base_files, _) = pool.install(|| {
            read_inputs(&paths, args.follow_links, max, exclude.as_ref(), &reports, None, PLAIN_TEXT_BUDGET)
        });
        options.base = Some(std::sync::Arc::new(crate::base::Base::new(base_files, &options.default_namespace)));
    }
    let (mut files, io_failed) = pool.install(|| {
        let condense = Some((&selection, &options));
        read_inputs(&args.paths, args.follow_links, max, exclude.as_ref(), &reports, condense, PLAIN_TEXT_BUDGET)
    });
    // The config file joins the run's files after the lint, when findings may point into it
    // (unused suppressions); it is not itself linted.
    let config_source = config.source.take().filter(|_| !config.suppressions.is_empty());
    let config_file = config_source.as_ref().map(|_| files.len());
    let suppressions = Suppressions {
        config: &config.suppressions,
        config_file,
        strict: args.strict_suppressions || config.strict_suppressions,
    };
    let outcome = pool.install(|| lint::lint_with(&files, &selection, &options, &suppressions));
    let mut diagnostics = outcome.diagnostics;
    if let Some(source) = config_source {
        files.push(LoadedFile::new(source, Vec::new(), Vec::new()));
    }
    if let Some(path) = &args.write_baseline {
        std::fs::write(path, baseline::write(&diagnostics, &files))
            .map_err(|e| usage(format!("cannot write baseline `{}`: {}", path.display(), discover::io_message(&e))))?;
    }
    let applied = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                usage(format!("cannot read baseline `{}`: {}", path.display(), discover::io_message(&e)))
            })?;
            Some(
                baseline::apply(&text, &mut diagnostics, &files)
                    .map_err(|e| usage(format!("{}: {e}", path.display())))?,
            )
        }
        None => None,
    };
    let report = Report::new(&files, &diagnostics, outcome.objects, applied);
    let enabled: Vec<&'static RuleMeta> =
        rules::all_metas().into_iter().filter(|m| selection.is_enabled(m.id)).collect();
    let mut write_errors = Vec::new();
    for destination in &destinations {
        let color = match destination.path {
            None => use_color(args.color),
            Some(_) => args.color == ColorChoice::Always,
        };
        // JSON is written as it is serialised; the other formats are rendered whole first.
        let text = (destination.format != Format::Json)
            .then(|| render(destination.format, &report, &enabled, color, &options, &config));
        let emit = |w: &mut dyn std::io::Write| match &text {
            Some(text) => w.write_all(text.as_bytes()),
            None => output::json::write(&report, w),
        };
        match &destination.path {
            None => {
                // A closed pipe (`kubeadvise check | head`) is not an error worth reporting.
                let _ = emit(out).and_then(|()| out.flush());
            }
            Some(path) => {
                if let Err(e) = std::fs::File::create(path).and_then(|mut f| emit(&mut f)) {
                    write_errors.push(format!("cannot write `{path}`: {}", discover::io_message(&e)));
                }
            }
        }
    }
    if !write_errors.is_empty() {
        return Err(UsageError {
            message: write_errors.join("; "),
            help: Some("Check that the report's folder exists and is writable.".to_string()),
        }
        .into());
    }
    let status = exit_status(threshold, io_failed, &diagnostics);
    // The process ends right after this: freeing millions of nodes one by one would only add
    // wall time (up to a second on a 50k-document run).
    std::mem::forget(diagnostics);
    std::mem::forget(files);
    Ok(status)
}

fn init(force: bool, out: &mut dyn std::io::Write) -> Result<Status, miette::Report> {
    let path = std::path::Path::new(config::FILE_NAME);
    if path.exists() && !force {
        return Err(UsageError {
            message: format!("`{}` already exists", config::FILE_NAME),
            help: Some("Pass --force to overwrite it.".to_string()),
        }
        .into());
    }
    std::fs::write(path, config::STARTER)
        .map_err(|e| usage(format!("cannot write `{}`: {}", config::FILE_NAME, discover::io_message(&e))))?;
    write_out(out, &format!("Wrote {}: a commented starter configuration.\n", config::FILE_NAME));
    Ok(Status::Clean)
}

fn exit_status(threshold: Severity, io_failed: bool, diagnostics: &[crate::diagnostic::Diagnostic]) -> Status {
    if io_failed {
        Status::Error
    } else if diagnostics.iter().any(|d| d.severity >= threshold) {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// A run whose input files total at most this many bytes keeps their texts plain; a larger run
/// packs every text once it is parsed (`SourceFile::pack`). Packing is what holds a
/// 50k-document run (187 MB of YAML) under 300 MB, but it costs about a tenth of a run's CPU
/// (compressing every text, then unpacking the ones the report and the CRD schemas read again)
/// to save at most this budget where memory is no concern. The decision is taken from the
/// files' sizes before any is read, so a run over the budget never holds more than it did.
pub const PLAIN_TEXT_BUDGET: u64 = 48 << 20;

/// Discover, read and parse every input (files in parallel). Returns the files in input order
/// and whether any path could not be read. With `condense`, each file's CustomResourceDefinitions
/// are checked by the whole-tree rules and condensed as soon as it is parsed (`lint::condense`).
/// Texts are packed when the files total more than `plain_budget` bytes (`PLAIN_TEXT_BUDGET`).
fn read_inputs(
    paths: &[String],
    follow_links: bool,
    max_file_size: u64,
    exclude: Option<&Exclude>,
    reports: &[std::path::PathBuf],
    condense: Option<(&lint::Selection, &crate::rules::LintOptions)>,
    plain_budget: u64,
) -> (Vec<LoadedFile>, bool) {
    let mut found = discover::discover_with(paths, &discover::WalkOptions { follow_links });
    if !reports.is_empty() {
        // Resolving every input's path costs a readlink per component: only inputs named like a
        // report can be one.
        let names: Vec<&std::ffi::OsStr> = reports.iter().filter_map(|r| r.file_name()).collect();
        found.inputs.retain(|input| match input {
            Input::File(path, _) => {
                path.file_name().is_none_or(|n| !names.contains(&n))
                    || std::fs::canonicalize(path).map_or(true, |p| !reports.contains(&p))
            }
            Input::Stdin => true,
        });
    }
    if let Some(exclude) = exclude {
        // Excluded by the config: walked files only; a file named on the command line is read.
        let named: Vec<&String> = paths.iter().collect();
        found.inputs.retain(|input| match input {
            Input::File(path, name) => named.contains(&name) || !exclude.excludes(path),
            Input::Stdin => true,
        });
    }
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
            Input::Stdin if stdin.take().is_some() => Some(read_limited(std::io::stdin().lock(), max_file_size, 0)),
            Input::Stdin => Some(Ok(Vec::new())),
            Input::File(..) => None,
        })
        .collect();
    // Each file's size sizes its read buffer, and the run's total decides whether texts are
    // packed (`PLAIN_TEXT_BUDGET`).
    let sizes: Vec<u64> = found
        .inputs
        .par_iter()
        .zip(&stdin_bytes)
        .map(|(input, stdin)| match (input, stdin) {
            (Input::File(path, _), _) => std::fs::metadata(path).map_or(0, |m| m.len()),
            (Input::Stdin, Some(Ok(bytes))) => bytes.len() as u64,
            (Input::Stdin, _) => 0,
        })
        .collect();
    let pack = sizes.iter().fold(0u64, |total, &size| total.saturating_add(size)) > plain_budget;
    let loaded: Vec<(LoadedFile, bool)> = found
        .inputs
        .par_iter()
        .zip(stdin_bytes)
        .zip(&sizes)
        .enumerate()
        .map(|(i, ((input, stdin), &size))| {
            let index = offset + i;
            let (name, bytes) = match input {
                Input::Stdin => ("-".to_string(), stdin.unwrap_or_else(|| Ok(Vec::new()))),
                // Over the limit by its size: refused without reading a byte of it.
                Input::File(_, name) if size > max_file_size => return (too_large(index, name, max_file_size), false),
                Input::File(path, name) => {
                    (
                        name.clone(),
                        // Sized from the metadata: a growing buffer would hold up to twice the
                        // text for the whole run.
                        std::fs::File::open(path).and_then(|f| read_limited(f, max_file_size, size)),
                    )
                }
            };
            match bytes {
                Err(e) => (unreadable(index, &name, discover::io_message(&e)), true),
                Ok(bytes) if bytes.len() as u64 > max_file_size => (too_large(index, &name, max_file_size), false),
                Ok(bytes) => {
                    let mut file = lint::load_bytes(index, &name, bytes);
                    if let Some((selection, options)) = condense {
                        lint::condense(index, &mut file, selection, options);
                    }
                    // Parsed: the rules read the trees; the text waits for the report, packed
                    // when the run is over the budget.
                    if pack {
                        file.source.pack();
                    }
                    (file, false)
                }
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
/// `expected`: the size the file says it has (a hint; 0 when unknown).
fn read_limited(reader: impl Read, max: u64, expected: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected.min(max).saturating_add(1)).unwrap_or(0));
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_large(index: usize, name: &str, max: u64) -> LoadedFile {
    let mut d = lint::file_diagnostic(
        &input::TOO_LARGE,
        index,
        None,
        crate::i18n::t(
            format!("`{name}` is larger than --max-file-size ({max} bytes): not checked"),
            format!("`{name}` dépasse --max-file-size ({max} octets) : non vérifié"),
        ),
    );
    d.help = Some(crate::i18n::t(
        "Split the file, or raise the limit with `--max-file-size` if it really is one manifest.",
        "Découpez le fichier, ou relevez la limite avec `--max-file-size` s'il s'agit vraiment d'un seul manifeste.",
    ));
    LoadedFile::new(SourceFile::new(name, String::new()), Vec::new(), vec![d])
}

fn skipped_file(index: usize, name: &str, message: String) -> LoadedFile {
    let mut d = lint::file_diagnostic(
        &input::SKIPPED,
        index,
        None,
        crate::i18n::t(format!("`{name}` skipped: {message}"), format!("`{name}` ignoré : {message}")),
    );
    d.help = Some(crate::i18n::t(
        "Name the file on the command line (or pass `--follow-links`) to check it.",
        "Nommez le fichier sur la ligne de commande (ou passez `--follow-links`) pour le vérifier.",
    ));
    LoadedFile::new(SourceFile::new(name, String::new()), Vec::new(), vec![d])
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

fn render(
    format: Format,
    report: &Report<'_>,
    enabled: &[&'static RuleMeta],
    color: bool,
    options: &LintOptions,
    config: &Config,
) -> String {
    let lang = options.lang;
    match format {
        Format::Human => output::human::render(report, HumanOptions { color, width: width(), lang }),
        Format::Json => output::json::render(report),
        Format::Sarif => output::sarif::render(report),
        Format::Junit => output::junit::render(
            report,
            &JunitOptions {
                rules: enabled,
                config_suppressions: &config.suppressions,
                default_namespace: &options.default_namespace,
            },
        ),
        Format::Github => output::github::render(report),
        Format::Gitlab => output::gitlab::render(report),
        Format::Checkstyle => output::checkstyle::render(report),
    }
}

fn unreadable(index: usize, name: &str, message: String) -> LoadedFile {
    let mut d = lint::file_diagnostic(
        &input::IO_ERROR,
        index,
        None,
        crate::i18n::t(
            format!("cannot read this path: {message}"),
            format!("impossible de lire ce chemin : {message}"),
        ),
    );
    d.help = Some(crate::i18n::t(
        "Check the path and its permissions; the other files were still checked.",
        "Vérifiez le chemin et ses droits ; les autres fichiers ont quand même été vérifiés.",
    ));
    LoadedFile::new(SourceFile::new(name, String::new()), Vec::new(), vec![d])
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(budget: u64) -> Vec<LoadedFile> {
        let paths = ["tests/fixtures".to_string()];
        read_inputs(&paths, false, crate::source::MAX_TEXT_BYTES, None, &[], None, budget).0
    }

    fn packed(files: &[LoadedFile]) -> Vec<&str> {
        files.iter().filter(|f| f.source.is_packed()).map(|f| f.source.name.as_str()).collect()
    }

    fn json(files: &[LoadedFile]) -> String {
        let outcome = lint::lint(files, &lint::Selection::all(), &crate::rules::LintOptions::default());
        crate::output::json::render(&crate::output::Report::new(files, &outcome.diagnostics, outcome.objects, None))
    }

    #[test]
    fn texts_stay_plain_within_the_budget_and_are_all_packed_past_it() {
        let plain = load(u64::MAX);
        let total: u64 = discover::discover(&["tests/fixtures".to_string()])
            .0
            .iter()
            .map(|input| match input {
                Input::File(path, _) => std::fs::metadata(path).unwrap().len(),
                Input::Stdin => unreachable!(),
            })
            .sum();
        assert!(packed(&plain).is_empty());
        assert!(packed(&load(total)).is_empty(), "a run that fits the budget exactly keeps its texts plain");
        // Past the budget, the same texts are packed whatever the budget.
        let all = load(0);
        assert!(all.len() > 100 && packed(&all).len() > 100, "{} of {} packed", packed(&all).len(), all.len());
        assert_eq!(packed(&load(total - 1)), packed(&all));
        assert_eq!(packed(&load(total / 2)), packed(&all));
        assert_eq!(json(&plain), json(&all));
    }
}

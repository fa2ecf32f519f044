//! Command-line definitions (clap derive). Parsing only: `app.rs` turns these into a run.

use std::ffi::OsStr;

use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "kubeadvise",
    version,
    about = "Lint Kubernetes manifests: the wrong controller for the job, unsafe rollouts, broken StatefulSets — at the exact line, with why and how to fix",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size of the `check` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests (files, directories, `-` for stdin) and report problems.
    Check(CheckArgs),
    /// Explain a rule (what it flags, why it matters, how to fix it) or a concept: pod,
    /// replicaset, deployment, statefulset, pod-vs-deployment, deployment-vs-statefulset.
    Explain {
        /// A rule id as printed in diagnostics (e.g. `ctrl-bare-pod`), or a concept.
        topic: String,
        /// Language of the guide: en or fr (default: from LC_ALL, LC_MESSAGES or LANG).
        #[arg(long, value_enum)]
        lang: Option<LangChoice>,
    },
    /// Write a commented starter configuration, `.kubeadvise.yaml`, in the current directory.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// List every rule with its default severity.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a shell completion script (e.g. `kubeadvise completions bash > /etc/bash_completion.d/kubeadvise`).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page in roff (e.g. `kubeadvise man | man -l -`), or a subcommand's page.
    Man {
        /// A subcommand (`check`, `explain`, …) whose page to print instead of the main one.
        command: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input. Directories are searched for
    /// *.yaml, *.yml and *.json, skipping hidden and git-ignored entries.
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<String>,

    /// Output format (default `human`). Repeat it for several reports in one run:
    /// `FORMAT=FILE` writes that format to FILE, a plain FORMAT goes to standard output (at most
    /// one), e.g. `--format github --format sarif=kubeadvise.sarif`.
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = FormatSpecParser)]
    pub format: Vec<FormatSpec>,

    /// Write the standard-output format to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<String>,

    /// Run only these rules (comma-separated ids, or family prefixes such as `sts`).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated ids or family prefixes).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,

    /// Exit with status 1 when a finding is at or above this severity [default: warning, or
    /// the config's failOn].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Namespace of objects that do not set one [default: default, or the config's namespace].
    #[arg(long, value_name = "NAME")]
    pub namespace: Option<String>,

    /// Kubernetes minor version to validate against (schemas and API versions), e.g. 1.30
    /// [default: the newest embedded, or the config's kubernetesVersion].
    #[arg(long, value_name = "X.Y")]
    pub kubernetes_version: Option<String>,

    /// Configuration file [default: .kubeadvise.yaml in the working directory or a parent].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,

    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,

    /// Require a reason on every suppression (annotation `kubeadvise.io/ignore-reason`, or
    /// `reason:` in the config).
    #[arg(long)]
    pub strict_suppressions: bool,

    /// Report only findings that are not in this baseline (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,

    /// Record the current findings as a baseline in FILE (keyed by file, object and rule).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<std::path::PathBuf>,

    /// Declare the input complete (closed world): a Service, PVC or other object referenced but
    /// absent from the input is reported as a warning instead of info.
    #[arg(long)]
    pub complete: bool,

    /// Old version of the manifests (file or directory, e.g. the merge base checked out in CI):
    /// changes to fields the API server will not update in place are reported.
    #[arg(long, value_name = "PATH")]
    pub base: Option<std::path::PathBuf>,

    /// Worker threads for reading and checking (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    pub jobs: usize,

    /// Largest input read, in bytes (suffixes K, M, G; at most 4G); larger files are reported, not checked.
    #[arg(long, default_value = "64M", value_parser = parse_size, value_name = "SIZE")]
    pub max_file_size: u64,

    /// Follow symbolic links found while walking directories (cycles are detected and skipped).
    #[arg(long)]
    pub follow_links: bool,

    /// Language of the diagnostics' messages, help and why: en or fr (default: from LC_ALL,
    /// LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,

    /// When to use colour (also off when NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    En,
    Fr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with excerpts for people.
    Human,
    /// The versioned JSON contract.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// JUnit XML (GitLab and Jenkins test reports).
    Junit,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
}

/// One `--format` value: a format and where it goes (`None`: standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub path: Option<String>,
}

/// Parses `FORMAT` or `FORMAT=FILE`; offers the format names to help and shell completions.
#[derive(Debug, Clone, Copy)]
pub struct FormatSpecParser;

impl TypedValueParser for FormatSpecParser {
    type Value = FormatSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<FormatSpec, clap::Error> {
        let text = value.to_string_lossy();
        let (name, path) = match text.split_once('=') {
            Some((name, path)) => (name, Some(path)),
            None => (text.as_ref(), None),
        };
        let format = EnumValueParser::<Format>::new().parse_ref(cmd, arg, OsStr::new(name))?;
        match path {
            Some("") => Err(clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("`--format {text}` names no file: write `{name}=FILE`, or `{name}` for standard output\n"),
            )
            .with_cmd(cmd)),
            Some("-") | None => Ok(FormatSpec { format, path: None }),
            Some(path) => Ok(FormatSpec { format, path: Some(path.to_string()) }),
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Format::value_variants().iter().filter_map(ValueEnum::to_possible_value)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `1024`, `64K`, `256M`, `1G` (binary multiples).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 10),
        Some((i, 'M' | 'm')) => (&text[..i], 20),
        Some((i, 'G' | 'g')) => (&text[..i], 30),
        _ => (text, 0),
    };
    let n: u64 = digits.parse().map_err(|_| format!("`{text}` is not a size such as 1048576, 64K, 256M or 1G"))?;
    n.checked_mul(1 << shift).ok_or_else(|| format!("`{text}` is too large"))
}

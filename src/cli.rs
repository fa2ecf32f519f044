//! Command-line definitions (clap derive). Parsing only: `app.rs` turns these into a run.

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
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input. Directories are searched for
    /// *.yaml, *.yml and *.json, skipping hidden and git-ignored entries.
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

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

    /// Worker threads for reading and checking (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    pub jobs: usize,

    /// Largest input read, in bytes (suffixes K, M, G); larger files are reported, not checked.
    #[arg(long, default_value = "64M", value_parser = parse_size, value_name = "SIZE")]
    pub max_file_size: u64,

    /// Follow symbolic links found while walking directories (cycles are detected and skipped).
    #[arg(long)]
    pub follow_links: bool,

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
    Human,
    Json,
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

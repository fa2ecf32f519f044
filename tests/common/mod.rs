//! Helpers shared by the integration tests: lint a file or a string with chosen rules, render
//! the human output as snapshots see it (no colour, width 80), read fixture expectations.
#![allow(dead_code)]

pub mod binary;

use std::path::{Path, PathBuf};

use kubeadvise::diagnostic::Diagnostic;
use kubeadvise::lint::{self, LoadedFile, Selection};
use kubeadvise::output::{Report, human};
use kubeadvise::rules::LintOptions;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of linting some inputs.
pub struct Linted {
    pub files: Vec<LoadedFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub objects: usize,
}

impl Linted {
    /// Human output as snapshots store it.
    pub fn render(&self) -> String {
        let report = Report::new(&self.files, &self.diagnostics, self.objects, None);
        human::render(&report, human::HumanOptions { color: false, width: 80, lang: kubeadvise::explain::Lang::En })
    }

    /// JSON output.
    pub fn render_json(&self) -> String {
        kubeadvise::output::json::render(&Report::new(&self.files, &self.diagnostics, self.objects, None))
    }

    /// 1-based lines where `rule` fired.
    pub fn lines_of(&self, rule: &str) -> Vec<usize> {
        self.diagnostics
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| d.span.map_or(0, |s| self.files[d.file].source.position(s.start()).line))
            .collect()
    }
}

fn selection(only: Option<&[&str]>) -> Selection {
    match only {
        None => Selection::all(),
        Some(ids) => {
            let tokens: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            let ids = kubeadvise::app::resolve_ids(&tokens).unwrap_or_else(|e| panic!("{e}"));
            Selection::only(&ids)
        }
    }
}

/// Lint named inputs (name shown in output, bytes).
pub fn lint_inputs(inputs: Vec<(String, Vec<u8>)>, only: Option<&[&str]>) -> Linted {
    lint_inputs_with_base(inputs, Vec::new(), only)
}

/// Lint named inputs against an old version of the manifests (`--base`); no base when empty.
pub fn lint_inputs_with_base(
    inputs: Vec<(String, Vec<u8>)>,
    base: Vec<(String, Vec<u8>)>,
    only: Option<&[&str]>,
) -> Linted {
    lint_inputs_in(inputs, base, only, kubeadvise::explain::Lang::En)
}

/// Lint named inputs, with a base (none when empty), in a language.
pub fn lint_inputs_in(
    inputs: Vec<(String, Vec<u8>)>,
    base: Vec<(String, Vec<u8>)>,
    only: Option<&[&str]>,
    lang: kubeadvise::explain::Lang,
) -> Linted {
    lint_inputs_at(inputs, base, only, lang, None)
}

/// `lint_inputs_in` for a target Kubernetes version (`--kubernetes-version`; newest when `None`).
/// Files are loaded as `kubeadvise check` loads them: CustomResourceDefinitions condensed, texts
/// packed.
pub fn lint_inputs_at(
    inputs: Vec<(String, Vec<u8>)>,
    base: Vec<(String, Vec<u8>)>,
    only: Option<&[&str]>,
    lang: kubeadvise::explain::Lang,
    version: Option<String>,
) -> Linted {
    lint_inputs_how(inputs, base, only, lang, version, true)
}

/// Lint named inputs with every tree kept whole (no CustomResourceDefinition condensed) and every
/// text plain: the reference `condense` and `pack` are compared with.
pub fn lint_inputs_uncondensed(inputs: Vec<(String, Vec<u8>)>, only: Option<&[&str]>) -> Linted {
    lint_inputs_how(inputs, Vec::new(), only, kubeadvise::explain::Lang::En, None, false)
}

fn lint_inputs_how(
    inputs: Vec<(String, Vec<u8>)>,
    base: Vec<(String, Vec<u8>)>,
    only: Option<&[&str]>,
    lang: kubeadvise::explain::Lang,
    version: Option<String>,
    condense: bool,
) -> Linted {
    kubeadvise::i18n::set_lang(lang);
    let mut options = LintOptions { lang, ..LintOptions::default() };
    if let Some(version) = version {
        let embedded = kubeadvise::schema::resolve_version(&version)
            .unwrap_or_else(|| panic!("`# kubernetes-version: {version}` is not an embedded version"));
        options.kubernetes_version = embedded.to_string();
    }
    if !base.is_empty() {
        let base_files: Vec<LoadedFile> =
            base.into_iter().enumerate().map(|(i, (name, bytes))| lint::load_bytes(i, &name, bytes)).collect();
        options.base = Some(std::sync::Arc::new(kubeadvise::base::Base::new(base_files, &options.default_namespace)));
    }
    let selection = selection(only);
    let files: Vec<LoadedFile> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, (name, bytes))| {
            let mut file = lint::load_bytes(i, &name, bytes);
            if condense {
                lint::condense(i, &mut file, &selection, &options);
                file.source.pack();
            }
            file
        })
        .collect();
    let outcome = lint::lint(&files, &selection, &options);
    Linted { diagnostics: outcome.diagnostics, objects: outcome.objects, files }
}

pub fn lint_str(name: &str, text: &str, only: Option<&[&str]>) -> Linted {
    lint_inputs(vec![(name.to_string(), text.as_bytes().to_vec())], only)
}

/// Lint a file under the repository, shown by its path relative to the repository root.
pub fn lint_path(relative: &Path, only: Option<&[&str]>) -> Linted {
    lint_path_in(relative, only, kubeadvise::explain::Lang::En)
}

/// `lint_path` with the diagnostics in a language.
pub fn lint_path_in(relative: &Path, only: Option<&[&str]>, lang: kubeadvise::explain::Lang) -> Linted {
    let read = |p: &Path| std::fs::read(repo_root().join(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let name = |p: &Path| p.display().to_string().replace('\\', "/");
    // A `<fixture>.base` sidecar is the old version of the fixture, passed as `--base`.
    let base_path = PathBuf::from(format!("{}.base", relative.display()));
    let base =
        if repo_root().join(&base_path).is_file() { vec![(name(&base_path), read(&base_path))] } else { Vec::new() };
    let version = expectations(&repo_root().join(relative)).kubernetes_version;
    lint_inputs_at(vec![(name(relative), read(relative))], base, only, lang, version)
}

/// Expectations written in a fixture's leading comments (or a `<file>.expect` sidecar for files
/// that cannot hold comments): `# fires: 12, 30`, optionally `# severity: error`, and
/// `# kubernetes-version: 1.30` to lint for that target version (`--kubernetes-version`).
#[derive(Debug, Default)]
pub struct Expect {
    pub lines: Option<Vec<usize>>,
    pub severity: Option<String>,
    pub kubernetes_version: Option<String>,
}

pub fn expectations(path: &Path) -> Expect {
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    let text = std::fs::read(&sidecar).or_else(|_| std::fs::read(path)).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let mut expect = Expect::default();
    for line in text.lines() {
        let line = line.trim();
        let Some(comment) = line.strip_prefix('#') else {
            if line.is_empty() || line == "---" {
                continue;
            }
            break;
        };
        let comment = comment.trim();
        if let Some(lines) = comment.strip_prefix("fires:") {
            expect.lines = Some(
                lines
                    .split(',')
                    .map(|n| n.trim().parse().unwrap_or_else(|_| panic!("{}: bad `# fires:` line", path.display())))
                    .collect(),
            );
        } else if let Some(sev) = comment.strip_prefix("severity:") {
            expect.severity = Some(sev.trim().to_string());
        } else if let Some(version) = comment.strip_prefix("kubernetes-version:") {
            expect.kubernetes_version = Some(version.trim().to_string());
        }
    }
    expect
}

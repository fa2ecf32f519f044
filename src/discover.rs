//! Which inputs a run reads: paths given on the command line, files found under directories
//! (`*.yaml`, `*.yml`, `*.json`, hidden and git-ignored entries skipped, sorted by name), and stdin
//! (`-`). Paths that cannot be walked become errors for the runner to report.

use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    /// A file, and the name to show for it.
    File(PathBuf, String),
}

/// A path that could not be listed or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub name: String,
    pub message: String,
}

/// Inputs in the order given (directories expanded in sorted order), and the errors met.
pub fn discover(paths: &[String]) -> (Vec<Input>, Vec<PathError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for given in paths {
        if given == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(given);
        match std::fs::metadata(path) {
            Err(e) => errors.push(PathError { name: given.clone(), message: io_message(&e) }),
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, &mut errors),
            // Files, FIFOs and other non-directories named explicitly are read as given.
            Ok(_) => inputs.push(Input::File(path.to_path_buf(), given.clone())),
        }
    }
    (inputs, errors)
}

/// Whether a file found under a directory is a manifest by its extension.
pub fn is_manifest_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("json")
    })
}

fn walk(root: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<PathError>) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_manifest_name(entry.path()) {
                    let name = entry.path().display().to_string();
                    inputs.push(Input::File(entry.path().to_path_buf(), name));
                }
            }
            Err(e) => errors.push(PathError {
                name: walk_error_path(&e).unwrap_or_else(|| root.display().to_string()),
                message: e.to_string(),
            }),
        }
    }
}

fn walk_error_path(error: &ignore::Error) -> Option<String> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
        _ => None,
    }
}

/// A short, stable description of an I/O error (no OS error numbers).
pub fn io_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = error.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
}

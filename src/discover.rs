//! Which inputs a run reads: paths given on the command line, files found under directories
//! (`*.yaml`, `*.yml`, `*.json`, hidden and git-ignored entries skipped, sorted by name), and stdin
//! (`-`). Paths that cannot be walked become errors; entries deliberately not read (symbolic
//! links, FIFOs, cycles) are listed as skipped so nothing is left out silently.

use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    /// A file, and the name to show for it.
    File(PathBuf, String),
}

/// A path that could not be listed or read, or an entry left out on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathNote {
    pub name: String,
    pub message: String,
}

/// How directories are walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Follow symbolic links (cycles are detected by device and inode, and skipped).
    pub follow_links: bool,
}

/// What discovery found: inputs in the order given (directories expanded in sorted order).
#[derive(Debug, Default)]
pub struct Found {
    pub inputs: Vec<Input>,
    pub errors: Vec<PathNote>,
    pub skipped: Vec<PathNote>,
}

/// Discover with default options; returns inputs and errors (skipped entries dropped).
pub fn discover(paths: &[String]) -> (Vec<Input>, Vec<PathNote>) {
    let found = discover_with(paths, &WalkOptions::default());
    (found.inputs, found.errors)
}

pub fn discover_with(paths: &[String], options: &WalkOptions) -> Found {
    let mut found = Found::default();
    for given in paths {
        if given == "-" {
            found.inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(given);
        match std::fs::metadata(path) {
            Err(e) => found.errors.push(PathNote { name: display_path(path), message: io_message(&e) }),
            Ok(meta) if meta.is_dir() => walk(path, options, &mut found),
            // Files, FIFOs (`<(helm template …)`) and other non-directories named explicitly are
            // read as given.
            Ok(_) => found.inputs.push(Input::File(path.to_path_buf(), display_path(path))),
        }
    }
    found
}

/// Whether a file found under a directory is a manifest by its extension.
pub fn is_manifest_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("json")
    })
}

fn walk(root: &Path, options: &WalkOptions, found: &mut Found) {
    // `ignore`'s parallel walker, on one thread: it learns which ignore files and VCS directories a
    // directory has from the listing it reads anyway, where the sequential walker probes five
    // names per directory with `stat` (two thirds of discovery's system calls on a large tree).
    // It visits in no fixed order, so the entries are sorted afterwards: by path, compared
    // component by component, which is the depth-first, sorted-by-name order of a sorted walk.
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        .follow_links(options.follow_links)
        .threads(1)
        .build_parallel();
    let visited: std::sync::Mutex<Vec<(PathBuf, Result<ignore::DirEntry, ignore::Error>)>> = Default::default();
    walker.run(|| {
        Box::new(|entry| {
            let key = match &entry {
                Ok(entry) if entry.file_type().is_some_and(|kind| kind.is_dir()) => return ignore::WalkState::Continue,
                Ok(entry) if !is_manifest_name(entry.path()) => return ignore::WalkState::Continue,
                Ok(entry) => entry.path().to_path_buf(),
                Err(e) => loop_path(e).or_else(|| walk_error_path(e)).unwrap_or_else(|| root.to_path_buf()),
            };
            visited.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((key, entry));
            ignore::WalkState::Continue
        })
    });
    let mut visited = visited.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    visited.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, entry) in visited {
        match entry {
            Ok(entry) => {
                let Some(kind) = entry.file_type() else { continue };
                let name = display_path(entry.path());
                if kind.is_file() {
                    found.inputs.push(Input::File(entry.into_path(), name));
                } else if kind.is_symlink() {
                    found.skipped.push(PathNote { name, message: "symbolic link not followed".to_string() });
                } else {
                    found.skipped.push(PathNote {
                        name,
                        message: "not a regular file (a FIFO, socket or device): reading it could block".to_string(),
                    });
                }
            }
            Err(e) => match loop_path(&e) {
                Some(path) => found.skipped.push(PathNote {
                    name: display_path(&path),
                    message: "directory cycle: this link leads back to a directory already walked".to_string(),
                }),
                None => found.errors.push(PathNote {
                    name: walk_error_path(&e).map_or_else(|| display_path(root), |p| display_path(&p)),
                    message: walk_error_message(&e),
                }),
            },
        }
    }
}

fn loop_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => loop_path(err),
        _ => None,
    }
}

fn walk_error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        _ => None,
    }
}

fn walk_error_message(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Io(e) => io_message(e),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_message(err),
        other => other.to_string(),
    }
}

/// A path as text safe to print on one line: bytes that are not UTF-8 as `\xNN`, control
/// characters (a newline in a file name) escaped.
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    fn names(found: &Found, root: &Path) -> Vec<String> {
        let root = display_path(root);
        found
            .inputs
            .iter()
            .map(|input| match input {
                Input::File(_, name) => name.strip_prefix(&root).unwrap_or(name).to_string(),
                Input::Stdin => "-".to_string(),
            })
            .collect()
    }

    #[test]
    fn walk_order_is_depth_first_by_name_and_ignore_files_apply() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // '-' < '.' < '/': a plain text sort of whole paths would put `a/x.yaml` last.
        for name in ["a.yaml", "a-b.yaml", "a/x.yaml", "a/b/y.yml", "b.json", "notes.txt", "c/ignored.yaml"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "kind: ConfigMap\n").unwrap();
        }
        for hidden in [".hidden.yaml", ".hiddendir/z.yaml"] {
            let path = root.join(hidden);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "kind: ConfigMap\n").unwrap();
        }
        std::fs::write(root.join(".ignore"), "ignored.yaml\n").unwrap();
        // A `.gitignore` counts only inside a Git repository.
        std::fs::write(root.join("a/.gitignore"), "y.yml\n").unwrap();
        let found = discover_with(&[display_path(root)], &WalkOptions::default());
        assert_eq!(names(&found, root), ["/a/b/y.yml", "/a/x.yaml", "/a-b.yaml", "/a.yaml", "/b.json"]);
        assert!(found.errors.is_empty() && found.skipped.is_empty(), "{found:?}");

        std::fs::create_dir(root.join(".git")).unwrap();
        let found = discover_with(&[display_path(root)], &WalkOptions::default());
        assert_eq!(names(&found, root), ["/a/x.yaml", "/a-b.yaml", "/a.yaml", "/b.json"]);
    }

    #[test]
    fn odd_names_print_escaped() {
        assert_eq!(display_path(Path::new("a\nb.yaml")), "a\\nb.yaml");
        assert_eq!(display_path(Path::new(OsStr::from_bytes(b"caf\xE9.yaml"))), "caf\\xE9.yaml");
        assert_eq!(display_path(Path::new("with space.yaml")), "with space.yaml");
    }
}

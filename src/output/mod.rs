//! Emitters: one per output format behind one function signature, each turning the run's files
//! and diagnostics into text. The summary counts shared by every format live here.

pub mod checkstyle;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod place;
pub mod sarif;
pub mod xml;

use std::cell::RefCell;
use std::rc::Rc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::LoadedFile;
use crate::source::Source;

/// What every emitter is given.
pub struct Report<'a> {
    pub files: &'a [LoadedFile],
    pub diagnostics: &'a [Diagnostic],
    pub objects: usize,
    /// What a `--baseline` hid, when one was given.
    pub baseline: Option<crate::baseline::Applied>,
    /// The last file `source` unpacked: emitters go through the findings file by file, so each
    /// text is unpacked once and only one is held at a time.
    unpacked: RefCell<Option<(usize, Rc<Source<'a>>)>>,
}

/// Counts for the summary line and the JSON `summary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// With `--baseline`: findings hidden because the baseline has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    /// With `--baseline`: baselined findings no longer found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}

impl<'a> Report<'a> {
    pub fn new(
        files: &'a [LoadedFile],
        diagnostics: &'a [Diagnostic],
        objects: usize,
        baseline: Option<crate::baseline::Applied>,
    ) -> Report<'a> {
        Report { files, diagnostics, objects, baseline, unpacked: RefCell::new(None) }
    }

    /// The text of file `file`, unpacked (the one before it is let go).
    pub fn source(&self, file: usize) -> Rc<Source<'a>> {
        let mut unpacked = self.unpacked.borrow_mut();
        match &*unpacked {
            Some((i, source)) if *i == file => Rc::clone(source),
            _ => {
                // Let the previous text go before unpacking the next one.
                *unpacked = None;
                let source = Rc::new(self.files[file].source.unpacked());
                *unpacked = Some((file, Rc::clone(&source)));
                source
            }
        }
    }

    pub fn summary(&self) -> Summary {
        let count = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            files: self.files.len(),
            objects: self.objects,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            baselined: self.baseline.map(|b| b.hidden),
            fixed: self.baseline.map(|b| b.fixed),
        }
    }

    /// Number of files with at least one diagnostic.
    pub fn files_with_findings(&self) -> usize {
        let mut files: Vec<usize> = self.diagnostics.iter().map(|d| d.file).collect();
        files.dedup();
        files.len()
    }
}

//! Baselines: `--write-baseline FILE` records today's findings keyed by file, object and rule
//! (not by line, so edits above a finding do not invalidate it); `--baseline FILE` then hides
//! those and reports only new findings, counting the baselined ones that were fixed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::lint::LoadedFile;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub file: String,
    pub rule: String,
    /// `apiVersion/kind/namespace/name` of the object, or empty for a file-level problem.
    pub object: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    key: Key,
    count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

fn key(d: &Diagnostic, files: &[LoadedFile]) -> Key {
    let object = d.object.as_ref().map_or_else(String::new, |o| {
        format!(
            "{}/{}/{}/{}",
            o.api_version,
            o.kind,
            o.namespace.as_deref().unwrap_or(""),
            o.name.as_deref().unwrap_or("")
        )
    });
    Key { file: files[d.file].source.name.clone(), rule: d.rule.to_string(), object }
}

/// The baseline of these findings, as JSON.
pub fn write(diagnostics: &[Diagnostic], files: &[LoadedFile]) -> String {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(key(d, files)).or_default() += 1;
    }
    let findings = counts.into_iter().map(|(key, count)| Entry { key, count }).collect();
    let mut text = serde_json::to_string_pretty(&BaselineFile { version: VERSION, findings })
        .expect("a baseline serialises to JSON");
    text.push('\n');
    text
}

/// Result of applying a baseline.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// Baselined findings no longer found.
    pub fixed: usize,
}

/// Hide the findings the baseline records (up to its count per file, object and rule).
pub fn apply(text: &str, diagnostics: &mut Vec<Diagnostic>, files: &[LoadedFile]) -> Result<Applied, String> {
    let baseline: BaselineFile = serde_json::from_str(text).map_err(|e| format!("not a kubeadvise baseline: {e}"))?;
    if baseline.version != VERSION {
        return Err(format!("baseline version {} is not supported (expected {VERSION})", baseline.version));
    }
    let mut remaining: BTreeMap<Key, usize> = baseline.findings.into_iter().map(|e| (e.key, e.count)).collect();
    let mut applied = Applied::default();
    diagnostics.retain(|d| match remaining.get_mut(&key(d, files)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            applied.hidden += 1;
            false
        }
        _ => true,
    });
    applied.fixed = remaining.values().sum();
    Ok(applied)
}

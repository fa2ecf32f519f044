//! Cross-object look-ups shared by the cross-resource rules (family E): the pod templates of a
//! namespace that a selector matches, "near misses" that point at a likely typo, and a stable
//! order for objects found across files. Free functions over the `Index`; PDB and autoscaler
//! semantics live in `pdb.rs` and `hpa.rs`.

use super::selector::{Requirement, Selector};
use super::{Object, WORKLOAD_KINDS};
use crate::index::Index;
use crate::yaml::Node;

/// Workloads (every kind with a pod template) in the namespace of `of`, in input order.
pub fn pod_templates<'a>(index: &Index<'a>, of: &Object<'_>) -> Vec<Object<'a>> {
    let mut found: Vec<Object<'a>> = WORKLOAD_KINDS
        .iter()
        .flat_map(|kind| index.in_namespace_of(of, kind))
        .filter(|o| o.pod_template().is_some())
        .copied()
        .collect();
    sort(&mut found);
    found
}

/// Workloads in the namespace of `of` whose pod template labels satisfy `selector`.
pub fn selected<'a>(index: &Index<'a>, of: &Object<'_>, selector: &Selector) -> Vec<Object<'a>> {
    pod_templates(index, of)
        .into_iter()
        .filter(|w| w.pod_template().is_some_and(|t| selector.matches(t.labels())))
        .collect()
}

/// Input order: file, then position in the file. The index's maps are unordered.
pub fn sort(objects: &mut [Object<'_>]) {
    objects.sort_by_key(|o| (o.file, o.root.span.start));
}

/// Why a workload that the selector does not match looks like the intended target.
#[derive(Debug, Clone)]
pub enum NearMiss<'a> {
    /// The controller's own `metadata.labels` satisfy the selector, its pod template's do not.
    ControllerLabels(Object<'a>),
    /// The template satisfies some of the selector's `key: value` pairs, not all; the first
    /// pair it misses.
    Partial { workload: Object<'a>, key: String, want: String, have: Option<&'a Node> },
}

impl<'a> NearMiss<'a> {
    pub fn workload(&self) -> &Object<'a> {
        match self {
            NearMiss::ControllerLabels(w) | NearMiss::Partial { workload: w, .. } => w,
        }
    }

    /// What differs, for messages.
    pub fn describe(&self) -> String {
        match self {
            NearMiss::ControllerLabels(w) => {
                format!("{} has these labels on the controller, not on its pod template", w.display())
            }
            NearMiss::Partial { workload, key, want, have } => match have.and_then(|n| n.text()) {
                Some(v) => format!("{} has `{key}: {v}`, not `{key}: {want}`", workload.display()),
                None => format!("{} lacks `{key}: {want}`", workload.display()),
            },
        }
    }
}

/// The workload in the namespace that most looks like the intended target of a selector that
/// matches none: labels on the controller only, or some but not all `key: value` pairs.
pub fn near_miss<'a>(index: &Index<'a>, of: &Object<'_>, selector: &Selector) -> Option<NearMiss<'a>> {
    let workloads = pod_templates(index, of);
    if let Some(w) = workloads.iter().find(|w| w.labels().is_some() && selector.matches(w.labels())) {
        return Some(NearMiss::ControllerLabels(*w));
    }
    let pairs: Vec<(&String, &String)> = selector
        .requirements
        .iter()
        .filter_map(|r| match r {
            Requirement::Equals(k, v) => Some((k, v)),
            _ => None,
        })
        .collect();
    if pairs.len() < 2 {
        return None;
    }
    let mut best: Option<(usize, NearMiss<'a>)> = None;
    for w in &workloads {
        let labels = w.pod_template().and_then(|t| t.labels());
        let value = |k: &str| labels.and_then(|l| l.get(k));
        let hits = pairs.iter().filter(|(k, v)| value(k).and_then(Node::text) == Some(v.as_str())).count();
        if hits == 0 || hits == pairs.len() || best.as_ref().is_some_and(|(n, _)| *n >= hits) {
            continue;
        }
        let Some((k, v)) = pairs.iter().find(|(k, v)| value(k).and_then(Node::text) != Some(v.as_str())) else {
            continue;
        };
        best = Some((
            hits,
            NearMiss::Partial { workload: *w, key: k.to_string(), want: v.to_string(), have: value(k) },
        ));
    }
    best.map(|(_, m)| m)
}

/// `key: value` text of a selector, for messages (`app: web, tier: api`).
pub fn describe_selector(selector: &Selector) -> String {
    selector
        .requirements
        .iter()
        .map(|r| match r {
            Requirement::Equals(k, v) => format!("{k}: {v}"),
            Requirement::In(k, vs) => format!("{k} in ({})", vs.join(", ")),
            Requirement::NotIn(k, vs) => format!("{k} notin ({})", vs.join(", ")),
            Requirement::Exists(k) => k.to_string(),
            Requirement::DoesNotExist(k) => format!("!{k}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The directory part of a display path (`a/b/c.yaml` → `a/b`; `c.yaml` → ``).
pub fn directory(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

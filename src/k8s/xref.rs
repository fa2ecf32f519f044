//! Cross-object look-ups shared by the cross-resource rules (family E): tables built with the
//! `Index` (label postings, objects by name), the pod templates a selector matches (with the
//! labels controllers add), "near misses" that point at a likely typo, and which input files
//! belong together. PDB and autoscaler semantics live in `pdb.rs` and `hpa.rs`.

use foldhash::HashMap;

use super::selector::{Requirement, Selector};
use super::{Object, WORKLOAD_KINDS};
use crate::index::{ByName, Index, Objects, file_by_name, slot};
use crate::yaml::Node;

/// Look-up tables for the cross-resource rules, built once per run with the `Index` so that matching a selector or finding a name does not scan the whole
/// namespace for every object.
#[derive(Default)]
pub struct XrefTables<'a> {
    /// Per namespace: the workloads with a pod template, in input order, and for each template
    /// label `key: value` the positions of the workloads that carry it.
    templates: HashMap<String, Templates<'a>>,
    /// Namespace → kind as written → name → objects, in input order.
    names: HashMap<String, ByName<'a>>,
    /// The run's object list, the one the name tables hold positions in.
    objects: &'a [Object<'a>],
}

#[derive(Default)]
struct Templates<'a> {
    all: Vec<Object<'a>>,
    postings: HashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'a> XrefTables<'a> {
    /// Tables over the run's `objects`, each given by its position with its namespace (defaults
    /// applied).
    pub fn build<'i>(objects: &'a [Object<'a>], positions: impl Iterator<Item = (&'i str, u32)>) -> XrefTables<'a> {
        let mut tables = XrefTables { objects, ..XrefTables::default() };
        for (ns, position) in positions {
            let obj = &objects[position as usize];
            if let Some(name) = obj.name() {
                file_by_name(slot(&mut tables.names, ns), obj.declared_kind, name, position, objects);
            }
            if WORKLOAD_KINDS.contains(&obj.kind) && obj.pod_template().is_some() {
                slot(&mut tables.templates, ns).all.push(*obj);
            }
        }
        for list in tables.names.values_mut().flat_map(|k| k.values_mut()).flat_map(|n| n.values_mut()) {
            if let Objects::Many(many) = list {
                sort(many);
            }
            list.shrink_to_fit();
        }
        for t in tables.templates.values_mut() {
            sort(&mut t.all);
            for (i, w) in t.all.iter().enumerate() {
                let labels = w.pod_template().and_then(|p| p.labels()).and_then(Node::as_map).unwrap_or(&[]);
                for entry in labels {
                    if let (Some(k), Some(v)) = (entry.key.text(), entry.value.text()) {
                        let posting = t.postings.entry((k, v)).or_default();
                        if posting.last() != Some(&i) {
                            posting.push(i);
                        }
                    }
                }
            }
        }
        tables
    }

    /// Workloads with a pod template in namespace `ns`, in input order.
    pub fn templates(&self, ns: &str) -> &[Object<'a>] {
        self.templates.get(ns).map_or(&[], |t| t.all.as_slice())
    }

    /// Workloads of `ns` that may match `selector` (a superset, in input order): those carrying
    /// its rarest `key: value` pair, or all of them.
    fn candidates(&self, ns: &str, selector: &Selector) -> Vec<Object<'a>> {
        let Some(t) = self.templates.get(ns) else { return Vec::new() };
        let rarest = selector
            .requirements
            .iter()
            .filter_map(|r| match r {
                Requirement::Equals(k, v) if !is_controller_label(k) => {
                    Some(t.postings.get(&(k.as_str(), v.as_str())).map_or(&[][..], Vec::as_slice))
                }
                _ => None,
            })
            .min_by_key(|p| p.len());
        match rarest {
            Some(positions) => positions.iter().map(|&i| t.all[i]).collect(),
            None => t.all.clone(),
        }
    }

    /// Objects of kind `kind` (as written) named `name` in namespace `ns`, in input order.
    pub fn named(&self, ns: &str, kind: &str, name: &str) -> &[Object<'a>] {
        self.names.get(ns).and_then(|k| k.get(kind)).and_then(|n| n.get(name)).map_or(&[], |o| o.as_slice(self.objects))
    }
}

/// The namespace of `of`, with the run's default applied.
pub fn namespace_of<'s>(index: &'s Index<'_>, of: &'s Object<'_>) -> &'s str {
    of.namespace().unwrap_or(index.default_namespace())
}

/// Workloads (every kind with a pod template) in the namespace of `of`, in input order.
pub fn pod_templates<'a>(index: &Index<'a>, of: &Object<'_>) -> Vec<Object<'a>> {
    index.xref_tables().templates(namespace_of(index, of)).to_vec()
}

/// Workloads in the namespace of `of` whose Pods `selector` matches, in input order.
pub fn selected<'a>(index: &Index<'a>, of: &Object<'_>, selector: &Selector) -> Vec<Object<'a>> {
    index
        .xref_tables()
        .candidates(namespace_of(index, of), selector)
        .into_iter()
        .filter(|w| selects_pods_of(selector, w))
        .collect()
}

/// Objects of kind `kind` (as written) named `name` in the namespace of `of`, in input order.
pub fn named<'s, 'a>(index: &'s Index<'a>, of: &Object<'_>, kind: &str, name: &str) -> &'s [Object<'a>] {
    index.xref_tables().named(namespace_of(index, of), kind, name)
}

/// Whether `selector` matches the Pods of workload `w`: its template labels plus the labels its
/// controller adds to every Pod (`statefulset.kubernetes.io/pod-name`, `pod-template-hash`…),
/// whose values are not in the manifest.
pub fn selects_pods_of(selector: &Selector, w: &Object<'_>) -> bool {
    let Some(template) = w.pod_template() else { return false };
    let name = w.name().unwrap_or("");
    let labels = template.labels();
    selector.requirements.iter().all(|r| {
        let key = match r {
            Requirement::Equals(k, _) | Requirement::In(k, _) | Requirement::NotIn(k, _) => k,
            Requirement::Exists(k) | Requirement::DoesNotExist(k) => k,
        };
        match controller_label(w.kind, key) {
            Some(ControllerLabel::Any) if !matches!(r, Requirement::DoesNotExist(_)) => true,
            Some(ControllerLabel::PodName) => match r {
                Requirement::Equals(_, v) => v
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
                Requirement::DoesNotExist(_) => false,
                _ => true,
            },
            Some(ControllerLabel::JobName) => match r {
                Requirement::Equals(_, v) => v == name,
                Requirement::DoesNotExist(_) => false,
                _ => true,
            },
            _ => Selector { requirements: vec![r.clone()] }.matches(labels),
        }
    })
}

enum ControllerLabel {
    /// Set on every Pod, with a value the manifest does not show.
    Any,
    /// `<statefulset>-<ordinal>`.
    PodName,
    /// The Job's name.
    JobName,
}

/// Whether some controller adds this label to the Pods it creates.
fn is_controller_label(key: &str) -> bool {
    ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].iter().any(|k| controller_label(k, key).is_some())
}

/// Labels controllers add to the Pods they create.
fn controller_label(kind: &str, key: &str) -> Option<ControllerLabel> {
    match (kind, key) {
        ("Deployment", "pod-template-hash") => Some(ControllerLabel::Any),
        ("StatefulSet", "statefulset.kubernetes.io/pod-name") => Some(ControllerLabel::PodName),
        ("StatefulSet", "apps.kubernetes.io/pod-index") => Some(ControllerLabel::Any),
        ("StatefulSet" | "DaemonSet", "controller-revision-hash") => Some(ControllerLabel::Any),
        ("DaemonSet", "pod-template-generation") => Some(ControllerLabel::Any),
        ("Job", "job-name" | "batch.kubernetes.io/job-name") => Some(ControllerLabel::JobName),
        ("Job" | "CronJob", "controller-uid" | "batch.kubernetes.io/controller-uid") => Some(ControllerLabel::Any),
        ("Job" | "CronJob", "batch.kubernetes.io/job-completion-index") => Some(ControllerLabel::Any),
        ("CronJob", "job-name" | "batch.kubernetes.io/job-name") => Some(ControllerLabel::Any),
        _ => None,
    }
}

/// Input order: file, then position in the file. The index's maps are unordered.
pub fn sort(objects: &mut [Object<'_>]) {
    objects.sort_by_key(|o| (o.file, o.root.span.start()));
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

    /// The template label that differs, when it is there with another value.
    pub fn differing_value(&self) -> Option<&'a Node> {
        match self {
            NearMiss::Partial { have, .. } => *have,
            NearMiss::ControllerLabels(_) => None,
        }
    }

    /// What differs, for messages.
    pub fn describe(&self) -> String {
        match self {
            NearMiss::ControllerLabels(w) => crate::i18n::t(
                format!("{} has these labels on the controller, not on its pod template", w.display()),
                format!("{} porte ces labels sur le contrôleur, pas sur son template de Pod", w.display()),
            ),
            NearMiss::Partial { workload, key, want, have } => match have.and_then(|n| n.text()) {
                Some(v) => crate::i18n::t(
                    format!("{} has `{key}: {v}`, not `{key}: {want}`", workload.display()),
                    format!("{} a `{key}: {v}`, et non `{key}: {want}`", workload.display()),
                ),
                None => crate::i18n::t(
                    format!("{} has `{key}: {want}` on the controller, not on its pod template", workload.display()),
                    format!("{} a `{key}: {want}` sur le contrôleur, pas sur son template de Pod", workload.display()),
                ),
            },
        }
    }
}

/// The workload in the namespace that looks like the intended target of a selector that
/// matches none: the selector matches the controller's labels but not its template's, or the
/// template has every `key: value` pair but one, which it spells almost alike (a typo) or has
/// only on the controller. A pair simply absent is not enough: a canary or a version Service
/// (`track: canary`) may select Pods of a workload outside the input.
pub fn near_miss<'a>(workloads: &[Object<'a>], selector: &Selector) -> Option<NearMiss<'a>> {
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
    if pairs.len() < 2 || pairs.len() != selector.requirements.len() {
        return None;
    }
    workloads.iter().find_map(|w| {
        let labels = w.pod_template().and_then(|t| t.labels());
        let value = |k: &str| labels.and_then(|l| l.get(k));
        let missed: Vec<&(&String, &String)> =
            pairs.iter().filter(|(k, v)| value(k).and_then(Node::text) != Some(v.as_str())).collect();
        let [(k, v)] = missed.as_slice() else { return None };
        let have = value(k);
        let typo = match have.and_then(Node::text) {
            // The pair is on the controller's own labels only (copied to the wrong place).
            None => w.labels().and_then(|l| l.get(k)).and_then(Node::text) == Some(v.as_str()),
            Some(h) => edit_distance(h, v) <= 2 && h.len().min(v.len()) >= 3,
        };
        typo.then(|| NearMiss::Partial { workload: *w, key: k.to_string(), want: v.to_string(), have })
    })
}

/// Levenshtein distance, for "spelt almost alike".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
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

/// The directory part of a display path (`a/b/c.yaml` → `a/b`; `c.yaml` → ``). Files of one
/// directory (`app/deploy.yaml`, `app/hpa.yaml`) are taken as applied together
/// (`Index::same_directory`). Nested directories are not enough: example trees and provider
/// variants (`deploy/aws/deploy.yaml`, `deploy/aws/nlb/deploy.yaml`) reuse names for alternatives.
pub fn directory(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_paths_share_a_directory() {
        let related_paths = |a, b| directory(a) == directory(b);
        assert!(related_paths("app/a.yaml", "app/b.yaml"));
        assert!(!related_paths("app/a.yaml", "app/hpa/b.yaml"));
        assert!(!related_paths("app1/a.yaml", "app2/b.yaml"));
        assert!(!related_paths("app/a.yaml", "application/b.yaml"));
    }

    use crate::yaml::test_node as node;

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, labels: {team: data}}\nspec:\n  template:\n    metadata: {labels: {app: db, tier: backend}}\n    spec: {containers: [{name: db, image: postgres}]}\n";

    #[test]
    fn controller_added_labels_match() {
        let root = node(STS);
        let sts = Object::new(0, &root).unwrap();
        let sel = |text: &str| Selector::from_map(&node(text)).unwrap();
        assert!(selects_pods_of(&sel("{app: db, statefulset.kubernetes.io/pod-name: db-2}"), &sts));
        assert!(!selects_pods_of(&sel("{app: db, statefulset.kubernetes.io/pod-name: web-0}"), &sts));
        assert!(selects_pods_of(&sel("{app: db, controller-revision-hash: abc}"), &sts));
        assert!(!selects_pods_of(&sel("{app: db, pod-template-hash: abc}"), &sts));
    }

    #[test]
    fn near_misses() {
        let root = node(STS);
        let sts = [Object::new(0, &root).unwrap()];
        let sel = |text: &str| Selector::from_map(&node(text)).unwrap();
        assert!(matches!(near_miss(&sts, &sel("{team: data}")), Some(NearMiss::ControllerLabels(_))));
        assert!(matches!(near_miss(&sts, &sel("{app: db, tier: bakend}")), Some(NearMiss::Partial { .. })));
        assert!(matches!(near_miss(&sts, &sel("{app: db, team: data}")), Some(NearMiss::Partial { .. })));
        assert!(near_miss(&sts, &sel("{app: db, track: canary}")).is_none());
        // A different value that is not a typo, or a single-label selector: no near miss.
        assert!(near_miss(&sts, &sel("{app: db, tier: frontend}")).is_none());
        assert!(near_miss(&sts, &sel("{app: web}")).is_none());
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("frontend", "fronted"), 1);
        assert_eq!(edit_distance("web", "api"), 3);
    }
}

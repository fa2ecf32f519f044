//! The Kubernetes view of a YAML document: `Object` (apiVersion, kind, name, namespace, labels,
//! annotations), the pod template of every workload kind, `kind: List` expansion, and the small
//! value types rules share (IntOrString, label selectors). No rule logic lives here.

pub mod apivalidation;
pub mod apiversions;
pub mod claims;
pub mod containers;
pub mod cron;
pub mod envcheck;
pub mod fieldpath;
pub mod hpa;
pub mod image;
pub mod immutable;
pub mod intstr;
pub mod job;
pub mod kinds;
pub mod names;
pub mod pdb;
pub mod pod;
pub mod podcheck;
pub mod quantity;
pub mod selector;
pub mod service;
pub mod statefulset;
pub mod strategy;
pub mod tzdata;
pub mod volumes;
pub mod xref;

use crate::source::Span;
use crate::yaml::Node;

pub use pod::{Container, PodSpec, PodTemplate};

/// Kinds whose objects carry a pod template, and where it is.
pub const WORKLOAD_KINDS: [&str; 8] =
    ["Pod", "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob"];

/// One Kubernetes object: a document root, or an item of a `kind: List`.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    /// Index of the file in the run.
    pub file: usize,
    pub root: &'a Node,
    pub api_version: &'a str,
    /// The kind rules see: the declared kind, or the built-in kind a custom workload kind behaves
    /// as (config `workloadKinds`: an `argoproj.io/Rollout` is checked as a Deployment).
    pub kind: &'a str,
    /// The kind as written in the manifest (for messages and references).
    pub declared_kind: &'a str,
}

impl<'a> Object<'a> {
    /// The object view of a mapping with string `apiVersion` and `kind`; `None` otherwise.
    pub fn new(file: usize, root: &'a Node) -> Option<Object<'a>> {
        let api_version = root.get("apiVersion")?.as_str()?;
        let kind = root.get("kind")?.as_str()?;
        Some(Object { file, root, api_version, kind, declared_kind: kind })
    }

    /// The API group (`apps` for `apps/v1`, empty for the core group).
    pub fn group(&self) -> &'a str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }

    pub fn kind_node(&self) -> &'a Node {
        self.root.get("kind").expect("an Object always has a kind")
    }

    /// The `kind:` key and value together, the usual place for a finding about the whole object.
    pub fn kind_span(&self) -> Span {
        let entry = self.root.entry("kind").expect("an Object always has a kind");
        entry.key.span.cover(entry.value.span)
    }

    pub fn metadata(&self) -> Option<&'a Node> {
        self.root.get("metadata")
    }

    pub fn spec(&self) -> Option<&'a Node> {
        self.root.get("spec")
    }

    pub fn name(&self) -> Option<&'a str> {
        self.metadata()?.get("name")?.text()
    }

    pub fn name_node(&self) -> Option<&'a Node> {
        self.metadata()?.get("name")
    }

    /// `metadata.namespace` as written.
    pub fn namespace(&self) -> Option<&'a str> {
        self.metadata()?.get("namespace")?.text()
    }

    /// Namespace with the run's default applied.
    pub fn namespace_or<'d>(&self, default: &'d str) -> &'d str
    where
        'a: 'd,
    {
        self.namespace().unwrap_or(default)
    }

    /// `Kind `name`` for messages (`Deployment `web``, or `Deployment (unnamed)`).
    pub fn display(&self) -> String {
        match self.name() {
            Some(name) => format!("{} `{name}`", self.declared_kind),
            None => format!("{} (unnamed)", self.declared_kind),
        }
    }

    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.metadata()?.get("annotations")?.get(key)?.text()
    }

    pub fn labels(&self) -> Option<&'a Node> {
        self.metadata()?.get("labels")
    }

    pub fn has_owner_references(&self) -> bool {
        self.metadata().and_then(|m| m.get("ownerReferences")).is_some_and(|o| !o.items().is_empty())
    }

    /// Helm hook objects (`helm.sh/hook`) are short-lived by design.
    pub fn helm_hook(&self) -> Option<&'a str> {
        self.annotation("helm.sh/hook")
    }

    pub fn is_workload(&self) -> bool {
        WORKLOAD_KINDS.contains(&self.kind)
    }

    /// `spec.replicas` node, if written.
    pub fn replicas_node(&self) -> Option<&'a Node> {
        self.spec()?.get_some("replicas")
    }

    /// `spec.replicas`, with the API default of 1 for replica controllers.
    pub fn replicas(&self) -> i64 {
        self.replicas_node().and_then(Node::as_i64).unwrap_or(1)
    }

    /// The pod template of a workload (`Pod` itself, `spec.template`, or the CronJob's
    /// `spec.jobTemplate.spec.template`).
    pub fn pod_template(&self) -> Option<PodTemplate<'a>> {
        match self.kind {
            "Pod" => PodTemplate::from_node(self.root, self.root.get("spec")?),
            "Deployment" | "ReplicaSet" | "ReplicationController" | "StatefulSet" | "DaemonSet" | "Job" => {
                let template = self.spec()?.get("template")?;
                PodTemplate::from_node(template, template.get("spec")?)
            }
            "CronJob" => {
                let template = self.spec()?.path(&["jobTemplate", "spec", "template"])?;
                PodTemplate::from_node(template, template.get("spec")?)
            }
            _ => None,
        }
    }

    pub fn pod_spec(&self) -> Option<PodSpec<'a>> {
        self.pod_template().map(|t| t.spec)
    }

    /// Whether the object is the kind `kind` of the group `group` (`""` for core).
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == kind && self.group() == group
    }
}

/// A custom kind that behaves like a built-in one: (API group or empty for any, kind, built-in).
pub type KindAlias<'k> = (&'k str, &'k str, &'static str);

impl<'a> Object<'a> {
    /// Apply the first matching custom-kind mapping.
    pub fn with_aliases(mut self, aliases: &[KindAlias<'_>]) -> Object<'a> {
        if let Some((_, _, builtin)) =
            aliases.iter().find(|(group, kind, _)| *kind == self.kind && (group.is_empty() || *group == self.group()))
        {
            self.kind = builtin;
        }
        self
    }
}

/// Objects of one document: the root, or each item of a `kind: List` (`*List` kinds too).
/// Returns the objects and the items that are not objects (for diagnostics).
pub fn objects_of(file: usize, root: &Node) -> (Vec<Object<'_>>, Vec<&Node>) {
    let mut objects = Vec::new();
    let mut not_objects = Vec::new();
    match Object::new(file, root) {
        Some(obj) if obj.kind.ends_with("List") && root.get("items").is_some_and(|i| i.as_seq().is_some()) => {
            for item in root.get("items").map(Node::items).unwrap_or(&[]) {
                match Object::new(file, item) {
                    Some(o) => objects.push(o),
                    None => not_objects.push(item),
                }
            }
        }
        Some(obj) => objects.push(obj),
        None => not_objects.push(root),
    }
    (objects, not_objects)
}

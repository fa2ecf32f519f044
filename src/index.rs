//! The cross-object index, built once per run after loading: objects by namespace and kind, with
//! the look-ups rules need across objects (a PVC's access modes, the HPA scaling a workload,
//! whether a workload serves traffic). Namespace-local, with the run's default namespace applied.

use std::collections::HashMap;

use crate::k8s::Object;
use crate::k8s::selector::Selector;
use crate::yaml::Node;

/// What is known of a PersistentVolumeClaim's access modes.
#[derive(Debug, Clone)]
pub enum ClaimAccess<'a> {
    /// The claim is in the input; its `spec.accessModes`.
    Known { modes: Vec<&'a str>, claim: Object<'a> },
    /// The claim is not in the input.
    Unknown,
}

impl ClaimAccess<'_> {
    /// ReadWriteOnce or ReadWriteOncePod: one node (or one Pod) at a time.
    pub fn is_single_writer(&self) -> bool {
        match self {
            ClaimAccess::Known { modes, .. } => {
                !modes.is_empty()
                    && !modes.iter().any(|m| *m == "ReadWriteMany" || *m == "ReadOnlyMany")
                    && modes.iter().any(|m| *m == "ReadWriteOnce" || *m == "ReadWriteOncePod")
            }
            ClaimAccess::Unknown => false,
        }
    }

    pub fn is_rwop(&self) -> bool {
        matches!(self, ClaimAccess::Known { modes, .. } if modes.contains(&"ReadWriteOncePod"))
    }

    /// A short description for messages (`ReadWriteOnce`, `access mode unknown`).
    pub fn describe(&self) -> String {
        match self {
            ClaimAccess::Known { modes, .. } if !modes.is_empty() => modes.join(", "),
            ClaimAccess::Known { .. } => crate::i18n::t("no access mode", "aucun access mode"),
            ClaimAccess::Unknown => crate::i18n::t(
                "access mode unknown: the claim is not in the input",
                "access mode inconnu : la claim n'est pas dans l'entrée",
            ),
        }
    }
}

/// An HPA in the input that scales a workload.
#[derive(Debug, Clone, Copy)]
pub struct Autoscaler<'a> {
    pub object: Object<'a>,
    pub min: i64,
    pub max: i64,
}

/// Services of one namespace by the key, then the value, of their first selector pair.
type ServicePostings<'a> = HashMap<&'a str, HashMap<&'a str, Vec<(Object<'a>, Selector)>>>;

pub struct Index<'a> {
    default_namespace: String,
    /// Objects by namespace (with the default applied), then kind.
    by_kind: HashMap<String, HashMap<&'a str, Vec<Object<'a>>>>,
    /// Tables of the cross-resource rules (selector postings, objects by name).
    xref: crate::k8s::xref::XrefTables<'a>,
    /// Objects by namespace, then (kind, name), in input order: `find` without a scan.
    by_name: HashMap<String, HashMap<&'a str, HashMap<&'a str, Vec<Object<'a>>>>>,
    /// Services with a non-empty selector by namespace, keyed by their first selector pair:
    /// a workload is selected only by Services filed under one of its own labels, so
    /// `services_selecting` looks at a handful of Services instead of all of them.
    services: HashMap<String, ServicePostings<'a>>,
    /// CustomResourceDefinitions by the group, then the kind, they define, in input order.
    crds: HashMap<&'a str, HashMap<&'a str, Vec<Object<'a>>>>,
    /// Unique in the process: tells apart objects of different runs in per-run caches.
    run_id: u64,
    /// The files the objects come from (names and positions for messages, the text of a
    /// condensed CustomResourceDefinition's schema).
    files: crate::rules::Files<'a>,
}

impl<'a> Index<'a> {
    pub fn new(objects: &[Object<'a>], files: crate::rules::Files<'a>, default_namespace: &str) -> Index<'a> {
        let mut by_kind: HashMap<String, HashMap<&'a str, Vec<Object<'a>>>> = HashMap::new();
        for obj in objects {
            let ns = obj.namespace().unwrap_or(default_namespace).to_string();
            by_kind.entry(ns).or_default().entry(obj.kind).or_default().push(*obj);
        }
        let xref = crate::k8s::xref::XrefTables::build(
            by_kind.iter().flat_map(|(ns, kinds)| kinds.values().flatten().map(move |o| (ns.as_str(), o))),
        );
        let mut by_name: HashMap<String, HashMap<&'a str, HashMap<&'a str, Vec<Object<'a>>>>> = HashMap::new();
        let mut services: HashMap<String, ServicePostings<'a>> = HashMap::new();
        for obj in objects {
            let ns = obj.namespace().unwrap_or(default_namespace);
            if let Some(name) = obj.name() {
                by_name
                    .entry(ns.to_string())
                    .or_default()
                    .entry(obj.kind)
                    .or_default()
                    .entry(name)
                    .or_default()
                    .push(*obj);
            }
            if obj.kind == "Service" {
                let node = obj.spec().and_then(|s| s.get_some("selector"));
                let first = node.and_then(|n| n.as_map()).and_then(|m| m.first());
                let key = first.and_then(|e| Some((e.key.text()?, e.value.text()?)));
                if let (Some((k, v)), Some(sel)) = (key, node.and_then(Selector::from_map)) {
                    services
                        .entry(ns.to_string())
                        .or_default()
                        .entry(k)
                        .or_default()
                        .entry(v)
                        .or_default()
                        .push((*obj, sel));
                }
            }
        }
        let mut crds: HashMap<&'a str, HashMap<&'a str, Vec<Object<'a>>>> = HashMap::new();
        for crd in objects.iter().filter(|o| o.kind == "CustomResourceDefinition") {
            let Some(spec) = crd.spec() else { continue };
            if let (Some(group), Some(kind)) =
                (spec.get("group").and_then(Node::as_str), spec.path(&["names", "kind"]).and_then(Node::as_str))
            {
                crds.entry(group).or_default().entry(kind).or_default().push(*crd);
            }
        }
        for list in crds.values_mut().flat_map(|kinds| kinds.values_mut()) {
            list.sort_by_key(|crd| (crd.file, crd.root.span.start()));
        }
        static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let run_id = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Index {
            default_namespace: default_namespace.to_string(),
            by_kind,
            xref,
            by_name,
            services,
            crds,
            run_id,
            files,
        }
    }

    /// File `file` of the run, if the index was given it.
    pub fn file(&self, file: usize) -> Option<&'a crate::lint::LoadedFile> {
        self.files.get(file)
    }

    /// An id of this index (so of this run), unique in the process.
    pub fn run_id(&self) -> u64 {
        self.run_id
    }

    pub fn default_namespace(&self) -> &str {
        &self.default_namespace
    }

    /// Objects of `kind` in the namespace of `of` (namespace defaults applied on both sides).
    pub fn in_namespace_of(&self, of: &Object<'_>, kind: &str) -> std::slice::Iter<'_, Object<'a>> {
        let ns = of.namespace().unwrap_or(&self.default_namespace);
        self.by_kind.get(ns).and_then(|kinds| kinds.get(kind)).map_or(&[][..], Vec::as_slice).iter()
    }

    pub fn find(&self, of: &Object<'_>, kind: &str, name: &str) -> Option<&Object<'a>> {
        self.find_all(of, kind, name).first()
    }

    /// Every object of `kind` named `name` in the namespace of `of`, in input order.
    pub fn find_all(&self, of: &Object<'_>, kind: &str, name: &str) -> &[Object<'a>] {
        let ns = of.namespace().unwrap_or(&self.default_namespace);
        self.by_name
            .get(ns)
            .and_then(|kinds| kinds.get(kind))
            .and_then(|names| names.get(name))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The access modes of claim `name` as seen from `of`'s namespace.
    pub fn claim_access(&self, of: &Object<'_>, name: &str) -> ClaimAccess<'a> {
        match self.find(of, "PersistentVolumeClaim", name) {
            Some(claim) => ClaimAccess::Known {
                modes: claim
                    .spec()
                    .and_then(|s| s.get("accessModes"))
                    .map(|m| m.items().iter().filter_map(Node::text).collect())
                    .unwrap_or_default(),
                claim: *claim,
            },
            None => ClaimAccess::Unknown,
        }
    }

    /// The HorizontalPodAutoscaler targeting `workload`, if one is in the input.
    pub fn autoscaler(&self, workload: &Object<'_>) -> Option<Autoscaler<'a>> {
        workload.name()?;
        self.in_namespace_of(workload, "HorizontalPodAutoscaler").find_map(|hpa| {
            let spec = hpa.spec()?;
            // Kind, name and, when the reference names one, the API group.
            if !crate::k8s::hpa::target_ref(hpa)?.refers_to(workload) {
                return None;
            }
            Some(Autoscaler {
                object: *hpa,
                min: spec.get("minReplicas").and_then(Node::as_i64).unwrap_or(1),
                max: spec.get("maxReplicas").and_then(Node::as_i64).unwrap_or(1),
            })
        })
    }

    /// Most replicas the workload may run: `spec.replicas`, or the HPA's `maxReplicas`.
    pub fn max_replicas(&self, workload: &Object<'_>) -> i64 {
        match self.autoscaler(workload) {
            Some(hpa) => hpa.max.max(if workload.replicas_node().is_some() { workload.replicas() } else { 0 }),
            None => workload.replicas(),
        }
    }

    /// Fewest replicas the workload runs: `spec.replicas`, or the HPA's `minReplicas`.
    pub fn min_replicas(&self, workload: &Object<'_>) -> i64 {
        match self.autoscaler(workload) {
            Some(hpa) => hpa.min,
            None => workload.replicas(),
        }
    }

    /// Services in the workload's namespace whose selector matches its pod template labels, in
    /// input order.
    pub fn services_selecting(&self, workload: &Object<'_>) -> Vec<Object<'a>> {
        let Some(template) = workload.pod_template() else { return Vec::new() };
        let labels = template.labels();
        let ns = workload.namespace().unwrap_or(&self.default_namespace);
        let Some(by_pair) = self.services.get(ns) else { return Vec::new() };
        let mut found: Vec<Object<'a>> = labels
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| Some((e.key.text()?, e.value.text()?)))
            .filter_map(|(k, v)| by_pair.get(k)?.get(v))
            .flatten()
            .filter(|(_, sel)| sel.matches(labels))
            .map(|(svc, _)| *svc)
            .collect();
        found.sort_by_key(|o| (o.file, o.root.span.start()));
        found.dedup_by_key(|o| (o.file, o.root.span.start()));
        found
    }

    /// A serving workload (catalogue §0.4): selected by a Service, declares a containerPort, or
    /// has a readinessProbe.
    pub fn is_serving(&self, workload: &Object<'_>) -> bool {
        let Some(spec) = workload.pod_spec() else { return false };
        spec.containers().any(|c| c.has_serving_port() || c.node.get_some("readinessProbe").is_some())
            || !self.services_selecting(workload).is_empty()
    }

    /// Other namespaces than `of`'s that hold an object of `kind` named `name`, sorted.
    pub fn other_namespaces_with(&self, of: &Object<'_>, kind: &str, name: &str) -> Vec<&str> {
        let own = of.namespace().unwrap_or(&self.default_namespace);
        let mut found: Vec<&str> = self
            .by_kind
            .iter()
            .filter(|(ns, kinds)| {
                ns.as_str() != own && kinds.get(kind).is_some_and(|objs| objs.iter().any(|o| o.name() == Some(name)))
            })
            .map(|(ns, _)| ns.as_str())
            .collect();
        found.sort_unstable();
        found
    }

    /// Look-up tables of the cross-resource rules (`k8s::xref`).
    pub fn xref_tables(&self) -> &crate::k8s::xref::XrefTables<'a> {
        &self.xref
    }
    /// Objects of `kind` (the kind rules see) in every namespace (for cluster-scoped kinds such as
    /// PriorityClass or CustomResourceDefinition, which have no namespace to match).
    pub fn everywhere(&self, kind: &str) -> impl Iterator<Item = &Object<'a>> + '_ {
        let kind = kind.to_string();
        self.by_kind.values().filter_map(move |kinds| kinds.get(kind.as_str())).flatten()
    }

    /// The CustomResourceDefinitions in the input that define `group`/`kind` (cluster-scoped: any
    /// namespace), in input order.
    pub fn custom_resource_definitions(&self, group: &str, kind: &str) -> Vec<&Object<'a>> {
        self.crds.get(group).and_then(|kinds| kinds.get(kind)).map_or_else(Vec::new, |list| list.iter().collect())
    }
}

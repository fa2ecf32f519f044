//! The cross-object index, built once per run after loading: objects by namespace and kind, with
//! the look-ups rules need across objects (a PVC's access modes, the HPA scaling a workload,
//! whether a workload serves traffic). Namespace-local, with the run's default namespace applied.

// foldhash's maps: these tables are hit for every object by many rules, and SipHash (the
// standard maps' hasher, built against hash flooding, not a concern for local files) showed up in
// profiles.
use foldhash::{HashMap, HashMapExt};

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

/// Objects sharing a key (a name, mostly unique): one is its position in the run's object list,
/// several are copied into a vector of their own. A run has one entry per object in each of its
/// two name tables: 24 bytes each, where an inline `Object` took 64.
#[derive(Debug, Clone)]
pub enum Objects<'a> {
    One(u32),
    Many(Vec<Object<'a>>),
}

impl<'a> Objects<'a> {
    /// Add `object`; `objects` is the run's object list, the one positions refer to.
    pub fn push(&mut self, object: Object<'a>, objects: &[Object<'a>]) {
        match self {
            Objects::One(first) => *self = Objects::Many(vec![objects[*first as usize], object]),
            Objects::Many(list) => list.push(object),
        }
    }

    /// Drop a vector's spare capacity (tables are held for the whole rule pass).
    pub fn shrink_to_fit(&mut self) {
        if let Objects::Many(list) = self {
            list.shrink_to_fit();
        }
    }

    /// The objects, with `objects` the run's object list.
    pub fn as_slice<'s>(&'s self, objects: &'s [Object<'a>]) -> &'s [Object<'a>] {
        match self {
            Objects::One(position) => std::slice::from_ref(&objects[*position as usize]),
            Objects::Many(list) => list,
        }
    }
}

/// Names in one namespace: kind, then name.
pub type ByName<'a> = HashMap<&'a str, HashMap<&'a str, Objects<'a>>>;

/// Add the object at `position` of the run's object list `objects` to `table` under `kind` and
/// `name`.
pub fn file_by_name<'a>(table: &mut ByName<'a>, kind: &'a str, name: &'a str, position: u32, objects: &[Object<'a>]) {
    match table.entry(kind).or_default().entry(name) {
        std::collections::hash_map::Entry::Occupied(mut list) => {
            list.get_mut().push(objects[position as usize], objects)
        }
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(Objects::One(position));
        }
    }
}

/// The value of `table` under namespace `ns`, added empty if missing: the name is copied only
/// for a namespace's first object.
pub fn slot<'t, V: Default>(table: &'t mut HashMap<String, V>, ns: &str) -> &'t mut V {
    if !table.contains_key(ns) {
        table.insert(ns.to_string(), V::default());
    }
    table.get_mut(ns).expect("inserted above")
}

/// Services of one namespace by the key, then the value, of their first selector pair.
type ServicePostings<'a> = HashMap<&'a str, HashMap<&'a str, Vec<(Object<'a>, Selector)>>>;

pub struct Index<'a> {
    default_namespace: String,
    /// The objects of the run, in input order (file by file); the tables below that list many
    /// objects hold positions in it rather than copies (an `Object` is 64 bytes).
    objects: &'a [Object<'a>],
    /// Objects by namespace (with the default applied), then kind: positions in `objects`.
    by_kind: HashMap<String, HashMap<&'a str, Vec<u32>>>,
    /// Tables of the cross-resource rules (selector postings, objects by name).
    xref: crate::k8s::xref::XrefTables<'a>,
    /// Objects by namespace, then (kind, name), in input order: `find` without a scan.
    by_name: HashMap<String, ByName<'a>>,
    /// Services with a non-empty selector by namespace, keyed by their first selector pair:
    /// a workload is selected only by Services filed under one of its own labels, so
    /// `services_selecting` looks at a handful of Services instead of all of them.
    services: HashMap<String, ServicePostings<'a>>,
    /// CustomResourceDefinitions by the group, then the kind, they define, in input order.
    crds: HashMap<&'a str, HashMap<&'a str, Vec<Object<'a>>>>,
    /// HorizontalPodAutoscalers by namespace, then the name of their `scaleTargetRef`, in input
    /// order: a workload's autoscalers without a scan of the namespace's.
    autoscalers: HashMap<String, HashMap<&'a str, Vec<Object<'a>>>>,
    /// Objects by file, as the range of `objects` they fill: the candidates of rules that compare
    /// objects of one file.
    by_file: HashMap<usize, std::ops::Range<u32>>,
    /// The directory of each file, as an id (files in one directory share it; 0 is the empty
    /// directory, the one of files not given to the index).
    directories: HashMap<usize, u32>,
    /// Unique in the process: tells apart objects of different runs in per-run caches.
    run_id: u64,
    /// The files the objects come from (names and positions for messages, the text of a
    /// condensed CustomResourceDefinition's schema).
    files: crate::rules::Files<'a>,
    /// The last file text `file_text` unpacked, with its file: the CRDs of one file (Istio ships
    /// fifteen in one 1 MB file) are mostly needed one after the other.
    last_text: std::sync::Mutex<Option<(usize, std::sync::Arc<String>)>>,
    /// The first object (by file, then position) of each `apiVersion` and kind as written, as
    /// positions in `objects` sorted by `apiVersion` and kind: built on first use
    /// (`is_first_of_type`).
    first_of_type: std::sync::OnceLock<Vec<u32>>,
}

/// The text of one file of the run (`Index::file_text`): borrowed when held plain, else unpacked
/// and shared with the index's one-file cache.
pub enum FileText<'a> {
    Plain(&'a str),
    Unpacked(std::sync::Arc<String>),
}

impl std::ops::Deref for FileText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            FileText::Plain(text) => text,
            FileText::Unpacked(text) => text,
        }
    }
}

impl<'a> Index<'a> {
    /// The index of `objects`, which come in input order: file by file, each file's in order.
    pub fn new(objects: &'a [Object<'a>], files: crate::rules::Files<'a>, default_namespace: &str) -> Index<'a> {
        // One pass over the objects fills every per-object table: reading an object's metadata is
        // a walk over trees built long before (cache misses, not work), done once per object.
        let mut by_kind: HashMap<String, HashMap<&'a str, Vec<u32>>> = HashMap::new();
        let mut by_name: HashMap<String, ByName<'a>> = HashMap::new();
        let mut services: HashMap<String, ServicePostings<'a>> = HashMap::new();
        let mut autoscalers: HashMap<String, HashMap<&'a str, Vec<Object<'a>>>> = HashMap::new();
        let mut by_file: HashMap<usize, std::ops::Range<u32>> = HashMap::new();
        let mut directories = HashMap::new();
        let mut directory_ids: HashMap<&'a str, u32> = HashMap::new();
        directory_ids.insert("", 0);
        for (i, obj) in objects.iter().enumerate() {
            let ns = obj.namespace().unwrap_or(default_namespace);
            slot(&mut by_kind, ns).entry(obj.kind).or_default().push(i as u32);
            if let Some(name) = obj.name() {
                file_by_name(slot(&mut by_name, ns), obj.kind, name, i as u32, objects);
            }
            if obj.kind == "Service" {
                let node = obj.spec().and_then(|s| s.get_some("selector"));
                let first = node.and_then(|n| n.as_map()).and_then(|m| m.first());
                let key = first.and_then(|e| Some((e.key.text()?, e.value.text()?)));
                if let (Some((k, v)), Some(sel)) = (key, node.and_then(Selector::from_map)) {
                    slot(&mut services, ns).entry(k).or_default().entry(v).or_default().push((*obj, sel));
                }
            }
            if let Some(target) = crate::k8s::hpa::target_ref(obj) {
                slot(&mut autoscalers, ns).entry(target.name).or_default().push(*obj);
            }
            let at = i as u32;
            let range = by_file.entry(obj.file).or_insert(at..at);
            debug_assert_eq!(range.end, at, "Index::new takes the objects file by file");
            range.end = at + 1;
            directories.entry(obj.file).or_insert_with(|| {
                let name = files.get(obj.file).map_or("", |f| f.source.display_name());
                let next = directory_ids.len() as u32;
                *directory_ids.entry(crate::k8s::xref::directory(name)).or_insert(next)
            });
        }
        let xref = crate::k8s::xref::XrefTables::build(
            objects,
            by_kind.iter().flat_map(|(ns, kinds)| kinds.values().flatten().map(move |&i| (ns.as_str(), i))),
        );
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
        // Held for the whole rule pass: no spare capacity.
        for list in by_kind.values_mut().flat_map(HashMap::values_mut) {
            list.shrink_to_fit();
        }
        for list in by_name.values_mut().flat_map(HashMap::values_mut).flat_map(HashMap::values_mut) {
            list.shrink_to_fit();
        }
        for list in autoscalers.values_mut().flat_map(HashMap::values_mut) {
            list.shrink_to_fit();
        }
        static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let run_id = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Index {
            default_namespace: default_namespace.to_string(),
            objects,
            by_kind,
            xref,
            by_name,
            services,
            crds,
            autoscalers,
            by_file,
            directories,
            run_id,
            files,
            last_text: std::sync::Mutex::new(None),
            first_of_type: std::sync::OnceLock::new(),
        }
    }

    /// File `file` of the run, if the index was given it.
    pub fn file(&self, file: usize) -> Option<&'a crate::lint::LoadedFile> {
        self.files.get(file)
    }

    /// The text of file `file`: borrowed when it is held plain; when packed, unpacked once for
    /// consecutive calls on the same file (one text is held, for as long as the index).
    pub fn file_text(&self, file: usize) -> Option<FileText<'a>> {
        let source = &self.file(file)?.source;
        if let Some(text) = source.plain_text() {
            return Some(FileText::Plain(text));
        }
        let mut last = self.last_text.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, text)) = last.as_ref().filter(|(f, _)| *f == file) {
            return Some(FileText::Unpacked(std::sync::Arc::clone(text)));
        }
        let text = std::sync::Arc::new(source.text().into_owned());
        *last = Some((file, std::sync::Arc::clone(&text)));
        Some(FileText::Unpacked(text))
    }

    /// An id of this index (so of this run), unique in the process.
    pub fn run_id(&self) -> u64 {
        self.run_id
    }

    pub fn default_namespace(&self) -> &str {
        &self.default_namespace
    }

    /// Objects of `kind` in the namespace of `of` (namespace defaults applied on both sides).
    pub fn in_namespace_of(&self, of: &Object<'_>, kind: &str) -> impl Iterator<Item = &'a Object<'a>> + '_ {
        let ns = of.namespace().unwrap_or(&self.default_namespace);
        let objects = self.objects;
        let positions = self.by_kind.get(ns).and_then(|kinds| kinds.get(kind)).map_or(&[][..], Vec::as_slice);
        positions.iter().map(move |&i| &objects[i as usize])
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
            .map_or(&[][..], |found| found.as_slice(self.objects))
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

    /// The HorizontalPodAutoscalers in the namespace of `workload` whose `scaleTargetRef` names
    /// it (of any kind: check with `TargetRef::refers_to`), in input order.
    pub fn autoscaler_candidates(&self, workload: &Object<'_>) -> &[Object<'a>] {
        let ns = workload.namespace().unwrap_or(&self.default_namespace);
        let Some(name) = workload.name() else { return &[] };
        self.autoscalers.get(ns).and_then(|names| names.get(name)).map_or(&[][..], Vec::as_slice)
    }

    /// The objects of file `file`, in input order.
    pub fn in_file(&self, file: usize) -> &'a [Object<'a>] {
        self.by_file.get(&file).map_or(&[][..], |range| &self.objects[range.start as usize..range.end as usize])
    }

    /// Whether files `a` and `b` are in the same directory (`k8s::xref::directory`).
    pub fn same_directory(&self, a: usize, b: usize) -> bool {
        let dir = |f| self.directories.get(&f).copied().unwrap_or(0);
        dir(a) == dir(b)
    }

    /// The HorizontalPodAutoscaler targeting `workload`, if one is in the input.
    pub fn autoscaler(&self, workload: &Object<'_>) -> Option<Autoscaler<'a>> {
        workload.name()?;
        self.autoscaler_candidates(workload).iter().find_map(|hpa| {
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
            .by_name
            .iter()
            .filter(|(ns, kinds)| ns.as_str() != own && kinds.get(kind).is_some_and(|names| names.contains_key(name)))
            .map(|(ns, _)| ns.as_str())
            .collect();
        found.sort_unstable();
        found
    }

    /// Look-up tables of the cross-resource rules (`k8s::xref`).
    pub fn xref_tables(&self) -> &crate::k8s::xref::XrefTables<'a> {
        &self.xref
    }
    /// Whether `obj` is the first object of the run (by file, then position) with its
    /// `apiVersion` and kind as written: rules that report once per type report on it.
    pub fn is_first_of_type(&self, obj: &Object<'_>) -> bool {
        let objects = self.objects;
        let type_of = |p: u32| (objects[p as usize].api_version, objects[p as usize].declared_kind);
        let firsts = self.first_of_type.get_or_init(|| {
            let mut all: Vec<u32> = (0..objects.len() as u32).collect();
            all.sort_unstable_by_key(|&p| {
                (type_of(p), objects[p as usize].file, objects[p as usize].root.span.start())
            });
            all.dedup_by_key(|p| type_of(*p));
            all
        });
        let Ok(at) = firsts.binary_search_by(|&p| type_of(p).cmp(&(obj.api_version, obj.declared_kind))) else {
            return true;
        };
        let first = &objects[firsts[at] as usize];
        (first.file, first.root.span.start()) == (obj.file, obj.root.span.start())
    }

    /// Objects of `kind` (the kind rules see) in every namespace (for cluster-scoped kinds such as
    /// PriorityClass or CustomResourceDefinition, which have no namespace to match).
    pub fn everywhere(&self, kind: &str) -> impl Iterator<Item = &'a Object<'a>> + '_ {
        let kind = kind.to_string();
        let objects = self.objects;
        self.by_kind
            .values()
            .filter_map(move |kinds| kinds.get(kind.as_str()))
            .flatten()
            .map(move |&i| &objects[i as usize])
    }

    /// The CustomResourceDefinitions in the input that define `group`/`kind` (cluster-scoped: any
    /// namespace), in input order.
    pub fn custom_resource_definitions(&self, group: &str, kind: &str) -> Vec<&Object<'a>> {
        self.crds.get(group).and_then(|kinds| kinds.get(kind)).map_or_else(Vec::new, |list| list.iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{LoadedFile, load_file};
    use crate::source::SourceFile;

    fn load(files: &[(&str, &str)]) -> Vec<LoadedFile> {
        files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| load_file(i, SourceFile::new(*name, text.to_string())))
            .collect()
    }

    fn objects(files: &[LoadedFile]) -> Vec<Object<'_>> {
        files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.documents.iter().flat_map(move |d| crate::k8s::objects_of(i, &d.root).0))
            .collect()
    }

    const APP: &str = "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: web}\n---\nkind: Service\napiVersion: v1\nmetadata: {name: web}\n";
    const HPA: &str = "kind: HorizontalPodAutoscaler\napiVersion: autoscaling/v2\nmetadata: {name: a}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}\n---\nkind: HorizontalPodAutoscaler\napiVersion: autoscaling/v2\nmetadata: {name: b, namespace: other}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5}\n";

    #[test]
    fn files_directories_and_autoscalers_are_looked_up_without_a_scan() {
        let files = load(&[("app/a.yaml", APP), ("app/hpa.yaml", HPA), ("app/sub/b.yaml", APP), ("c.yaml", APP)]);
        let objs = objects(&files);
        let index = Index::new(&objs, crate::rules::Files::All(&files), "default");
        let kinds = |file| index.in_file(file).iter().map(|o| o.kind).collect::<Vec<_>>();
        assert_eq!(kinds(0), ["Deployment", "Service"]);
        assert_eq!(kinds(1), ["HorizontalPodAutoscaler", "HorizontalPodAutoscaler"]);
        assert!(index.in_file(9).is_empty());
        assert!(index.same_directory(0, 1));
        assert!(!index.same_directory(0, 2));
        assert!(!index.same_directory(0, 3));
        // A file the index was not given is in the empty directory, like `c.yaml`.
        assert!(index.same_directory(3, 9));
        // The namespace's autoscalers naming the workload, in input order; not the other
        // namespace's.
        let web = objs[0];
        let candidates: Vec<_> = index.autoscaler_candidates(&web).iter().map(|h| h.name()).collect();
        assert_eq!(candidates, [Some("a")]);
        assert_eq!(index.max_replicas(&web), 3);
        assert!(index.autoscaler_candidates(&objs[1]).len() == 1, "candidates are by name; refers_to checks the kind");
        assert!(index.autoscaler(&objs[1]).is_none());
        assert_eq!(index.other_namespaces_with(&web, "HorizontalPodAutoscaler", "b"), ["other"]);
        assert!(index.other_namespaces_with(&web, "HorizontalPodAutoscaler", "a").is_empty());
    }
}

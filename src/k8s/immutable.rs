//! Fields the API server will not update in place (`ValidateStatefulSetUpdate`,
//! `ValidateDeploymentUpdate`, `ValidateJobUpdate`, `ValidateServiceUpdate`,
//! `ValidatePersistentVolumeClaimUpdate`, `ValidateConfigMapUpdate`, `ValidatePodUpdate`):
//! compare an object with its old version and list the first difference in each immutable field.
//! Comparison is semantic: JSON values, with nulls, empty collections and a few API defaults
//! (`volumeMode: Filesystem`, `podManagementPolicy: OrderedReady`, `protocol: TCP`) dropped.

use serde_json::Value as J;

use super::Object;
use super::quantity;
use crate::source::Span;
use crate::yaml::Node;

/// One forbidden change.
#[derive(Debug, Clone)]
pub struct Change {
    /// Field path in the new object (`spec.volumeClaimTemplates[0].spec.resources.requests.storage`).
    pub path: String,
    /// Where to report in the new object: the changed value, or the parent key when removed.
    pub new_span: Span,
    /// The old value's node, when the field existed.
    pub old_span: Option<Span>,
    /// Short rendering of the old value (`10Gi`, `absent`).
    pub old_value: String,
    /// What the API server says, and why.
    pub reason: &'static str,
}

/// API defaults that make an explicit value equal to an absent one.
const DEFAULTS: [(&str, &str); 3] =
    [("volumeMode", "Filesystem"), ("podManagementPolicy", "OrderedReady"), ("protocol", "TCP")];

/// Semantic form: drop nulls, empty maps and lists, default values, and the type fields and
/// status of embedded objects (claim templates).
pub fn normalize(value: J) -> J {
    match value {
        J::Object(map) => {
            let embedded = map.contains_key("spec");
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                if embedded && matches!(k.as_str(), "apiVersion" | "kind" | "status") {
                    continue;
                }
                let v = normalize(v);
                let empty = match &v {
                    J::Null => true,
                    J::Object(m) => m.is_empty(),
                    J::Array(a) => a.is_empty(),
                    _ => false,
                };
                let default = DEFAULTS.iter().any(|(dk, dv)| *dk == k && v.as_str() == Some(dv));
                if !empty && !default {
                    out.insert(k, v);
                }
            }
            J::Object(out)
        }
        J::Array(items) => J::Array(items.into_iter().map(normalize).collect()),
        other => other,
    }
}

fn norm(node: &Node) -> J {
    normalize(node.to_json())
}

fn is_empty(node: &Node) -> bool {
    match norm(node) {
        J::Null => true,
        J::Object(m) => m.is_empty(),
        J::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Short text for messages.
pub fn short(node: &Node) -> String {
    let text = match node.text() {
        Some(t) => t.to_string(),
        None => serde_json::to_string(&norm(node)).unwrap_or_default(),
    };
    if text.chars().count() > 60 { format!("{}…", text.chars().take(59).collect::<String>()) } else { text }
}

/// The first difference between `old` and `new` (semantic), located in `new`. `anchor` is
/// where to point in `new` when something was removed (the entry's key).
pub fn first_diff(old: &Node, new: &Node, anchor: Span, path: &str) -> Option<(String, Span, Option<Span>, String)> {
    if norm(old) == norm(new) {
        return None;
    }
    if let (Some(om), Some(nm)) = (old.as_map(), new.as_map()) {
        for e in nm {
            let Some(k) = e.key.text() else { continue };
            let child = format!("{path}.{k}");
            match old.get(k) {
                Some(oc) => {
                    if let Some(d) = first_diff(oc, &e.value, e.key.span, &child) {
                        return Some(d);
                    }
                }
                None if !is_empty(&e.value) && !is_default(k, &e.value) => {
                    return Some((child, e.key.span, None, "absent".to_string()));
                }
                None => {}
            }
        }
        for e in om {
            let Some(k) = e.key.text() else { continue };
            if new.get(k).is_none() && !is_empty(&e.value) && !is_default(k, &e.value) {
                return Some((format!("{path}.{k}"), anchor, Some(e.key.span), short(&e.value)));
            }
        }
    }
    if let (Some(oi), Some(ni)) = (old.as_seq(), new.as_seq()) {
        if oi.len() == ni.len() {
            for (i, (o, n)) in oi.iter().zip(ni).enumerate() {
                if let Some(d) = first_diff(o, n, n.span, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
        }
    }
    Some((path.to_string(), new.span, Some(old.span), short(old)))
}

fn is_default(key: &str, node: &Node) -> bool {
    DEFAULTS.iter().any(|(k, v)| *k == key && node.as_str() == Some(v))
}

/// Compare the field `key` of two maps (either may lack it).
fn compare_key(
    old: &Node,
    new: &Node,
    new_anchor: Span,
    key: &str,
    path: &str,
    reason: &'static str,
    out: &mut Vec<Change>,
) {
    let child = format!("{path}.{key}");
    let o = old.get(key).filter(|n| !is_empty(n) && !is_default(key, n));
    let n_entry = new.entry(key).filter(|e| !is_empty(&e.value) && !is_default(key, &e.value));
    match (o, n_entry) {
        (None, None) => {}
        (Some(o), None) => {
            out.push(Change { path: child, new_span: new_anchor, old_span: Some(o.span), old_value: short(o), reason })
        }
        (None, Some(e)) => out.push(Change {
            path: child,
            new_span: e.key.span,
            old_span: None,
            old_value: "absent".to_string(),
            reason,
        }),
        (Some(o), Some(e)) => {
            if let Some((p, span, old_span, old_value)) = first_diff(o, &e.value, e.key.span, &child) {
                out.push(Change { path: p, new_span: span, old_span, old_value, reason });
            }
        }
    }
}

const SELECTOR: &str = "the selector of a Deployment, ReplicaSet or DaemonSet is immutable in apps/v1 (`spec.selector: Invalid value: … field is immutable`)";
const STS: &str = "StatefulSet fields other than replicas, template, updateStrategy, minReadySeconds, ordinals, revisionHistoryLimit and persistentVolumeClaimRetentionPolicy cannot be updated (`Forbidden: updates to statefulset spec for fields other than …`)";
const JOB: &str = "a Job's selector, pod template, completion mode and (outside elastic Indexed Jobs) completions cannot be updated (`field is immutable`)";
const SERVICE: &str =
    "a Service's clusterIP cannot change once allocated (`spec.clusterIP: Invalid value: … field is immutable`)";
const PVC: &str = "a PersistentVolumeClaim's spec cannot change after creation, except to grow `resources.requests.storage` and to set volumeAttributesClassName (`spec: Forbidden: spec is immutable after creation …`)";
const PVC_SHRINK: &str = "a PersistentVolumeClaim cannot shrink (`spec.resources.requests.storage: Forbidden: field can not be less than previous value`)";
const CONFIG: &str = "the data of a ConfigMap or Secret with `immutable: true` cannot change, nor can `immutable` be unset (`field is immutable when `immutable` is set`)";
const POD: &str = "a Pod's spec cannot change except container images, activeDeadlineSeconds, terminationGracePeriodSeconds and added tolerations (`Forbidden: pod updates may not change fields other than …`)";

/// The French of a `Change::reason` (the API server's quoted errors stay as they are).
pub fn reason_fr(reason: &str) -> &'static str {
    match reason {
        SELECTOR => {
            "le sélecteur d'un Deployment, d'un ReplicaSet ou d'un DaemonSet est immuable en apps/v1 (`spec.selector: Invalid value: … field is immutable`)"
        }
        STS => {
            "les champs d'un StatefulSet autres que replicas, template, updateStrategy, minReadySeconds, ordinals, revisionHistoryLimit et persistentVolumeClaimRetentionPolicy ne peuvent pas être mis à jour (`Forbidden: updates to statefulset spec for fields other than …`)"
        }
        JOB => {
            "le sélecteur, le template de Pod, le mode de complétion et (hors Jobs Indexed élastiques) les completions d'un Job ne peuvent pas être mis à jour (`field is immutable`)"
        }
        SERVICE => {
            "le clusterIP d'un Service ne peut plus changer une fois alloué (`spec.clusterIP: Invalid value: … field is immutable`)"
        }
        PVC => {
            "la spec d'une PersistentVolumeClaim ne peut plus changer après la création, sauf pour augmenter `resources.requests.storage` et définir volumeAttributesClassName (`spec: Forbidden: spec is immutable after creation …`)"
        }
        PVC_SHRINK => {
            "une PersistentVolumeClaim ne peut pas rétrécir (`spec.resources.requests.storage: Forbidden: field can not be less than previous value`)"
        }
        CONFIG => {
            "les données d'un ConfigMap ou d'un Secret avec `immutable: true` ne peuvent pas changer, et `immutable` ne peut pas être retiré (`field is immutable when `immutable` is set`)"
        }
        _ => {
            "la spec d'un Pod ne peut pas changer, sauf les images des conteneurs, activeDeadlineSeconds, terminationGracePeriodSeconds et l'ajout de tolerations (`Forbidden: pod updates may not change fields other than …`)"
        }
    }
}

/// StatefulSet spec fields that may change.
const STS_MUTABLE: [&str; 7] = [
    "replicas",
    "template",
    "updateStrategy",
    "minReadySeconds",
    "ordinals",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
];

/// Every forbidden change from `old` to `new` (same kind and identity).
pub fn changes(old: &Object<'_>, new: &Object<'_>) -> Vec<Change> {
    let mut out = Vec::new();
    let anchor = new.kind_span();
    if new.group().is_empty() && matches!(new.kind, "ConfigMap" | "Secret") {
        if old.root.get("immutable").and_then(Node::as_bool) == Some(true) {
            for key in ["data", "binaryData", "stringData", "immutable"] {
                compare_key(old.root, new.root, anchor, key, "", CONFIG, &mut out);
            }
        }
        return strip_dots(out);
    }
    let (Some(os), Some(ns)) = (old.spec(), new.spec()) else { return out };
    let spec_anchor = new.root.entry("spec").map_or(anchor, |e| e.key.span);
    match (new.group(), new.kind) {
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet") => {
            compare_key(os, ns, spec_anchor, "selector", "spec", SELECTOR, &mut out);
        }
        ("apps", "StatefulSet") => {
            let mut keys: Vec<&str> = ns.as_map().unwrap_or(&[]).iter().filter_map(|e| e.key.text()).collect();
            for e in os.as_map().unwrap_or(&[]) {
                if let Some(k) = e.key.text().filter(|k| !keys.contains(k)) {
                    keys.push(k);
                }
            }
            for key in keys.into_iter().filter(|k| !STS_MUTABLE.contains(k)) {
                compare_key(os, ns, spec_anchor, key, "spec", STS, &mut out);
            }
        }
        ("batch", "Job") => {
            compare_key(os, ns, spec_anchor, "selector", "spec", JOB, &mut out);
            compare_key(os, ns, spec_anchor, "template", "spec", JOB, &mut out);
            compare_key(os, ns, spec_anchor, "completionMode", "spec", JOB, &mut out);
            // Elastic Indexed Jobs may change completions together with parallelism.
            let elastic = ns.get("completionMode").and_then(Node::as_str) == Some("Indexed")
                && ns.get("completions").and_then(Node::as_i64) == ns.get("parallelism").and_then(Node::as_i64);
            if !elastic {
                compare_key(os, ns, spec_anchor, "completions", "spec", JOB, &mut out);
            }
        }
        ("", "Service")
            if ns.get("type").and_then(Node::as_str) != Some("ExternalName")
                && os.get("type").and_then(Node::as_str) != Some("ExternalName") =>
        {
            {
                // An absent clusterIP keeps the allocated one; a written one must equal it.
                if let Some(e) = ns.entry("clusterIP").filter(|e| e.value.text().is_some_and(|t| !t.is_empty())) {
                    let new_ip = e.value.text().unwrap_or_default();
                    let old_node = os.get("clusterIP").filter(|o| o.text().is_some_and(|t| !t.is_empty()));
                    match old_node {
                        Some(o) if o.text() == Some(new_ip) => {}
                        Some(o) => out.push(Change {
                            path: "spec.clusterIP".into(),
                            new_span: e.value.span,
                            old_span: Some(o.span),
                            old_value: short(o),
                            reason: SERVICE,
                        }),
                        None => out.push(Change {
                            path: "spec.clusterIP".into(),
                            new_span: e.value.span,
                            old_span: None,
                            old_value: "absent (an IP was allocated)".into(),
                            reason: SERVICE,
                        }),
                    }
                }
            }
        }
        ("", "PersistentVolumeClaim") => {
            let mut keys: Vec<&str> = ns.as_map().unwrap_or(&[]).iter().filter_map(|e| e.key.text()).collect();
            for e in os.as_map().unwrap_or(&[]) {
                if let Some(k) = e.key.text().filter(|k| !keys.contains(k)) {
                    keys.push(k);
                }
            }
            for key in keys {
                match key {
                    "volumeAttributesClassName" | "resources" => {}
                    // Set by binding or by the default class when absent at creation.
                    "volumeName" | "storageClassName" if os.get_some(key).is_none() => {}
                    _ => compare_key(os, ns, spec_anchor, key, "spec", PVC, &mut out),
                }
            }
            if let (Some(or), Some(nr)) = (os.get("resources"), ns.get("resources")) {
                compare_key(or, nr, spec_anchor, "limits", "spec.resources", PVC, &mut out);
                if let (Some(o), Some(n)) = (or.path(&["requests", "storage"]), nr.path(&["requests", "storage"])) {
                    let q = |n: &Node| n.text().and_then(|t| quantity::parse(t).ok()).and_then(|q| q.nanos);
                    if let (Some(a), Some(b)) = (q(o), q(n)) {
                        if b < a {
                            out.push(Change {
                                path: "spec.resources.requests.storage".into(),
                                new_span: n.span,
                                old_span: Some(o.span),
                                old_value: short(o),
                                reason: PVC_SHRINK,
                            });
                        }
                    }
                }
            }
        }
        ("", "Pod") => {
            let strip = |spec: &Node| {
                let mut j = spec.to_json();
                if let Some(m) = j.as_object_mut() {
                    for k in
                        ["activeDeadlineSeconds", "terminationGracePeriodSeconds", "tolerations", "schedulingGates"]
                    {
                        m.remove(k);
                    }
                    for list in ["containers", "initContainers"] {
                        if let Some(J::Array(items)) = m.get_mut(list) {
                            for item in items {
                                if let Some(c) = item.as_object_mut() {
                                    c.remove("image");
                                }
                            }
                        }
                    }
                }
                normalize(j)
            };
            if strip(os) != strip(ns) {
                let mut keys: Vec<&str> = ns.as_map().unwrap_or(&[]).iter().filter_map(|e| e.key.text()).collect();
                for e in os.as_map().unwrap_or(&[]) {
                    if let Some(k) = e.key.text().filter(|k| !keys.contains(k)) {
                        keys.push(k);
                    }
                }
                let mut found = Vec::new();
                for key in keys.into_iter().filter(|k| {
                    !matches!(
                        *k,
                        "activeDeadlineSeconds" | "terminationGracePeriodSeconds" | "tolerations" | "schedulingGates"
                    )
                }) {
                    compare_key(os, ns, spec_anchor, key, "spec", POD, &mut found);
                }
                // Image changes are allowed: skip differences that are only images.
                found.retain(|c| !c.path.ends_with(".image"));
                out.extend(found.into_iter().take(1));
            }
        }
        _ => {}
    }
    out
}

/// Paths built from the root start with a dot.
fn strip_dots(mut changes: Vec<Change>) -> Vec<Change> {
    for c in &mut changes {
        if let Some(p) = c.path.strip_prefix('.') {
            c.path = p.to_string();
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_drops_defaults_and_empties() {
        let a = serde_json::json!({"spec": {"volumeMode": "Filesystem", "resources": {"requests": {"storage": "1Gi"}}}, "status": {}, "metadata": {"creationTimestamp": null}});
        let b = serde_json::json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "spec": {"resources": {"requests": {"storage": "1Gi"}}}});
        assert_eq!(normalize(a), normalize(b));
        let c = serde_json::json!({"matchLabels": {"app": "web"}, "matchExpressions": []});
        assert_eq!(normalize(c), serde_json::json!({"matchLabels": {"app": "web"}}));
    }

    fn changes_of(old: &str, new: &str) -> Vec<Change> {
        use crate::source::SourceFile;
        let (o, _) = crate::yaml::load(&SourceFile::new("old", old.to_string()));
        let (n, _) = crate::yaml::load(&SourceFile::new("new", new.to_string()));
        let old = Object::new(0, &o[0].root).expect("object");
        let new = Object::new(0, &n[0].root).expect("object");
        changes(&old, &new)
    }

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n";

    #[test]
    fn statefulset_mutable_and_immutable_fields() {
        let more_replicas = STS.replace("replicas: 1", "replicas: 3");
        assert!(changes_of(STS, &more_replicas).is_empty());
        let explicit_default = format!("{STS}  podManagementPolicy: OrderedReady\n");
        assert!(changes_of(STS, &explicit_default).is_empty());
        let parallel = format!("{STS}  podManagementPolicy: Parallel\n");
        let c = changes_of(STS, &parallel);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, "spec.podManagementPolicy");
        assert_eq!(c[0].old_value, "absent");
        let renamed = STS.replace("serviceName: db", "serviceName: db-headless");
        let c = changes_of(STS, &renamed);
        assert_eq!((c[0].path.as_str(), c[0].old_value.as_str()), ("spec.serviceName", "db"));
        let removed = STS.replace("  serviceName: db\n", "");
        assert_eq!(changes_of(STS, &removed)[0].path, "spec.serviceName");
    }

    #[test]
    fn selectors_compare_semantically() {
        let dep = |sel: &str| {
            format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {sel}\n")
        };
        let flow = dep("{matchLabels: {app: web, tier: fe}}");
        let block = dep("\n    matchLabels:\n      tier: fe\n      app: web\n    matchExpressions: []");
        assert!(changes_of(&flow, &block).is_empty());
        let changed = dep("{matchLabels: {app: web, tier: be}}");
        let c = changes_of(&flow, &changed);
        assert_eq!(c[0].path, "spec.selector.matchLabels.tier");
        assert_eq!(c[0].old_value, "fe");
    }

    #[test]
    fn pvc_growth_is_allowed_shrinking_is_not() {
        let pvc = |size: &str| {
            format!(
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: data}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: {size}}}}}\n"
            )
        };
        assert!(changes_of(&pvc("10Gi"), &pvc("20Gi")).is_empty());
        assert_eq!(changes_of(&pvc("10Gi"), &pvc("5Gi"))[0].reason, PVC_SHRINK);
    }
}

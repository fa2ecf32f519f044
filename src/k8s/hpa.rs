//! HorizontalPodAutoscalers: the workload a `scaleTargetRef` names (API group, kind, name, same
//! namespace), which kinds have a scale subresource, and the resource-utilization metrics whose
//! computation needs container requests (explicit, or the 80% CPU default).

use super::kinds::is_builtin;
use super::{Object, xref};
use crate::index::Index;
use crate::yaml::Node;

/// An autoscaler's `spec.scaleTargetRef`.
#[derive(Debug, Clone, Copy)]
pub struct TargetRef<'a> {
    pub node: &'a Node,
    /// The group of `apiVersion`, if written (optional in `autoscaling/v2`).
    pub group: Option<&'a str>,
    pub kind: &'a str,
    pub name: &'a str,
    pub name_node: &'a Node,
}

/// The target reference of a built-in autoscaler.
pub fn target_ref<'a>(hpa: &Object<'a>) -> Option<TargetRef<'a>> {
    if hpa.kind != "HorizontalPodAutoscaler" || !is_builtin(hpa) {
        return None;
    }
    let node = hpa.spec()?.get("scaleTargetRef")?;
    let name_node = node.get("name")?;
    let group = node.get("apiVersion").and_then(Node::text).map(|v| v.rsplit_once('/').map_or("", |(g, _)| g));
    Some(TargetRef { node, group, kind: node.get("kind")?.text()?, name: name_node.text()?, name_node })
}

/// `extensions` served Deployments, DaemonSets and ReplicaSets before `apps`: the same resource.
pub fn same_group(kind: &str, a: &str, b: &str) -> bool {
    a == b || (matches!(kind, "Deployment" | "DaemonSet" | "ReplicaSet") && is_apps(a) && is_apps(b))
}

fn is_apps(group: &str) -> bool {
    group == "apps" || group == "extensions"
}

impl TargetRef<'_> {
    pub fn refers_to(&self, object: &Object<'_>) -> bool {
        object.declared_kind == self.kind
            && object.name() == Some(self.name)
            && self.group.is_none_or(|g| same_group(self.kind, g, object.group()))
    }
}

/// The object the autoscaler scales, if it is in the input (same namespace).
pub fn resolve<'a>(index: &Index<'a>, hpa: &Object<'_>) -> Option<Object<'a>> {
    let target = target_ref(hpa)?;
    xref::named(index, hpa, target.kind, target.name).iter().find(|o| target.refers_to(o)).copied()
}

/// Autoscalers in the workload's namespace that scale it, in input order.
pub fn autoscalers_of<'a>(index: &Index<'a>, workload: &Object<'_>) -> Vec<Object<'a>> {
    let mut found: Vec<Object<'a>> = index
        .autoscaler_candidates(workload)
        .iter()
        .filter(|hpa| target_ref(hpa).is_some_and(|t| t.refers_to(workload)))
        .copied()
        .collect();
    xref::sort(&mut found);
    found
}

/// Whether a kind has a `scale` subresource: `Some(true|false)` for built-in groups, `None`
/// for custom resources (a CRD may declare one).
pub fn has_scale(group: &str, kind: &str) -> Option<bool> {
    match (group, kind) {
        ("apps" | "extensions", "Deployment" | "ReplicaSet")
        | ("apps", "StatefulSet")
        | ("", "ReplicationController") => Some(true),
        ("" | "apps" | "extensions" | "batch" | "autoscaling" | "policy" | "networking.k8s.io", _) => Some(false),
        _ => None,
    }
}

/// A resource metric computed as a utilization of the containers' requests.
#[derive(Debug, Clone, Copy)]
pub struct Utilization<'a> {
    /// `cpu` or `memory`.
    pub resource: &'a str,
    /// For a `ContainerResource` metric, the one container measured.
    pub container: Option<&'a str>,
    /// Where the metric is written (`None` for the implied 80% CPU default).
    pub node: Option<&'a Node>,
}

/// The utilization metrics of a built-in autoscaler: `targetCPUUtilizationPercentage`
/// (`autoscaling/v1`), `Resource` / `ContainerResource` metrics with a `Utilization` target
/// (`v2`, `v2beta2`) or a `targetAverageUtilization` (`v2beta1`); with no metric at all the
/// controller defaults to 80% CPU utilization.
pub fn utilization_metrics<'a>(hpa: &Object<'a>) -> Vec<Utilization<'a>> {
    if hpa.kind != "HorizontalPodAutoscaler" || !is_builtin(hpa) {
        return Vec::new();
    }
    let Some(spec) = hpa.spec() else { return Vec::new() };
    if hpa.api_version == "autoscaling/v1" {
        let node = spec.get_some("targetCPUUtilizationPercentage");
        return vec![Utilization { resource: "cpu", container: None, node }];
    }
    let metrics = spec.get_some("metrics").map_or(&[][..], Node::items);
    if metrics.is_empty() {
        return vec![Utilization { resource: "cpu", container: None, node: None }];
    }
    let mut found = Vec::new();
    for metric in metrics {
        let (source, per_container) = match metric.get("type").and_then(Node::text) {
            Some("Resource") => (metric.get("resource"), false),
            Some("ContainerResource") => (metric.get("containerResource"), true),
            _ => continue,
        };
        let Some(source) = source else { continue };
        let utilization = source.path(&["target", "type"]).and_then(Node::text) == Some("Utilization")
            || source.get_some("targetAverageUtilization").is_some();
        let Some(resource) = source.get("name").and_then(Node::text) else { continue };
        if !utilization {
            continue;
        }
        let container = if per_container { source.get("container").and_then(Node::text) } else { None };
        if per_container && container.is_none() {
            continue;
        }
        found.push(Utilization { resource, container, node: Some(metric) });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::yaml::test_node as node;

    #[test]
    fn utilization_metrics_and_defaults() {
        let v2 = node(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  metrics:\n  - type: Resource\n    resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}\n  - type: Resource\n    resource: {name: cpu, target: {type: AverageValue, averageValue: 500m}}\n",
        );
        let m = utilization_metrics(&Object::new(0, &v2).unwrap());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].resource, "memory");
        let bare = node("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec: {maxReplicas: 3}\n");
        let m = utilization_metrics(&Object::new(0, &bare).unwrap());
        assert_eq!((m.len(), m[0].resource, m[0].node.is_none()), (1, "cpu", true));
    }

    #[test]
    fn groups_and_scale() {
        assert!(same_group("Deployment", "extensions", "apps"));
        assert!(!same_group("StatefulSet", "extensions", "apps"));
        assert_eq!(has_scale("apps", "DaemonSet"), Some(false));
        assert_eq!(has_scale("argoproj.io", "Rollout"), None);
    }
}

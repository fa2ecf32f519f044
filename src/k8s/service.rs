//! Services as StatefulSets see them: the governing Service named by `spec.serviceName`, whether
//! a Service is headless, its selector, ports and `publishNotReadyAddresses`.

use super::Object;
use super::kinds::is_builtin;
use super::selector::Selector;
use crate::index::Index;
use crate::yaml::Node;

/// `spec.serviceName` of a StatefulSet: the value node, if a non-empty string is written.
pub fn service_name_node<'a>(sts: &Object<'a>) -> Option<&'a Node> {
    sts.spec()?.get_some("serviceName").filter(|n| n.text().is_some_and(|t| !t.is_empty()))
}

/// The StatefulSet's governing Service: the `v1` Service named by `spec.serviceName` in the
/// StatefulSet's namespace, if it is in the input. When the input holds several Services of that
/// name (several apps or overlays linted together), the one in the StatefulSet's file wins, then
/// a headless one.
pub fn governing_service<'a>(index: &Index<'a>, sts: &Object<'_>) -> Option<Object<'a>> {
    let name = service_name_node(sts)?.text()?;
    let candidates: Vec<&Object<'a>> = index.find_all(sts, "Service", name).iter().filter(|s| is_builtin(s)).collect();
    candidates
        .iter()
        .find(|s| s.file == sts.file)
        .or_else(|| candidates.iter().find(|s| not_headless_reason(s).is_none()))
        .or_else(|| candidates.first())
        .map(|s| **s)
}

/// Other built-in Services in the input with this Service's name and namespace.
pub fn namesakes<'a>(index: &Index<'a>, service: &Object<'_>) -> Vec<Object<'a>> {
    let Some(name) = service.name() else { return Vec::new() };
    index
        .find_all(service, "Service", name)
        .iter()
        .filter(|s| !std::ptr::eq(s.root, service.root) && is_builtin(s))
        .copied()
        .collect()
}

/// Built-in StatefulSets in the Service's namespace that name it as their governing Service.
pub fn governed_statefulsets<'a>(index: &Index<'a>, service: &Object<'_>) -> Vec<Object<'a>> {
    let Some(name) = service.name() else { return Vec::new() };
    index
        .in_namespace_of(service, "StatefulSet")
        .filter(|s| service_name_node(s).and_then(Node::text) == Some(name) && is_builtin(s))
        .copied()
        .collect()
}

/// Why a Service is not headless, or `None` when it is (`clusterIP: None`, type ClusterIP).
pub fn not_headless_reason(service: &Object<'_>) -> Option<NotHeadless> {
    let spec = service.spec();
    let ty = spec.and_then(|s| s.get_some("type")).and_then(Node::text).unwrap_or("ClusterIP");
    if ty == "ExternalName" {
        return Some(NotHeadless::ExternalName);
    }
    if ty != "ClusterIP" {
        return Some(NotHeadless::Type);
    }
    let first_ip = spec.and_then(|s| s.get_some("clusterIPs")).and_then(|ips| ips.items().first()).and_then(Node::text);
    match spec.and_then(|s| s.get_some("clusterIP")).and_then(Node::text).or(first_ip) {
        Some("None") => None,
        Some(_) => Some(NotHeadless::FixedIp),
        None => Some(NotHeadless::Allocated),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotHeadless {
    /// No `clusterIP`: the API server allocates a virtual IP.
    Allocated,
    /// `clusterIP` set to an address.
    FixedIp,
    /// `type: NodePort` or `LoadBalancer` (always with a cluster IP).
    Type,
    /// `type: ExternalName`: a CNAME, no endpoints at all.
    ExternalName,
}

/// The node that makes a Service not headless, for a label: `clusterIP` or `type` if written,
/// else `spec` (or `kind`).
pub fn headless_node<'a>(service: &Object<'a>) -> &'a Node {
    let spec = service.spec();
    spec.and_then(|s| s.get_some("type"))
        .filter(|t| t.text() != Some("ClusterIP"))
        .or_else(|| spec.and_then(|s| s.get_some("clusterIP")))
        .or_else(|| spec.and_then(|s| s.get_some("clusterIPs")))
        .unwrap_or_else(|| service.kind_node())
}

/// `spec.selector` of a Service: `None` when absent, null or empty (the Service selects no Pods;
/// its endpoints are managed by hand), or not a map of strings.
pub fn selector(service: &Object<'_>) -> Option<Selector> {
    service.spec()?.get_some("selector").and_then(Selector::from_map).filter(|s| !s.is_empty())
}

/// `spec.ports` items.
pub fn ports<'a>(service: &Object<'a>) -> &'a [Node] {
    service.spec().and_then(|s| s.get("ports")).map_or(&[], Node::items)
}

/// `spec.publishNotReadyAddresses: true`: DNS records for Pods before they are Ready. Its
/// predecessor, the annotation `service.alpha.kubernetes.io/tolerate-unready-endpoints`, is not
/// counted: EndpointSlices (which cluster DNS reads) never honoured it, and Kubernetes 1.24
/// dropped it from Endpoints too.
pub fn publishes_not_ready(service: &Object<'_>) -> bool {
    service.spec().and_then(|s| s.get("publishNotReadyAddresses")).and_then(Node::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn with_object<R>(text: &str, f: impl FnOnce(&Object<'_>) -> R) -> R {
        let (docs, _) = crate::yaml::load(&SourceFile::new("t", text.to_string()));
        let obj = Object::new(0, &docs[0].root).unwrap();
        f(&obj)
    }

    #[test]
    fn headless_services() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n";
        assert_eq!(with_object(&format!("{svc}  clusterIP: None\n"), not_headless_reason), None);
        assert_eq!(with_object(&format!("{svc}  clusterIPs: [None]\n"), not_headless_reason), None);
        assert_eq!(with_object(&format!("{svc}  ports: []\n"), not_headless_reason), Some(NotHeadless::Allocated));
        assert_eq!(
            with_object(&format!("{svc}  clusterIP: 10.0.0.1\n"), not_headless_reason),
            Some(NotHeadless::FixedIp)
        );
        assert_eq!(with_object(&format!("{svc}  type: NodePort\n"), not_headless_reason), Some(NotHeadless::Type));
        assert_eq!(
            with_object(&format!("{svc}  type: ExternalName\n  externalName: x.example.com\n"), not_headless_reason),
            Some(NotHeadless::ExternalName)
        );
        assert_eq!(
            with_object("apiVersion: v1\nkind: Service\nmetadata: {name: db}\n", not_headless_reason),
            Some(NotHeadless::Allocated)
        );
    }

    #[test]
    fn selectors_and_flags() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n";
        assert!(with_object(&format!("{svc}  selector: {{}}\n"), |s| selector(s).is_none()));
        assert!(with_object(&format!("{svc}  clusterIP: None\n"), |s| selector(s).is_none()));
        assert!(with_object(&format!("{svc}  selector: {{app: db}}\n"), |s| selector(s).is_some()));
        assert!(with_object(&format!("{svc}  publishNotReadyAddresses: true\n"), publishes_not_ready));
        assert!(!with_object(&format!("{svc}  publishNotReadyAddresses: false\n"), publishes_not_ready));
        assert_eq!(with_object(&format!("{svc}  ports: [{{port: 1}}, {{port: 2}}]\n"), |s| ports(s).len()), 2);
    }
}

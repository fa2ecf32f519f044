//! Pod-spec checks the API server runs when it creates a Pod (core `ValidatePodSpec`): container
//! names, images, ports, volume names and sources, mount paths, resource quantities, probes. Used
//! where the API server accepts a template without them (StatefulSet). Volume-mount references
//! are not checked here: `sts-volumemount-unresolved` owns them.

use std::collections::HashMap;

use super::pod::{ContainerRole, PodSpec};
use super::quantity;
use super::volumes::volume_sources;
use crate::source::Span;
use crate::yaml::Node;

/// One failed check.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The catalogue's apply-time rule that states the check (`api-ports`), or a short name.
    pub check: &'static str,
    pub span: Span,
    pub label: String,
    /// What is wrong, without the object (`port name `x` of container `y` is …`).
    pub message: String,
    pub help: String,
    /// A second place that explains the first (the earlier duplicate, the limit).
    pub related: Option<(Span, String)>,
}

impl Problem {
    fn new(check: &'static str, span: Span, label: &str, message: String, help: &str) -> Problem {
        Problem { check, span, label: label.to_string(), message, help: help.to_string(), related: None }
    }

    fn related(mut self, span: Span, text: &str) -> Problem {
        self.related = Some((span, text.to_string()));
        self
    }
}

/// RFC 1123 label: lowercase alphanumerics and `-`, alphanumeric at both ends, at most 63.
pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// IANA service name (container port names): at most 15 of `[a-z0-9-]`, at least one letter,
/// no hyphen at either end and no two hyphens in a row.
pub fn is_iana_svc_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 15
        && s.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && s.bytes().any(|c| c.is_ascii_lowercase())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Where to point when a field of `item` is missing: its first key, or the item itself.
fn head(item: &Node) -> Span {
    item.as_map().and_then(|m| m.first()).map_or(item.span, |e| e.key.span)
}

/// Run every check on a pod spec.
pub fn check_pod_spec(spec: &PodSpec<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    check_container_names(spec, &mut out);
    check_volumes(spec, &mut out);
    for c in spec.all_containers() {
        let name = c.name().unwrap_or("?");
        check_image(c.node, name, &mut out);
        check_ports(c.node, name, &mut out);
        check_mounts(c.node, name, &mut out);
        check_resources(c.node, name, &mut out);
        check_probes(c.node, name, c.role, &mut out);
    }
    out
}

fn check_container_names(spec: &PodSpec<'_>, out: &mut Vec<Problem>) {
    let ephemeral = spec.node.get("ephemeralContainers").map_or(&[][..], Node::items);
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let nodes = spec.all_containers().map(|c| c.node).chain(ephemeral.iter());
    for node in nodes {
        let Some(name_node) = node.get_some("name") else {
            if node.as_map().is_some() {
                out.push(Problem::new(
                    "api-container-name",
                    head(node),
                    "container without a name",
                    "a container has no name".to_string(),
                    "Give every container a unique lowercase name.",
                ));
            }
            continue;
        };
        let Some(name) = name_node.text() else { continue };
        if !is_dns1123_label(name) {
            out.push(Problem::new(
                "api-container-name",
                name_node.span,
                "not a DNS-1123 label",
                format!(
                    "container name `{name}` is not a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters)"
                ),
                "Rename the container with lowercase letters, digits and hyphens, at most 63 characters.",
            ));
        }
        if let Some(first) = seen.get(name) {
            out.push(
                Problem::new(
                    "api-container-name",
                    name_node.span,
                    "duplicate container name",
                    format!(
                        "container name `{name}` is used twice (containers and initContainers share one namespace)"
                    ),
                    "Give each container and init container its own name.",
                )
                .related(*first, "first used here"),
            );
        } else {
            seen.insert(name, name_node.span);
        }
    }
}

fn check_image(container: &Node, name: &str, out: &mut Vec<Problem>) {
    match container.get_some("image") {
        None => out.push(Problem::new(
            "image required",
            container.get("name").map_or(head(container), |n| n.span),
            "no image",
            format!("container `{name}` has no image"),
            "Set `image:` on every container.",
        )),
        Some(image) => {
            let text = image.text().unwrap_or_default();
            if text.is_empty() || text.trim() != text {
                out.push(Problem::new(
                    "image required",
                    image.span,
                    "empty or padded image",
                    format!("container `{name}` has an empty image or one with leading or trailing whitespace"),
                    "Set `image:` to an image reference without surrounding spaces.",
                ));
            }
        }
    }
}

fn check_ports(container: &Node, name: &str, out: &mut Vec<Problem>) {
    let mut names: HashMap<&str, Span> = HashMap::new();
    for port in container.get("ports").map_or(&[][..], Node::items) {
        if port.as_map().is_none() {
            continue;
        }
        match port.get_some("containerPort") {
            None => out.push(Problem::new(
                "api-ports",
                head(port),
                "port without containerPort",
                format!("a port of container `{name}` has no containerPort"),
                "Set `containerPort` (1–65535) on every port.",
            )),
            Some(p) => {
                if let Some(n) = p.as_i64().filter(|n| !(1..=65535).contains(n)) {
                    out.push(Problem::new(
                        "api-ports",
                        p.span,
                        "outside 1–65535",
                        format!("containerPort {n} of container `{name}` is outside 1–65535"),
                        "Use a port number between 1 and 65535.",
                    ));
                }
            }
        }
        if let Some(h) = port.get_some("hostPort") {
            if let Some(n) = h.as_i64().filter(|n| !(0..=65535).contains(n)) {
                out.push(Problem::new(
                    "api-ports",
                    h.span,
                    "outside 0–65535",
                    format!("hostPort {n} of container `{name}` is outside 0–65535"),
                    "Use a host port between 1 and 65535, or remove `hostPort`.",
                ));
            }
        }
        if let Some(proto) = port.get_some("protocol").and_then(|p| p.text().map(|t| (p, t))) {
            if !matches!(proto.1, "TCP" | "UDP" | "SCTP") {
                out.push(Problem::new(
                    "api-ports",
                    proto.0.span,
                    "not TCP, UDP or SCTP",
                    format!("port protocol `{}` of container `{name}` is not `TCP`, `UDP` or `SCTP`", proto.1),
                    "Write the protocol in upper case: TCP, UDP or SCTP.",
                ));
            }
        }
        let Some(pn) = port.get_some("name") else { continue };
        let Some(port_name) = pn.text() else { continue };
        if !is_iana_svc_name(port_name) {
            let why = if port_name.len() > 15 {
                format!("is {} characters, more than 15", port_name.len())
            } else {
                "is not an IANA service name (lowercase letters, digits and single hyphens, with a letter)".to_string()
            };
            out.push(Problem::new(
                "api-ports",
                pn.span,
                "invalid port name",
                format!("port name `{port_name}` of container `{name}` {why}"),
                "Use a port name of at most 15 lowercase letters, digits and hyphens, such as `http-metrics`.",
            ));
        }
        if let Some(first) = names.get(port_name) {
            out.push(
                Problem::new(
                    "api-ports",
                    pn.span,
                    "duplicate port name",
                    format!("port name `{port_name}` is used twice in container `{name}`"),
                    "Give each port of a container its own name.",
                )
                .related(*first, "first used here"),
            );
        } else {
            names.insert(port_name, pn.span);
        }
    }
}

fn check_volumes(spec: &PodSpec<'_>, out: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for volume in spec.volumes() {
        if volume.as_map().is_none() {
            continue;
        }
        let sources = volume_sources(volume);
        if sources.len() > 1 {
            out.push(Problem::new(
                "api-volume-refs",
                volume.get("name").map_or(head(volume), |n| n.span),
                "several volume sources",
                format!(
                    "volume `{}` sets {} sources ({}); a volume has exactly one",
                    volume.get("name").and_then(Node::text).unwrap_or("?"),
                    sources.len(),
                    sources.join(", ")
                ),
                "Split it into one volume per source.",
            ));
        }
        let Some(name_node) = volume.get_some("name") else {
            out.push(Problem::new(
                "api-volume-refs",
                head(volume),
                "volume without a name",
                "a volume has no name".to_string(),
                "Give every volume a unique lowercase name.",
            ));
            continue;
        };
        let Some(name) = name_node.text() else { continue };
        if !is_dns1123_label(name) {
            out.push(Problem::new(
                "api-volume-refs",
                name_node.span,
                "not a DNS-1123 label",
                format!(
                    "volume name `{name}` is not a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters)"
                ),
                "Rename the volume (and its mounts) with lowercase letters, digits and hyphens.",
            ));
        }
        if let Some(first) = seen.get(name) {
            out.push(
                Problem::new(
                    "api-volume-refs",
                    name_node.span,
                    "duplicate volume name",
                    format!("volume name `{name}` is declared twice"),
                    "Remove the duplicate volume or rename it.",
                )
                .related(*first, "first declared here"),
            );
        } else {
            seen.insert(name, name_node.span);
        }
        if let Some(size) = volume.get("emptyDir").and_then(|e| e.get_some("sizeLimit")) {
            check_quantity(size, "emptyDir sizeLimit", &format!("volume `{name}`"), out);
        }
    }
}

fn check_mounts(container: &Node, name: &str, out: &mut Vec<Problem>) {
    let mut paths: HashMap<&str, Span> = HashMap::new();
    for mount in container.get("volumeMounts").map_or(&[][..], Node::items) {
        if mount.as_map().is_none() {
            continue;
        }
        let Some(path_node) = mount.get_some("mountPath").filter(|p| p.text().is_some_and(|t| !t.is_empty())) else {
            out.push(Problem::new(
                "api-volume-refs",
                head(mount),
                "mount without mountPath",
                format!("a volume mount of container `{name}` has no mountPath"),
                "Set `mountPath` on every volume mount.",
            ));
            continue;
        };
        let path = path_node.text().unwrap_or_default();
        if let Some(first) = paths.get(path) {
            out.push(
                Problem::new(
                    "api-volume-refs",
                    path_node.span,
                    "duplicate mountPath",
                    format!("mountPath `{path}` is used twice in container `{name}`"),
                    "Mount each path once per container.",
                )
                .related(*first, "first mounted here"),
            );
        } else {
            paths.insert(path, path_node.span);
        }
        if let Some(sub) = mount.get_some("subPath").and_then(|s| s.text().map(|t| (s, t))) {
            if sub.1.starts_with('/') || sub.1.split('/').any(|part| part == "..") {
                out.push(Problem::new(
                    "api-volume-refs",
                    sub.0.span,
                    "absolute or `..` subPath",
                    format!("subPath `{}` of container `{name}` is absolute or contains `..`", sub.1),
                    "Use a relative subPath inside the volume, without `..`.",
                ));
            }
        }
    }
}

/// Quantity syntax and sign; the parsed value when valid.
/// `what` names the value (`memory request`), `of` its owner (`container `web``).
fn check_quantity(node: &Node, what: &str, of: &str, out: &mut Vec<Problem>) -> Option<quantity::Quantity> {
    let text = node.text()?;
    match quantity::parse(text) {
        Err(e) => {
            out.push(Problem::new(
                "api-quantity",
                node.span,
                "not a quantity",
                format!("{what} `{text}` of {of} is not a valid quantity: {}", e.describe()),
                "Write quantities like `500m`, `2`, `512Mi` or `1Gi` (no spaces; `Mi`, not `mb` or `MB`).",
            ));
            None
        }
        Ok(q) if q.negative && q.nanos != Some(0) => {
            out.push(Problem::new(
                "api-quantity",
                node.span,
                "negative quantity",
                format!("{what} `{text}` of {of} is negative"),
                "Use a quantity of zero or more.",
            ));
            None
        }
        Ok(q) => Some(q),
    }
}

fn check_resources(container: &Node, name: &str, out: &mut Vec<Problem>) {
    let Some(resources) = container.get_some("resources") else { return };
    let entries = |key: &str| resources.get(key).and_then(Node::as_map).unwrap_or(&[]);
    let mut limits: HashMap<&str, (&Node, Option<i128>)> = HashMap::new();
    for e in entries("limits") {
        let Some(resource) = e.key.text() else { continue };
        let q = check_quantity(&e.value, &format!("{resource} limit"), &format!("container `{name}`"), out);
        limits.insert(resource, (&e.value, q.and_then(|q| q.nanos)));
    }
    for e in entries("requests") {
        let Some(resource) = e.key.text() else { continue };
        let q = check_quantity(&e.value, &format!("{resource} request"), &format!("container `{name}`"), out);
        let (Some(request), Some((limit_node, Some(limit)))) = (q.and_then(|q| q.nanos), limits.get(resource)) else {
            continue;
        };
        if request > *limit {
            out.push(
                Problem::new(
                    "api-quantity",
                    e.value.span,
                    "request above the limit",
                    format!(
                        "{resource} request `{}` of container `{name}` is greater than its limit `{}`",
                        e.value.text().unwrap_or_default(),
                        limit_node.text().unwrap_or_default()
                    ),
                    "Lower the request to at most the limit (or raise the limit).",
                )
                .related(limit_node.span, "the limit"),
            );
        }
    }
}

fn check_probes(container: &Node, name: &str, role: ContainerRole, out: &mut Vec<Problem>) {
    for kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(entry) = container.entry(kind).filter(|e| !e.value.is_null()) else { continue };
        let probe = &entry.value;
        if role == ContainerRole::Init {
            out.push(Problem::new(
                "api-probe",
                entry.key.span,
                "probe on an init container",
                format!(
                    "init container `{name}` has a {kind}; only containers and sidecars (restartPolicy: Always) may"
                ),
                "Remove the probe, or make the init container a sidecar with `restartPolicy: Always`.",
            ));
            continue;
        }
        if probe.as_map().is_none() {
            continue;
        }
        let handlers: Vec<&str> =
            ["exec", "httpGet", "tcpSocket", "grpc"].into_iter().filter(|h| probe.get_some(h).is_some()).collect();
        if handlers.len() != 1 {
            let what = if handlers.is_empty() {
                "has no handler".to_string()
            } else {
                format!("has {} handlers ({})", handlers.len(), handlers.join(", "))
            };
            out.push(Problem::new(
                "api-probe",
                entry.key.span,
                "exactly one handler needed",
                format!("{kind} of container `{name}` {what}"),
                "Give the probe exactly one of exec, httpGet, tcpSocket or grpc.",
            ));
        }
        if kind != "readinessProbe" {
            if let Some(st) = probe.get_some("successThreshold").filter(|s| s.as_i64().is_some_and(|n| n != 1)) {
                out.push(Problem::new(
                    "api-probe",
                    st.span,
                    "must be 1",
                    format!("{kind} successThreshold of container `{name}` must be 1"),
                    "Remove successThreshold or set it to 1 (only readiness probes may use more).",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_dns1123_label("web-0"));
        assert!(!is_dns1123_label("Web"));
        assert!(!is_dns1123_label("a.b"));
        assert!(!is_dns1123_label("-a"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_iana_svc_name("http-metrics"));
        assert!(!is_iana_svc_name("http-metrics-port"));
        assert!(!is_iana_svc_name("8080"));
        assert!(!is_iana_svc_name("http--x"));
        assert!(!is_iana_svc_name("HTTP"));
    }
}

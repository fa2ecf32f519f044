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
    fn new(
        check: &'static str,
        span: Span,
        label: impl Into<String>,
        message: String,
        help: impl Into<String>,
    ) -> Problem {
        Problem { check, span, label: label.into(), message, help: help.into(), related: None }
    }

    fn related(mut self, span: Span, text: impl Into<String>) -> Problem {
        self.related = Some((span, text.into()));
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
                    crate::i18n::t("container without a name", "conteneur sans nom"),
                    crate::i18n::t("a container has no name", "un conteneur n'a pas de nom"),
                    crate::i18n::t(
                        "Give every container a unique lowercase name.",
                        "Donnez à chaque conteneur un nom unique en minuscules.",
                    ),
                ));
            }
            continue;
        };
        let Some(name) = name_node.text() else { continue };
        if !is_dns1123_label(name) {
            out.push(Problem::new(
                "api-container-name",
                name_node.span,
                crate::i18n::t("not a DNS-1123 label", "pas un label DNS-1123"),
                crate::i18n::t(format!(
                    "container name `{name}` is not a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters)"
                ), format!("le nom de conteneur `{name}` n'est pas un label RFC 1123 en minuscules (a-z, 0-9 et `-`, au plus 63 caractères)")),
                crate::i18n::t("Rename the container with lowercase letters, digits and hyphens, at most 63 characters.", "Renommez le conteneur avec des lettres minuscules, des chiffres et des tirets, au plus 63 caractères."),
            ));
        }
        if let Some(first) = seen.get(name) {
            out.push(
                Problem::new(
                    "api-container-name",
                    name_node.span,
                    crate::i18n::t("duplicate container name", "nom de conteneur en double"),
                    crate::i18n::t(format!(
                        "container name `{name}` is used twice (containers and initContainers share one namespace)"
                    ), format!("le nom de conteneur `{name}` est utilisé deux fois (containers et initContainers partagent un même espace de noms)")),
                    crate::i18n::t("Give each container and init container its own name.", "Donnez à chaque conteneur et conteneur d'initialisation son propre nom."),
                )
                .related(*first, crate::i18n::t("first used here", "première utilisation ici")),
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
            crate::i18n::t("no image", "pas d'image"),
            crate::i18n::t(
                format!("container `{name}` has no image"),
                format!("le conteneur `{name}` n'a pas d'image"),
            ),
            crate::i18n::t("Set `image:` on every container.", "Définissez `image:` sur chaque conteneur."),
        )),
        Some(image) => {
            let text = image.text().unwrap_or_default();
            if text.is_empty() || text.trim() != text {
                out.push(Problem::new(
                    "image required",
                    image.span,
                    crate::i18n::t("empty or padded image", "image vide ou entourée d'espaces"),
                    crate::i18n::t(
                        format!("container `{name}` has an empty image or one with leading or trailing whitespace"),
                        format!("le conteneur `{name}` a une image vide ou entourée d'espaces"),
                    ),
                    crate::i18n::t(
                        "Set `image:` to an image reference without surrounding spaces.",
                        "Donnez à `image:` une référence d'image sans espaces autour.",
                    ),
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
                crate::i18n::t("port without containerPort", "port sans containerPort"),
                crate::i18n::t(
                    format!("a port of container `{name}` has no containerPort"),
                    format!("un port du conteneur `{name}` n'a pas de containerPort"),
                ),
                crate::i18n::t(
                    "Set `containerPort` (1–65535) on every port.",
                    "Définissez `containerPort` (1–65535) sur chaque port.",
                ),
            )),
            Some(p) => {
                if let Some(n) = p.as_i64().filter(|n| !(1..=65535).contains(n)) {
                    out.push(Problem::new(
                        "api-ports",
                        p.span,
                        crate::i18n::t("outside 1–65535", "hors de 1–65535"),
                        crate::i18n::t(
                            format!("containerPort {n} of container `{name}` is outside 1–65535"),
                            format!("le containerPort {n} du conteneur `{name}` est hors de 1–65535"),
                        ),
                        crate::i18n::t(
                            "Use a port number between 1 and 65535.",
                            "Utilisez un numéro de port entre 1 et 65535.",
                        ),
                    ));
                }
            }
        }
        if let Some(h) = port.get_some("hostPort") {
            if let Some(n) = h.as_i64().filter(|n| !(0..=65535).contains(n)) {
                out.push(Problem::new(
                    "api-ports",
                    h.span,
                    crate::i18n::t("outside 0–65535", "hors de 0–65535"),
                    crate::i18n::t(
                        format!("hostPort {n} of container `{name}` is outside 0–65535"),
                        format!("le hostPort {n} du conteneur `{name}` est hors de 0–65535"),
                    ),
                    crate::i18n::t(
                        "Use a host port between 1 and 65535, or remove `hostPort`.",
                        "Utilisez un port d'hôte entre 1 et 65535, ou supprimez `hostPort`.",
                    ),
                ));
            }
        }
        if let Some(proto) = port.get_some("protocol").and_then(|p| p.text().map(|t| (p, t))) {
            if !matches!(proto.1, "TCP" | "UDP" | "SCTP") {
                out.push(Problem::new(
                    "api-ports",
                    proto.0.span,
                    crate::i18n::t("not TCP, UDP or SCTP", "ni TCP, ni UDP, ni SCTP"),
                    crate::i18n::t(
                        format!("port protocol `{}` of container `{name}` is not `TCP`, `UDP` or `SCTP`", proto.1),
                        format!(
                            "le protocole de port `{}` du conteneur `{name}` n'est pas `TCP`, `UDP` ou `SCTP`",
                            proto.1
                        ),
                    ),
                    crate::i18n::t(
                        "Write the protocol in upper case: TCP, UDP or SCTP.",
                        "Écrivez le protocole en majuscules : TCP, UDP ou SCTP.",
                    ),
                ));
            }
        }
        let Some(pn) = port.get_some("name") else { continue };
        let Some(port_name) = pn.text() else { continue };
        if !is_iana_svc_name(port_name) {
            let why = if port_name.len() > 15 {
                crate::i18n::t(
                    format!("is {} characters, more than 15", port_name.len()),
                    format!("fait {} caractères, plus de 15", port_name.len()),
                )
            } else {
                crate::i18n::t(
                    "is not an IANA service name (lowercase letters, digits and single hyphens, with a letter)",
                    "n'est pas un nom de service IANA (lettres minuscules, chiffres et tirets simples, avec au moins une lettre)",
                )
            };
            out.push(Problem::new(
                "api-ports",
                pn.span,
                crate::i18n::t("invalid port name", "nom de port invalide"),
                crate::i18n::t(format!("port name `{port_name}` of container `{name}` {why}"), format!("le nom de port `{port_name}` du conteneur `{name}` {why}")),
                crate::i18n::t("Use a port name of at most 15 lowercase letters, digits and hyphens, such as `http-metrics`.", "Utilisez un nom de port d'au plus 15 lettres minuscules, chiffres et tirets, comme `http-metrics`."),
            ));
        }
        if let Some(first) = names.get(port_name) {
            out.push(
                Problem::new(
                    "api-ports",
                    pn.span,
                    crate::i18n::t("duplicate port name", "nom de port en double"),
                    crate::i18n::t(
                        format!("port name `{port_name}` is used twice in container `{name}`"),
                        format!("le nom de port `{port_name}` est utilisé deux fois dans le conteneur `{name}`"),
                    ),
                    crate::i18n::t(
                        "Give each port of a container its own name.",
                        "Donnez à chaque port d'un conteneur son propre nom.",
                    ),
                )
                .related(*first, crate::i18n::t("first used here", "première utilisation ici")),
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
                crate::i18n::t("several volume sources", "plusieurs sources de volume"),
                crate::i18n::t(
                    format!(
                        "volume `{}` sets {} sources ({}); a volume has exactly one",
                        volume.get("name").and_then(Node::text).unwrap_or("?"),
                        sources.len(),
                        sources.join(", ")
                    ),
                    format!(
                        "le volume `{}` définit {} sources ({}) ; un volume en a exactement une",
                        volume.get("name").and_then(Node::text).unwrap_or("?"),
                        sources.len(),
                        sources.join(", ")
                    ),
                ),
                crate::i18n::t("Split it into one volume per source.", "Séparez-le en un volume par source."),
            ));
        }
        let Some(name_node) = volume.get_some("name") else {
            out.push(Problem::new(
                "api-volume-refs",
                head(volume),
                crate::i18n::t("volume without a name", "volume sans nom"),
                crate::i18n::t("a volume has no name", "un volume n'a pas de nom"),
                crate::i18n::t(
                    "Give every volume a unique lowercase name.",
                    "Donnez à chaque volume un nom unique en minuscules.",
                ),
            ));
            continue;
        };
        let Some(name) = name_node.text() else { continue };
        if !is_dns1123_label(name) {
            out.push(Problem::new(
                "api-volume-refs",
                name_node.span,
                crate::i18n::t("not a DNS-1123 label", "pas un label DNS-1123"),
                crate::i18n::t(format!(
                    "volume name `{name}` is not a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters)"
                ), format!("le nom de volume `{name}` n'est pas un label RFC 1123 en minuscules (a-z, 0-9 et `-`, au plus 63 caractères)")),
                crate::i18n::t("Rename the volume (and its mounts) with lowercase letters, digits and hyphens.", "Renommez le volume (et ses montages) avec des lettres minuscules, des chiffres et des tirets."),
            ));
        }
        if let Some(first) = seen.get(name) {
            out.push(
                Problem::new(
                    "api-volume-refs",
                    name_node.span,
                    crate::i18n::t("duplicate volume name", "nom de volume en double"),
                    crate::i18n::t(
                        format!("volume name `{name}` is declared twice"),
                        format!("le nom de volume `{name}` est déclaré deux fois"),
                    ),
                    crate::i18n::t(
                        "Remove the duplicate volume or rename it.",
                        "Supprimez le volume en double ou renommez-le.",
                    ),
                )
                .related(*first, crate::i18n::t("first declared here", "première déclaration ici")),
            );
        } else {
            seen.insert(name, name_node.span);
        }
        if let Some(size) = volume.get("emptyDir").and_then(|e| e.get_some("sizeLimit")) {
            check_quantity(
                size,
                &crate::i18n::t("emptyDir sizeLimit", "le sizeLimit d'emptyDir"),
                &crate::i18n::t(format!("of volume `{name}`"), format!("du volume `{name}`")),
                out,
            );
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
                crate::i18n::t("mount without mountPath", "montage sans mountPath"),
                crate::i18n::t(
                    format!("a volume mount of container `{name}` has no mountPath"),
                    format!("un montage de volume du conteneur `{name}` n'a pas de mountPath"),
                ),
                crate::i18n::t(
                    "Set `mountPath` on every volume mount.",
                    "Définissez `mountPath` sur chaque montage de volume.",
                ),
            ));
            continue;
        };
        let path = path_node.text().unwrap_or_default();
        if let Some(first) = paths.get(path) {
            out.push(
                Problem::new(
                    "api-volume-refs",
                    path_node.span,
                    crate::i18n::t("duplicate mountPath", "mountPath en double"),
                    crate::i18n::t(
                        format!("mountPath `{path}` is used twice in container `{name}`"),
                        format!("le mountPath `{path}` est utilisé deux fois dans le conteneur `{name}`"),
                    ),
                    crate::i18n::t(
                        "Mount each path once per container.",
                        "Montez chaque chemin une seule fois par conteneur.",
                    ),
                )
                .related(*first, crate::i18n::t("first mounted here", "premier montage ici")),
            );
        } else {
            paths.insert(path, path_node.span);
        }
        if let Some(sub) = mount.get_some("subPath").and_then(|s| s.text().map(|t| (s, t))) {
            if sub.1.starts_with('/') || sub.1.split('/').any(|part| part == "..") {
                out.push(Problem::new(
                    "api-volume-refs",
                    sub.0.span,
                    crate::i18n::t("absolute or `..` subPath", "subPath absolu ou avec `..`"),
                    crate::i18n::t(
                        format!("subPath `{}` of container `{name}` is absolute or contains `..`", sub.1),
                        format!("le subPath `{}` du conteneur `{name}` est absolu ou contient `..`", sub.1),
                    ),
                    crate::i18n::t(
                        "Use a relative subPath inside the volume, without `..`.",
                        "Utilisez un subPath relatif à l'intérieur du volume, sans `..`.",
                    ),
                ));
            }
        }
    }
}

/// Quantity syntax and sign; the parsed value when valid.
/// `what` names the value (`memory request`), `of` its owner (`of container `web``).
fn check_quantity(node: &Node, what: &str, of: &str, out: &mut Vec<Problem>) -> Option<quantity::Quantity> {
    let text = node.text()?;
    match quantity::parse(text) {
        Err(e) => {
            out.push(Problem::new(
                "api-quantity",
                node.span,
                crate::i18n::t("not a quantity", "pas une quantité"),
                crate::i18n::t(
                    format!("{what} `{text}` {of} is not a valid quantity: {}", e.describe()),
                    format!("{what} `{text}` {of} n'est pas une quantité valide : {}", e.describe()),
                ),
                crate::i18n::t("Write quantities like `500m`, `2`, `512Mi` or `1Gi` (no spaces; `Mi`, not `mb` or `MB`).", "Écrivez les quantités comme `500m`, `2`, `512Mi` ou `1Gi` (sans espaces ; `Mi`, pas `mb` ni `MB`)."),
            ));
            None
        }
        Ok(q) if q.negative && q.nanos != Some(0) => {
            out.push(Problem::new(
                "api-quantity",
                node.span,
                crate::i18n::t("negative quantity", "quantité négative"),
                crate::i18n::t(
                    format!("{what} `{text}` {of} is negative"),
                    format!("{what} `{text}` {of} a une valeur négative"),
                ),
                crate::i18n::t("Use a quantity of zero or more.", "Utilisez une quantité nulle ou positive."),
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
        let q = check_quantity(
            &e.value,
            &crate::i18n::t(format!("{resource} limit"), format!("la limite {resource}")),
            &crate::i18n::t(format!("of container `{name}`"), format!("du conteneur `{name}`")),
            out,
        );
        limits.insert(resource, (&e.value, q.and_then(|q| q.nanos)));
    }
    for e in entries("requests") {
        let Some(resource) = e.key.text() else { continue };
        let q = check_quantity(
            &e.value,
            &crate::i18n::t(format!("{resource} request"), format!("la request {resource}")),
            &crate::i18n::t(format!("of container `{name}`"), format!("du conteneur `{name}`")),
            out,
        );
        let (Some(request), Some((limit_node, Some(limit)))) = (q.and_then(|q| q.nanos), limits.get(resource)) else {
            continue;
        };
        if request > *limit {
            out.push(
                Problem::new(
                    "api-quantity",
                    e.value.span,
                    crate::i18n::t("request above the limit", "request au-dessus de la limite"),
                    crate::i18n::t(
                        format!(
                            "{resource} request `{}` of container `{name}` is greater than its limit `{}`",
                            e.value.text().unwrap_or_default(),
                            limit_node.text().unwrap_or_default()
                        ),
                        format!(
                            "la request {resource} `{}` du conteneur `{name}` dépasse sa limite `{}`",
                            e.value.text().unwrap_or_default(),
                            limit_node.text().unwrap_or_default()
                        ),
                    ),
                    crate::i18n::t(
                        "Lower the request to at most the limit (or raise the limit).",
                        "Abaissez la request au plus à la limite (ou relevez la limite).",
                    ),
                )
                .related(limit_node.span, crate::i18n::t("the limit", "la limite")),
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
                crate::i18n::t("probe on an init container", "sonde sur un conteneur d'initialisation"),
                crate::i18n::t(format!(
                    "init container `{name}` has a {kind}; only containers and sidecars (restartPolicy: Always) may"
                ), format!("le conteneur d'initialisation `{name}` a une {kind} ; seuls les conteneurs et les sidecars (restartPolicy: Always) le peuvent")),
                crate::i18n::t("Remove the probe, or make the init container a sidecar with `restartPolicy: Always`.", "Supprimez la sonde, ou faites du conteneur d'initialisation un sidecar avec `restartPolicy: Always`."),
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
                crate::i18n::t("has no handler", "n'a pas de handler")
            } else {
                crate::i18n::t(
                    format!("has {} handlers ({})", handlers.len(), handlers.join(", ")),
                    format!("a {} handlers ({})", handlers.len(), handlers.join(", ")),
                )
            };
            out.push(Problem::new(
                "api-probe",
                entry.key.span,
                crate::i18n::t("exactly one handler needed", "exactement un handler requis"),
                crate::i18n::t(
                    format!("{kind} of container `{name}` {what}"),
                    format!("la {kind} du conteneur `{name}` {what}"),
                ),
                crate::i18n::t(
                    "Give the probe exactly one of exec, httpGet, tcpSocket or grpc.",
                    "Donnez à la sonde exactement un handler parmi exec, httpGet, tcpSocket ou grpc.",
                ),
            ));
        }
        if kind != "readinessProbe" {
            if let Some(st) = probe.get_some("successThreshold").filter(|s| s.as_i64().is_some_and(|n| n != 1)) {
                out.push(Problem::new(
                    "api-probe",
                    st.span,
                    crate::i18n::t("must be 1", "doit valoir 1"),
                    crate::i18n::t(format!("{kind} successThreshold of container `{name}` must be 1"), format!("le successThreshold de la {kind} du conteneur `{name}` doit valoir 1")),
                    crate::i18n::t("Remove successThreshold or set it to 1 (only readiness probes may use more).", "Supprimez successThreshold ou mettez-le à 1 (seules les sondes de disponibilité (readiness) peuvent utiliser plus)."),
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

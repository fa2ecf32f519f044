//! `state-hostpath-storage`: a workload (not a DaemonSet) writing to a `hostPath` volume, so its
//! data stays on whichever node the Pod happened to run on. Host-integration paths are left to
//! security linters.

use super::stateful::path_within;
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::is_builtin;
use crate::k8s::{Object, PodSpec};
use crate::yaml::Node;

pub struct StateHostPathStorage;

static META: RuleMeta = RuleMeta {
    id: "state-hostpath-storage",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "Job", "CronJob", "Pod"]),
    summary: "Workload writes its data to a hostPath volume on whatever node it runs on",
    why: "A hostPath volume is a directory on the node: after a reschedule the Pod finds an empty or stale directory on another node, and replicas on one node write the same files.",
    why_fr: "Un volume hostPath est un répertoire du nœud : après un replacement, le Pod trouve un répertoire vide ou périmé sur un autre nœud, et les réplicas d'un même nœud écrivent dans les mêmes fichiers.",
    docs: include_str!("../../rules/state-hostpath-storage.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Host paths that node agents and sidecars read or talk to (logs, sockets, kernel, device and
/// certificate trees, container runtime state): host integration, not application storage.
const HOST_INTEGRATION: [&str; 19] = [
    "/var/log",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
    "/var/lib/cni",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/etc/ssl/certs",
    "/etc/pki",
    "/etc/kubernetes",
    "/etc/cni",
    "/opt/cni",
    "/etc/localtime",
    "/etc/timezone",
    "/usr/share/zoneinfo",
    "/lib/modules",
    "/etc/machine-id",
];

impl Rule for StateHostPathStorage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        if obj.kind == "Pod" && node_bound_pod(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let pinned = pinned_to_one_node(&spec);
        for volume in spec.volumes() {
            let Some(host) = volume.get_some("hostPath") else { continue };
            let Some(path_node) = host.get("path") else { continue };
            let Some(path) = path_node.text() else { continue };
            let kind = host.get("type").and_then(Node::text).unwrap_or_default();
            if matches!(kind, "Socket" | "CharDevice" | "BlockDevice") || is_host_integration(path) {
                continue;
            }
            let Some(name) = volume.get("name").and_then(Node::text) else { continue };
            let Some((container, mount)) =
                spec.long_running_mounts(name).find(|(_, m)| m.get("readOnly").and_then(Node::as_bool) != Some(true))
            else {
                continue;
            };
            let mut v = Violation::new(
                path_node.span,
                ctx.t("data on the node's disk", "données sur le disque du nœud"),
                ctx.t(
                    format!(
                        "{} writes to hostPath `{path}` (volume `{name}`): the data stays on whichever node the Pod ran on",
                        obj.display()
                    ),
                    format!(
                        "{} écrit dans le hostPath `{path}` (volume `{name}`) : les données restent sur le nœud où le Pod a tourné, quel qu'il soit",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Use a PersistentVolumeClaim; for node-local disks, a `local` PersistentVolume with nodeAffinity, which the scheduler follows.",
                    "Utilisez un PersistentVolumeClaim ; pour les disques locaux d'un nœud, un PersistentVolume `local` avec nodeAffinity, que le scheduler respecte.",
                ),
            );
            if let Some(mp) = mount.get("mountPath") {
                let container = container.name().unwrap_or("?");
                v = v.secondary(
                    mp.span,
                    ctx.t(
                        format!("written by container `{container}`"),
                        format!("écrit par le conteneur `{container}`"),
                    ),
                );
            }
            if pinned {
                v = v.severity(Severity::Info).why(ctx.t(
                    "The Pod is pinned to one node, so it finds its files again after a restart; but the data is lost with the node, and replicas on the node share one directory.",
                    "Le Pod est attaché à un seul nœud, il retrouve donc ses fichiers après un redémarrage ; mais les données sont perdues avec le nœud, et les réplicas sur ce nœud partagent un même répertoire.",
                ));
            }
            ctx.report(v);
        }
    }
}

fn is_host_integration(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return true;
    }
    if path.ends_with(".sock") {
        return true;
    }
    HOST_INTEGRATION.iter().any(|p| path_within(path, p)) || path_within(path, "/var/run")
}

/// Static and mirror Pods run from a node's manifest directory; node-critical Pods belong to
/// the node. Their host paths are the node's own state.
fn node_bound_pod(obj: &Object<'_>) -> bool {
    obj.annotation("kubernetes.io/config.mirror").is_some()
        || obj.annotation("kubernetes.io/config.source").is_some()
        || obj.pod_spec().and_then(|s| s.node.get("priorityClassName")).and_then(Node::text)
            == Some("system-node-critical")
}

/// `nodeName`, a `kubernetes.io/hostname` nodeSelector, or a required node affinity for one
/// hostname: the Pod always comes back to the same node.
fn pinned_to_one_node(spec: &PodSpec<'_>) -> bool {
    if spec.node.get_some("nodeName").is_some() {
        return true;
    }
    if spec.node.get("nodeSelector").and_then(|s| s.get_some("kubernetes.io/hostname")).is_some() {
        return true;
    }
    let terms = spec
        .node
        .path(&["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"])
        .map_or(&[][..], Node::items);
    terms.len() == 1
        && terms[0].get("matchExpressions").map_or(&[][..], Node::items).iter().any(|e| {
            e.get("key").and_then(Node::text) == Some("kubernetes.io/hostname")
                && e.get("operator").and_then(Node::text) == Some("In")
                && e.get("values").map_or(0, |v| v.items().len()) == 1
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_integration_paths() {
        assert!(is_host_integration("/var/log"));
        assert!(is_host_integration("/var/log/pods/"));
        assert!(is_host_integration("/var/run/docker.sock"));
        assert!(is_host_integration("/run/containerd"));
        assert!(is_host_integration("/"));
        assert!(!is_host_integration("/var/lib/mysql"));
        assert!(!is_host_integration("/data"));
        assert!(!is_host_integration("/var/logs-app"));
    }
}

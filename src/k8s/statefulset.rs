//! StatefulSet fields shared by the service, ordering and update rules: pod management policy,
//! update strategy, the strings a container runs (command, args, env values) and the shell idioms
//! that make bootstrap depend on ordinals, and whether an operator manages the object.

use super::{Container, Object};
use crate::yaml::Node;

/// `spec.podManagementPolicy` is `Parallel` (the default is `OrderedReady`): its value node.
pub fn parallel_policy<'a>(sts: &Object<'a>) -> Option<&'a Node> {
    sts.spec()?.get_some("podManagementPolicy").filter(|n| n.text() == Some("Parallel"))
}

/// `spec.updateStrategy.type` as written (`RollingUpdate` when absent).
pub fn update_strategy_type<'a>(sts: &Object<'a>) -> Option<&'a Node> {
    sts.spec()?.get_some("updateStrategy")?.get_some("type")
}

/// Every string a container runs or is configured with: `command` and `args` items and `env`
/// values, as nodes (for labels).
pub fn container_strings<'a>(container: &Container<'a>) -> Vec<&'a Node> {
    let mut out: Vec<&'a Node> = Vec::new();
    for key in ["command", "args"] {
        out.extend(container.node.get(key).map_or(&[][..], Node::items).iter().filter(|n| n.text().is_some()));
    }
    for env in container.node.get("env").map_or(&[][..], Node::items) {
        out.extend(env.get_some("value").filter(|n| n.text().is_some()));
    }
    out
}

/// Value of env var `name` of a container, if set literally.
pub fn env_value<'a>(container: &Container<'a>, name: &str) -> Option<&'a str> {
    container
        .node
        .get("env")
        .map_or(&[][..], Node::items)
        .iter()
        .find(|e| e.get("name").and_then(Node::text) == Some(name))?
        .get_some("value")?
        .text()
}

/// How a script or setting depends on another replica's ordinal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrdinalDependency {
    /// Arithmetic on the Pod's own ordinal (`$((ordinal - 1))`): clone from the previous one.
    Previous,
    /// A host name of ordinal 0 (`db-0.db`) and of no other ordinal: ordinal 0 as the primary
    /// or seed. A list naming several ordinals is a membership list, not an ordering.
    First,
}

/// Whether `text`, run or read by a Pod of StatefulSet `sts_name`, makes it depend on a sibling
/// by ordinal. Host names of another StatefulSet (`zk-0.zk` in a client) are not siblings.
pub fn ordinal_dependency(text: &str, sts_name: &str) -> Option<OrdinalDependency> {
    let lower = text.to_ascii_lowercase();
    if previous_ordinal(&lower) {
        return Some(OrdinalDependency::Previous);
    }
    let own = sts_name.to_ascii_lowercase();
    if host_of_ordinal(&lower, &own, "0") && !(1..10).any(|n| host_of_ordinal(&lower, &own, &n.to_string())) {
        return Some(OrdinalDependency::First);
    }
    None
}

/// `ordinal - 1`, `$ordinal-1`, `${ordinal} - 1` (lowercase input).
fn previous_ordinal(lower: &str) -> bool {
    lower.match_indices("ordinal").any(|(i, m)| {
        let rest = lower[i + m.len()..].trim_start_matches('}').trim_start();
        let Some(rest) = rest.strip_prefix('-') else { return false };
        let rest = rest.trim_start();
        rest.starts_with('1') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// `<name>-<n>.<domain>`: the StatefulSet's name (not preceded by a label character), `-<n>`, a
/// dot and a letter (lowercase input).
fn host_of_ordinal(lower: &str, name: &str, n: &str) -> bool {
    let pattern = format!("{name}-{n}.");
    lower.match_indices(&pattern).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + pattern.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') && after.is_some_and(|c| c.is_ascii_alphabetic())
    })
}

/// Deployment tools that set `app.kubernetes.io/managed-by` without orchestrating updates.
const DEPLOY_TOOLS: &[&str] = &[
    "helm",
    "tiller",
    "kustomize",
    "kubectl",
    "argocd",
    "argo-cd",
    "flux",
    "fluxcd",
    "skaffold",
    "pulumi",
    "terraform",
    "spinnaker",
    "kapp",
    "timoni",
    "tanka",
    "jsonnet",
    "kpt",
    "werf",
    "garden",
    "devspace",
    "tilt",
];

/// An operator manages the object: owner references, or `app.kubernetes.io/managed-by` naming
/// something other than a deployment tool. Returns what says so.
pub fn managed_by_operator<'a>(obj: &Object<'a>) -> Option<&'a str> {
    if obj.has_owner_references() {
        return Some("ownerReferences");
    }
    let by = obj.labels()?.get("app.kubernetes.io/managed-by")?.text()?;
    let lower = by.to_ascii_lowercase();
    (!lower.is_empty() && !DEPLOY_TOOLS.contains(&lower.as_str())).then_some(by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinal_dependencies() {
        use OrdinalDependency::*;
        let dep = |text: &str, name: &str| ordinal_dependency(text, name);
        assert_eq!(dep("ncat --recv-only mysql-$(($ordinal-1)).mysql 3307", "mysql"), Some(Previous));
        assert_eq!(dep("prev=$(( ORDINAL - 1 ))", "db"), Some(Previous));
        assert_eq!(dep("x=${ordinal}-10", "db"), None);
        assert_eq!(dep("redis-server --replicaof redis-0.redis 6379", "redis"), Some(First));
        assert_eq!(dep("MASTER=db-0.db.default.svc.cluster.local", "db"), Some(First));
        // Another StatefulSet's ordinal 0 (a client of ZooKeeper), or a longer name.
        assert_eq!(dep("ZK=zk-0.zk-hs:2181", "kafka"), None);
        assert_eq!(dep("MASTER=mydb-0.mydb", "db"), None);
        assert_eq!(
            dep("--initial-cluster=etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd:2380", "etcd"),
            None
        );
        assert_eq!(dep("image-1.0.3-0.1", "image"), None);
        assert_eq!(dep("[[ $(hostname) =~ -([0-9]+)$ ]] || exit 1", "db"), None);
    }
}

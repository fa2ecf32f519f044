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

/// Whether `text` makes a replica depend on another one by ordinal.
pub fn ordinal_dependency(text: &str) -> Option<OrdinalDependency> {
    let lower = text.to_ascii_lowercase();
    if previous_ordinal(&lower) {
        return Some(OrdinalDependency::Previous);
    }
    if host_of_ordinal(&lower, "0") && !(1..10).any(|n| host_of_ordinal(&lower, &n.to_string())) {
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

/// `<name>-<n>.<domain>`: a label character, `-<n>`, a dot and a letter (lowercase input).
fn host_of_ordinal(lower: &str, n: &str) -> bool {
    let pattern = format!("-{n}.");
    lower.match_indices(&pattern).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + pattern.len()..].chars().next();
        before.is_some_and(|c| c.is_ascii_alphanumeric()) && after.is_some_and(|c| c.is_ascii_alphabetic())
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
        assert_eq!(ordinal_dependency("ncat --recv-only mysql-$(($ordinal-1)).mysql 3307"), Some(Previous));
        assert_eq!(ordinal_dependency("prev=$(( ORDINAL - 1 ))"), Some(Previous));
        assert_eq!(ordinal_dependency("x=${ordinal}-10"), None);
        assert_eq!(ordinal_dependency("redis-server --replicaof redis-0.redis 6379"), Some(First));
        assert_eq!(ordinal_dependency("MASTER=db-0.db.default.svc.cluster.local"), Some(First));
        assert_eq!(
            ordinal_dependency("--initial-cluster=etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd:2380"),
            None
        );
        assert_eq!(ordinal_dependency("image-1.0.3-0.1"), None);
        assert_eq!(ordinal_dependency("version 1.2-0.5"), None);
        assert_eq!(ordinal_dependency("[[ $(hostname) =~ -([0-9]+)$ ]] || exit 1"), None);
    }
}

//! `sts-quorum-replicas`: a StatefulSet of a majority-quorum engine (etcd, ZooKeeper, Raft
//! systems, KRaft controllers, MongoDB replica sets) run with one member or an even number of
//! members. Also home of the quorum-member check the StatefulSet quorum rules share.

use super::stateful::{self, Detection};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::statefulset::{container_strings, env_value};

pub struct StsQuorumReplicas;

static META: RuleMeta = RuleMeta {
    id: "sts-quorum-replicas",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "Quorum system run with one member or an even number of members",
    why: "A majority quorum of n members needs n/2+1 of them: one member makes every restart or drain an outage, and an even count tolerates no more failures than one member fewer.",
    why_fr: "Un quorum à la majorité de n membres en exige n/2+1 : un seul membre fait de chaque redémarrage ou drain une interruption, et un nombre pair ne tolère pas plus de pannes qu'un membre de moins.",
    docs: include_str!("../../rules/sts-quorum-replicas.md"),
    default_enabled: true,
    supersedes: &[],
};

/// A container recognised as a member of a quorum system.
pub(super) struct QuorumMember<'a> {
    pub detection: Detection<'a>,
    /// Members vote with a majority: even counts add no failure tolerance.
    pub majority: bool,
    /// What a member is, for messages (`etcd`, `Kafka KRaft controller`).
    pub member: String,
}

/// The quorum-system container of a StatefulSet, after the engine-specific checks the image
/// alone cannot make (a MongoDB replica set, KRaft controllers, Consul servers, Vault on Raft).
pub(super) fn quorum_member<'a>(obj: &Object<'a>) -> Option<QuorumMember<'a>> {
    stateful::detect_all(obj, false).into_iter().find_map(|d| {
        let text: String = container_strings(&d.container)
            .iter()
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let env = |name: &str| env_value(&d.container, name).map(str::to_ascii_lowercase);
        let majority = match d.engine.name.as_str() {
            "MongoDB" => {
                if !(text.contains("--replset") || env("MONGODB_REPLICA_SET_MODE").is_some()) {
                    return None;
                }
                true
            }
            "Kafka" => {
                let roles = env("KAFKA_PROCESS_ROLES").or_else(|| env("KAFKA_CFG_PROCESS_ROLES"));
                let kraft = roles.is_some_and(|r| r.contains("controller"))
                    || text.split_whitespace().any(|w| w.contains("process.roles=") && w.contains("controller"));
                if !kraft {
                    return None;
                }
                true
            }
            "Consul" if !text.split_whitespace().any(|w| w == "-server" || w == "--server") => return None,
            "Vault" if !text.contains("raft") => return None,
            _ if !d.engine.quorum => return None,
            _ => d.engine.majority,
        };
        let member = match d.engine.name.as_str() {
            "Kafka" => "Kafka KRaft controller".to_string(),
            "MongoDB" => "MongoDB replica set".to_string(),
            "Consul" => "Consul server".to_string(),
            name => name.to_string(),
        };
        Some(QuorumMember { detection: d, majority, member })
    })
}

/// A namespace that looks like a development or test environment.
fn is_dev_namespace(ns: &str) -> bool {
    ns.to_ascii_lowercase().split(['-', '_', '.']).any(|t| {
        matches!(
            t,
            "dev"
                | "develop"
                | "development"
                | "test"
                | "testing"
                | "sandbox"
                | "local"
                | "demo"
                | "playground"
                | "e2e"
        )
    })
}

impl Rule for StsQuorumReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() || ctx.index.autoscaler(obj).is_some() {
            return;
        }
        let Some(member) = quorum_member(obj).filter(|m| m.majority) else { return };
        let replicas_node = obj.replicas_node();
        if replicas_node.is_some_and(|n| n.as_i64().is_none()) {
            return;
        }
        let n = obj.replicas();
        if n <= 0 || (n > 1 && n % 2 == 1) {
            return;
        }
        let engine = &member.member;
        let (message, label) = if n == 1 {
            (
                ctx.t(
                    format!(
                        "{} runs a single {engine} member: every restart, drain or node failure stops the cluster, and a PodDisruptionBudget cannot help",
                        obj.display()
                    ),
                    format!(
                        "{} exécute un seul membre {engine} : chaque redémarrage, drain ou panne de nœud arrête le cluster, et un PodDisruptionBudget n'y peut rien",
                        obj.display()
                    ),
                ),
                ctx.t("one member", "un seul membre"),
            )
        } else {
            let quorum = n / 2 + 1;
            let tolerates = n - quorum;
            let tolerates_s = if tolerates == 1 { "" } else { "s" };
            let fewer = n - 1;
            let fewer_s = if fewer == 1 { "" } else { "s" };
            (
                ctx.t(
                    format!(
                        "{} runs {n} {engine} members: a majority of {n} is {quorum}, so it tolerates {tolerates} failure{tolerates_s}, no more than {fewer} member{fewer_s} would",
                        obj.display()
                    ),
                    format!(
                        "{} exécute {n} membres {engine} : la majorité de {n} est {quorum}, il tolère donc {tolerates} panne{tolerates_s}, pas plus que {fewer} membre{fewer_s}",
                        obj.display()
                    ),
                ),
                ctx.t(format!("{n} members, an even count"), format!("{n} membres, un nombre pair")),
            )
        };
        let (span, label) = match replicas_node {
            Some(node) => (node.span, label),
            None => match obj.root.entry("spec") {
                Some(e) => (e.key.span, ctx.t("replicas defaults to 1", "replicas vaut 1 par défaut")),
                None => return,
            },
        };
        let ns = obj.namespace_or(ctx.index.default_namespace());
        let mut v = Violation::new(
            span,
            label,
            message,
            ctx.t(
                "Run an odd number of members (3 or 5) and add a PodDisruptionBudget with `maxUnavailable: 1`.",
                "Exécutez un nombre impair de membres (3 ou 5) et ajoutez un PodDisruptionBudget avec `maxUnavailable: 1`.",
            ),
        )
        .secondary(
            member.detection.image.span,
            ctx.t(
                format!("{} server", member.detection.engine.name),
                format!("serveur {}", member.detection.engine.name),
            ),
        );
        if is_dev_namespace(ns) {
            v = v.severity(Severity::Info).why(ctx.t(
                format!("{} Namespace `{ns}` looks like a development environment, hence info.", META.why),
                format!(
                    "{} Le namespace `{ns}` ressemble à un environnement de développement, d'où info.",
                    META.why_fr
                ),
            ));
        }
        ctx.report(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_namespaces() {
        assert!(is_dev_namespace("dev"));
        assert!(is_dev_namespace("team-a-dev"));
        assert!(is_dev_namespace("e2e_tests"));
        assert!(!is_dev_namespace("devops"));
        assert!(!is_dev_namespace("production"));
    }
}

//! `avail-single-replica`: a serving Deployment or StatefulSet that runs one replica, so every
//! node drain or node failure is an outage. Not flagged: single-instance database servers,
//! whose availability comes from the engine's replication rather than from `replicas`, and
//! Deployments held to one node by a ReadWriteOnce claim.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::is_fragment;
use crate::k8s::{Object, claims};

pub struct AvailSingleReplica;

static META: RuleMeta = RuleMeta {
    id: "avail-single-replica",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Deployment", "StatefulSet"]),
    summary: "Serving workload runs a single replica: every drain or node failure is an outage",
    why: "An eviction (node drain, upgrade, autoscaler scale-down) deletes the only Pod before a replacement exists, and a PodDisruptionBudget cannot protect one replica without blocking the drain; a node failure leaves it down until the Pod is rescheduled.",
    why_fr: "Une éviction (drain de nœud, mise à niveau, réduction par l'autoscaler) supprime le seul Pod avant qu'un remplaçant n'existe, et un PodDisruptionBudget ne peut pas protéger un réplica unique sans bloquer le drain ; une panne de nœud le laisse arrêté jusqu'au replacement du Pod.",
    docs: include_str!("../../rules/avail-single-replica.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for AvailSingleReplica {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.helm_hook().is_some() || is_fragment(obj) || ctx.index.min_replicas(obj) != 1 {
            return;
        }
        // A placeholder (`replicas: ${REPLICAS}`) is not a replica count.
        if obj.replicas_node().is_some_and(|n| n.as_i64().is_none()) && ctx.index.autoscaler(obj).is_none() {
            return;
        }
        if !ctx.index.is_serving(obj) {
            return;
        }
        // A database server gains nothing from `replicas: 2` alone (two independent servers, or
        // a quorum that needs its own configuration): the single-instance pattern is deliberate.
        if stateful::detect_all(obj, true).iter().any(|d| d.confidence >= Confidence::Medium) {
            return;
        }
        // A Deployment that mounts a ReadWriteOnce (or unknown-mode) claim cannot run a second
        // replica on another node: the advice would trade this finding for a stuck Pod.
        if let Some(spec) = obj.pod_spec().filter(|_| obj.kind == "Deployment") {
            if spec.claim_volumes().any(|v| {
                claims::pins_to_one_node(&ctx.index.claim_access(obj, v.claim_name), claims::claim_use(&spec, &v))
            }) {
                return;
            }
        }
        let hpa = ctx.index.autoscaler(obj);
        let (span, label) = match obj.replicas_node() {
            Some(node) if hpa.is_none() => (node.span, ctx.t("one replica", "un seul réplica")),
            Some(node) => (node.span, ctx.t("replicas (the autoscaler decides)", "replicas (l'autoscaler décide)")),
            None => match obj.root.entry("spec") {
                Some(e) => (e.key.span, ctx.t("replicas defaults to 1", "replicas vaut 1 par défaut")),
                None => (obj.kind_span(), ctx.t("replicas defaults to 1", "replicas vaut 1 par défaut")),
            },
        };
        let (how, how_fr) = match &hpa {
            Some(h) => {
                let name = h.object.name().unwrap_or("?");
                (
                    format!("may scale down to one replica (HPA `{name}`)"),
                    format!("peut descendre à un seul réplica (HPA `{name}`)"),
                )
            }
            None => ("runs a single replica".to_string(), "exécute un seul réplica".to_string()),
        };
        let mut v = Violation::new(
            span,
            label,
            ctx.t(
                format!("{} {how}: a node drain or node failure takes it down", obj.display()),
                format!("{} {how_fr} : un drain ou une panne de nœud l'arrête", obj.display()),
            ),
            ctx.t(
                "Run at least 2 replicas, with a PodDisruptionBudget and spreading across nodes.",
                "Exécutez au moins 2 réplicas, avec un PodDisruptionBudget et une répartition sur plusieurs nœuds.",
            ),
        );
        if let Some(h) = hpa.filter(|h| ctx.same_file(&h.object)) {
            let min = h.object.spec().and_then(|s| s.entry("minReplicas"));
            let span = min.map_or_else(|| h.object.kind_span(), |e| e.key.span.cover(e.value.span));
            v = v.secondary(span, ctx.t("the autoscaler's minimum is 1", "le minimum de l'autoscaler est 1"));
        }
        ctx.report(v);
    }
}

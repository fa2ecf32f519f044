//! `rollout-no-readiness-gate`: a rolling update with nothing that tells the controller a new
//! Pod works: no readiness or startup probe on a long-running container, no `readinessGates`,
//! no `minReadySeconds`. Warning for serving workloads, info for workers.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_fragment;
use crate::yaml::Node;

pub struct RolloutNoReadinessGate;

static META: RuleMeta = RuleMeta {
    id: "rollout-no-readiness-gate",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "StatefulSet", "DaemonSet"]),
    summary: "Rolling update with no readiness probe and no minReadySeconds",
    why: "Without a readiness (or startup) probe a Pod is Ready as soon as its containers start; with minReadySeconds 0 the controller counts it available at once, so a version that crashes or is not yet listening replaces every old Pod and receives traffic.",
    why_fr: "Sans sonde de disponibilité (readiness) ni sonde de démarrage, un Pod est Ready dès que ses conteneurs démarrent ; avec minReadySeconds à 0, le contrôleur le compte aussitôt comme disponible : une version qui plante ou qui n'écoute pas encore remplace tous les anciens Pods et reçoit du trafic.",
    docs: include_str!("../../rules/rollout-no-readiness-gate.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for RolloutNoReadinessGate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.helm_hook().is_some() || is_fragment(obj) {
            return;
        }
        let Some(spec_root) = obj.spec() else { return };
        let strategy_key = if obj.kind == "Deployment" { "strategy" } else { "updateStrategy" };
        let strategy_type = spec_root.get_some(strategy_key).and_then(|s| s.get("type")).and_then(Node::text);
        if strategy_type.is_some_and(|t| t != "RollingUpdate") {
            return;
        }
        if spec_root.get_some("minReadySeconds").and_then(Node::as_i64).is_some_and(|s| s > 0) {
            return;
        }
        let replicas = ctx.index.min_replicas(obj);
        if obj.kind != "DaemonSet" && replicas < 2 {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // A startup probe also holds the container un-Ready until it succeeds.
        let probed = spec
            .all_containers()
            .filter(|c| c.is_long_running())
            .any(|c| c.node.get_some("readinessProbe").is_some() || c.node.get_some("startupProbe").is_some());
        if probed || !spec.node.get("readinessGates").map_or(&[][..], Node::items).is_empty() {
            return;
        }
        let Some(containers) = spec.node.entry("containers") else { return };
        if containers.value.items().is_empty() {
            return;
        }
        let serving = ctx.index.is_serving(obj);
        let what = if obj.kind == "DaemonSet" {
            ctx.t("updates its Pods node by node", "met à jour ses Pods nœud par nœud")
        } else {
            ctx.t(format!("rolls out {replicas} replicas"), format!("déploie {replicas} réplicas"))
        };
        let mut v = Violation::new(
            containers.key.span,
            ctx.t("no readinessProbe", "aucune readinessProbe"),
            ctx.t(
                format!(
                    "{} {what} with no readiness probe and no minReadySeconds: a new Pod counts as available as soon as it starts",
                    obj.display()
                ),
                format!(
                    "{} {what} sans sonde de disponibilité (readiness) ni minReadySeconds : un nouveau Pod compte comme disponible dès qu'il démarre",
                    obj.display()
                ),
            ),
            ctx.t(
                "Add a readinessProbe to the serving container, or set `minReadySeconds` so a crashing version stops the rollout.",
                "Ajoutez une readinessProbe au conteneur qui sert le trafic, ou définissez `minReadySeconds` pour qu'une version qui plante arrête le déploiement.",
            ),
        );
        if !serving {
            v = v.severity(Severity::Info).why(ctx.t(
                "Without a readiness probe or minReadySeconds the controller replaces old Pods as soon as new ones start; for a worker that serves no traffic this only matters if the new version crashes.",
                "Sans sonde de disponibilité (readiness) ni minReadySeconds, le contrôleur remplace les anciens Pods dès que les nouveaux démarrent ; pour un worker qui ne sert aucun trafic, cela ne compte que si la nouvelle version plante.",
            ));
        }
        ctx.report(v);
    }
}

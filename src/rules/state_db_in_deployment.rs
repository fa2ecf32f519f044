//! `state-db-in-deployment`: a database or queue server that keeps data, run by a Deployment
//! (ReplicaSet, ReplicationController) instead of a StatefulSet.

use super::stateful::{self, Confidence, Storage};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::intstr::{IntOrPercent, Rounding};
use crate::k8s::kinds::is_builtin;

pub struct StateDbInDeployment;

static META: RuleMeta = RuleMeta {
    id: "state-db-in-deployment",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "ReplicationController"]),
    summary: "Database or queue server with data run by a Deployment instead of a StatefulSet",
    why: "A Deployment treats its Pods as interchangeable: a rollout briefly runs two servers on one data directory, and scaling adds members that share or lack data, while a StatefulSet gives each member a stable name, its own volume and ordered start and stop.",
    why_fr: "Un Deployment traite ses Pods comme interchangeables : un déploiement fait brièvement tourner deux serveurs sur un même répertoire de données, et la mise à l'échelle ajoute des membres qui partagent des données ou n'en ont pas, alors qu'un StatefulSet donne à chaque membre un nom stable, son propre volume et un démarrage et un arrêt ordonnés.",
    docs: include_str!("../../rules/state-db-in-deployment.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StateDbInDeployment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // Only data that outlives the Pod makes the Deployment the wrong controller; data in the
        // container or an emptyDir is state-db-ephemeral-storage's finding.
        let Some(d) = stateful::detect_all(obj, true).into_iter().find(|d| {
            d.confidence == Confidence::High
                && stateful::data_mounts(d.engine, &d.container).iter().any(|m| {
                    matches!(stateful::storage_of(obj, &spec, m), Storage::Claim | Storage::Node | Storage::Other)
                })
        }) else {
            return;
        };
        let replicas = ctx.index.max_replicas(obj);
        let hpa = ctx.index.autoscaler(obj);
        let surge = surge_pods(obj, replicas.max(1));
        let engine = &d.engine.name;
        let several = replicas > 1 || surge > 0;
        let severity = if several && !d.engine.secondary { Severity::Warning } else { Severity::Info };
        let how = if replicas > 1 {
            match hpa {
                Some(h) if h.max >= replicas => {
                    let hpa_name = h.object.name().unwrap_or("?");
                    ctx.t(
                        format!("up to {replicas} replicas (HPA `{hpa_name}`)"),
                        format!("jusqu'à {replicas} réplicas (HPA `{hpa_name}`)"),
                    )
                }
                _ => ctx.t(format!("{replicas} replicas"), format!("{replicas} réplicas")),
            }
        } else if surge > 0 {
            ctx.t(
                "a rolling update that starts the new Pod before stopping the old one",
                "une mise à jour progressive qui démarre le nouveau Pod avant d'arrêter l'ancien",
            )
        } else {
            ctx.t("a single replica", "un seul réplica")
        };
        let what = if d.engine.secondary {
            ctx.t("single-writer application", "application à écrivain unique")
        } else {
            ctx.t("server", "serveur")
        };
        let image = d.container.image().unwrap_or_default();
        let message = ctx.t(
            format!(
                "{} runs {engine} ({what} `{image}`) with {how}: a {} gives it no stable identity or per-replica storage",
                obj.display(),
                obj.kind,
            ),
            format!(
                "{} exécute {engine} ({what} `{image}`) avec {how} : un {} ne lui donne ni identité stable ni stockage par réplica",
                obj.display(),
                obj.kind,
            ),
        );
        let help = if several {
            ctx.t(
                "Run it as a StatefulSet with volumeClaimTemplates and a headless Service, or use an operator for the engine.",
                "Exécutez-le en tant que StatefulSet avec volumeClaimTemplates et un Service headless, ou utilisez un opérateur pour ce moteur.",
            )
        } else {
            ctx.t(
                "Consider a StatefulSet with volumeClaimTemplates for stable identity, ordered shutdown and per-replica storage.",
                "Envisagez un StatefulSet avec volumeClaimTemplates pour une identité stable, un arrêt ordonné et un stockage par réplica.",
            )
        };
        let label = ctx.t(format!("{engine} in a {}", obj.kind), format!("{engine} dans un {}", obj.kind));
        let mut v = Violation::new(obj.kind_node().span, label, message, help)
            .severity(severity)
            .secondary(d.image.span, ctx.t(format!("{engine} {what}"), format!("{what} {engine}")));
        if !several {
            v = v.why(ctx.t(
                "One replica that is stopped before its replacement starts is the documented single-instance pattern; a StatefulSet still adds a stable name, ordered shutdown and a volume per replica.",
                "Un seul réplica arrêté avant le démarrage de son remplaçant est le modèle d'instance unique documenté ; un StatefulSet apporte tout de même un nom stable, un arrêt ordonné et un volume par réplica.",
            ));
        } else if d.engine.secondary {
            v = v.why(ctx.t(
                format!(
                    "{engine} keeps its state in local files and expects one writer: several Pods, or a rollout that starts the new Pod first, share or split that state."
                ),
                format!(
                    "{engine} garde son état dans des fichiers locaux et n'attend qu'un seul écrivain : plusieurs Pods, ou un déploiement qui démarre d'abord le nouveau Pod, partagent ou divisent cet état."
                ),
            ));
        }
        if let Some(node) = obj.replicas_node().filter(|_| obj.replicas() > 1) {
            let n = obj.replicas();
            v = v.secondary(node.span, ctx.t(format!("{n} replicas"), format!("{n} réplicas")));
        }
        if let Some(h) = hpa.filter(|h| h.max > 1 && ctx.same_file(&h.object)) {
            if let Some(max) = h.object.spec().and_then(|s| s.get("maxReplicas")) {
                v = v.secondary(
                    max.span,
                    ctx.t("the autoscaler may run this many", "l'autoscaler peut en exécuter autant"),
                );
            }
        }
        ctx.report(v);
    }
}

/// Pods a Deployment's rolling update starts before stopping old ones (0 for Recreate, and for
/// ReplicaSets and ReplicationControllers, which do not roll out).
fn surge_pods(obj: &Object<'_>, replicas: i64) -> i64 {
    if obj.kind != "Deployment" {
        return 0;
    }
    let strategy = obj.spec().and_then(|s| s.get_some("strategy"));
    if strategy.and_then(|s| s.get("type")).and_then(|t| t.text()).is_some_and(|t| t != "RollingUpdate") {
        return 0;
    }
    let surge = match strategy.and_then(|s| s.path(&["rollingUpdate", "maxSurge"])).filter(|n| !n.is_null()) {
        Some(node) => IntOrPercent::from_node(node),
        None => Some(IntOrPercent::Percent(25)),
    };
    surge.map_or(1, |s| s.resolve(replicas, Rounding::Up))
}

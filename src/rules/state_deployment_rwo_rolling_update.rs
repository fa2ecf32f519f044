//! `state-deployment-rwo-rolling-update`: a Deployment whose rolling update starts a surge Pod
//! while the old Pod still holds a ReadWriteOnce (or unknown-mode) volume, which the surge Pod
//! needs attached before it can start.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::index::ClaimAccess;
use crate::k8s::intstr::{IntOrPercent, Rounding};
use crate::k8s::{Object, claims};

pub struct StateDeploymentRwoRollingUpdate;

static META: RuleMeta = RuleMeta {
    id: "state-deployment-rwo-rolling-update",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment"]),
    summary: "Rolling update with surge on a Deployment that mounts a ReadWriteOnce volume",
    why: "The surge Pod waits for a volume still attached to the old Pod (Multi-Attach error), and the old Pod is not removed until the new one is Ready: the rollout deadlocks whenever the new Pod lands on another node.",
    why_fr: "Le Pod supplémentaire attend un volume encore attaché à l'ancien Pod (erreur Multi-Attach), et l'ancien Pod n'est pas supprimé tant que le nouveau n'est pas Ready : le déploiement se bloque dès que le nouveau Pod arrive sur un autre nœud.",
    docs: include_str!("../../rules/state-deployment-rwo-rolling-update.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StateDeploymentRwoRollingUpdate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let strategy = obj.spec().and_then(|s| s.get_some("strategy"));
        if strategy.and_then(|s| s.get("type")).and_then(|t| t.text()).is_some_and(|t| t != "RollingUpdate") {
            return;
        }
        let surge_node = strategy.and_then(|s| s.path(&["rollingUpdate", "maxSurge"])).filter(|n| !n.is_null());
        let surge = match surge_node {
            Some(node) => match IntOrPercent::from_node(node) {
                Some(v) => v,
                None => return,
            },
            None => IntOrPercent::Percent(25),
        };
        let replicas = ctx.index.max_replicas(obj).max(1);
        let surge_pods = surge.resolve(replicas, Rounding::Up);
        if surge_pods < 1 {
            return;
        }
        // When every old Pod may go at once, the volume is released without waiting for the new
        // Pod: the rollout has a gap, not a deadlock (`rollout-max-unavailable-all`'s concern).
        let unavailable_node =
            strategy.and_then(|s| s.path(&["rollingUpdate", "maxUnavailable"])).filter(|n| !n.is_null());
        let unavailable = match unavailable_node {
            Some(node) => match IntOrPercent::from_node(node) {
                Some(v) => v,
                None => return,
            },
            None => IntOrPercent::Percent(25),
        };
        if unavailable.resolve(replicas, Rounding::Down) >= replicas {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        for volume in spec.claim_volumes() {
            let access = ctx.index.claim_access(obj, volume.claim_name);
            if !claims::pins_to_one_node(&access, claims::claim_use(&spec, &volume)) {
                continue;
            }
            let (label, detail) = if access.is_rwop() {
                (
                    ctx.t("ReadWriteOncePod claim", "claim ReadWriteOncePod"),
                    ctx.t(
                        "the new Pod can never start while the old one runs",
                        "le nouveau Pod ne peut jamais démarrer tant que l'ancien tourne",
                    ),
                )
            } else if access.is_single_writer() {
                (
                    ctx.t("ReadWriteOnce claim", "claim ReadWriteOnce"),
                    ctx.t(
                        "the new Pod waits for a volume the old Pod holds",
                        "le nouveau Pod attend un volume que l'ancien Pod détient",
                    ),
                )
            } else {
                (
                    ctx.t("claim of unknown access mode", "claim au mode d'accès inconnu"),
                    ctx.t(
                        "if the claim is ReadWriteOnce, as most block storage is, the new Pod waits for a volume the old Pod holds",
                        "si la claim est ReadWriteOnce, comme la plupart des stockages en mode bloc, le nouveau Pod attend un volume que l'ancien Pod détient",
                    ),
                )
            };
            let how = match (surge_node, surge) {
                (Some(_), IntOrPercent::Percent(p)) => {
                    let pods = format!("{surge_pods} Pod{}", if surge_pods == 1 { "" } else { "s" });
                    ctx.t(format!("maxSurge {p}%: {pods}"), format!("maxSurge {p} % : {pods}"))
                }
                (Some(_), _) => format!("maxSurge {surge_pods}"),
                (None, _) => ctx.t("the default maxSurge of 25%", "le maxSurge par défaut de 25 %"),
            };
            let claim = match &access {
                ClaimAccess::Known { claim, .. } if !ctx.same_file(claim) => {
                    format!("{}, {}", access.describe(), ctx.location(claim, claim.kind_node().span))
                }
                _ => access.describe(),
            };
            let claim_name = volume.claim_name;
            let mut v = Violation::new(
                volume.claim_node.span,
                label,
                ctx.t(
                    format!(
                        "{} rolls out with a surge Pod ({how}) but mounts PVC `{claim_name}` ({claim}): {detail}",
                        obj.display(),
                    ),
                    format!(
                        "{} se déploie avec un Pod supplémentaire ({how}) mais monte le PVC `{claim_name}` ({claim}) : {detail}",
                        obj.display(),
                    ),
                ),
                ctx.t(
                    "Set `strategy.type: Recreate` (and drop `rollingUpdate`), or keep RollingUpdate with `maxSurge: 0` and `maxUnavailable: 1`.",
                    "Définissez `strategy.type: Recreate` (et retirez `rollingUpdate`), ou gardez RollingUpdate avec `maxSurge: 0` et `maxUnavailable: 1`.",
                ),
            );
            // ReadWriteOncePod admits one Pod whatever the node: every rollout deadlocks.
            if access.is_rwop() {
                v = v.severity(Severity::Error).why(ctx.t(
                    "A ReadWriteOncePod claim admits one Pod at a time: the surge Pod stays Pending while the old Pod runs, and the old Pod is not removed until the new one is Ready, so every rollout is stuck.",
                    "Une claim ReadWriteOncePod n'admet qu'un Pod à la fois : le Pod supplémentaire reste Pending tant que l'ancien Pod tourne, et l'ancien Pod n'est pas supprimé tant que le nouveau n'est pas Ready, si bien que chaque déploiement est bloqué.",
                ));
            }
            if let Some(node) = surge_node {
                v = v.secondary(
                    node.span,
                    ctx.t(
                        "starts the new Pod before the old one stops",
                        "démarre le nouveau Pod avant l'arrêt de l'ancien",
                    ),
                );
            } else if let Some(s) = strategy {
                v = v.secondary(
                    s.span,
                    ctx.t("rolling update with the default surge", "mise à jour progressive avec le surge par défaut"),
                );
            }
            ctx.report(v);
        }
    }
}

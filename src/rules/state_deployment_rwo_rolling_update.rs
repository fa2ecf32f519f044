//! `state-deployment-rwo-rolling-update`: a Deployment whose rolling update starts a surge Pod
//! while the old Pod still holds a ReadWriteOnce (or unknown-mode) volume.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::index::ClaimAccess;
use crate::k8s::Object;
use crate::k8s::intstr::{IntOrPercent, Rounding};

pub struct StateDeploymentRwoRollingUpdate;

static META: RuleMeta = RuleMeta {
    id: "state-deployment-rwo-rolling-update",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment"]),
    summary: "Rolling update with surge on a Deployment that mounts a ReadWriteOnce volume",
    why: "The surge Pod waits for a volume still attached to the old Pod (Multi-Attach error), and the old Pod is not removed until the new one is Ready: the rollout deadlocks whenever the new Pod lands on another node.",
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
        let Some(spec) = obj.pod_spec() else { return };
        for volume in spec.claim_volumes() {
            if !volume.mounted_read_write(&spec) {
                continue;
            }
            let access = ctx.index.claim_access(obj, volume.claim_name);
            let risky = access.is_single_writer()
                || matches!(&access, ClaimAccess::Unknown)
                || matches!(&access, ClaimAccess::Known { modes, .. } if modes.is_empty());
            if !risky {
                continue;
            }
            let (label, detail) = if access.is_rwop() {
                ("ReadWriteOncePod claim", "the new Pod can never start while the old one runs")
            } else if access.is_single_writer() {
                ("ReadWriteOnce claim", "the new Pod waits for a volume the old Pod holds")
            } else {
                (
                    "claim of unknown access mode",
                    "if the claim is ReadWriteOnce, as most block storage is, the new Pod waits for a volume the old Pod holds",
                )
            };
            let how = match surge_node {
                Some(_) => format!("maxSurge {surge_pods}"),
                None => "the default maxSurge of 25%".to_string(),
            };
            let mut v = Violation::new(
                volume.claim_node.span,
                label,
                format!(
                    "{} rolls out with a surge Pod ({how}) but mounts PVC `{}` ({}): {detail}",
                    obj.display(),
                    volume.claim_name,
                    access.describe()
                ),
                "Set `strategy.type: Recreate` (and drop `rollingUpdate`), or keep RollingUpdate with `maxSurge: 0` and `maxUnavailable: 1`.",
            );
            if let Some(node) = surge_node {
                v = v.secondary(node.span, "starts the new Pod before the old one stops");
            } else if let Some(s) = strategy {
                v = v.secondary(s.span, "rolling update with the default surge");
            }
            ctx.report(v);
        }
    }
}

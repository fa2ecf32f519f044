//! `rollout-recreate-downtime`: a serving Deployment with `strategy: Recreate`, so every rollout
//! is an outage. Exempt: Deployments that mount a ReadWriteOnce (or unknown-mode) volume, for
//! which Recreate is the documented right choice.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, claims};

pub struct RolloutRecreateDowntime;

static META: RuleMeta = RuleMeta {
    id: "rollout-recreate-downtime",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment"]),
    summary: "Serving Deployment uses the Recreate strategy: every rollout is an outage",
    why: "Recreate stops every old Pod before the first new one starts, so the service answers nothing until the new version is Ready.",
    why_fr: "Recreate arrête tous les anciens Pods avant que le premier nouveau ne démarre : le service ne répond plus jusqu'à ce que la nouvelle version soit Ready.",
    docs: include_str!("../../rules/rollout-recreate-downtime.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for RolloutRecreateDowntime {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(type_node) = obj.spec().and_then(|s| s.path(&["strategy", "type"])) else { return };
        if type_node.text() != Some("Recreate") || !ctx.index.is_serving(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // The same claims for which `state-deployment-rwo-rolling-update` asks for Recreate.
        let holds_single_writer_volume = spec.claim_volumes().any(|v| {
            claims::pins_to_one_node(&ctx.index.claim_access(obj, v.claim_name), claims::claim_use(&spec, &v))
        });
        if holds_single_writer_volume {
            return;
        }
        let replicas = ctx.index.min_replicas(obj);
        if replicas < 1 {
            return;
        }
        let severity = if replicas >= 2 { Severity::Warning } else { Severity::Info };
        let what = match replicas {
            1 => ctx.t("its only replica", "son unique réplica"),
            2 => ctx.t("both replicas", "ses deux réplicas"),
            n => ctx.t(format!("all {n} replicas"), format!("ses {n} réplicas")),
        };
        let mut v = Violation::new(
            type_node.span,
            ctx.t("stops every Pod first", "arrête d'abord tous les Pods"),
            ctx.t(
                format!("{} uses the Recreate strategy: every rollout stops {what} before a new Pod starts", obj.display()),
                format!(
                    "{} utilise la stratégie Recreate : chaque déploiement arrête {what} avant qu'un nouveau Pod ne démarre",
                    obj.display()
                ),
            ),
            ctx.t(
                "Use `strategy.type: RollingUpdate` (e.g. `maxSurge: 25%`, `maxUnavailable: 0`) unless old and new versions truly cannot run side by side.",
                "Utilisez `strategy.type: RollingUpdate` (par exemple `maxSurge: 25%`, `maxUnavailable: 0`), sauf si l'ancienne et la nouvelle version ne peuvent vraiment pas tourner côte à côte.",
            ),
        )
        .severity(severity);
        let services = ctx.index.services_selecting(obj);
        if let Some(svc) = services.iter().find(|s| ctx.same_file(s)) {
            if let Some(selector) = svc.spec().and_then(|s| s.entry("selector")) {
                let name = svc.name().unwrap_or("?");
                v = v.secondary(
                    selector.key.span,
                    ctx.t(
                        format!("Service `{name}` sends traffic to these Pods"),
                        format!("le Service `{name}` envoie du trafic à ces Pods"),
                    ),
                );
            }
        }
        ctx.report(v);
    }
}

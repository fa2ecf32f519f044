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
    why_fr: "",
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
            1 => "its only replica".to_string(),
            2 => "both replicas".to_string(),
            n => format!("all {n} replicas"),
        };
        let mut v = Violation::new(
            type_node.span,
            "stops every Pod first",
            format!("{} uses the Recreate strategy: every rollout stops {what} before a new Pod starts", obj.display()),
            "Use `strategy.type: RollingUpdate` (e.g. `maxSurge: 25%`, `maxUnavailable: 0`) unless old and new versions truly cannot run side by side.",
        )
        .severity(severity);
        let services = ctx.index.services_selecting(obj);
        if let Some(svc) = services.iter().find(|s| ctx.same_file(s)) {
            if let Some(selector) = svc.spec().and_then(|s| s.entry("selector")) {
                v = v.secondary(
                    selector.key.span,
                    format!("Service `{}` sends traffic to these Pods", svc.name().unwrap_or("?")),
                );
            }
        }
        ctx.report(v);
    }
}

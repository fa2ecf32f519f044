//! `rollout-paused`: a Deployment committed with `spec.paused: true`, which freezes every
//! future rollout of its template.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;

pub struct RolloutPaused;

static META: RuleMeta = RuleMeta {
    id: "rollout-paused",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment"]),
    summary: "Deployment is paused: template changes are not rolled out",
    why: "While a Deployment is paused the controller does not roll out changes to its Pod template (and does not evaluate the progress deadline); applied from a manifest, the pause outlives the operation it was meant for.",
    why_fr: "Tant qu'un Deployment est en pause, le contrôleur ne déploie pas les modifications de son template de Pod (et n'évalue pas le délai de progression) ; appliquée depuis un manifeste, la pause survit à l'opération pour laquelle elle était prévue.",
    docs: include_str!("../../rules/rollout-paused.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for RolloutPaused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(entry) = obj.spec().and_then(|s| s.entry("paused")) else { return };
        if entry.value.as_bool() != Some(true) {
            return;
        }
        ctx.report(Violation::new(
            entry.key.span.cover(entry.value.span),
            ctx.t("rollouts paused", "déploiements en pause"),
            ctx.t(
                format!("{} is paused: changes to its Pod template will not be rolled out", obj.display()),
                format!("{} est en pause : les modifications de son template de Pod ne seront pas déployées", obj.display()),
            ),
            ctx.t(
                "Remove `paused: true` from the manifest; pause with `kubectl rollout pause` only for the duration of an operation.",
                "Retirez `paused: true` du manifeste ; mettez en pause avec `kubectl rollout pause` seulement le temps d'une opération.",
            ),
        ));
    }
}

//! `cronjob-concurrency-allow`: a CronJob that lets runs overlap (`concurrencyPolicy` unset or
//! `Allow`).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::{cronjob_spec_key, job_spec};

pub struct CronJobConcurrencyAllow;

static META: RuleMeta = RuleMeta {
    id: "cronjob-concurrency-allow",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["CronJob"]),
    summary: "CronJob lets runs overlap (`concurrencyPolicy` unset or `Allow`)",
    why: "With Allow the CronJob controller starts the next Job even while the previous one still runs, so a slow run and the next one work on the same data at once.",
    why_fr: "Avec Allow, le contrôleur de CronJob démarre le Job suivant même si le précédent tourne encore : une exécution lente et la suivante travaillent alors en même temps sur les mêmes données.",
    docs: include_str!("../../rules/cronjob-concurrency-allow.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CronJobConcurrencyAllow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if job_spec(obj).is_none() {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let (span, label) = match spec.get_some("concurrencyPolicy") {
            Some(node) if node.text() == Some("Allow") => {
                (node.span, ctx.t("runs may overlap", "les exécutions peuvent se chevaucher"))
            }
            Some(_) => return,
            None => match cronjob_spec_key(obj) {
                Some(key) => (
                    key,
                    ctx.t(
                        "no concurrencyPolicy: runs may overlap",
                        "pas de concurrencyPolicy : les exécutions peuvent se chevaucher",
                    ),
                ),
                None => return,
            },
        };
        let message = ctx.t(
            format!(
                "{} allows concurrent runs: a new Job starts even while the previous one is still running",
                obj.display()
            ),
            format!(
                "{} autorise les exécutions concurrentes : un nouveau Job démarre même si le précédent tourne encore",
                obj.display()
            ),
        );
        let help = ctx.t(
            "Set `concurrencyPolicy: Forbid` (skip a run while one is active) or `Replace` (stop the old run).",
            "Définissez `concurrencyPolicy: Forbid` (sauter une exécution tant qu'une autre est active) ou `Replace` (arrêter l'ancienne exécution).",
        );
        ctx.report(Violation::new(span, label, message, help));
    }
}

//! `cronjob-starting-deadline-missing`: a CronJob without `startingDeadlineSeconds`, so missed
//! schedules pile up after downtime or a suspension.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::{cronjob_spec_key, job_spec};

pub struct CronJobStartingDeadlineMissing;

static META: RuleMeta = RuleMeta {
    id: "cronjob-starting-deadline-missing",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["CronJob"]),
    summary: "CronJob without `startingDeadlineSeconds`: missed runs pile up after downtime",
    why: "Without a starting deadline the CronJob controller counts missed schedules since the last run: after downtime or a suspension it may start a missed run at an unexpected time, and past 100 missed schedules it warns (older controllers stopped starting the CronJob altogether).",
    why_fr: "Sans échéance de démarrage, le contrôleur de CronJob compte les planifications manquées depuis la dernière exécution : après une indisponibilité ou une suspension, il peut lancer une exécution manquée à un moment inattendu, et au-delà de 100 planifications manquées il émet un avertissement (les anciens contrôleurs cessaient complètement de démarrer le CronJob).",
    docs: include_str!("../../rules/cronjob-starting-deadline-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CronJobStartingDeadlineMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if job_spec(obj).is_none() {
            return;
        }
        if obj.spec().and_then(|s| s.get_some("startingDeadlineSeconds")).is_some() {
            return;
        }
        let Some(key) = cronjob_spec_key(obj) else { return };
        let label = ctx.t("no startingDeadlineSeconds", "pas de startingDeadlineSeconds");
        let message = ctx.t(
            format!("{} sets no `startingDeadlineSeconds`: after controller downtime or a suspension, missed runs are counted from the last one", obj.display()),
            format!("{} ne définit pas `startingDeadlineSeconds` : après une indisponibilité du contrôleur ou une suspension, les exécutions manquées sont comptées depuis la dernière", obj.display()),
        );
        let help = ctx.t(
            "Set `startingDeadlineSeconds` (for example 300: at least 10, below the schedule interval).",
            "Définissez `startingDeadlineSeconds` (par exemple 300 : au moins 10, moins que l'intervalle de planification).",
        );
        ctx.report(Violation::new(key, label, message, help));
    }
}

//! `cronjob-starting-deadline-too-low`: a CronJob whose `startingDeadlineSeconds` is below 10,
//! so runs can be counted as missed before the controller gets to them.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::job_spec;

pub struct CronJobStartingDeadlineTooLow;

static META: RuleMeta = RuleMeta {
    id: "cronjob-starting-deadline-too-low",
    family: Family::Controllers,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["CronJob"]),
    summary: "CronJob `startingDeadlineSeconds` below 10: runs may never start",
    why: "A run that has not started within startingDeadlineSeconds of its scheduled time is counted as missed; the docs warn that below 10 seconds the CronJob may not be scheduled at all, with no error anywhere.",
    why_fr: "Une exécution qui n'a pas démarré dans les startingDeadlineSeconds suivant l'heure prévue est comptée comme manquée ; la documentation avertit qu'en dessous de 10 secondes le CronJob peut ne jamais être planifié, sans aucune erreur nulle part.",
    docs: include_str!("../../rules/cronjob-starting-deadline-too-low.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CronJobStartingDeadlineTooLow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if job_spec(obj).is_none() {
            return;
        }
        let Some(node) = obj.spec().and_then(|s| s.get("startingDeadlineSeconds")) else { return };
        let Some(seconds) = node.as_i64().filter(|s| (0..10).contains(s)) else { return };
        let label = ctx
            .t("below 10 seconds: runs may be missed", "moins de 10 secondes : des exécutions peuvent être manquées");
        let message = ctx.t(
            format!("{} must start each run within {seconds}s of its schedule (`startingDeadlineSeconds: {seconds}`): runs may be missed every time", obj.display()),
            format!("{} doit démarrer chaque exécution dans les {seconds} s suivant l'heure prévue (`startingDeadlineSeconds: {seconds}`) : les exécutions peuvent être manquées à chaque fois", obj.display()),
        );
        let help = ctx.t(
            "Set `startingDeadlineSeconds` to 60 or more (and below the schedule interval).",
            "Définissez `startingDeadlineSeconds` à 60 ou plus (et moins que l'intervalle de planification).",
        );
        ctx.report(Violation::new(node.span, label, message, help));
    }
}

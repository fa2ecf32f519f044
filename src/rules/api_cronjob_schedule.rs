//! `api-cronjob-schedule`: a CronJob `schedule` that is not a five-field cron expression or a
//! known descriptor, a `TZ=`/`CRON_TZ=` prefix, or a `timeZone` the API server rejects.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::is_builtin;
use crate::k8s::names::is_placeholder;
use crate::k8s::{Object, cron};

pub struct ApiCronJobSchedule;

static META: RuleMeta = RuleMeta {
    id: "api-cronjob-schedule",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["CronJob"]),
    summary: "CronJob schedule or time zone the API server rejects",
    why: "The API server parses `spec.schedule` as a standard five-field cron expression (or `@hourly`-style descriptor), rejects `TZ=`/`CRON_TZ=` prefixes in favour of `spec.timeZone`, and rejects unknown time zones: the apply fails.",
    why_fr: "L'API server lit `spec.schedule` comme une expression cron standard à cinq champs (ou un descripteur comme `@hourly`), rejette les préfixes `TZ=`/`CRON_TZ=` au profit de `spec.timeZone` et rejette les fuseaux horaires inconnus : l'apply échoue.",
    docs: include_str!("../../rules/api-cronjob-schedule.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiCronJobSchedule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let display = obj.display();
        let tz_node = spec.get_some("timeZone");
        if let Some(node) = spec.get_some("schedule") {
            if let Some(schedule) = node.as_str().filter(|s| !is_placeholder(s)) {
                if schedule.contains("TZ") {
                    // Rejected from 1.29; before that accepted, though never supported.
                    let rejected = ctx.options.target_minor() >= 29;
                    let message = if rejected {
                        ctx.t(
                            format!("{display}: schedule `{schedule}` sets a time zone with TZ or CRON_TZ"),
                            format!("{display} : le schedule `{schedule}` fixe un fuseau horaire avec TZ ou CRON_TZ"),
                        )
                    } else {
                        ctx.t(
                            format!("{display}: schedule `{schedule}` sets a time zone with TZ or CRON_TZ, which Kubernetes never supported and rejects from 1.29"),
                            format!("{display} : le schedule `{schedule}` fixe un fuseau horaire avec TZ ou CRON_TZ, ce que Kubernetes n'a jamais pris en charge et rejette à partir de 1.29"),
                        )
                    };
                    let mut v = Violation::new(
                        node.span,
                        ctx.t("time zone in the schedule", "fuseau horaire dans le schedule"),
                        message,
                        ctx.t(
                            "Move the zone to `spec.timeZone` (e.g. `timeZone: Europe/Paris`) and keep only the five fields in `schedule`.",
                            "Déplacez le fuseau dans `spec.timeZone` (par exemple `timeZone: Europe/Paris`) et ne gardez que les cinq champs dans `schedule`.",
                        ),
                    )
                    .severity(if rejected { META.severity } else { Severity::Warning })
                    .why(ctx.t("Since Kubernetes 1.29 the API server rejects `TZ=`/`CRON_TZ=` in a new CronJob's schedule (`cannot use TZ or CRON_TZ in schedule, use timeZone field instead`): the apply fails.", "Depuis Kubernetes 1.29, l'API server rejette `TZ=`/`CRON_TZ=` dans le schedule d'un nouveau CronJob (`cannot use TZ or CRON_TZ in schedule, use timeZone field instead`) : l'apply échoue."));
                    if let Some(tz) = tz_node {
                        v = v.secondary(tz.span, ctx.t("timeZone is set too", "timeZone est aussi défini"));
                    }
                    ctx.report(v);
                } else if let Some(why) = cron::check(schedule) {
                    let v = Violation::new(
                        node.span,
                        ctx.t("not a cron schedule", "pas un schedule cron"),
                        ctx.t(format!("{display}: schedule `{schedule}` {why}"), format!("{display} : le schedule `{schedule}` {why}")),
                        ctx.t(
                            "Write five fields, minute hour day-of-month month day-of-week (e.g. `*/15 * * * *`), or a descriptor such as `@daily`.",
                            "Écrivez cinq champs, minute heure jour-du-mois mois jour-de-la-semaine (par exemple `*/15 * * * *`), ou un descripteur comme `@daily`.",
                        ),
                    );
                    ctx.report(v);
                }
            }
        }
        if let Some(node) = tz_node {
            if let Some(tz) = node.as_str().filter(|s| !is_placeholder(s)) {
                if let Some(why) = cron::time_zone_error(tz) {
                    let v = Violation::new(
                        node.span,
                        ctx.t("not an IANA time zone", "pas un fuseau horaire IANA"),
                        ctx.t(format!("{display}: timeZone `{tz}` {why}"), format!("{display} : timeZone `{tz}` {why}")),
                        ctx.t(
                            "Use an IANA time zone name such as `Europe/Paris`, `America/New_York` or `Etc/UTC`.",
                            "Utilisez un nom de fuseau horaire IANA comme `Europe/Paris`, `America/New_York` ou `Etc/UTC`.",
                        ),
                    );
                    ctx.report(v);
                }
            }
        }
    }
}

//! `cronjob-no-timezone`: a CronJob whose schedule is read in the controller manager's local
//! time zone because `spec.timeZone` is unset.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::job_spec;

pub struct CronJobNoTimezone;

static META: RuleMeta = RuleMeta {
    id: "cronjob-no-timezone",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["CronJob"]),
    summary: "CronJob schedule without `timeZone`: runs in the control plane's local time",
    why: "Without spec.timeZone the schedule is interpreted in kube-controller-manager's local time zone, so the run time shifts when the control plane moves or changes zone (and with daylight saving time).",
    why_fr: "Sans spec.timeZone, la planification est interprétée dans le fuseau horaire local de kube-controller-manager : l'heure d'exécution se décale quand le control plane est déplacé ou change de fuseau (et avec l'heure d'été).",
    docs: include_str!("../../rules/cronjob-no-timezone.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CronJobNoTimezone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if job_spec(obj).is_none() {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        if spec.get_some("timeZone").is_some() {
            return;
        }
        let Some(schedule) = spec.get("schedule") else { return };
        let Some(text) = schedule.text() else { return };
        // `@every 5m` does not depend on the zone; a `TZ=` prefix names one (another rule
        // reports that form).
        let text = text.trim();
        if text.starts_with("@every") || text.starts_with("TZ=") || text.starts_with("CRON_TZ=") {
            return;
        }
        if !depends_on_zone(text) {
            return;
        }
        let label = ctx.t("in the control plane's local time", "à l'heure locale du control plane");
        let message = ctx.t(
            format!(
                "{} sets no `timeZone`: its schedule `{text}` is read in kube-controller-manager's local time zone",
                obj.display()
            ),
            format!(
                "{} ne définit pas `timeZone` : sa planification `{text}` est lue dans le fuseau horaire local de kube-controller-manager",
                obj.display()
            ),
        );
        let help = ctx.t(
            "Set `spec.timeZone` (for example \"Etc/UTC\" or an IANA zone such as \"Europe/Paris\").",
            "Définissez `spec.timeZone` (par exemple \"Etc/UTC\" ou un fuseau IANA comme \"Europe/Paris\").",
        );
        ctx.report(Violation::new(schedule.span, label, message, help));
    }
}

/// Whether the run times move with the time zone: the hour, day or month fields restrict when it
/// runs. `*/10 * * * *` and `@hourly` run at the same instants in every whole-hour zone.
fn depends_on_zone(schedule: &str) -> bool {
    if schedule == "@hourly" {
        return false;
    }
    if schedule.starts_with('@') {
        return true;
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    match fields.as_slice() {
        // Every hour, every day: the same instants in every whole-hour zone. A step on the hour
        // (`*/2`) or any restriction on days depends on where the zone's hours and days start.
        [_minute, hour, days @ ..] if days.len() == 3 => {
            !(matches!(*hour, "*" | "*/1") && days.iter().all(|f| matches!(*f, "*" | "?")))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::depends_on_zone;

    #[test]
    fn only_schedules_restricted_by_hour_or_day_depend_on_the_zone() {
        assert!(depends_on_zone("0 3 * * *"));
        assert!(depends_on_zone("@daily"));
        assert!(depends_on_zone("30 * * * 1-5"));
        assert!(!depends_on_zone("*/5 * * * *"));
        assert!(depends_on_zone("15 */2 * * *"));
        assert!(depends_on_zone("0 * */2 * *"));
        assert!(!depends_on_zone("15 */1 * * ?"));
        assert!(!depends_on_zone("@hourly"));
    }
}

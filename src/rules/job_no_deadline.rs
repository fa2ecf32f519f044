//! `job-no-deadline`: a Job (or a CronJob's job template) without `activeDeadlineSeconds`, so a
//! hung Pod runs forever; under `concurrencyPolicy: Forbid` it also blocks every later run.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::{is_self_deleting_hook, is_suspended, job_spec, job_spec_key};

pub struct JobNoDeadline;

static META: RuleMeta = RuleMeta {
    id: "job-no-deadline",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Job", "CronJob"]),
    summary: "Job without `activeDeadlineSeconds`: a hung run is never stopped",
    why: "backoffLimit counts failed Pods only: a Pod that hangs never fails, so without activeDeadlineSeconds the Job controller lets it run (and hold its resources) forever.",
    why_fr: "backoffLimit ne compte que les Pods en échec : un Pod bloqué n'échoue jamais, donc sans activeDeadlineSeconds le contrôleur de Job le laisse tourner (et garder ses ressources) indéfiniment.",
    docs: include_str!("../../rules/job-no-deadline.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for JobNoDeadline {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = job_spec(obj) else { return };
        if spec.get_some("activeDeadlineSeconds").is_some() {
            return;
        }
        // Suspended objects start nothing; Helm deletes its own hooks; a Job owned by a CronJob
        // (exported from a cluster) takes its deadline from the CronJob.
        if is_suspended(obj) || is_self_deleting_hook(obj) || obj.has_owner_references() {
            return;
        }
        let Some(key) = job_spec_key(obj) else { return };
        let forbid = (obj.kind == "CronJob")
            .then(|| obj.spec().and_then(|s| s.get("concurrencyPolicy")))
            .flatten()
            .filter(|p| p.text() == Some("Forbid"));
        let label = ctx.t("no activeDeadlineSeconds", "pas d'activeDeadlineSeconds");
        let v = match forbid {
            Some(policy) => Violation::new(
                key,
                label,
                ctx.t(
                    format!("{} forbids concurrent runs but sets no `activeDeadlineSeconds`: one hung run blocks every later schedule", obj.display()),
                    format!("{} interdit les exécutions concurrentes mais ne définit pas `activeDeadlineSeconds` : une exécution bloquée bloque toutes les planifications suivantes", obj.display()),
                ),
                ctx.t(
                    "Set `activeDeadlineSeconds` in the job template, shorter than the schedule interval.",
                    "Définissez `activeDeadlineSeconds` dans le job template, plus court que l'intervalle de planification.",
                ),
            )
            .secondary(policy.span, ctx.t("a running Job blocks the next ones", "un Job en cours bloque les suivants"))
            .severity(Severity::Warning)
            .why(ctx.t(
                "With concurrencyPolicy: Forbid the CronJob controller skips every schedule while a Job is still active; a Pod that hangs never fails, so without a deadline the Job stays active and the task silently stops running.",
                "Avec concurrencyPolicy: Forbid, le contrôleur de CronJob saute chaque planification tant qu'un Job est encore actif ; un Pod bloqué n'échoue jamais, donc sans échéance le Job reste actif et la tâche cesse de s'exécuter sans bruit.",
            )),
            None => Violation::new(
                key,
                label,
                if obj.kind == "CronJob" {
                    ctx.t(
                        format!("{} sets no `activeDeadlineSeconds` in its job template: a hung run is never stopped", obj.display()),
                        format!("{} ne définit pas `activeDeadlineSeconds` dans son job template : une exécution bloquée n'est jamais arrêtée", obj.display()),
                    )
                } else {
                    ctx.t(
                        format!("{} sets no `activeDeadlineSeconds`: a hung Pod is never stopped", obj.display()),
                        format!("{} ne définit pas `activeDeadlineSeconds` : un Pod bloqué n'est jamais arrêté", obj.display()),
                    )
                },
                ctx.t(
                    "Set `activeDeadlineSeconds` to the longest a run may take.",
                    "Définissez `activeDeadlineSeconds` à la durée maximale que peut prendre une exécution.",
                ),
            ),
        };
        ctx.report(v);
    }
}

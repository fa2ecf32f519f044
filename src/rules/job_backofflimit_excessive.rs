//! `job-backofflimit-excessive`: a Job retried so many times (`backoffLimit` above 20, or a
//! per-index limit with no cap on failed indexes) that a broken Job keeps running for hours.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::job_spec;
use crate::yaml::Node;

pub struct JobBackoffLimitExcessive;

/// Retries above this are a smell (the default is 6).
const LIMIT: i64 = 20;

static META: RuleMeta = RuleMeta {
    id: "job-backofflimit-excessive",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Job", "CronJob"]),
    summary: "Job retried so many times that a broken run keeps going for hours",
    why: "The Job controller waits 10s, 20s, 40s… (capped at 6 minutes) between retries, so a large retry budget with no activeDeadlineSeconds keeps a Job that can never succeed running for hours.",
    why_fr: "Le contrôleur de Job attend 10 s, 20 s, 40 s… (jusqu'à 6 minutes au plus) entre deux tentatives : un grand nombre de tentatives sans activeDeadlineSeconds fait tourner pendant des heures un Job qui ne peut jamais réussir.",
    docs: include_str!("../../rules/job-backofflimit-excessive.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for JobBackoffLimitExcessive {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = job_spec(obj) else { return };
        if spec.get_some("activeDeadlineSeconds").is_some() {
            return;
        }
        if let Some(node) = spec.get("backoffLimit").filter(|n| n.as_i64().is_some_and(|b| b > LIMIT)) {
            let limit = node.as_i64().unwrap_or_default();
            let label = ctx.t(format!("{limit} retries"), format!("{limit} nouvelles tentatives"));
            let message = ctx.t(
                format!("{} retries failed Pods up to {limit} times with no `activeDeadlineSeconds`: a Job that cannot succeed keeps retrying for hours", obj.display()),
                format!("{} relance les Pods en échec jusqu'à {limit} fois sans `activeDeadlineSeconds` : un Job qui ne peut pas réussir continue de réessayer pendant des heures", obj.display()),
            );
            let help = ctx.t(
                "Lower backoffLimit (3 to 6) and set activeDeadlineSeconds; use podFailurePolicy to stop on errors a retry cannot fix.",
                "Abaissez backoffLimit (3 à 6) et définissez activeDeadlineSeconds ; utilisez podFailurePolicy pour arrêter sur les erreurs qu'une nouvelle tentative ne peut pas corriger.",
            );
            ctx.report(Violation::new(node.span, label, message, help));
            return;
        }
        // With backoffLimitPerIndex, backoffLimit defaults to the maximum int32: only
        // maxFailedIndexes bounds the total number of retries.
        let Some(per_index) = spec.get("backoffLimitPerIndex").filter(|n| n.as_i64().is_some_and(|b| b > 0)) else {
            return;
        };
        if spec.get_some("maxFailedIndexes").is_some() || spec.get_some("backoffLimit").is_some() {
            return;
        }
        let limit = per_index.as_i64().unwrap_or_default();
        let completions = spec.get("completions").and_then(Node::as_i64).unwrap_or(1);
        let total = limit.saturating_mul(completions);
        if total <= LIMIT {
            return;
        }
        let label =
            ctx.t(format!("up to {total} retries in all"), format!("jusqu'à {total} nouvelles tentatives en tout"));
        let message = ctx.t(
            format!("{} retries each of its {completions} indexes up to {limit} times with no `maxFailedIndexes`: a broken Job keeps retrying every index", obj.display()),
            format!("{} relance chacun de ses {completions} index jusqu'à {limit} fois sans `maxFailedIndexes` : un Job défaillant continue de réessayer chaque index", obj.display()),
        );
        let help = ctx.t(
            "Set maxFailedIndexes (and activeDeadlineSeconds) so the Job fails once enough indexes have failed.",
            "Définissez maxFailedIndexes (et activeDeadlineSeconds) pour que le Job échoue dès qu'assez d'index ont échoué.",
        );
        ctx.report(Violation::new(per_index.span, label, message, help));
    }
}

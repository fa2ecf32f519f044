//! `job-ttl-missing`: a standalone Job without `ttlSecondsAfterFinished`, so the finished Job
//! and its Pods stay in the cluster until someone deletes them.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::{is_managed_hook, job_spec, job_spec_key};

pub struct JobTtlMissing;

static META: RuleMeta = RuleMeta {
    id: "job-ttl-missing",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Job"]),
    summary: "Standalone Job without `ttlSecondsAfterFinished`: finished Jobs are never cleaned up",
    why: "Nothing deletes a finished standalone Job: it and its Pods stay in the API server (and count against quota) until someone removes them; the TTL-after-finished controller does it when ttlSecondsAfterFinished is set.",
    why_fr: "Rien ne supprime un Job autonome terminé : lui et ses Pods restent dans l'API server (et comptent dans le quota) jusqu'à ce que quelqu'un les supprime ; le contrôleur TTL-after-finished s'en charge quand ttlSecondsAfterFinished est défini.",
    docs: include_str!("../../rules/job-ttl-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for JobTtlMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = job_spec(obj) else { return };
        if spec.get_some("ttlSecondsAfterFinished").is_some() {
            return;
        }
        // Helm and Argo CD replace a hook's previous copy on every run; an owned Job (a
        // CronJob's) is cleaned up by its owner's history limits.
        if is_managed_hook(obj) || obj.has_owner_references() {
            return;
        }
        let Some(key) = job_spec_key(obj) else { return };
        let label = ctx.t("no ttlSecondsAfterFinished", "pas de ttlSecondsAfterFinished");
        let message = ctx.t(
            format!(
                "{} sets no `ttlSecondsAfterFinished`: once finished, it and its Pods stay until deleted by hand",
                obj.display()
            ),
            format!(
                "{} ne définit pas `ttlSecondsAfterFinished` : une fois terminé, lui et ses Pods restent jusqu'à leur suppression à la main",
                obj.display()
            ),
        );
        let help = ctx.t(
            "Set `ttlSecondsAfterFinished` (for example 86400) so the finished Job is deleted automatically.",
            "Définissez `ttlSecondsAfterFinished` (par exemple 86400) pour que le Job terminé soit supprimé automatiquement.",
        );
        ctx.report(Violation::new(key, label, message, help));
    }
}

//! `job-onfailure-loses-evidence`: a Job (or CronJob) whose Pods restart in place on failure
//! (`restartPolicy: OnFailure`), so the failed containers and their logs do not survive.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::{job_spec, pod_template_spec};

pub struct JobOnFailureLosesEvidence;

static META: RuleMeta = RuleMeta {
    id: "job-onfailure-loses-evidence",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Job", "CronJob"]),
    summary: "Job restarts failed containers in place (`restartPolicy: OnFailure`)",
    why: "With OnFailure the kubelet restarts the failed container in the same Pod and keeps only the previous attempt's logs; once backoffLimit is reached the Job controller terminates the Pod, and the evidence of the failures goes with it.",
    why_fr: "Avec OnFailure, le kubelet redémarre le conteneur en échec dans le même Pod et ne garde que les logs de la tentative précédente ; une fois backoffLimit atteint, le contrôleur de Job termine le Pod, et les traces des échecs disparaissent avec lui.",
    docs: include_str!("../../rules/job-onfailure-loses-evidence.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for JobOnFailureLosesEvidence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = job_spec(obj) else { return };
        // With a podFailurePolicy, OnFailure is rejected outright (job-restart-policy).
        if spec.get_some("podFailurePolicy").is_some() {
            return;
        }
        let Some((pod, _)) = pod_template_spec(spec) else { return };
        let Some(node) = pod.get("restartPolicy").filter(|n| n.text() == Some("OnFailure")) else { return };
        let label = ctx.t("failed containers restart in place", "les conteneurs en échec redémarrent sur place");
        let message = ctx.t(
            format!("{} restarts failed containers in place (`restartPolicy: OnFailure`): their logs are lost when the Job gives up", obj.display()),
            format!("{} redémarre les conteneurs en échec sur place (`restartPolicy: OnFailure`) : leurs logs sont perdus quand le Job abandonne", obj.display()),
        );
        let help = ctx.t(
            "Set `restartPolicy: Never` so each failed attempt stays as a Pod you can inspect.",
            "Définissez `restartPolicy: Never` pour que chaque tentative en échec reste un Pod que vous pouvez examiner.",
        );
        ctx.report(Violation::new(node.span, label, message, help));
    }
}

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
    why_fr: "",
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
        ctx.report(Violation::new(
            node.span,
            "failed containers restart in place",
            format!("{} restarts failed containers in place (`restartPolicy: OnFailure`): their logs are lost when the Job gives up", obj.display()),
            "Set `restartPolicy: Never` so each failed attempt stays as a Pod you can inspect.",
        ));
    }
}

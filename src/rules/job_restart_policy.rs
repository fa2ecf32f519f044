//! `job-restart-policy`: a Job (or a CronJob's job template) whose Pods would restart `Always`,
//! or that sets `podFailurePolicy` without `restartPolicy: Never`: the API server rejects both.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::job::{is_partial, job_spec, pod_template_spec};

pub struct JobRestartPolicy;

static META: RuleMeta = RuleMeta {
    id: "job-restart-policy",
    family: Family::Controllers,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Job", "CronJob"]),
    summary: "Job pod template without `restartPolicy: Never` or `OnFailure`",
    why: "Job validation accepts only `restartPolicy: OnFailure` or `Never` (and only `Never` with a podFailurePolicy); an omitted field defaults to `Always`, so the API server rejects the Job (or the CronJob) at apply time.",
    why_fr: "",
    docs: include_str!("../../rules/job-restart-policy.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for JobRestartPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = job_spec(obj) else { return };
        let Some((pod, pod_key)) = pod_template_spec(spec) else { return };
        let failure_policy = spec.get_some("podFailurePolicy");
        let where_ = if obj.kind == "CronJob" { "its job template" } else { "its pod template" };
        let Some(node) = pod.get_some("restartPolicy") else {
            // A patch or a partial object carries only the fields it changes.
            if is_partial(pod) {
                return;
            }
            ctx.report(Violation::new(
                pod_key,
                "no restartPolicy: defaults to Always",
                format!("{} sets no `restartPolicy` in {where_}: it defaults to `Always`, which the API server rejects for a Job", obj.display()),
                if failure_policy.is_some() {
                    "Set `restartPolicy: Never` in the pod template (required with podFailurePolicy)."
                } else {
                    "Set `restartPolicy: Never` (or `OnFailure`) in the pod template."
                },
            ));
            return;
        };
        let value = node.text().unwrap_or_default();
        match value {
            "Never" => {}
            "OnFailure" => {
                if let Some(policy) = failure_policy {
                    let key = spec.entry("podFailurePolicy").map_or(policy.span, |e| e.key.span);
                    let v = Violation::new(
                        node.span,
                        "OnFailure with a podFailurePolicy",
                        format!("{} sets a `podFailurePolicy` with `restartPolicy: OnFailure`: the API server accepts a pod failure policy only with `Never`", obj.display()),
                        "Set `restartPolicy: Never`, or remove podFailurePolicy.",
                    )
                    .secondary(key, "requires restartPolicy: Never");
                    ctx.report(v);
                }
            }
            _ => {
                let (label, message) = if value == "Always" {
                    (
                        "Always is invalid for a Job".to_string(),
                        format!(
                            "{} sets `restartPolicy: Always` in {where_}: the API server accepts only `OnFailure` or `Never` for a Job",
                            obj.display()
                        ),
                    )
                } else {
                    (
                        format!("`{value}` is not a restart policy"),
                        format!(
                            "{} sets `restartPolicy: {value}` in {where_}: the API server accepts only `OnFailure` or `Never` for a Job",
                            obj.display()
                        ),
                    )
                };
                ctx.report(Violation::new(
                    node.span,
                    label,
                    message,
                    if failure_policy.is_some() {
                        "Set `restartPolicy: Never` (required with podFailurePolicy)."
                    } else {
                        "Set `restartPolicy: Never` (or `OnFailure`)."
                    },
                ));
            }
        }
    }
}

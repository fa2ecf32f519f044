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
    why_fr: "La validation des Jobs n'accepte que `restartPolicy: OnFailure` ou `Never` (et seulement `Never` avec un podFailurePolicy) ; un champ omis vaut `Always` par défaut, donc l'API server rejette le Job (ou le CronJob) à l'application.",
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
        let where_fr = if obj.kind == "CronJob" { "son job template" } else { "son template de Pod" };
        let Some(node) = pod.get_some("restartPolicy") else {
            // A patch or a partial object carries only the fields it changes.
            if is_partial(pod) {
                return;
            }
            let label = ctx.t("no restartPolicy: defaults to Always", "pas de restartPolicy : vaut Always par défaut");
            let message = ctx.t(
                format!("{} sets no `restartPolicy` in {where_}: it defaults to `Always`, which the API server rejects for a Job", obj.display()),
                format!("{} ne définit pas `restartPolicy` dans {where_fr} : il vaut `Always` par défaut, ce que l'API server rejette pour un Job", obj.display()),
            );
            let help = if failure_policy.is_some() {
                ctx.t(
                    "Set `restartPolicy: Never` in the pod template (required with podFailurePolicy).",
                    "Définissez `restartPolicy: Never` dans le template de Pod (obligatoire avec podFailurePolicy).",
                )
            } else {
                ctx.t(
                    "Set `restartPolicy: Never` (or `OnFailure`) in the pod template.",
                    "Définissez `restartPolicy: Never` (ou `OnFailure`) dans le template de Pod.",
                )
            };
            ctx.report(Violation::new(pod_key, label, message, help));
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
                        ctx.t("OnFailure with a podFailurePolicy", "OnFailure avec un podFailurePolicy"),
                        ctx.t(
                            format!("{} sets a `podFailurePolicy` with `restartPolicy: OnFailure`: the API server accepts a pod failure policy only with `Never`", obj.display()),
                            format!("{} définit un `podFailurePolicy` avec `restartPolicy: OnFailure` : l'API server n'accepte un podFailurePolicy qu'avec `Never`", obj.display()),
                        ),
                        ctx.t(
                            "Set `restartPolicy: Never`, or remove podFailurePolicy.",
                            "Définissez `restartPolicy: Never`, ou supprimez podFailurePolicy.",
                        ),
                    )
                    .secondary(key, ctx.t("requires restartPolicy: Never", "exige restartPolicy: Never"));
                    ctx.report(v);
                }
            }
            _ => {
                let (label, message) = if value == "Always" {
                    (
                        ctx.t("Always is invalid for a Job", "Always n'est pas valide pour un Job"),
                        ctx.t(
                            format!(
                                "{} sets `restartPolicy: Always` in {where_}: the API server accepts only `OnFailure` or `Never` for a Job",
                                obj.display()
                            ),
                            format!(
                                "{} définit `restartPolicy: Always` dans {where_fr} : l'API server n'accepte que `OnFailure` ou `Never` pour un Job",
                                obj.display()
                            ),
                        ),
                    )
                } else {
                    (
                        ctx.t(
                            format!("`{value}` is not a restart policy"),
                            format!("`{value}` n'est pas une politique de redémarrage"),
                        ),
                        ctx.t(
                            format!(
                                "{} sets `restartPolicy: {value}` in {where_}: the API server accepts only `OnFailure` or `Never` for a Job",
                                obj.display()
                            ),
                            format!(
                                "{} définit `restartPolicy: {value}` dans {where_fr} : l'API server n'accepte que `OnFailure` ou `Never` pour un Job",
                                obj.display()
                            ),
                        ),
                    )
                };
                let help = if failure_policy.is_some() {
                    ctx.t(
                        "Set `restartPolicy: Never` (required with podFailurePolicy).",
                        "Définissez `restartPolicy: Never` (obligatoire avec podFailurePolicy).",
                    )
                } else {
                    ctx.t(
                        "Set `restartPolicy: Never` (or `OnFailure`).",
                        "Définissez `restartPolicy: Never` (ou `OnFailure`).",
                    )
                };
                ctx.report(Violation::new(node.span, label, message, help));
            }
        }
    }
}

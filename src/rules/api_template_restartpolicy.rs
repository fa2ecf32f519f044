//! `api-template-restartpolicy`: a long-running controller's pod template with a `restartPolicy`
//! other than `Always`, which the API server rejects. Jobs are `job-restart-policy`'s.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct ApiTemplateRestartPolicy;

static META: RuleMeta = RuleMeta {
    id: "api-template-restartpolicy",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController"]),
    summary: "Controller pod template with a restartPolicy other than Always",
    why: "Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers keep their Pods running, so the API server accepts only `restartPolicy: Always` in their template (`Unsupported value: \"Never\": supported values: \"Always\"`): the apply fails.",
    why_fr: "Les Deployments, ReplicaSets, StatefulSets, DaemonSets et ReplicationControllers maintiennent leurs Pods en marche ; l'API server n'accepte donc que `restartPolicy: Always` dans leur template (`Unsupported value: \"Never\": supported values: \"Always\"`) : l'apply échoue.",
    docs: include_str!("../../rules/api-template-restartpolicy.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiTemplateRestartPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // Absent (or null) is defaulted to `Always`.
        let Some(node) = spec.node.get_some("restartPolicy") else { return };
        let Some(policy) = node.text().filter(|p| *p != "Always") else { return };
        ctx.report(Violation::new(
            node.span,
            ctx.t("only Always is allowed", "seul Always est autorisé"),
            ctx.t(format!(
                "{}: the pod template sets `restartPolicy: {policy}`: the API server rejects it with `spec.template.spec.restartPolicy: Unsupported value: \"{policy}\": supported values: \"Always\"` (a {} keeps its Pods running and restarts their containers whatever they exit with)",
                obj.display(),
                obj.kind
            ), format!("{} : le template de Pod définit `restartPolicy: {policy}` : l'API server le rejette avec `spec.template.spec.restartPolicy: Unsupported value: \"{policy}\": supported values: \"Always\"` (un {} maintient ses Pods en marche et redémarre leurs conteneurs quel que soit leur code de sortie)", obj.display(), obj.kind)),
            if obj.kind == "Deployment" || obj.kind == "StatefulSet" || obj.kind == "DaemonSet" {
                ctx.t("Remove `restartPolicy` (it defaults to Always), or use a Job for work that runs to completion.", "Supprimez `restartPolicy` (Always par défaut), ou utilisez un Job pour un travail qui s'exécute jusqu'à son terme.")
            } else {
                ctx.t("Remove `restartPolicy` (it defaults to Always).", "Supprimez `restartPolicy` (Always par défaut).")
            },
        ));
    }
}

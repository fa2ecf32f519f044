//! `api-template-active-deadline`: a long-running controller's pod template with
//! `activeDeadlineSeconds`, which the API server rejects (it belongs on Jobs and bare Pods).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct ApiTemplateActiveDeadline;

static META: RuleMeta = RuleMeta {
    id: "api-template-active-deadline",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController"]),
    summary: "Controller pod template with activeDeadlineSeconds",
    why: "A deadline would kill the controller's Pods periodically, so the API server rejects `activeDeadlineSeconds` in the template of a Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController (`activeDeadlineSeconds in ReplicaSet is not Supported`): the apply fails.",
    why_fr: "Un délai tuerait périodiquement les Pods du contrôleur ; l'API server rejette donc `activeDeadlineSeconds` dans le template d'un Deployment, ReplicaSet, StatefulSet, DaemonSet ou ReplicationController (`activeDeadlineSeconds in ReplicaSet is not Supported`) : l'apply échoue.",
    docs: include_str!("../../rules/api-template-active-deadline.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiTemplateActiveDeadline {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let Some(entry) = spec.node.entry("activeDeadlineSeconds").filter(|e| !e.value.is_null()) else { return };
        // Deployments are validated as ReplicaSets, hence the API server's wording.
        let validated_as = if obj.kind == "Deployment" { "ReplicaSet" } else { obj.kind };
        ctx.report(Violation::new(
            entry.key.span.cover(entry.value.span),
            ctx.t("not allowed in this template", "non autorisé dans ce template"),
            ctx.t(format!(
                "{}: the pod template sets `activeDeadlineSeconds`: the API server rejects it with `spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in {validated_as} is not Supported` (it would kill every Pod after that many seconds)",
                obj.display()
            ), format!("{} : le template de Pod définit `activeDeadlineSeconds` : l'API server le rejette avec `spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in {validated_as} is not Supported` (il tuerait chaque Pod après ce nombre de secondes)", obj.display())),
            ctx.t("Remove `activeDeadlineSeconds` from the template; for work with a time limit, use a Job with `spec.activeDeadlineSeconds`.", "Retirez `activeDeadlineSeconds` du template ; pour un travail limité dans le temps, utilisez un Job avec `spec.activeDeadlineSeconds`."),
        ));
    }
}

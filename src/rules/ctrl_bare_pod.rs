//! `ctrl-bare-pod`: a Pod created directly, with no controller to recreate it.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;

pub struct CtrlBarePod;

static META: RuleMeta = RuleMeta {
    id: "ctrl-bare-pod",
    family: Family::Controllers,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Pod"]),
    summary: "Pod created directly, with no controller to replace it",
    why: "A bare Pod is never replaced: when its node fails, or it is evicted or deleted, nothing recreates it.",
    why_fr: "Un Pod nu n'est jamais remplacé : quand son nœud tombe en panne, ou qu'il est évincé ou supprimé, rien ne le recrée.",
    docs: include_str!("../../rules/ctrl-bare-pod.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CtrlBarePod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.group() != "" || obj.has_owner_references() {
            return;
        }
        // Helm test hooks are run-once Pods by design.
        if obj.helm_hook().is_some_and(|h| h.split(',').any(|h| h.trim().starts_with("test"))) {
            return;
        }
        // Static (mirror) Pods are managed by the kubelet from its manifest directory.
        if obj.annotation("kubernetes.io/config.mirror").is_some()
            || obj.annotation("kubernetes.io/config.source").is_some()
        {
            return;
        }
        let restart = obj.pod_spec().and_then(|s| s.restart_policy());
        let (controller, help) = if matches!(restart, Some("Never" | "OnFailure")) {
            (
                "Job",
                ctx.t(
                    "Run it as a Job (same pod spec under `spec.template`): the Job controller retries it and records completion.",
                    "Exécutez-le en tant que Job (même spec de Pod sous `spec.template`) : le contrôleur de Job le relance et enregistre sa complétion.",
                ),
            )
        } else if stateful::detect(obj).is_some_and(|d| d.confidence == Confidence::High) {
            (
                "StatefulSet",
                ctx.t(
                    "Run it as a StatefulSet with volumeClaimTemplates: the server keeps its name and its own volume when it is replaced.",
                    "Exécutez-le en tant que StatefulSet avec volumeClaimTemplates : le serveur garde son nom et son propre volume quand il est remplacé.",
                ),
            )
        } else {
            (
                "Deployment",
                ctx.t(
                    "Run it as a Deployment (the pod spec goes under `spec.template`) so a replacement is started when it dies.",
                    "Exécutez-le en tant que Deployment (la spec du Pod va sous `spec.template`) pour qu'un remplaçant soit démarré quand il meurt.",
                ),
            )
        };
        let label = ctx.t(format!("bare Pod: use a {controller}"), format!("Pod nu : utilisez un {controller}"));
        let message = ctx.t(
            format!("{} is not managed by any controller: nothing recreates it if it dies", obj.display()),
            format!("{} n'est géré par aucun contrôleur : rien ne le recrée s'il meurt", obj.display()),
        );
        ctx.report(Violation::new(obj.kind_node().span, label, message, help));
    }
}

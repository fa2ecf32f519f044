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
    why_fr: "",
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
                "Run it as a Job (same pod spec under `spec.template`): the Job controller retries it and records completion.",
            )
        } else if stateful::detect(obj).is_some_and(|d| d.confidence == Confidence::High) {
            (
                "StatefulSet",
                "Run it as a StatefulSet with volumeClaimTemplates: the server keeps its name and its own volume when it is replaced.",
            )
        } else {
            (
                "Deployment",
                "Run it as a Deployment (the pod spec goes under `spec.template`) so a replacement is started when it dies.",
            )
        };
        ctx.report(Violation::new(
            obj.kind_node().span,
            format!("bare Pod: use a {controller}"),
            format!("{} is not managed by any controller: nothing recreates it if it dies", obj.display()),
            help,
        ));
    }
}

//! `ctrl-replicationcontroller`: the legacy ReplicationController instead of a Deployment.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;

pub struct CtrlReplicationController;

static META: RuleMeta = RuleMeta {
    id: "ctrl-replicationcontroller",
    family: Family::Controllers,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["ReplicationController"]),
    summary: "ReplicationController, the legacy controller, instead of a Deployment",
    why: "A ReplicationController has equality-only selectors and no declarative rolling update or rollback; a Deployment does both.",
    why_fr: "",
    docs: include_str!("../../rules/ctrl-replicationcontroller.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CtrlReplicationController {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.group() != "" {
            return;
        }
        ctx.report(Violation::new(
            obj.kind_node().span,
            "legacy controller",
            format!(
                "{} is a legacy controller: no server-side rollout, no revision history, no rollback",
                obj.display()
            ),
            "Replace it with an apps/v1 Deployment, moving the `spec.selector` map under `spec.selector.matchLabels`.",
        ));
    }
}

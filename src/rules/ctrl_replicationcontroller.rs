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
    why_fr: "Un ReplicationController n'a que des sélecteurs d'égalité et ni mise à jour progressive déclarative ni retour arrière ; un Deployment offre les deux.",
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
        let label = ctx.t("legacy controller", "contrôleur obsolète");
        let message = ctx.t(
            format!(
                "{} is a legacy controller: no server-side rollout, no revision history, no rollback",
                obj.display()
            ),
            format!(
                "{} est un contrôleur obsolète : pas de déploiement côté serveur, pas d'historique des révisions, pas de retour arrière",
                obj.display()
            ),
        );
        let help = ctx.t(
            "Replace it with an apps/v1 Deployment, moving the `spec.selector` map under `spec.selector.matchLabels`.",
            "Remplacez-le par un Deployment apps/v1, en déplaçant la map `spec.selector` sous `spec.selector.matchLabels`.",
        );
        ctx.report(Violation::new(obj.kind_node().span, label, message, help));
    }
}

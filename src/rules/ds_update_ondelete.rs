//! `ds-update-ondelete`: a DaemonSet updated only when someone deletes its Pods
//! (`updateStrategy.type: OnDelete`).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct DsUpdateOnDelete;

static META: RuleMeta = RuleMeta {
    id: "ds-update-ondelete",
    family: Family::Controllers,
    severity: Severity::Info,
    scope: Scope::Kinds(&["DaemonSet"]),
    summary: "DaemonSet updated only when its Pods are deleted by hand (`OnDelete`)",
    why: "With OnDelete the DaemonSet controller creates Pods from the new template only after the old ones are deleted by hand: a template change, security fix included, never reaches running nodes on its own.",
    why_fr: "Avec OnDelete, le contrôleur de DaemonSet ne crée des Pods à partir du nouveau template qu'une fois les anciens supprimés à la main : une modification du template, correctif de sécurité compris, n'atteint jamais d'elle-même les nœuds en fonctionnement.",
    docs: include_str!("../../rules/ds-update-ondelete.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for DsUpdateOnDelete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(node) = obj.spec().and_then(|s| s.path(&["updateStrategy", "type"])) else { return };
        if node.text() != Some("OnDelete") {
            return;
        }
        let label = ctx.t(
            "template changes wait for manual deletion",
            "les modifications du template attendent une suppression manuelle",
        );
        let message = ctx.t(
            format!(
                "{} is updated only when its Pods are deleted by hand (`updateStrategy.type: OnDelete`)",
                obj.display()
            ),
            format!(
                "{} n'est mis à jour que lorsque ses Pods sont supprimés à la main (`updateStrategy.type: OnDelete`)",
                obj.display()
            ),
        );
        let help = ctx.t(
            "Use `updateStrategy.type: RollingUpdate` (with `maxUnavailable: 1`) unless each node must be upgraded by hand.",
            "Utilisez `updateStrategy.type: RollingUpdate` (avec `maxUnavailable: 1`) sauf si chaque nœud doit être mis à niveau à la main.",
        );
        ctx.report(Violation::new(node.span, label, message, help));
    }
}

//! `ctrl-bare-replicaset`: a ReplicaSet created directly instead of through a Deployment.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;

pub struct CtrlBareReplicaSet;

static META: RuleMeta = RuleMeta {
    id: "ctrl-bare-replicaset",
    family: Family::Controllers,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["ReplicaSet"]),
    summary: "ReplicaSet created directly instead of through a Deployment",
    why: "A ReplicaSet only keeps N copies alive: editing its template replaces no running Pod, and there is no rolling update, revision history or rollback.",
    why_fr: "Un ReplicaSet ne fait que maintenir N copies en vie : modifier son template ne remplace aucun Pod en cours d'exécution, et il n'y a ni mise à jour progressive, ni historique des révisions, ni retour arrière.",
    docs: include_str!("../../rules/ctrl-bare-replicaset.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for CtrlBareReplicaSet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // `apps` (and the long-removed `extensions`); a custom resource may reuse the kind name.
        // Exported ReplicaSets owned by a Deployment carry ownerReferences: another rule's case.
        if !matches!(obj.group(), "apps" | "extensions") || obj.has_owner_references() {
            return;
        }
        let label = ctx.t("use kind: Deployment", "utilisez kind: Deployment");
        let message = ctx.t(
            format!("{} is created directly: template changes never roll out and cannot be rolled back", obj.display()),
            format!(
                "{} est créé directement : les modifications du template ne sont jamais déployées et ne peuvent pas être annulées",
                obj.display()
            ),
        );
        let help = ctx.t(
            "Change `kind: ReplicaSet` to `kind: Deployment`; `selector`, `template` and `replicas` carry over unchanged.",
            "Remplacez `kind: ReplicaSet` par `kind: Deployment` ; `selector`, `template` et `replicas` sont repris tels quels.",
        );
        ctx.report(Violation::new(obj.kind_node().span, label, message, help));
    }
}

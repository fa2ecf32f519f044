//! `apiver-deprecated`: an apiVersion the target Kubernetes version still serves but deprecates.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::apiversions;

pub struct ApiverDeprecated;

static META: RuleMeta = RuleMeta {
    id: "apiver-deprecated",
    family: Family::ApiVersions,
    severity: Severity::Warning,
    scope: Scope::All,
    summary: "apiVersion deprecated in the target Kubernetes version",
    why: "The API server still accepts it (with a deprecation warning), but a later upgrade removes it and the apply starts failing.",
    why_fr: "L'API server l'accepte encore (avec un avertissement de dépréciation), mais une mise à niveau ultérieure la supprime et l'apply se met à échouer.",
    docs: include_str!("../../rules/apiver-deprecated.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiverDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(row) = apiversions::lookup(obj.api_version, obj.declared_kind) else { return };
        let Some(target) = crate::schema::parse_minor(&ctx.options.kubernetes_version) else { return };
        if row.removed_in(target) {
            return;
        }
        let Some(node) = obj.root.get("apiVersion") else { return };
        if !row.deprecated_in(target) {
            // Not deprecated yet on the target, but its replacement is already served (info).
            let available = crate::schema::parse_minor(&row.since).is_some_and(|s| target >= s);
            if available && !row.replacement.is_empty() && !row.deprecated.is_empty() {
                ctx.report(
                    Violation::new(
                        node.span,
                        ctx.t(format!("deprecated from {}", row.deprecated), format!("dépréciée à partir de {}", row.deprecated)),
                        ctx.t(format!(
                            "{}: `{}` `{}` is deprecated from Kubernetes {} and its replacement `{}` is already served by the target {}",
                            obj.display(),
                            obj.api_version,
                            obj.declared_kind,
                            row.deprecated,
                            row.replacement,
                            ctx.options.kubernetes_version
                        ), format!("{} : `{}` `{}` est dépréciée à partir de Kubernetes {} et son remplacement `{}` est déjà servi par la cible {}", obj.display(), obj.api_version, obj.declared_kind, row.deprecated, row.replacement, ctx.options.kubernetes_version)),
                        super::apiver_removed::migration(row),
                    )
                    .severity(Severity::Info),
                );
            }
            return;
        }
        let removal = if row.removed.is_empty() {
            ctx.t("no removal is scheduled yet", "aucune suppression n'est encore prévue")
        } else {
            ctx.t(format!("Kubernetes {} removes it", row.removed), format!("Kubernetes {} la supprime", row.removed))
        };
        ctx.report(Violation::new(
            node.span,
            ctx.t(format!("deprecated since {}", row.deprecated), format!("dépréciée depuis {}", row.deprecated)),
            ctx.t(
                format!(
                    "{}: `{}` `{}` is deprecated since Kubernetes {} (target {}); {removal}",
                    obj.display(),
                    obj.api_version,
                    obj.declared_kind,
                    row.deprecated,
                    ctx.options.kubernetes_version
                ),
                format!(
                    "{} : `{}` `{}` est dépréciée depuis Kubernetes {} (cible {}) ; {removal}",
                    obj.display(),
                    obj.api_version,
                    obj.declared_kind,
                    row.deprecated,
                    ctx.options.kubernetes_version
                ),
            ),
            super::apiver_removed::migration(row),
        ));
    }
}

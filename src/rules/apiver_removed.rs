//! `apiver-removed`: an apiVersion the target Kubernetes version no longer serves.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::apiversions::{self, ApiVersion};

pub struct ApiverRemoved;

static META: RuleMeta = RuleMeta {
    id: "apiver-removed",
    family: Family::ApiVersions,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "apiVersion removed in the target Kubernetes version",
    why: "The API server no longer serves the version and answers `no matches for kind`: nothing in the object is applied.",
    why_fr: "L'API server ne sert plus cette version et répond `no matches for kind` : rien de l'objet n'est appliqué.",
    docs: include_str!("../../rules/apiver-removed.md"),
    default_enabled: true,
    supersedes: &[],
};

/// The migration advice shared by `apiver-removed` and `apiver-deprecated`.
pub(super) fn migration(row: &ApiVersion) -> String {
    let mut help = if row.replacement.is_empty() {
        crate::i18n::t("There is no replacement kind", "Il n'y a pas de kind de remplacement")
    } else {
        crate::i18n::t(
            format!("Change `apiVersion` to `{}` (served since {})", row.replacement, row.since),
            format!("Remplacez `apiVersion` par `{}` (servie depuis {})", row.replacement, row.since),
        )
    };
    if row.changes.is_empty() {
        help.push('.');
    } else {
        let changes = crate::k8s::apiversions::changes_text(row);
        help.push_str(&crate::i18n::t(format!("; also: {changes}."), format!(" ; de plus : {changes}.")));
    }
    help
}

impl Rule for ApiverRemoved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(row) = apiversions::lookup(obj.api_version, obj.declared_kind) else { return };
        let Some(target) = crate::schema::parse_minor(&ctx.options.kubernetes_version) else { return };
        if !row.removed_in(target) {
            return;
        }
        let Some(node) = obj.root.get("apiVersion") else { return };
        let to = if row.replacement.is_empty() {
            ctx.t("it has no replacement", "elle n'a pas de remplacement")
        } else {
            ctx.t(format!("use `{}`", row.replacement), format!("utilisez `{}`", row.replacement))
        };
        ctx.report(Violation::new(
            node.span,
            ctx.t(format!("removed in {}", row.removed), format!("supprimée en {}", row.removed)),
            ctx.t(
                format!(
                    "{}: `{}` `{}` is not served since Kubernetes {} (target {}): {to}",
                    obj.display(),
                    obj.api_version,
                    obj.declared_kind,
                    row.removed,
                    ctx.options.kubernetes_version
                ),
                format!(
                    "{} : `{}` `{}` n'est plus servie depuis Kubernetes {} (cible {}) : {to}",
                    obj.display(),
                    obj.api_version,
                    obj.declared_kind,
                    row.removed,
                    ctx.options.kubernetes_version
                ),
            ),
            migration(row),
        ));
    }
}

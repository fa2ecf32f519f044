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
    why_fr: "",
    docs: include_str!("../../rules/apiver-removed.md"),
    default_enabled: true,
    supersedes: &[],
};

/// The migration advice shared by `apiver-removed` and `apiver-deprecated`.
pub(super) fn migration(row: &ApiVersion) -> String {
    let mut help = if row.replacement.is_empty() {
        "There is no replacement kind".to_string()
    } else {
        format!("Change `apiVersion` to `{}` (served since {})", row.replacement, row.since)
    };
    if row.changes.is_empty() {
        help.push('.');
    } else {
        help.push_str(&format!("; also: {}.", row.changes));
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
            "it has no replacement".to_string()
        } else {
            format!("use `{}`", row.replacement)
        };
        ctx.report(Violation::new(
            node.span,
            format!("removed in {}", row.removed),
            format!(
                "{}: `{}` `{}` is not served since Kubernetes {} (target {}): {to}",
                obj.display(),
                obj.api_version,
                obj.declared_kind,
                row.removed,
                ctx.options.kubernetes_version
            ),
            migration(row),
        ));
    }
}

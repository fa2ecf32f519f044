//! `api-unknown-field`: a field the schema of the object's kind does not have at that place
//! (misspelt, mis-indented, or from another kind), which strict field validation rejects.

use super::{Family, Rule, RuleContext, RuleMeta, Scope};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::schema::{self, Category};

pub struct ApiUnknownField;

static META: RuleMeta = RuleMeta {
    id: "api-unknown-field",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "Field unknown to the schema of the object's kind at that place",
    why: "With strict field validation (the kubectl default) the API server rejects the object; clients that do not validate drop the field silently, so the setting never takes effect.",
    why_fr: "Avec la validation stricte des champs (le défaut de kubectl), l'API server rejette l'objet ; les clients qui ne valident pas abandonnent le champ sans rien dire, si bien que le réglage ne prend jamais effet.",
    docs: include_str!("../../rules/api-unknown-field.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiUnknownField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        schema::report(obj, ctx, Category::UnknownField);
    }
}

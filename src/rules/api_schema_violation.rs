//! `api-schema-violation`: a value of the wrong type, a missing required field or an unsupported
//! enum value, against the schema of the object's kind for the target Kubernetes version.

use super::{Family, Rule, RuleContext, RuleMeta, Scope};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::schema::{self, Category};

pub struct ApiSchemaViolation;

static META: RuleMeta = RuleMeta {
    id: "api-schema-violation",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "Value that does not match the schema of the object's kind (type, required field, allowed values)",
    why: "The API server cannot decode or validate the object and rejects it: the apply fails and nothing changes in the cluster.",
    why_fr: "L'API server ne peut pas décoder ou valider l'objet et le rejette : l'application échoue et rien ne change dans le cluster.",
    docs: include_str!("../../rules/api-schema-violation.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiSchemaViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        schema::report(obj, ctx, Category::Violation);
    }
}

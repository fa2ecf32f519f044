//! `api-ambiguous-scalar`: an unquoted YAML 1.1 boolean, number or octal-looking value (`yes`,
//! `on`, `1.10`, `0755`) where the schema expects a string.

use super::{Family, Rule, RuleContext, RuleMeta, Scope};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::schema::{self, Category};

pub struct ApiAmbiguousScalar;

static META: RuleMeta = RuleMeta {
    id: "api-ambiguous-scalar",
    family: Family::ApiValidation,
    severity: Severity::Warning,
    scope: Scope::All,
    summary: "Unquoted value YAML reads as a boolean or number where Kubernetes expects a string",
    why: "Kubernetes reads YAML with 1.1 rules, so `yes`, `on` and `1.10` arrive as true, true and 1.1: the API server rejects a non-string there, and tools that coerce it write a different string than the one you typed.",
    why_fr: "Kubernetes lit le YAML selon les règles 1.1 : `yes`, `on` et `1.10` arrivent donc comme true, true et 1.1 ; l'API server y rejette une valeur qui n'est pas une chaîne, et les outils qui la convertissent écrivent une autre chaîne que celle que vous avez tapée.",
    docs: include_str!("../../rules/api-ambiguous-scalar.md"),
    default_enabled: true,
    supersedes: &["api-schema-violation", "api-labels-annotations"],
};

impl Rule for ApiAmbiguousScalar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        schema::report(obj, ctx, Category::Ambiguous);
    }
}

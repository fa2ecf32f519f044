//! `api-no-schema`: a kind with no schema for the target version (a custom resource whose
//! CustomResourceDefinition is not in the input), reported once per kind per run.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::schema::{self, Outcome};

pub struct ApiNoSchema;

static META: RuleMeta = RuleMeta {
    id: "api-no-schema",
    family: Family::ApiValidation,
    severity: Severity::Info,
    scope: Scope::All,
    summary: "Kind without a schema for the target version: its objects are not validated",
    why: "Without a schema, unknown fields and wrong types in these objects go unnoticed until the API server (or the CRD's structural schema) rejects or prunes them.",
    why_fr: "Sans schéma, les champs inconnus et les types erronés de ces objets passent inaperçus jusqu'à ce que l'API server (ou le schéma structurel de la CRD) les rejette ou les élague.",
    docs: include_str!("../../rules/api-no-schema.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiNoSchema {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // Removed built-in API versions are `apiver-removed`'s finding.
        if crate::k8s::apiversions::lookup(obj.api_version, obj.declared_kind).is_some() {
            return;
        }
        if schema::has_schema(obj, &ctx.options.kubernetes_version, ctx.index) {
            return;
        }
        // Once per kind per run: on the first object of this apiVersion and kind.
        if !ctx.index.is_first_of_type(obj) {
            return;
        }
        let outcome = schema::validate(obj, &ctx.options.kubernetes_version, ctx.index);
        let Outcome::NoSchema(reason) = outcome.as_ref() else {
            return;
        };
        let (api_version, kind, version) = (obj.api_version, obj.declared_kind, &ctx.options.kubernetes_version);
        let message = ctx.t(
            format!(
                "{}: no schema for `{api_version}` `{kind}` in Kubernetes {version}: objects of this kind are not validated ({reason})",
                obj.display(),
            ),
            format!(
                "{} : pas de schéma pour `{api_version}` `{kind}` dans Kubernetes {version} : les objets de ce kind ne sont pas validés ({reason})",
                obj.display(),
            ),
        );
        let help = ctx.t(
            "Add the kind's CustomResourceDefinition to the checked files to validate its objects.",
            "Ajoutez la CustomResourceDefinition du kind aux fichiers vérifiés pour valider ses objets.",
        );
        ctx.report(Violation::new(obj.kind_span(), ctx.t("not validated", "non validé"), message, help));
    }
}

//! `api-container-name`: a container (main, init or ephemeral) without a name, with a name that is
//! not a DNS-1123 label, or with a name used twice in the Pod; the API server rejects the object.
//! StatefulSet templates are `sts-template-invalid`'s.

use super::{Family, Rule, RuleContext, RuleMeta, Scope};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::apivalidation::POD_VALIDATED_KINDS;

pub struct ApiContainerName;

static META: RuleMeta = RuleMeta {
    id: "api-container-name",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(POD_VALIDATED_KINDS),
    summary: "Container name missing, not a DNS-1123 label, or used twice",
    why: "Container names are DNS labels, unique across the Pod's containers, init containers and ephemeral containers; the API server validates the pod template when the object is created and rejects it, so the apply fails.",
    why_fr: "Les noms de conteneurs sont des labels DNS, uniques parmi les conteneurs, conteneurs d'initialisation et conteneurs éphémères du Pod ; l'API server valide le template de Pod à la création de l'objet et le rejette : l'apply échoue.",
    docs: include_str!("../../rules/api-container-name.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiContainerName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        ctx.report_pod_problems("api-container-name");
    }
}

//! `sts-claim-template-shadows-volume`: a StatefulSet claim template with the same name as a pod
//! template volume, which the claim silently replaces.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::volumes::volume_sources;
use crate::yaml::Node;

pub struct StsClaimTemplateShadowsVolume;

static META: RuleMeta = RuleMeta {
    id: "sts-claim-template-shadows-volume",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet claim template has the name of a pod volume, which it silently replaces",
    why: "The controller replaces a template volume with the claim of the same name, so the declared volume (a ConfigMap, an emptyDir…) is silently never mounted.",
    why_fr: "",
    docs: include_str!("../../rules/sts-claim-template-shadows-volume.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsClaimTemplateShadowsVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        for template in templates {
            let Some(claim_name) = template.get("metadata").and_then(|m| m.get("name")) else { continue };
            let Some(name) = claim_name.text() else { continue };
            let Some(volume) = spec.volume(name) else { continue };
            let Some(volume_name) = volume.get("name") else { continue };
            let source = volume_sources(volume).first().copied().unwrap_or("emptyDir");
            let mut v = Violation::new(
                volume_name.span,
                "replaced by the claim template",
                format!(
                    "{}: claim template `{name}` replaces the pod volume `{name}` ({source}), which is never mounted",
                    obj.display()
                ),
                format!(
                    "Rename the {source} volume (and its mounts) or the claim template, so each name means one volume."
                ),
            )
            .secondary(claim_name.span, "claim template of the same name");
            // A claim volume replaced by a claim template usually meant that template: dead
            // configuration rather than a volume silently lost.
            if source == "persistentVolumeClaim" {
                v = Violation::new(
                    volume_name.span,
                    "replaced by the claim template",
                    format!(
                        "{}: claim template `{name}` replaces the pod volume `{name}` (persistentVolumeClaim), which is never used",
                        obj.display()
                    ),
                    "Remove the persistentVolumeClaim volume: each replica mounts its own claim from the template.",
                )
                .secondary(claim_name.span, "claim template of the same name")
                .severity(Severity::Info)
                .why(
                    "The controller replaces a template volume with the claim template of the same name, so this PersistentVolumeClaim volume is never used: each replica mounts its own claim from the template.",
                );
            }
            ctx.report(v);
        }
    }
}

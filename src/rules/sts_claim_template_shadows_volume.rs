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
    why_fr: "Le contrôleur remplace un volume du template par la claim de même nom : le volume déclaré (un ConfigMap, un emptyDir…) n'est, sans le moindre avertissement, jamais monté.",
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
            let replaced = ctx.t("replaced by the claim template", "remplacé par le template de claim");
            let same_name = ctx.t("claim template of the same name", "template de claim de même nom");
            let mut v = Violation::new(
                volume_name.span,
                replaced.clone(),
                ctx.t(
                    format!(
                        "{}: claim template `{name}` replaces the pod volume `{name}` ({source}), which is never mounted",
                        obj.display()
                    ),
                    format!(
                        "{} : le template de claim `{name}` remplace le volume de Pod `{name}` ({source}), qui n'est jamais monté",
                        obj.display()
                    ),
                ),
                ctx.t(
                    format!(
                        "Rename the {source} volume (and its mounts) or the claim template, so each name means one volume."
                    ),
                    format!(
                        "Renommez le volume {source} (et ses montages) ou le template de claim, pour que chaque nom désigne un seul volume."
                    ),
                ),
            )
            .secondary(claim_name.span, same_name.clone());
            // A claim volume replaced by a claim template usually meant that template: dead
            // configuration rather than a volume silently lost.
            if source == "persistentVolumeClaim" {
                v = Violation::new(
                    volume_name.span,
                    replaced,
                    ctx.t(
                        format!(
                            "{}: claim template `{name}` replaces the pod volume `{name}` (persistentVolumeClaim), which is never used",
                            obj.display()
                        ),
                        format!(
                            "{} : le template de claim `{name}` remplace le volume de Pod `{name}` (persistentVolumeClaim), qui n'est jamais utilisé",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Remove the persistentVolumeClaim volume: each replica mounts its own claim from the template.",
                        "Retirez le volume persistentVolumeClaim : chaque réplica monte sa propre claim issue du template.",
                    ),
                )
                .secondary(claim_name.span, same_name)
                .severity(Severity::Info)
                .why(ctx.t(
                    "The controller replaces a template volume with the claim template of the same name, so this PersistentVolumeClaim volume is never used: each replica mounts its own claim from the template.",
                    "Le contrôleur remplace un volume du template par le template de claim de même nom : ce volume PersistentVolumeClaim n'est donc jamais utilisé, chaque réplica monte sa propre claim issue du template.",
                ));
            }
            ctx.report(v);
        }
    }
}

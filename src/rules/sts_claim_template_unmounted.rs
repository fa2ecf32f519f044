//! `sts-claim-template-unmounted`: a StatefulSet claim template that no container mounts, so
//! every replica gets a volume nobody uses (usually a name typo: the data is not persisted).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::suggest;
use crate::yaml::Node;

pub struct StsClaimTemplateUnmounted;

static META: RuleMeta = RuleMeta {
    id: "sts-claim-template-unmounted",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet claim template that no container mounts",
    why: "The controller creates one PersistentVolumeClaim per replica from every claim template, mounted or not: the volumes are provisioned and billed, and the data meant for them stays in the container.",
    why_fr: "Le contrôleur crée une PersistentVolumeClaim par réplica à partir de chaque template de claim, monté ou non : les volumes sont provisionnés et facturés, et les données qui leur étaient destinées restent dans le conteneur.",
    docs: include_str!("../../rules/sts-claim-template-unmounted.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsClaimTemplateUnmounted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        let mounted: Vec<&str> = spec
            .all_containers()
            .flat_map(|c| c.volume_mounts().iter().chain(c.volume_devices()))
            .filter_map(|m| m.get("name")?.text())
            .collect();
        let volumes: Vec<&str> = spec.volumes().iter().filter_map(|v| v.get("name")?.text()).collect();
        for template in templates {
            let Some(name_node) = template.get("metadata").and_then(|m| m.get("name")) else { continue };
            let Some(name) = name_node.text() else { continue };
            if mounted.contains(&name) {
                continue;
            }
            // A mount naming neither a volume nor a template is probably this one misspelt.
            let typo = suggest::closest(name, mounted.iter().copied().filter(|m| !volumes.contains(m)));
            let help = match typo {
                Some(t) => ctx.t(
                    format!("Rename the mount `{t}` to `{name}` (or the template to `{t}`)."),
                    format!("Renommez le montage `{t}` en `{name}` (ou le template en `{t}`)."),
                ),
                None => ctx.t(
                    format!(
                        "Mount `{name}` in the container that keeps the data, or delete the template (a change that needs the StatefulSet recreated)."
                    ),
                    format!(
                        "Montez `{name}` dans le conteneur qui conserve les données, ou supprimez le template (une modification qui impose de recréer le StatefulSet)."
                    ),
                ),
            };
            let v = Violation::new(
                name_node.span,
                ctx.t("mounted by no container", "monté par aucun conteneur"),
                ctx.t(
                    format!(
                        "{}: claim template `{name}` is mounted by no container: each replica gets a volume that nothing uses",
                        obj.display()
                    ),
                    format!(
                        "{} : le template de claim `{name}` n'est monté par aucun conteneur : chaque réplica reçoit un volume que rien n'utilise",
                        obj.display()
                    ),
                ),
                help,
            );
            ctx.report(v);
        }
    }
}

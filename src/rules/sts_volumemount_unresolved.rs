//! `sts-volumemount-unresolved`: a StatefulSet container mounts a volume that is neither a pod
//! volume nor a claim template. The API server accepts it; the controller never creates a Pod.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::suggest;
use crate::yaml::Node;

pub struct StsVolumeMountUnresolved;

static META: RuleMeta = RuleMeta {
    id: "sts-volumemount-unresolved",
    family: Family::StatefulSets,
    severity: Severity::Error,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet mounts a volume that is neither a pod volume nor a claim template",
    why: "The StatefulSet is accepted, but every Pod it tries to create is rejected (`volumeMounts[0].name: Not found`), so it runs zero replicas.",
    why_fr: "Le StatefulSet est accepté, mais chaque Pod qu'il essaie de créer est rejeté (`volumeMounts[0].name: Not found`) : il tourne avec zéro réplica.",
    docs: include_str!("../../rules/sts-volumemount-unresolved.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsVolumeMountUnresolved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        let template_names: Vec<(&str, &Node)> = templates
            .iter()
            .filter_map(|t| {
                let name = t.get("metadata")?.get("name")?;
                Some((name.text()?, name))
            })
            .collect();
        let known: Vec<&str> = spec
            .volumes()
            .iter()
            .filter_map(|v| v.get("name")?.text())
            .chain(template_names.iter().map(|(n, _)| *n))
            .collect();
        let mounted: Vec<&str> = spec
            .all_containers()
            .flat_map(|c| c.volume_mounts().iter().chain(c.volume_devices()))
            .filter_map(|m| m.get("name")?.text())
            .collect();
        // A claim template that nothing mounts is the likely intended name when spelling does
        // not point elsewhere (`mysql-storage` for a template `data`).
        let unmounted: Vec<&str> = template_names.iter().map(|(n, _)| *n).filter(|n| !mounted.contains(n)).collect();
        for container in spec.all_containers() {
            for mount in container.volume_mounts().iter().chain(container.volume_devices()) {
                let Some(name_node) = mount.get("name") else { continue };
                let Some(name) = name_node.text() else { continue };
                if known.contains(&name) {
                    continue;
                }
                let guess = suggest::closest(name, known.iter().copied())
                    .or_else(|| if let [only] = unmounted[..] { Some(only) } else { None });
                let help = match guess {
                    Some(g) => ctx.t(
                        format!("Rename the mount to `{g}`, or add a volume or claim template named `{name}`."),
                        format!("Renommez le montage en `{g}`, ou ajoutez un volume ou un template de claim nommé `{name}`."),
                    ),
                    None => ctx.t(
                        format!("Add a volume or a `volumeClaimTemplates` entry named `{name}`, or fix the mount's name."),
                        format!(
                            "Ajoutez un volume ou une entrée `volumeClaimTemplates` nommée `{name}`, ou corrigez le nom du montage."
                        ),
                    ),
                };
                let container_name = container.name().unwrap_or("?");
                let mut v = Violation::new(
                    name_node.span,
                    ctx.t(
                        "no volume or claim template of this name",
                        "aucun volume ni template de claim de ce nom",
                    ),
                    ctx.t(
                        format!(
                            "{}: container `{container_name}` mounts volume `{name}`, which is neither a pod volume nor a claim template",
                            obj.display()
                        ),
                        format!(
                            "{} : le conteneur `{container_name}` monte le volume `{name}`, qui n'est ni un volume de Pod ni un template de claim",
                            obj.display()
                        ),
                    ),
                    help,
                );
                if let Some((_, node)) = guess.and_then(|g| template_names.iter().find(|(n, _)| *n == g)) {
                    v = v.secondary(
                        node.span,
                        ctx.t("did you mean this claim template?", "vouliez-vous dire ce template de claim ?"),
                    );
                }
                ctx.report(v);
            }
        }
    }
}

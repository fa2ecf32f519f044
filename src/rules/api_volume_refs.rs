//! `api-volume-refs`: pod volumes and mounts the API server rejects: a mount of an undeclared
//! volume, duplicate or invalid volume names, several sources in one volume, a missing or
//! duplicate `mountPath`, an absolute or `..` `subPath`. StatefulSets are
//! `sts-volumemount-unresolved`'s and `sts-template-invalid`'s.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::apivalidation::{POD_VALIDATED_KINDS, in_patch_file, validates_pod_template};
use crate::k8s::fieldpath::field_path;
use crate::suggest;

pub struct ApiVolumeRefs;

static META: RuleMeta = RuleMeta {
    id: "api-volume-refs",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(POD_VALIDATED_KINDS),
    summary: "Volume mount of an undeclared volume, or an invalid volume or mount",
    why: "The API server checks that every mount names a declared volume, that volume names are unique DNS labels with one source each, and that mount paths are set, unique and safe; otherwise it rejects the object and the apply fails.",
    why_fr: "L'API server vérifie que chaque montage nomme un volume déclaré, que les noms de volumes sont des labels DNS uniques avec une seule source chacun, et que les chemins de montage sont définis, uniques et sûrs ; sinon il rejette l'objet et l'apply échoue.",
    docs: include_str!("../../rules/api-volume-refs.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiVolumeRefs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !validates_pod_template(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        // A Kustomize patch mounts volumes its base declares.
        let patch = in_patch_file(ctx.file_name(obj));
        let declared: Vec<&str> = spec.volumes().iter().filter_map(|v| v.get("name")?.text()).collect();
        let mounted: Vec<&str> = spec
            .all_containers()
            .flat_map(|c| c.volume_mounts().iter().chain(c.volume_devices()))
            .filter_map(|m| m.get("name")?.text())
            .collect();
        // A declared volume nothing mounts is the likely intended one (`ca-certs` for `ca`).
        let unmounted: Vec<&str> = declared.iter().copied().filter(|d| !mounted.contains(d)).collect();
        for container in spec.all_containers() {
            let lists = [("volumeMounts", container.volume_mounts()), ("volumeDevices", container.volume_devices())];
            for (list, mounts) in lists {
                for mount in mounts {
                    let Some(name_node) = mount.get("name") else { continue };
                    let Some(name) = name_node.text() else { continue };
                    if patch || declared.contains(&name) {
                        continue;
                    }
                    let path = field_path(obj.root, name_node.span).unwrap_or_else(|| format!("{list}[].name"));
                    let guess = suggest::closest(name, unmounted.iter().copied())
                        .or_else(|| if let [only] = unmounted[..] { Some(only) } else { None })
                        .or_else(|| suggest::closest(name, declared.iter().copied()));
                    let help = match guess {
                        Some(g) => ctx.t(
                            format!("Rename the mount to `{g}`, or add a volume named `{name}` to the pod spec."),
                            format!(
                                "Renommez le montage en `{g}`, ou ajoutez un volume nommé `{name}` à la spec du Pod."
                            ),
                        ),
                        None => ctx.t(
                            format!("Add a volume named `{name}` to the pod's `volumes`, or fix the mount's name."),
                            format!(
                                "Ajoutez un volume nommé `{name}` aux `volumes` du Pod, ou corrigez le nom du montage."
                            ),
                        ),
                    };
                    let mut v = Violation::new(
                        name_node.span,
                        ctx.t("no volume of this name", "aucun volume de ce nom"),
                        ctx.t(format!(
                            "{}: container `{}` mounts volume `{name}`, which the pod spec does not declare: the API server rejects it with `{path}: Not found: \"{name}\"`",
                            obj.display(),
                            container.name().unwrap_or("?")
                        ), format!("{} : le conteneur `{}` monte le volume `{name}`, que la spec du Pod ne déclare pas : l'API server le rejette avec `{path}: Not found: \"{name}\"`", obj.display(), container.name().unwrap_or("?"))),
                        help,
                    );
                    if let Some(g) = guess.and_then(|g| spec.volume(g)).and_then(|v| v.get("name")) {
                        v = v.secondary(g.span, ctx.t("did you mean this volume?", "vouliez-vous dire ce volume ?"));
                    }
                    ctx.report(v);
                }
            }
        }
        ctx.report_pod_problems("api-volume-refs");
    }
}

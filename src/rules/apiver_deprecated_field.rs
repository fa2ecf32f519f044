//! `apiver-deprecated-field`: a deprecated Pod field (`serviceAccount`) or volume type
//! (`gitRepo`, in-tree cloud and removed in-tree plugins) that still decodes.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, WORKLOAD_KINDS};

pub struct ApiverDeprecatedField;

static META: RuleMeta = RuleMeta {
    id: "apiver-deprecated-field",
    family: Family::ApiVersions,
    severity: Severity::Info,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Deprecated Pod field or volume type",
    why: "The field is still accepted, but it is a deprecated alias or a volume plugin whose operations are redirected to CSI or no longer supported.",
    why_fr: "Le champ est encore accepté, mais c'est un alias déprécié ou un plugin de volume dont les opérations sont redirigées vers CSI ou ne sont plus prises en charge.",
    docs: include_str!("../../rules/apiver-deprecated-field.md"),
    default_enabled: true,
    supersedes: &[],
};

/// In-tree volume types: (field, what happens, what to use).
const VOLUMES: &[(&str, &str, &str)] = &[
    ("gitRepo", "deprecated", "clone the repository in an init container into an emptyDir volume"),
    (
        "awsElasticBlockStore",
        "deprecated: operations are redirected to the EBS CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    (
        "gcePersistentDisk",
        "deprecated: operations are redirected to the PD CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    (
        "azureDisk",
        "deprecated: operations are redirected to the Azure Disk CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    (
        "azureFile",
        "deprecated: operations are redirected to the Azure File CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    (
        "cinder",
        "deprecated: operations are redirected to the Cinder CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    (
        "vsphereVolume",
        "deprecated: operations are redirected to the vSphere CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    (
        "portworxVolume",
        "deprecated: operations are redirected to the Portworx CSI driver",
        "use a PersistentVolumeClaim of a CSI StorageClass",
    ),
    ("glusterfs", "no longer supported (the in-tree plugin was removed)", "use a CSI driver"),
    ("rbd", "no longer supported (the in-tree plugin was removed)", "use the Ceph CSI driver"),
    ("cephfs", "no longer supported (the in-tree plugin was removed)", "use the Ceph CSI driver"),
    ("flocker", "no longer supported (the in-tree plugin was removed)", "use a CSI driver"),
    ("quobyte", "no longer supported (the in-tree plugin was removed)", "use a CSI driver"),
    ("scaleIO", "no longer supported (the in-tree plugin was removed)", "use a CSI driver"),
    ("storageos", "no longer supported (the in-tree plugin was removed)", "use a CSI driver"),
    ("photonPersistentDisk", "no longer supported (the in-tree plugin was removed)", "use a CSI driver"),
];

/// The French of a `VOLUMES` row's status and advice.
fn volume_fr(field: &str) -> (String, &'static str) {
    let redirected = |driver: &str| format!("déprécié : les opérations sont redirigées vers le pilote CSI {driver}");
    let csi_claim = "utilisez une PersistentVolumeClaim d'une StorageClass CSI";
    let removed = "n'est plus pris en charge (le plugin intégré a été supprimé)".to_string();
    match field {
        "gitRepo" => {
            ("déprécié".to_string(), "clonez le dépôt dans un conteneur d'initialisation, dans un volume emptyDir")
        }
        "awsElasticBlockStore" => (redirected("EBS"), csi_claim),
        "gcePersistentDisk" => (redirected("PD"), csi_claim),
        "azureDisk" => (redirected("Azure Disk"), csi_claim),
        "azureFile" => (redirected("Azure File"), csi_claim),
        "cinder" => (redirected("Cinder"), csi_claim),
        "vsphereVolume" => (redirected("vSphere"), csi_claim),
        "portworxVolume" => (redirected("Portworx"), csi_claim),
        "rbd" | "cephfs" => (removed, "utilisez le pilote CSI Ceph"),
        _ => (removed, "utilisez un pilote CSI"),
    }
}

impl Rule for ApiverDeprecatedField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        if let Some(entry) = spec.node.entry("serviceAccount").filter(|e| !e.value.is_null()) {
            let name = entry.value.text().unwrap_or("");
            let help = match spec.node.get_some("serviceAccountName").and_then(|n| n.text()) {
                Some(n) if n == name => ctx.t(
                    "Remove `serviceAccount`: `serviceAccountName` already says the same.",
                    "Supprimez `serviceAccount` : `serviceAccountName` dit déjà la même chose.",
                ),
                Some(_) => ctx.t(
                    "Remove `serviceAccount`; `serviceAccountName` is the field that counts.",
                    "Supprimez `serviceAccount` ; `serviceAccountName` est le champ qui compte.",
                ),
                None => ctx.t(
                    format!("Rename `serviceAccount` to `serviceAccountName: {name}`."),
                    format!("Renommez `serviceAccount` en `serviceAccountName: {name}`."),
                ),
            };
            ctx.report(Violation::new(
                entry.key.span,
                ctx.t("deprecated alias", "alias déprécié"),
                ctx.t(
                    format!("{}: `serviceAccount` is a deprecated alias of `serviceAccountName`", obj.display()),
                    format!("{} : `serviceAccount` est un alias déprécié de `serviceAccountName`", obj.display()),
                ),
                help,
            ));
        }
        for volume in spec.volumes() {
            for (field, what, instead) in VOLUMES {
                let Some(entry) = volume.entry(field) else { continue };
                let (what_fr, instead_fr) = volume_fr(field);
                let volume_name = volume.get("name").and_then(|n| n.text()).unwrap_or("?");
                let v = Violation::new(
                    entry.key.span,
                    ctx.t(format!("`{field}` volume"), format!("volume `{field}`")),
                    ctx.t(
                        format!("{}: volume `{}` uses the in-tree `{field}` type, {what}", obj.display(), volume_name),
                        format!(
                            "{} : le volume `{}` utilise le type intégré `{field}`, {what_fr}",
                            obj.display(),
                            volume_name
                        ),
                    ),
                    ctx.t(
                        format!("{}{}.", instead[..1].to_uppercase(), &instead[1..]),
                        format!("{}{}.", instead_fr[..1].to_uppercase(), &instead_fr[1..]),
                    ),
                );
                ctx.report(v);
            }
        }
    }
}

//! How a pod template uses a PersistentVolumeClaim, as volume attachment sees it, and whether the
//! claim pins its Pods to one node. Shared by the rules about claims in Deployments; the access
//! modes themselves come from the index (`Index::claim_access`).

use super::pod::{ClaimVolume, PodSpec};
use crate::index::ClaimAccess;
use crate::yaml::Node;

/// What the containers of a pod template do with one claim-backed volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimUse {
    /// Some container mounts it (init containers included): the Pod cannot start until the
    /// volume is attached to its node, whether the mount is read-only or not.
    pub mounted: bool,
    /// Some container mounts it writable (neither `persistentVolumeClaim.readOnly` nor the
    /// mount's `readOnly` is true; a raw block device counts as writable).
    pub read_write: bool,
}

/// How `spec`'s containers (main, init and sidecar alike) use `volume`.
pub fn claim_use(spec: &PodSpec<'_>, volume: &ClaimVolume<'_>) -> ClaimUse {
    let mut usage = ClaimUse { mounted: false, read_write: false };
    for container in spec.all_containers() {
        for mount in container.volume_mounts() {
            if mount.get("name").and_then(Node::text) == Some(volume.name) {
                usage.mounted = true;
                usage.read_write |= !volume.read_only && mount.get("readOnly").and_then(Node::as_bool) != Some(true);
            }
        }
        for device in container.volume_devices() {
            if device.get("name").and_then(Node::text) == Some(volume.name) {
                usage.mounted = true;
                usage.read_write |= !volume.read_only;
            }
        }
    }
    usage
}

/// Whether using the claim ties a Pod to the node (ReadWriteOnce) or the Pod (ReadWriteOncePod)
/// that already holds it, so a second Pod elsewhere cannot start.
///
/// A known ReadWriteOnce/ReadWriteOncePod claim does so as soon as it is mounted at all: the
/// attach/detach controller refuses a second node by access mode, and a read-only mount does not
/// change that (`IsMultiAttachAllowed`, kubernetes/kubernetes#40669). A claim of unknown access
/// mode (not in the input, or without `accessModes`) is assumed ReadWriteOnce, as most block
/// storage is, unless every mount is read-only, which suggests shared read-only content.
pub fn pins_to_one_node(access: &ClaimAccess<'_>, usage: ClaimUse) -> bool {
    match access {
        _ if access.is_single_writer() => usage.mounted,
        ClaimAccess::Unknown => usage.read_write,
        ClaimAccess::Known { modes, .. } => modes.is_empty() && usage.read_write,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::Object;
    use crate::source::SourceFile;

    fn usage_of(pod: &str) -> ClaimUse {
        let file = SourceFile::new("t.yaml", pod.to_string());
        let (docs, _) = crate::yaml::load(&file);
        let obj = Object::new(0, &docs[0].root).expect("test input is an object");
        let spec = obj.pod_spec().expect("test input has a pod spec");
        let volume = spec.claim_volumes().next().expect("test input has a claim volume");
        claim_use(&spec, &volume)
    }

    const HEAD: &str = "apiVersion: v1\nkind: Pod\nspec:\n  volumes:\n    - name: d\n      persistentVolumeClaim:\n        claimName: c\n";

    #[test]
    fn init_container_and_read_only_mounts_count_as_mounted() {
        let init = format!(
            "{HEAD}  initContainers:\n    - name: i\n      volumeMounts:\n        - {{name: d, mountPath: /d}}\n"
        );
        assert_eq!(usage_of(&init), ClaimUse { mounted: true, read_write: true });
        let ro = format!(
            "{HEAD}  containers:\n    - name: m\n      volumeMounts:\n        - {{name: d, mountPath: /d, readOnly: true}}\n"
        );
        assert_eq!(usage_of(&ro), ClaimUse { mounted: true, read_write: false });
        let device = format!(
            "{HEAD}  containers:\n    - name: m\n      volumeDevices:\n        - {{name: d, devicePath: /dev/d}}\n"
        );
        assert_eq!(usage_of(&device), ClaimUse { mounted: true, read_write: true });
        let unused = format!("{HEAD}  containers:\n    - name: m\n");
        assert_eq!(usage_of(&unused), ClaimUse { mounted: false, read_write: false });
    }

    #[test]
    fn pinning_follows_access_modes() {
        let ro = ClaimUse { mounted: true, read_write: false };
        let rw = ClaimUse { mounted: true, read_write: true };
        assert!(!pins_to_one_node(&ClaimAccess::Unknown, ro));
        assert!(pins_to_one_node(&ClaimAccess::Unknown, rw));
    }
}

//! Pod volume sources: which source a volume uses, and whether it lives only as long as its Pod.

use crate::yaml::Node;

/// The volume sources of `core/v1` `VolumeSource`.
pub const VOLUME_SOURCES: [&str; 30] = [
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

/// The source keys a volume sets (non-null). A volume that sets none is defaulted to `emptyDir`.
pub fn volume_sources(volume: &Node) -> Vec<&str> {
    VOLUME_SOURCES.iter().copied().filter(|s| volume.get_some(s).is_some()).collect()
}

/// Whether the volume lives and dies with the Pod: `emptyDir` (also the default when no source
/// is set) or a generic `ephemeral` volume.
pub fn is_pod_lifetime_volume(volume: &Node) -> bool {
    let sources = volume_sources(volume);
    volume.get("emptyDir").is_some() || sources.is_empty() || sources == ["ephemeral"]
}

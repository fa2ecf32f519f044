//! Pod template and pod spec accessors: containers (main, init, native sidecars), volumes and
//! their mounts, labels. Shared by every rule that looks inside a workload.

use crate::yaml::Node;

/// A pod template: `metadata` + `spec` (for a bare Pod, the Pod itself).
#[derive(Debug, Clone, Copy)]
pub struct PodTemplate<'a> {
    pub node: &'a Node,
    pub spec: PodSpec<'a>,
}

impl<'a> PodTemplate<'a> {
    pub fn from_node(node: &'a Node, spec: &'a Node) -> Option<PodTemplate<'a>> {
        spec.as_map()?;
        Some(PodTemplate { node, spec: PodSpec { node: spec } })
    }

    pub fn metadata(&self) -> Option<&'a Node> {
        self.node.get("metadata")
    }

    pub fn labels(&self) -> Option<&'a Node> {
        self.metadata()?.get("labels")
    }

    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.metadata()?.get("annotations")?.get(key)?.text()
    }
}

/// Whether a container runs for the life of the Pod (main containers and native sidecars) or to
/// completion before the others start (plain init containers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerRole {
    Main,
    Init,
    /// An init container with `restartPolicy: Always` (native sidecar, Kubernetes 1.28+).
    Sidecar,
}

#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub role: ContainerRole,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name")?.text()
    }

    pub fn image(&self) -> Option<&'a str> {
        self.node.get("image")?.text()
    }

    pub fn volume_mounts(&self) -> &'a [Node] {
        self.node.get("volumeMounts").map_or(&[], Node::items)
    }

    pub fn volume_devices(&self) -> &'a [Node] {
        self.node.get("volumeDevices").map_or(&[], Node::items)
    }

    pub fn ports(&self) -> &'a [Node] {
        self.node.get("ports").map_or(&[], Node::items)
    }

    /// Declares a port other than a metrics, health or profiling one (see `is_telemetry_port`).
    pub fn has_serving_port(&self) -> bool {
        self.ports().iter().any(|p| !is_telemetry_port(p))
    }

    /// Long-running: a main container or a native sidecar.
    pub fn is_long_running(&self) -> bool {
        self.role != ContainerRole::Init
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PodSpec<'a> {
    pub node: &'a Node,
}

impl<'a> PodSpec<'a> {
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let items = self.node.get("containers").map_or(&[][..], Node::items);
        items.iter().map(|node| Container { node, role: ContainerRole::Main })
    }

    pub fn init_containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let items = self.node.get("initContainers").map_or(&[][..], Node::items);
        items.iter().map(|node| {
            let sidecar = node.get("restartPolicy").and_then(Node::text) == Some("Always");
            Container { node, role: if sidecar { ContainerRole::Sidecar } else { ContainerRole::Init } }
        })
    }

    /// Main containers, then init containers (including sidecars).
    pub fn all_containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        self.containers().chain(self.init_containers())
    }

    pub fn volumes(&self) -> &'a [Node] {
        self.node.get("volumes").map_or(&[], Node::items)
    }

    pub fn volume(&self, name: &str) -> Option<&'a Node> {
        self.volumes().iter().find(|v| v.get("name").and_then(Node::text) == Some(name))
    }

    pub fn restart_policy(&self) -> Option<&'a str> {
        self.node.get("restartPolicy")?.text()
    }

    /// Volumes backed by a PersistentVolumeClaim (`persistentVolumeClaim.claimName`), with the
    /// claim name node. Generic ephemeral volumes are per Pod and not included.
    pub fn claim_volumes(&self) -> impl Iterator<Item = ClaimVolume<'a>> + 'a {
        self.volumes().iter().filter_map(|volume| {
            let pvc = volume.get("persistentVolumeClaim")?;
            let claim = pvc.get("claimName")?;
            Some(ClaimVolume {
                name: volume.get("name")?.text()?,
                claim_name: claim.text()?,
                claim_node: claim,
                read_only: pvc.get("readOnly").and_then(Node::as_bool).unwrap_or(false),
            })
        })
    }

    /// Mounts of volume `name` in long-running containers, with the container.
    pub fn long_running_mounts(&self, name: &'a str) -> impl Iterator<Item = (Container<'a>, &'a Node)> + 'a {
        self.all_containers().filter(Container::is_long_running).flat_map(move |c| {
            c.volume_mounts()
                .iter()
                .chain(c.volume_devices())
                .filter(move |m| m.get("name").and_then(Node::text) == Some(name))
                .map(move |m| (c, m))
        })
    }
}

/// A pod volume that mounts a PersistentVolumeClaim.
#[derive(Debug, Clone, Copy)]
pub struct ClaimVolume<'a> {
    /// The volume's name in the pod spec.
    pub name: &'a str,
    pub claim_name: &'a str,
    pub claim_node: &'a Node,
    /// `persistentVolumeClaim.readOnly`.
    pub read_only: bool,
}

impl ClaimVolume<'_> {
    /// Whether some long-running container mounts the claim read-write.
    pub fn mounted_read_write(&self, spec: &PodSpec<'_>) -> bool {
        if self.read_only {
            return false;
        }
        spec.long_running_mounts(self.name)
            .any(|(_, mount)| mount.get("readOnly").and_then(Node::as_bool) != Some(true))
    }
}

/// A container port that only exposes metrics, health or profiling endpoints, by its name
/// (`metrics`, `http-metrics`, `prometheus`, `healthz`, `pprof`): declaring one does not make a
/// container serve traffic. Unnamed ports count as serving.
pub fn is_telemetry_port(port: &Node) -> bool {
    let Some(name) = port.get("name").and_then(Node::text) else { return false };
    let name = name.to_ascii_lowercase();
    name.contains("metric")
        || name.contains("prometheus")
        || matches!(name.as_str(), "health" | "healthz" | "probe" | "probes" | "pprof" | "profiling")
}

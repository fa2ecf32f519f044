//! Which API group serves each built-in kind, so rules about Kubernetes' own controllers skip
//! look-alike custom resources (an OpenKruise `apps.kruise.io` StatefulSet, a KEDA object).

use super::Object;

/// Whether the object is the built-in kind of that name (any served or removed version).
pub fn is_builtin(object: &Object<'_>) -> bool {
    let group = object.group();
    match object.kind {
        "Pod" | "ReplicationController" | "Service" | "PersistentVolumeClaim" => group.is_empty(),
        "Deployment" | "ReplicaSet" | "DaemonSet" => matches!(group, "apps" | "extensions"),
        "StatefulSet" | "ControllerRevision" => group == "apps",
        "Job" | "CronJob" => group == "batch",
        "HorizontalPodAutoscaler" => group == "autoscaling",
        "PodDisruptionBudget" => group == "policy",
        _ => false,
    }
}

/// A partial object, such as a Kustomize patch: an `apps/v1` controller without the required
/// `spec.selector`. The API server rejects it as written (another rule says so), so rules that
/// report missing fields stay quiet about the rest.
pub fn is_fragment(object: &Object<'_>) -> bool {
    object.api_version == "apps/v1"
        && matches!(object.kind, "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
        && object.spec().and_then(|s| s.get_some("selector")).is_none()
}

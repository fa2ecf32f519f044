//! `state-sts-emptydir-data`: a StatefulSet that mounts an `emptyDir` (or generic ephemeral)
//! volume at a data directory, defeating the stable storage a StatefulSet is chosen for.

use super::stateful::{self, Storage, path_within};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::volumes::is_pod_lifetime_volume;
use crate::yaml::Node;

pub struct StateStsEmptyDirData;

static META: RuleMeta = RuleMeta {
    id: "state-sts-emptydir-data",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet keeps its data directory on an emptyDir volume",
    why: "An emptyDir volume is deleted with the Pod: the replacement keeps its name (`web-0`) but starts with an empty data directory, so a replica rejoins empty or a single member loses everything.",
    why_fr: "Un volume emptyDir est supprimé avec le Pod : le remplaçant garde son nom (`web-0`) mais démarre avec un répertoire de données vide, si bien qu'un réplica revient vide ou qu'un membre unique perd tout.",
    docs: include_str!("../../rules/state-sts-emptydir-data.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Directories that hold scratch files, not data.
const SCRATCH: [&str; 4] = ["/tmp", "/cache", "/var/run", "/run"];

impl Rule for StateStsEmptyDirData {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        if obj.annotation("kubeadvise.io/ephemeral-data") == Some("true") {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        let claim_names: Vec<&str> = templates.iter().filter_map(|t| t.get("metadata")?.get("name")?.text()).collect();
        let detections = stateful::detect_all(obj, false);
        for container in spec.containers() {
            let detection = detections.iter().find(|d| d.container.node.span == container.node.span);
            // An engine image the detector set aside (a cache, a client) is not a data store;
            // single-writer applications get the generic check.
            let known_image = container.image().and_then(stateful::engine_for_image).is_some_and(|e| !e.secondary);
            if detection.is_none() && known_image {
                continue;
            }
            let engine_mounts = detection.map(|d| stateful::data_mounts(d.engine, &d.container)).unwrap_or_default();
            // The engine keeps its data on a claim; an emptyDir beside it holds something else.
            let data_kept = engine_mounts.iter().any(|m| {
                let storage = stateful::storage_of(obj, &spec, m);
                storage != Storage::Config && storage.outlives_pod()
            });
            for mount in container.volume_mounts() {
                let Some(name) = mount.get("name").and_then(Node::text) else { continue };
                let Some(path_node) = mount.get("mountPath") else { continue };
                let Some(path) = path_node.text() else { continue };
                if claim_names.contains(&name) || is_scratch(path) {
                    continue;
                }
                let Some(volume) = spec.volume(name).filter(|v| is_pod_lifetime_volume(v)) else { continue };
                let engine_data = !data_kept && engine_mounts.iter().any(|m| m.span == mount.span);
                let generic_data = claim_names.is_empty() && looks_like_data_dir(path);
                if !engine_data && !generic_data {
                    continue;
                }
                let (what, what_fr) = match detection.filter(|_| engine_data) {
                    Some(d) => (
                        format!("{} data directory", d.engine.name),
                        format!("répertoire de données {}", d.engine.name),
                    ),
                    None => ("data directory".to_string(), "répertoire de données".to_string()),
                };
                let mut v = Violation::new(
                    path_node.span,
                    ctx.t(format!("{what} on emptyDir"), format!("{what_fr} sur emptyDir")),
                    ctx.t(
                        format!(
                            "{} mounts emptyDir volume `{name}` at {what} `{path}`: the data is lost whenever the Pod is deleted, though the Pod keeps its name",
                            obj.display(),
                        ),
                        format!(
                            "{} monte le volume emptyDir `{name}` sur le {what_fr} `{path}` : les données sont perdues chaque fois que le Pod est supprimé, même si le Pod garde son nom",
                            obj.display(),
                        ),
                    ),
                    ctx.t(
                        "Add a volumeClaimTemplates entry and mount it here instead of the emptyDir volume.",
                        "Ajoutez une entrée volumeClaimTemplates et montez-la ici à la place du volume emptyDir.",
                    ),
                );
                if let Some(e) = volume.entry("emptyDir").or_else(|| volume.entry("ephemeral")) {
                    v = v.secondary(e.key.span, ctx.t("lives only as long as the Pod", "ne vit que le temps du Pod"));
                }
                ctx.report(v);
            }
        }
    }
}

fn is_scratch(path: &str) -> bool {
    SCRATCH.iter().any(|s| path_within(path, s)) || path.split('/').any(|seg| matches!(seg, "tmp" | "temp" | "cache"))
}

/// `/data`, `/var/lib/<app>`, `/bitnami/<app>` and below: where servers conventionally keep data.
fn looks_like_data_dir(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some("data"), _, _) => path.starts_with('/'),
        (Some("var"), Some("lib"), Some(app)) => path.starts_with('/') && !app.is_empty(),
        (Some("bitnami"), Some(app), _) => path.starts_with('/') && !app.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dirs_and_scratch() {
        assert!(looks_like_data_dir("/data"));
        assert!(looks_like_data_dir("/data/db"));
        assert!(looks_like_data_dir("/var/lib/mysql"));
        assert!(looks_like_data_dir("/bitnami/redis/data"));
        assert!(!looks_like_data_dir("/var/lib"));
        assert!(!looks_like_data_dir("/database"));
        assert!(!looks_like_data_dir("/etc/config"));
        assert!(is_scratch("/tmp"));
        assert!(is_scratch("/var/run/secrets"));
        assert!(is_scratch("/data/tmp"));
        assert!(!is_scratch("/data"));
    }
}

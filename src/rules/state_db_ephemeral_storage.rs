//! `state-db-ephemeral-storage`: a database or queue server whose data directory is on no volume
//! (the container's filesystem) or on an `emptyDir`/ephemeral volume, so it is lost with the Pod.

use super::stateful::{self, Confidence, Detection, Storage};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::is_builtin;
use crate::k8s::{Object, PodSpec};
use crate::yaml::Node;

pub struct StateDbEphemeralStorage;

static META: RuleMeta = RuleMeta {
    id: "state-db-ephemeral-storage",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "Pod"]),
    summary: "Database or queue server keeps its data in the container or an emptyDir volume",
    why: "The container's filesystem and emptyDir volumes are deleted with the Pod, so an eviction, a node drain, a rollout or a reschedule starts the server with an empty data directory.",
    why_fr: "Le système de fichiers du conteneur et les volumes emptyDir sont supprimés avec le Pod : une éviction, un drain de nœud, un déploiement ou un replacement redémarre le serveur avec un répertoire de données vide.",
    docs: include_str!("../../rules/state-db-ephemeral-storage.md"),
    default_enabled: true,
    supersedes: &["state-sts-emptydir-data"],
};

/// Opt-out for throw-away databases (tests, previews).
const EPHEMERAL_ANNOTATION: &str = "kubeadvise.io/ephemeral-data";

impl Rule for StateDbEphemeralStorage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        if opted_out(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let mut severity = if obj.kind == "StatefulSet" || ctx.index.max_replicas(obj) > 1 {
            Severity::Warning
        } else {
            Severity::Info
        };
        if obj.namespace().is_some_and(is_throwaway_namespace) {
            severity = Severity::Info;
        }
        for d in stateful::detect_all(obj, false).into_iter().filter(|d| d.confidence >= Confidence::Medium) {
            let data: Vec<(&Node, Storage)> = stateful::data_mounts(d.engine, &d.container)
                .into_iter()
                .map(|m| (m, stateful::storage_of(obj, &spec, m)))
                .filter(|(_, s)| *s != Storage::Config)
                .collect();
            if data.iter().any(|(_, s)| s.outlives_pod()) {
                continue;
            }
            let v = match data.first() {
                Some((mount, _)) => on_volume(ctx, obj, &d, mount, &spec),
                // Data directory on no volume; but a claim mounted elsewhere probably holds it
                // under a path the table does not know (`/cassandra_data`).
                None if d
                    .container
                    .volume_mounts()
                    .iter()
                    .any(|m| stateful::storage_of(obj, &spec, m).outlives_pod()) =>
                {
                    continue;
                }
                None => in_container(ctx, obj, &d),
            };
            let Some(v) = v else { continue };
            ctx.report(v.severity(severity));
        }
    }
}

fn on_volume(
    ctx: &RuleContext<'_, '_>,
    obj: &Object<'_>,
    d: &Detection<'_>,
    mount: &Node,
    spec: &PodSpec<'_>,
) -> Option<Violation> {
    let path_node = mount.get("mountPath")?;
    let volume = spec.volume(mount.get("name")?.text()?)?;
    let name = volume.get("name").and_then(Node::text).unwrap_or("?");
    let lives = || ctx.t("lives only as long as the Pod", "ne vit que le temps du Pod");
    let ((kind, kind_fr), explain) = match volume.entry("emptyDir").or_else(|| volume.entry("ephemeral")) {
        Some(e) if e.key.text() == Some("ephemeral") => {
            (("generic ephemeral", "éphémère générique"), (e.key.span, lives()))
        }
        Some(e) => (("emptyDir", "emptyDir"), (e.key.span, lives())),
        None => (
            ("emptyDir", "emptyDir"),
            (
                volume.get("name")?.span,
                ctx.t(
                    "no source: an emptyDir, deleted with the Pod",
                    "sans source : un emptyDir, supprimé avec le Pod",
                ),
            ),
        ),
    };
    let path = path_node.text().unwrap_or_default();
    let engine = &d.engine.name;
    Some(
        Violation::new(
            path_node.span,
            ctx.t(format!("{engine} data on {kind} volume"), format!("données {engine} sur un volume {kind_fr}")),
            ctx.t(
                format!(
                    "{} keeps {engine} data at `{path}` on {kind} volume `{name}`, which is deleted with the Pod",
                    obj.display(),
                ),
                format!(
                    "{} garde les données {engine} à `{path}` sur le volume {kind_fr} `{name}`, qui est supprimé avec le Pod",
                    obj.display(),
                ),
            ),
            persistent_help(ctx),
        )
        .secondary(explain.0, explain.1),
    )
}

fn in_container(ctx: &RuleContext<'_, '_>, obj: &Object<'_>, d: &Detection<'_>) -> Option<Violation> {
    let dirs = stateful::data_dirs(d.engine, &d.container);
    let image = d.container.image().unwrap_or_default();
    let dir = main_dir(&dirs, image)?;
    let engine = &d.engine.name;
    Some(Violation::new(
        d.image.span,
        ctx.t(format!("no volume at {dir}"), format!("pas de volume à {dir}")),
        ctx.t(
            format!(
                "{} runs {engine} (`{image}`) with no volume at its data directory `{dir}`: the data lives in the container's filesystem",
                obj.display(),
            ),
            format!(
                "{} exécute {engine} (`{image}`) sans volume sur son répertoire de données `{dir}` : les données vivent dans le système de fichiers du conteneur",
                obj.display(),
            ),
        ),
        persistent_help(ctx),
    ))
}

fn persistent_help(ctx: &RuleContext<'_, '_>) -> String {
    ctx.t(
        "Mount a PersistentVolumeClaim at the data directory (in a StatefulSet, a volumeClaimTemplates entry).",
        "Montez un PersistentVolumeClaim sur le répertoire de données (dans un StatefulSet, une entrée de volumeClaimTemplates).",
    )
}

/// The data directory to name: the vendor's (Bitnami) layout for its images, else the first.
fn main_dir<'d>(dirs: &'d [String], image: &str) -> Option<&'d str> {
    let bitnami = image.contains("bitnami/");
    dirs.iter().find(|d| d.starts_with("/bitnami/") == bitnami).or(dirs.first()).map(String::as_str)
}

fn opted_out(obj: &Object<'_>) -> bool {
    obj.annotation(EPHEMERAL_ANNOTATION) == Some("true")
        || obj.pod_template().and_then(|t| t.annotation(EPHEMERAL_ANNOTATION)) == Some("true")
}

/// Development, test, CI and preview namespaces (`dev`, `ci-42`, `shop-preview`) hold throw-away
/// databases more often than not.
pub fn is_throwaway_namespace(ns: &str) -> bool {
    const WORDS: [&str; 6] = ["dev", "test", "ci", "preview", "sandbox", "e2e"];
    ns.split(['-', '_', '.']).any(|part| WORDS.contains(&part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throwaway_namespaces() {
        assert!(is_throwaway_namespace("dev"));
        assert!(is_throwaway_namespace("shop-preview"));
        assert!(is_throwaway_namespace("ci-42"));
        assert!(!is_throwaway_namespace("devices"));
        assert!(!is_throwaway_namespace("production"));
    }

    #[test]
    fn vendor_layout() {
        let dirs = vec!["/var/lib/postgresql".to_string(), "/bitnami/postgresql".to_string()];
        assert_eq!(main_dir(&dirs, "bitnami/postgresql:16"), Some("/bitnami/postgresql"));
        assert_eq!(main_dir(&dirs, "postgres:16"), Some("/var/lib/postgresql"));
    }
}

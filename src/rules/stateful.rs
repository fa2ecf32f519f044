//! The stateful-image detector (catalogue §0.5): decides, with a confidence, whether a workload's
//! container is a database, queue or other stateful server. The engine table is data
//! (`rules/stateful-images.yaml`, embedded); this file only scores the evidence.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::k8s::{Container, Object, PodSpec, volumes};
use crate::source::SourceFile;
use crate::yaml::Node;

const DATA: &str = include_str!("../../rules/stateful-images.yaml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Engine {
    pub name: String,
    images: Vec<String>,
    #[serde(default)]
    ports: Vec<i64>,
    #[serde(default)]
    data_paths: Vec<String>,
    #[serde(default)]
    data_env: Vec<String>,
    #[serde(default)]
    data_flags: Vec<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    cache_unless_persistent: bool,
    #[serde(default)]
    require_flag: bool,
    #[serde(default)]
    pub quorum: bool,
    /// Members vote with a majority (etcd, ZooKeeper, Raft): an even member count adds no
    /// failure tolerance (used by `sts-quorum-replicas`).
    #[serde(default)]
    pub majority: bool,
    /// One primary, replicas that clone or follow it (used by `sts-parallel-ordered-init`).
    #[serde(default)]
    pub primary_replica: bool,
    /// A single-writer application rather than a database (Prometheus, Grafana with SQLite…):
    /// only `detect_with_secondary` reports it, and rules using it say info at most.
    #[serde(default)]
    pub secondary: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Exclusions {
    image_suffixes: Vec<String>,
    client_commands: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    version: u32,
    engines: Vec<Engine>,
    exclusions: Exclusions,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let file = SourceFile::new("rules/stateful-images.yaml", DATA.to_string());
        let (docs, problems) = crate::yaml::load(&file);
        assert!(problems.is_empty(), "embedded stateful-images.yaml is valid YAML");
        let table: Table = serde_json::from_value(docs[0].root.to_json())
            .expect("embedded stateful-images.yaml matches its schema (tested)");
        assert_eq!(table.version, 2, "embedded stateful-images.yaml is version 2");
        table
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// The image matches (S1) and nothing else.
    Low,
    /// The image matches and the container declares the engine's server port (S2).
    Medium,
    /// The image matches and the container keeps data: a data-path mount (S3), PVC-backed
    /// (S4), or a persistence switch (S5).
    High,
}

/// A container recognised as a stateful server.
#[derive(Debug, Clone, Copy)]
pub struct Detection<'a> {
    pub engine: &'static Engine,
    pub container: Container<'a>,
    pub confidence: Confidence,
    /// The `image:` value node.
    pub image: &'a Node,
}

/// Normalised image: (repository path without registry, tag and digest; its last segment).
pub fn normalise_image(image: &str) -> (String, String) {
    let image = image.to_ascii_lowercase();
    let without_digest = image.split('@').next().unwrap_or_default();
    let mut segments: Vec<&str> = without_digest.split('/').collect();
    if segments.len() > 1 {
        let first = segments[0];
        if first.contains('.') || first.contains(':') || first == "localhost" {
            segments.remove(0);
        }
    }
    if let Some(last) = segments.last_mut() {
        *last = last.split(':').next().unwrap_or_default();
    }
    let repo = segments.join("/");
    let last = segments.last().copied().unwrap_or_default().to_string();
    (repo, last)
}

/// `pattern` with a `/` matches the end of the repository path at a segment boundary; without,
/// the last segment. A trailing `*` matches any suffix.
fn pattern_matches(pattern: &str, repo: &str, last: &str) -> bool {
    let glob = |subject: &str| match pattern.strip_suffix('*') {
        Some(prefix) => subject.starts_with(prefix),
        None => subject == pattern,
    };
    if pattern.contains('/') {
        std::iter::once(repo).chain(repo.match_indices('/').map(|(i, _)| &repo[i + 1..])).any(glob)
    } else {
        glob(last)
    }
}

fn excluded_image(last: &str) -> bool {
    table().exclusions.image_suffixes.iter().any(|s| last.ends_with(s.as_str()))
}

fn runs_client(container: &Container<'_>) -> bool {
    let first = |key: &str| container.node.get(key).and_then(|n| n.items().first()).and_then(Node::text);
    let program = first("command").or_else(|| first("args"));
    let Some(program) = program else { return false };
    let program = program.rsplit('/').next().unwrap_or(program);
    table().exclusions.client_commands.iter().any(|c| match c.strip_suffix('*') {
        Some(prefix) => program.starts_with(prefix),
        None => program == c,
    })
}

/// Engines added by the config (`statefulImages`), set once per run before linting.
static EXTRA: OnceLock<Vec<Engine>> = OnceLock::new();

/// Add engines from the config, in the shape of `rules/stateful-images.yaml` entries.
pub fn configure(extra: &[serde_json::Value]) -> Result<(), String> {
    let engines =
        extra.iter().map(|v| engine(v).map_err(|e| format!("statefulImages: {e}"))).collect::<Result<Vec<_>, _>>()?;
    let _ = EXTRA.set(engines);
    Ok(())
}

/// Whether a config entry deserialises into an engine (the config reader checks its shape at
/// the entry's line first).
pub fn check_engine(value: &serde_json::Value) -> Result<(), String> {
    engine(value).map(drop)
}

/// A config entry as an engine.
fn engine(value: &serde_json::Value) -> Result<Engine, String> {
    serde_json::from_value::<Engine>(value.clone()).map_err(|e| e.to_string())
}

/// The engine whose images match `image`, unless excluded.
pub fn engine_for_image(image: &str) -> Option<&'static Engine> {
    let (repo, last) = normalise_image(image);
    if excluded_image(&last) {
        return None;
    }
    let extra = EXTRA.get().map_or(&[][..], Vec::as_slice);
    table().engines.iter().chain(extra).find(|e| e.images.iter().any(|p| pattern_matches(p, &repo, &last)))
}

/// The words of `command` and `args`: each item split on whitespace (shell scripts passed as one
/// argument included), quotes trimmed, empty words dropped.
fn words(container: &Container<'_>) -> Vec<String> {
    let mut words = Vec::new();
    for key in ["command", "args"] {
        for item in container.node.get(key).map_or(&[][..], Node::items) {
            let Some(text) = item.text() else { continue };
            words.extend(
                text.split_whitespace()
                    .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                    .filter(|w| !w.is_empty()),
            );
        }
    }
    words
}

/// The values a flag takes in `words`: `flag value` or `flag=value`. A value starting with `-`
/// is the next flag, not a value.
fn flag_values<'w>(words: &'w [String], flag: &str) -> Vec<&'w str> {
    let mut values = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if word == flag {
            if let Some(next) = words.get(i + 1).filter(|n| !n.starts_with('-')) {
                values.push(next.as_str());
            }
        } else if let Some(value) = word.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')) {
            values.push(value);
        }
    }
    values
}

/// Whether a `flags` entry (S5) matches: `--jetstream` (the flag is present), `--appendonly yes`
/// (the flag with this value), `--save ?` (the flag with any non-empty value).
fn flag_matches(words: &[String], pattern: &str) -> bool {
    let mut parts = pattern.split_whitespace();
    let Some(flag) = parts.next() else { return false };
    match parts.next() {
        None => words.iter().any(|w| w == flag || w.strip_prefix(flag).is_some_and(|r| r.starts_with('='))),
        Some("?") => flag_values(words, flag).iter().any(|v| !v.is_empty()),
        Some(wanted) => flag_values(words, flag).iter().any(|v| v.eq_ignore_ascii_case(wanted)),
    }
}

/// Data directories named by the container itself: the values of the engine's `dataEnv`
/// variables and of its `dataFlags` (`--data-dir /x`, `--data-dir=/x`, `log.dirs=/x,/y`), absolute
/// paths only.
pub fn configured_data_dirs(engine: &Engine, container: &Container<'_>) -> Vec<String> {
    let mut dirs: Vec<String> = container
        .node
        .get("env")
        .map_or(&[][..], Node::items)
        .iter()
        .filter(|e| e.get("name").and_then(Node::text).is_some_and(|n| engine.data_env.iter().any(|d| d == n)))
        .filter_map(|e| e.get("value")?.text())
        .flat_map(|v| v.split(','))
        .map(str::to_string)
        .collect();
    let words = words(container);
    for flag in &engine.data_flags {
        for value in flag_values(&words, flag) {
            let value = value.strip_prefix("path=").unwrap_or(value);
            dirs.extend(value.split(',').map(str::to_string));
        }
    }
    dirs.retain(|d| d.starts_with('/'));
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Where the engine keeps its data in this container: the directories it is configured with, or
/// else the engine's default data paths.
pub fn data_dirs(engine: &Engine, container: &Container<'_>) -> Vec<String> {
    let configured = configured_data_dirs(engine, container);
    if configured.is_empty() { engine.data_paths.clone() } else { configured }
}

/// The container's mounts (`volumeMounts` items) that hold the engine's data: mounted at, above
/// or below one of its data directories (default paths or configured ones).
pub fn data_mounts<'a>(engine: &Engine, container: &Container<'a>) -> Vec<&'a Node> {
    let configured = configured_data_dirs(engine, container);
    container
        .volume_mounts()
        .iter()
        .filter(|m| {
            let Some(path) = m.get("mountPath").and_then(Node::text) else { return false };
            engine.data_paths.iter().any(|p| path_within(path, p) || path_within(p, path))
                || configured.iter().any(|d| path_within(d, path) || path_within(path, d))
        })
        .collect()
}

/// Score one long-running container of `spec`. `claim_names` are the names of volumes that are
/// PVC-backed (pod volumes with a claim, or StatefulSet claim templates).
fn score<'a>(engine: &'static Engine, container: &Container<'a>, claim_names: &[&str]) -> Option<Confidence> {
    let words = words(container);
    let s5 = engine.flags.iter().any(|f| flag_matches(&words, f));
    if engine.require_flag && !s5 {
        return None;
    }
    let data_mounts: Vec<&str> = data_mounts(engine, container).iter().filter_map(|m| m.get("name")?.text()).collect();
    let s3 = !data_mounts.is_empty();
    let s4 = data_mounts.iter().any(|m| claim_names.contains(m));
    if engine.cache_unless_persistent && !s4 && !s5 {
        return None;
    }
    let s2 = container
        .ports()
        .iter()
        .any(|p| p.get("containerPort").and_then(Node::as_i64).is_some_and(|port| engine.ports.contains(&port)));
    Some(if s3 || s4 || s5 {
        Confidence::High
    } else if s2 {
        Confidence::Medium
    } else {
        Confidence::Low
    })
}

/// `path` equals `dir` or lies below it.
pub fn path_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// Every main container of a workload recognised as a stateful server, in container order.
/// Single-writer applications (the table's `secondary` entries) are included only when asked.
pub fn detect_all<'a>(object: &Object<'a>, with_secondary: bool) -> Vec<Detection<'a>> {
    if matches!(object.kind, "Job" | "CronJob") || object.annotation("kubeadvise.io/stateless") == Some("true") {
        return Vec::new();
    }
    let Some(spec) = object.pod_spec() else { return Vec::new() };
    let claim_names = claim_backed_volumes(object, &spec);
    spec.containers()
        .filter(|c| !runs_client(c))
        .filter_map(|c| {
            let image = c.node.get("image")?;
            let engine = engine_for_image(image.text()?)?;
            if engine.secondary && !with_secondary {
                return None;
            }
            let confidence = score(engine, &c, &claim_names)?;
            Some(Detection { engine, container: c, confidence, image })
        })
        .collect()
}

/// The most confident stateful-server container of a workload, if any (databases, queues and
/// other servers of the main table; not the secondary single-writer applications).
pub fn detect<'a>(object: &Object<'a>) -> Option<Detection<'a>> {
    best(detect_all(object, false))
}

/// The most confident detection; the first container among equals.
fn best(detections: Vec<Detection<'_>>) -> Option<Detection<'_>> {
    detections.into_iter().rev().max_by_key(|d| d.confidence)
}

/// What backs a volume mount, for rules that ask whether data outlives the Pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// A PersistentVolumeClaim, or a StatefulSet claim template.
    Claim,
    /// `emptyDir` (also the default for a volume without a source) or a generic ephemeral volume.
    PodLifetime,
    /// ConfigMap, Secret, downward API or projected: configuration in, not data out.
    Config,
    /// `hostPath`: the node's disk.
    Node,
    /// Any other source (NFS, CSI, cloud disks…).
    Other,
    /// No volume of this name (another rule reports it).
    Unresolved,
}

impl Storage {
    /// Whether data written there survives the Pod (unknown counts as yes, to stay quiet).
    pub fn outlives_pod(self) -> bool {
        matches!(self, Storage::Claim | Storage::Node | Storage::Other | Storage::Unresolved)
    }
}

/// What backs the volume that `mount` (a `volumeMounts` item) names. A StatefulSet's claim
/// template wins over a template volume of the same name, as in the controller.
pub fn storage_of(object: &Object<'_>, spec: &PodSpec<'_>, mount: &Node) -> Storage {
    let Some(name) = mount.get("name").and_then(Node::text) else { return Storage::Unresolved };
    if object.kind == "StatefulSet" && claim_templates(object).contains(&name) {
        return Storage::Claim;
    }
    let Some(volume) = spec.volume(name) else { return Storage::Unresolved };
    let sources = volumes::volume_sources(volume);
    if volumes::is_pod_lifetime_volume(volume) {
        Storage::PodLifetime
    } else if sources.contains(&"persistentVolumeClaim") {
        Storage::Claim
    } else if sources.contains(&"hostPath") {
        Storage::Node
    } else if sources.iter().all(|s| matches!(*s, "configMap" | "secret" | "downwardAPI" | "projected")) {
        Storage::Config
    } else {
        Storage::Other
    }
}

/// Names of a StatefulSet's claim templates.
pub fn claim_templates<'a>(object: &Object<'a>) -> Vec<&'a str> {
    let templates = object.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
    templates.iter().filter_map(|t| t.get("metadata")?.get("name")?.text()).collect()
}

/// Names of pod volumes backed by a PVC, plus a StatefulSet's claim templates.
fn claim_backed_volumes<'a>(object: &Object<'a>, spec: &PodSpec<'a>) -> Vec<&'a str> {
    let mut names: Vec<&str> = spec.claim_volumes().map(|v| v.name).collect();
    if object.kind == "StatefulSet" {
        names.extend(claim_templates(object));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_loads() {
        assert!(table().engines.len() >= 18);
    }

    #[test]
    fn image_normalisation() {
        assert_eq!(normalise_image("docker.io/library/postgres:17.2"), ("library/postgres".into(), "postgres".into()));
        assert_eq!(normalise_image("localhost:5000/redis@sha256:abc"), ("redis".into(), "redis".into()));
        assert_eq!(normalise_image("bitnami/postgresql:16"), ("bitnami/postgresql".into(), "postgresql".into()));
    }

    #[test]
    fn engines_by_image() {
        let name = |i: &str| engine_for_image(i).map(|e| e.name.as_str());
        assert_eq!(name("postgres:17"), Some("PostgreSQL"));
        assert_eq!(name("docker.io/bitnami/postgresql:16"), Some("PostgreSQL"));
        assert_eq!(name("timescale/timescaledb-ha:pg16"), Some("PostgreSQL"));
        assert_eq!(name("quay.io/coreos/etcd:v3.5"), Some("etcd"));
        assert_eq!(name("docker.elastic.co/elasticsearch/elasticsearch:8.1"), Some("Elasticsearch"));
        assert_eq!(name("prometheuscommunity/postgres-exporter"), None);
        assert_eq!(name("bitnami/postgresql-exporter"), None);
        assert_eq!(name("nginx:1.27"), None);
        assert_eq!(name("postgresql"), None);
    }

    fn words_of(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn persistence_flags_are_matched_word_by_word() {
        let off = words_of(&["redis-server", "--save", "--appendonly", "no"]);
        assert!(!flag_matches(&off, "--save ?"));
        assert!(!flag_matches(&off, "--appendonly yes"));
        let on = words_of(&["--save", "60", "1", "--appendonly", "yes"]);
        assert!(flag_matches(&on, "--save ?"));
        assert!(flag_matches(&on, "--appendonly yes"));
        assert!(flag_matches(&words_of(&["--jetstream=true"]), "--jetstream"));
        assert!(!flag_matches(&words_of(&["--js-domain"]), "-js"));
        assert!(flag_matches(&words_of(&["--override", "log.dirs=/var/lib/kafka"]), "log.dirs"));
    }

    #[test]
    fn flag_values_skip_the_next_flag() {
        let w = words_of(&["etcd", "--data-dir", "/var/lib/etcd", "--name=a", "--dir", "--x"]);
        assert_eq!(flag_values(&w, "--data-dir"), vec!["/var/lib/etcd"]);
        assert_eq!(flag_values(&w, "--name"), vec!["a"]);
        assert!(flag_values(&w, "--dir").is_empty());
    }

    #[test]
    fn paths() {
        assert!(path_within("/var/lib/mysql/data", "/var/lib/mysql"));
        assert!(path_within("/var/lib/mysql/", "/var/lib/mysql"));
        assert!(!path_within("/var/lib/mysql-files", "/var/lib/mysql"));
    }
}

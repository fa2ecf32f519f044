//! The stateful-image detector (catalogue §0.5): decides, with a confidence, whether a workload's
//! container is a database, queue or other stateful server. The engine table is data
//! (`rules/stateful-images.yaml`, embedded); this file only scores the evidence.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::k8s::{Container, Object, PodSpec};
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
    flags: Vec<String>,
    #[serde(default)]
    cache_unless_persistent: bool,
    #[serde(default)]
    require_flag: bool,
    #[serde(default)]
    pub quorum: bool,
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
        assert_eq!(table.version, 1, "embedded stateful-images.yaml is version 1");
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
    let engines = extra
        .iter()
        .map(|v| serde_json::from_value::<Engine>(v.clone()).map_err(|e| format!("statefulImages: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let _ = EXTRA.set(engines);
    Ok(())
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

fn command_line(container: &Container<'_>) -> String {
    let mut words = Vec::new();
    for key in ["command", "args"] {
        for item in container.node.get(key).map_or(&[][..], Node::items) {
            if let Some(t) = item.text() {
                words.push(t);
            }
        }
    }
    words.join(" ")
}

/// Score one long-running container of `spec`. `claim_names` are the names of volumes that are
/// PVC-backed (pod volumes with a claim, or StatefulSet claim templates).
fn score<'a>(engine: &'static Engine, container: &Container<'a>, claim_names: &[&str]) -> Option<Confidence> {
    let cmd = command_line(container);
    let s5 = engine.flags.iter().any(|f| cmd.contains(f.as_str()));
    if engine.require_flag && !s5 {
        return None;
    }
    let mounts: Vec<(&str, &str)> = container
        .volume_mounts()
        .iter()
        .filter_map(|m| Some((m.get("name")?.text()?, m.get("mountPath")?.text()?)))
        .collect();
    let env_dirs: Vec<&str> = container
        .node
        .get("env")
        .map_or(&[][..], Node::items)
        .iter()
        .filter(|e| e.get("name").and_then(Node::text).is_some_and(|n| engine.data_env.iter().any(|d| d == n)))
        .filter_map(|e| e.get("value")?.text())
        .collect();
    let data_mounts: Vec<&str> = mounts
        .iter()
        .filter(|(_, path)| {
            engine.data_paths.iter().any(|p| path_within(path, p) || path_within(p, path))
                || env_dirs.iter().any(|d| path_within(d, path))
        })
        .map(|(name, _)| *name)
        .collect();
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
fn path_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The most confident stateful-server container of a workload, if any.
pub fn detect<'a>(object: &Object<'a>) -> Option<Detection<'a>> {
    if matches!(object.kind, "Job" | "CronJob") || object.annotation("kubeadvise.io/stateless") == Some("true") {
        return None;
    }
    let spec = object.pod_spec()?;
    let claim_names = claim_backed_volumes(object, &spec);
    spec.containers()
        .filter(|c| !runs_client(c))
        .filter_map(|c| {
            let image = c.node.get("image")?;
            let engine = engine_for_image(image.text()?)?;
            let confidence = score(engine, &c, &claim_names)?;
            Some(Detection { engine, container: c, confidence, image })
        })
        .max_by_key(|d| d.confidence)
}

/// Names of pod volumes backed by a PVC, plus a StatefulSet's claim templates.
fn claim_backed_volumes<'a>(object: &Object<'a>, spec: &PodSpec<'a>) -> Vec<&'a str> {
    let mut names: Vec<&str> = spec.claim_volumes().map(|v| v.name).collect();
    if object.kind == "StatefulSet" {
        let templates = object.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        names.extend(templates.iter().filter_map(|t| t.get("metadata")?.get("name")?.text()));
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
}

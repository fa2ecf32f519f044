//! The configuration file `.kubeadvise.yaml` (found in the working directory or its parents, or
//! given with `--config`): rules, severities, per-rule options, excluded paths, failure
//! threshold, namespace, extra stateful images, custom workload kinds and suppressions. Read with
//! the project's own YAML loader and validated key by key, so every error has its exact line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Severity;
use crate::source::{SourceFile, Span};
use crate::yaml::{self, Node, Value};

pub const FILE_NAME: &str = ".kubeadvise.yaml";

/// A custom workload kind that behaves like a built-in one (`argoproj.io/Rollout` → Deployment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindMapping {
    /// API group (`argoproj.io`); empty matches any group.
    pub group: String,
    pub kind: String,
    pub behaves_as: String,
}

/// A suppression from the config: a rule on objects matching kind/namespace/name globs.
#[derive(Debug, Clone)]
pub struct ConfigSuppression {
    pub rule: String,
    pub kind: Option<globset::GlobMatcher>,
    pub namespace: Option<globset::GlobMatcher>,
    pub name: Option<globset::GlobMatcher>,
    pub reason: Option<String>,
    /// Where it is written, for `suppression-unused` and strict checks.
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Config {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    pub source: Option<SourceFile>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub options: BTreeMap<String, serde_json::Value>,
    pub exclude: Vec<String>,
    pub fail_on: Option<Severity>,
    pub namespace: Option<String>,
    pub kubernetes_version: Option<String>,
    /// Extra engines for the stateful-image detector, as JSON in the shape of
    /// `rules/stateful-images.yaml` entries.
    pub stateful_images: Vec<serde_json::Value>,
    pub workload_kinds: Vec<KindMapping>,
    pub suppressions: Vec<ConfigSuppression>,
    pub strict_suppressions: bool,
}

/// A mistake in the configuration file, with its place.
#[derive(Debug)]
pub struct ConfigError {
    pub file: Option<Box<SourceFile>>,
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.span) {
            (Some(file), Some(span)) => {
                let p = file.position(span.start());
                write!(f, "{}:{}:{}: {}", file.display_name(), p.line, p.column, self.message)
            }
            (Some(file), None) => write!(f, "{}: {}", file.display_name(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("config"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.file.as_deref().map(|f| f as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_primary_with_span(None, (span.start(), span.len())))))
    }
}

/// The config file for a run: `explicit`, else `.kubeadvise.yaml` in `start` or its parents.
pub fn find(explicit: Option<&Path>, start: &Path) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    // Named relative to the working directory (`.kubeadvise.yaml`, `../.kubeadvise.yaml`), as
    // paths in diagnostics are.
    start.ancestors().enumerate().find(|(_, dir)| dir.join(FILE_NAME).is_file()).map(|(up, _)| {
        let mut path = PathBuf::new();
        for _ in 0..up {
            path.push("..");
        }
        path.join(FILE_NAME)
    })
}

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let bytes = std::fs::read(path).map_err(|e| ConfigError {
        file: None,
        span: None,
        message: {
            let (path, reason) = (path.display(), crate::discover::io_message(&e));
            t(
                format!("cannot read config `{path}`: {reason}"),
                format!("impossible de lire la configuration `{path}` : {reason}"),
            )
        },
        help: None,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ConfigError {
        file: None,
        span: None,
        message: t(
            format!("config `{}` is not UTF-8", path.display()),
            format!("la configuration `{}` n'est pas en UTF-8", path.display()),
        ),
        help: None,
    })?;
    let mut config = parse(SourceFile::new(path.display().to_string(), text))?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Parse and validate a config file's text.
pub fn parse(file: SourceFile) -> Result<Config, ConfigError> {
    let (docs, problems) = yaml::load(&file);
    if let Some(p) = problems.first() {
        return Err(ConfigError {
            file: Some(Box::new(file)),
            span: Some(p.span),
            message: p.message.clone(),
            help: p.help.clone(),
        });
    }
    let mut config = Config::default();
    if let Some(doc) = docs.first() {
        let result = Reader { config: &mut config }.root(&doc.root);
        if let Err((span, message, help)) = result {
            return Err(ConfigError { file: Some(Box::new(file)), span: Some(span), message, help });
        }
    }
    config.source = Some(file);
    Ok(config)
}

type Invalid = (Span, String, Option<String>);

use crate::i18n::t;

/// The French of a `what` below: the place or kind of value an error is about.
fn fr(what: &str) -> String {
    match what {
        "the config" => "la configuration".into(),
        "a workload kind" => "un type de workload".into(),
        "a suppression" => "une suppression".into(),
        "a stateful image" => "une image stateful".into(),
        "an exclude glob" => "un glob d'exclusion".into(),
        "a rule id" => "un id de règle".into(),
        "a severity" => "une sévérité".into(),
        "a glob" => "un glob".into(),
        // Field names stay as they are.
        field => field.into(),
    }
}

fn invalid(node: &Node, message: impl Into<String>) -> Invalid {
    (node.span, message.into(), None)
}

pub const ROOT_KEYS: [&str; 9] = [
    "rules",
    "exclude",
    "failOn",
    "namespace",
    "kubernetesVersion",
    "statefulImages",
    "workloadKinds",
    "suppressions",
    "strictSuppressions",
];
pub const RULES_KEYS: [&str; 4] = ["select", "ignore", "severity", "options"];
pub const KIND_KEYS: [&str; 3] = ["apiGroup", "kind", "behavesAs"];
/// Keys of a `statefulImages` entry (the shape of `rules/stateful-images.yaml` engines).
pub const ENGINE_KEYS: [&str; 13] = [
    "name",
    "images",
    "ports",
    "dataPaths",
    "dataEnv",
    "dataFlags",
    "flags",
    "cacheUnlessPersistent",
    "requireFlag",
    "quorum",
    "majority",
    "primaryReplica",
    "secondary",
];
pub const SUPPRESSION_KEYS: [&str; 5] = ["rule", "kind", "namespace", "name", "reason"];
/// Built-in kinds a custom kind may behave as.
pub const BEHAVIOURS: [&str; 7] = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"];

struct Reader<'c> {
    config: &'c mut Config,
}

fn entries<'n>(node: &'n Node, known: &[&str], what: &str) -> Result<Vec<(&'n str, &'n Node)>, Invalid> {
    let map = node.as_map().ok_or_else(|| {
        invalid(node, t(format!("{what} must be a mapping"), format!("{} doit être un mapping", fr(what))))
    })?;
    map.iter()
        .map(|e| {
            let key = e
                .key
                .text()
                .ok_or_else(|| invalid(&e.key, t("keys must be strings", "les clés doivent être des chaînes")))?;
            if !known.contains(&key) {
                let help = crate::suggest::closest(key, known.iter().copied())
                    .map(|g| {
                        t(
                            format!("Did you mean `{g}`? Known keys: {}.", known.join(", ")),
                            format!("Vouliez-vous dire `{g}` ? Clés connues : {}.", known.join(", ")),
                        )
                    })
                    .or_else(|| {
                        Some(t(
                            format!("Known keys: {}.", known.join(", ")),
                            format!("Clés connues : {}.", known.join(", ")),
                        ))
                    });
                let message =
                    t(format!("unknown key `{key}` in {what}"), format!("clé inconnue `{key}` dans {}", fr(what)));
                return Err((e.key.span, message, help));
            }
            Ok((key, &e.value))
        })
        .collect()
}

fn string(node: &Node, what: &str) -> Result<String, Invalid> {
    node.text().map(str::to_string).ok_or_else(|| {
        invalid(node, t(format!("{what} must be a string"), format!("{} doit être une chaîne", fr(what))))
    })
}

fn strings(node: &Node, what: &str) -> Result<Vec<String>, Invalid> {
    match &node.value {
        Value::Seq(items) => items.iter().map(|i| string(i, what)).collect(),
        Value::Scalar(_) => Ok(string(node, what)?.split(',').map(|s| s.trim().to_string()).collect()),
        Value::Map(_) => Err(invalid(
            node,
            t(format!("{what} must be a list of strings"), format!("{} doit être une liste de chaînes", fr(what))),
        )),
    }
}

fn severity(node: &Node) -> Result<Severity, Invalid> {
    let text = string(node, "a severity")?;
    Severity::parse(&text).ok_or_else(|| {
        (
            node.span,
            t(format!("`{text}` is not a severity"), format!("`{text}` n'est pas une sévérité")),
            Some(t("Use error, warning or info.", "Utilisez error, warning ou info.")),
        )
    })
}

fn glob(node: &Node) -> Result<globset::GlobMatcher, Invalid> {
    let text = string(node, "a glob")?;
    globset::Glob::new(&text)
        .map(|g| g.compile_matcher())
        .map_err(|e| invalid(node, t(format!("invalid glob `{text}`: {e}"), format!("glob `{text}` invalide : {e}"))))
}

impl Reader<'_> {
    fn root(&mut self, node: &Node) -> Result<(), Invalid> {
        if node.is_null() {
            return Ok(());
        }
        for (key, value) in entries(node, &ROOT_KEYS, "the config")? {
            // A key with only comments under it (as in the starter file) means "nothing".
            if value.is_null() {
                continue;
            }
            let c = &mut *self.config;
            match key {
                "rules" => self.rules(value)?,
                "exclude" => c.exclude = strings(value, "an exclude glob")?,
                "failOn" => c.fail_on = Some(severity(value)?),
                "namespace" => c.namespace = Some(string(value, "namespace")?),
                "kubernetesVersion" => c.kubernetes_version = Some(string(value, "kubernetesVersion")?),
                "statefulImages" => {
                    let items = value.as_seq().ok_or_else(|| {
                        invalid(value, t("statefulImages must be a list", "statefulImages doit être une liste"))
                    })?;
                    for item in items {
                        stateful_image(item)?;
                    }
                    c.stateful_images = items.iter().map(Node::to_json).collect();
                }
                "workloadKinds" => self.kinds(value)?,
                "suppressions" => self.suppressions(value)?,
                "strictSuppressions" => {
                    c.strict_suppressions = value.as_bool().ok_or_else(|| {
                        invalid(
                            value,
                            t(
                                "strictSuppressions must be true or false",
                                "strictSuppressions doit valoir true ou false",
                            ),
                        )
                    })?
                }
                _ => unreachable!("keys are checked against ROOT_KEYS"),
            }
        }
        Ok(())
    }

    fn rules(&mut self, node: &Node) -> Result<(), Invalid> {
        for (key, value) in entries(node, &RULES_KEYS, "rules")? {
            match key {
                "select" => self.config.select = strings(value, "a rule id")?,
                "ignore" => self.config.ignore = strings(value, "a rule id")?,
                "severity" => {
                    for e in value.as_map().ok_or_else(|| {
                        invalid(
                            value,
                            t(
                                "rules.severity must map rule ids to severities",
                                "rules.severity doit associer des ids de règles à des sévérités",
                            ),
                        )
                    })? {
                        let id = known_rule(&e.key)?;
                        self.config.severity.insert(id, severity(&e.value)?);
                    }
                }
                "options" => {
                    for e in value.as_map().ok_or_else(|| {
                        invalid(
                            value,
                            t(
                                "rules.options must map rule ids to options",
                                "rules.options doit associer des ids de règles à des options",
                            ),
                        )
                    })? {
                        let id = known_rule(&e.key)?;
                        self.config.options.insert(id, e.value.to_json());
                    }
                }
                _ => unreachable!("keys are checked against RULES_KEYS"),
            }
        }
        for id in self.config.select.iter().chain(&self.config.ignore) {
            if crate::app::resolve_ids(std::slice::from_ref(id)).is_err() {
                let node = node.get("select").or(node.get("ignore")).unwrap_or(node);
                return Err(invalid(node, t(format!("unknown rule `{id}`"), format!("règle inconnue `{id}`"))));
            }
        }
        Ok(())
    }

    fn kinds(&mut self, node: &Node) -> Result<(), Invalid> {
        for item in node
            .as_seq()
            .ok_or_else(|| invalid(node, t("workloadKinds must be a list", "workloadKinds doit être une liste")))?
        {
            let mut mapping = KindMapping { group: String::new(), kind: String::new(), behaves_as: String::new() };
            for (key, value) in entries(item, &KIND_KEYS, "a workload kind")? {
                match key {
                    "apiGroup" => mapping.group = string(value, "apiGroup")?,
                    "kind" => mapping.kind = string(value, "kind")?,
                    "behavesAs" => {
                        mapping.behaves_as = string(value, "behavesAs")?;
                        if !BEHAVIOURS.contains(&mapping.behaves_as.as_str()) {
                            return Err((
                                value.span,
                                t(
                                    format!("cannot behave as `{}`", mapping.behaves_as),
                                    format!("ne peut pas se comporter comme `{}`", mapping.behaves_as),
                                ),
                                Some(t(
                                    format!("Use one of {}.", BEHAVIOURS.join(", ")),
                                    format!("Utilisez l'un de {}.", BEHAVIOURS.join(", ")),
                                )),
                            ));
                        }
                    }
                    _ => unreachable!("keys are checked against KIND_KEYS"),
                }
            }
            if mapping.kind.is_empty() || mapping.behaves_as.is_empty() {
                return Err(invalid(
                    item,
                    t(
                        "a workload kind needs `kind` and `behavesAs`",
                        "un type de workload doit avoir `kind` et `behavesAs`",
                    ),
                ));
            }
            self.config.workload_kinds.push(mapping);
        }
        Ok(())
    }

    fn suppressions(&mut self, node: &Node) -> Result<(), Invalid> {
        for item in node
            .as_seq()
            .ok_or_else(|| invalid(node, t("suppressions must be a list", "suppressions doit être une liste")))?
        {
            let mut s = ConfigSuppression {
                rule: String::new(),
                kind: None,
                namespace: None,
                name: None,
                reason: None,
                span: item.span,
            };
            for (key, value) in entries(item, &SUPPRESSION_KEYS, "a suppression")? {
                match key {
                    "rule" => s.rule = known_rule(value)?,
                    "kind" => s.kind = Some(glob(value)?),
                    "namespace" => s.namespace = Some(glob(value)?),
                    "name" => s.name = Some(glob(value)?),
                    "reason" => s.reason = Some(string(value, "reason")?),
                    _ => unreachable!("keys are checked against SUPPRESSION_KEYS"),
                }
            }
            if s.rule.is_empty() {
                return Err(invalid(item, t("a suppression needs `rule`", "une suppression doit avoir `rule`")));
            }
            self.config.suppressions.push(s);
        }
        Ok(())
    }
}

/// One `statefulImages` entry: known keys, `name` and `images` present, each value of its type;
/// errors point at the key or value.
fn stateful_image(item: &Node) -> Result<(), Invalid> {
    let mut seen = Vec::new();
    for (key, value) in entries(item, &ENGINE_KEYS, "a stateful image")? {
        seen.push(key);
        match key {
            "name" => {
                string(value, "name")?;
            }
            "ports" => {
                let ports = value
                    .as_seq()
                    .ok_or_else(|| invalid(value, t("ports must be a list", "ports doit être une liste")))?;
                for port in ports {
                    if port.as_i64().is_none() {
                        return Err(invalid(port, t("a port must be an integer", "un port doit être un entier")));
                    }
                }
            }
            "cacheUnlessPersistent" | "requireFlag" | "quorum" | "majority" | "primaryReplica" | "secondary" => {
                if value.as_bool().is_none() {
                    return Err(invalid(
                        value,
                        t(format!("{key} must be true or false"), format!("{key} doit valoir true ou false")),
                    ));
                }
            }
            // images, dataPaths, dataEnv, dataFlags, flags: lists of strings.
            _ => {
                let items = value.as_seq().ok_or_else(|| {
                    invalid(
                        value,
                        t(format!("{key} must be a list of strings"), format!("{key} doit être une liste de chaînes")),
                    )
                })?;
                for i in items {
                    string(i, key)?;
                }
            }
        }
    }
    if let Some(missing) = ["name", "images"].into_iter().find(|k| !seen.contains(k)) {
        return Err(invalid(
            item,
            t(format!("a stateful image needs `{missing}`"), format!("une image stateful doit avoir `{missing}`")),
        ));
    }
    Ok(())
}

fn known_rule(node: &Node) -> Result<String, Invalid> {
    let id = string(node, "a rule id")?;
    if crate::rules::meta(&id).is_none() {
        let ids: Vec<&str> = crate::rules::all_metas().iter().map(|m| m.id).collect();
        let help = crate::suggest::closest(&id, ids.iter().copied())
            .map(|g| t(format!("Did you mean `{g}`?"), format!("Vouliez-vous dire `{g}` ?")));
        return Err((node.span, t(format!("unknown rule `{id}`"), format!("règle inconnue `{id}`")), help));
    }
    Ok(id)
}

/// The commented starter config written by `kubeadvise init`.
pub const STARTER: &str = include_str!("../docs/kubeadvise.starter.yaml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config, ConfigError> {
        parse(SourceFile::new(".kubeadvise.yaml", text.to_string()))
    }

    #[test]
    fn the_starter_config_is_valid() {
        let c = parse_text(STARTER).expect("starter config parses");
        assert_eq!(c.fail_on, Some(Severity::Warning));
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line() {
        let e = parse_text("failOn: warning\nrulez: {}\n").unwrap_err();
        assert_eq!(e.to_string(), ".kubeadvise.yaml:2:1: unknown key `rulez` in the config");
        assert!(e.help.unwrap().contains("Did you mean `rules`?"));
        let e = parse_text("rules:\n  severity:\n    ctrl-bare-pd: error\n").unwrap_err();
        assert!(e.to_string().starts_with(".kubeadvise.yaml:3:5: unknown rule"));
        let e = parse_text("failOn: fatal\n").unwrap_err();
        assert!(e.to_string().contains("`fatal` is not a severity"));
    }

    #[test]
    fn the_shipped_json_schema_names_exactly_the_keys_read_here() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../docs/kubeadvise.schema.json")).expect("the schema is JSON");
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"].as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let sorted = |a: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = a.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        let p = &schema["properties"];
        assert_eq!(keys(&schema), sorted(&ROOT_KEYS));
        assert_eq!(keys(&p["rules"]), sorted(&RULES_KEYS));
        assert_eq!(keys(&p["workloadKinds"]["items"]), sorted(&KIND_KEYS));
        assert_eq!(keys(&p["suppressions"]["items"]), sorted(&SUPPRESSION_KEYS));
        assert_eq!(keys(&p["statefulImages"]["items"]), sorted(&ENGINE_KEYS));
    }

    #[test]
    fn every_engine_key_is_one_the_detector_reads() {
        // An entry with every key deserialises into the detector's engine (which denies unknown
        // fields), and the reader accepts it.
        let text = "statefulImages:\n- name: x\n  images: [x]\n  ports: [1]\n  dataPaths: [/d]\n  dataEnv: [D]\n  dataFlags: [--d]\n  flags: [--f]\n  cacheUnlessPersistent: true\n  requireFlag: false\n  quorum: true\n  majority: true\n  primaryReplica: false\n  secondary: false\n";
        let c = parse_text(text).unwrap();
        let keys: Vec<&str> = c.stateful_images[0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), ENGINE_KEYS.len());
        crate::rules::stateful::check_engine(&c.stateful_images[0]).unwrap();
    }

    #[test]
    fn stateful_image_errors_point_at_their_node() {
        let e = parse_text("statefulImages:\n- name: x\n  images: [x]\n  ports: [http]\n").unwrap_err();
        assert!(e.to_string().starts_with(".kubeadvise.yaml:4:11: a port must be an integer"), "{e}");
        let e = parse_text("statefulImages:\n- name: x\n  image: [x]\n").unwrap_err();
        assert!(e.to_string().starts_with(".kubeadvise.yaml:3:3: unknown key `image`"), "{e}");
        assert!(e.help.as_deref().unwrap().contains("`images`"), "{e:?}");
        let e = parse_text("statefulImages:\n- name: x\n").unwrap_err();
        assert!(e.to_string().contains("needs `images`"), "{e}");
    }

    #[test]
    fn full_config() {
        let c = parse_text(
            "rules:\n  ignore: [rollout-recreate-downtime]\n  severity: {ctrl-bare-pod: error}\nexclude: ['charts/**']\nworkloadKinds:\n- {apiGroup: argoproj.io, kind: Rollout, behavesAs: Deployment}\nsuppressions:\n- {rule: ctrl-bare-pod, namespace: 'debug-*', reason: debugging}\n",
        )
        .unwrap();
        assert_eq!(c.severity.get("ctrl-bare-pod"), Some(&Severity::Error));
        assert_eq!(c.workload_kinds[0].behaves_as, "Deployment");
        assert!(c.suppressions[0].namespace.as_ref().unwrap().is_match("debug-7"));
    }
}

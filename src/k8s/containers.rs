//! Container probes and lifecycle hooks: what a probe checks (its handler, with named ports
//! resolved), how long it tolerates failure, and how long a preStop hook delays shutdown.
//! No rule logic lives here.

use super::Container;
use super::pod::PodSpec;
use crate::i18n::t;
use crate::yaml::Node;

/// What a probe checks, normalised so that two probes that check the same thing compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handler {
    Http { scheme: String, host: String, path: String, port: String },
    Tcp { host: String, port: String },
    Grpc { port: String, service: String },
    Exec(Vec<String>),
}

impl Handler {
    /// Short description for messages (`HTTP GET /healthz on port 8080`).
    pub fn describe(&self) -> String {
        match self {
            Handler::Http { path, port, .. } => {
                t(format!("HTTP GET {path} on port {port}"), format!("HTTP GET {path} sur le port {port}"))
            }
            Handler::Tcp { port, .. } => {
                t(format!("TCP connect to port {port}"), format!("connexion TCP au port {port}"))
            }
            Handler::Grpc { port, .. } => {
                t(format!("gRPC health check on port {port}"), format!("health check gRPC sur le port {port}"))
            }
            Handler::Exec(cmd) => {
                let text = cmd.join(" ");
                let shown = if text.chars().count() > 40 {
                    format!("`{}…`", text.chars().take(40).collect::<String>())
                } else {
                    format!("`{text}`")
                };
                t(format!("command {shown}"), format!("commande {shown}"))
            }
        }
    }
}

/// A port of a probe: a number, or the name of one of the container's ports resolved to its number.
fn port(node: Option<&Node>, container: &Container<'_>) -> Option<String> {
    let node = node?;
    if let Some(n) = node.as_i64() {
        return Some(n.to_string());
    }
    let name = node.text()?;
    let resolved = container.ports().iter().find_map(|p| {
        (p.get("name").and_then(Node::text) == Some(name)).then(|| p.get("containerPort").and_then(Node::as_i64))?
    });
    Some(resolved.map_or_else(|| name.to_string(), |n| n.to_string()))
}

fn text_or(node: Option<&Node>, default: &str) -> String {
    node.and_then(Node::text).unwrap_or(default).to_string()
}

/// The handler of a probe (`livenessProbe`, `readinessProbe`, `startupProbe` value).
pub fn probe_handler(probe: &Node, container: &Container<'_>) -> Option<Handler> {
    if let Some(http) = probe.get_some("httpGet") {
        return Some(Handler::Http {
            scheme: text_or(http.get("scheme"), "HTTP").to_ascii_uppercase(),
            host: text_or(http.get("host"), ""),
            path: text_or(http.get("path"), "/"),
            port: port(http.get("port"), container)?,
        });
    }
    if let Some(tcp) = probe.get_some("tcpSocket") {
        return Some(Handler::Tcp { host: text_or(tcp.get("host"), ""), port: port(tcp.get("port"), container)? });
    }
    if let Some(grpc) = probe.get_some("grpc") {
        return Some(Handler::Grpc {
            port: port(grpc.get("port"), container)?,
            service: text_or(grpc.get("service"), ""),
        });
    }
    let command = probe.get_some("exec")?.get("command")?.as_seq()?;
    let words: Option<Vec<String>> = command.iter().map(|w| w.text().map(str::to_string)).collect();
    words.filter(|w| !w.is_empty()).map(Handler::Exec)
}

/// How long a probe must keep failing before it acts: `failureThreshold` × `periodSeconds`
/// (defaults 3 and 10).
pub fn failure_window(probe: &Node) -> i64 {
    let threshold = probe.get("failureThreshold").and_then(Node::as_i64).unwrap_or(3);
    let period = probe.get("periodSeconds").and_then(Node::as_i64).unwrap_or(10);
    threshold.saturating_mul(period)
}

/// `terminationGracePeriodSeconds` of the pod spec (default 30) and its node, if written.
pub fn grace_period<'a>(spec: &PodSpec<'a>) -> (i64, Option<&'a Node>) {
    match spec.node.get_some("terminationGracePeriodSeconds") {
        Some(node) => (node.as_i64().unwrap_or(30), Some(node)),
        None => (30, None),
    }
}

/// How long a container's preStop hook delays shutdown, when it is a plain wait: the native
/// `sleep.seconds` action, or `sleep N` in an exec command. With the node to point at.
pub fn prestop_sleep<'a>(container: &Container<'a>) -> Option<(f64, &'a Node)> {
    let pre_stop = container.node.get_some("lifecycle")?.get_some("preStop")?;
    if let Some(seconds) = pre_stop.get_some("sleep").and_then(|s| s.get("seconds")) {
        return Some((seconds.as_i64()? as f64, seconds));
    }
    let command = pre_stop.get_some("exec")?.get("command")?.items();
    let mut tokens: Vec<(usize, String)> = Vec::new();
    for (i, item) in command.iter().enumerate() {
        let Some(text) = item.text() else { continue };
        let spaced: String =
            text.chars().map(|c| if matches!(c, ';' | '&' | '|' | '(' | ')') { ' ' } else { c }).collect();
        tokens.extend(spaced.split_whitespace().map(|t| (i, t.trim_matches(|c| c == '"' || c == '\'').to_string())));
    }
    // The longest single `sleep N`: several sleeps in one script may be in different branches.
    tokens
        .windows(2)
        .filter(|w| w[0].1.rsplit('/').next() == Some("sleep"))
        .filter_map(|w| Some((parse_sleep(&w[1].1)?, &command[w[1].0])))
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Seconds of a `sleep` operand: `5`, `2.5`, `5s`, `1m`, `1h`.
fn parse_sleep(word: &str) -> Option<f64> {
    let (number, factor) = match word.char_indices().last()? {
        (i, 's') => (&word[..i], 1.0),
        (i, 'm') => (&word[..i], 60.0),
        (i, 'h') => (&word[..i], 3600.0),
        (i, 'd') => (&word[..i], 86400.0),
        _ => (word, 1.0),
    };
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    number.parse::<f64>().ok().filter(|n| n.is_finite()).map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::pod::ContainerRole;
    use crate::source::SourceFile;

    fn with_container<R>(yaml: &str, f: impl FnOnce(&Container<'_>) -> R) -> R {
        let file = SourceFile::new("t.yaml", yaml.to_string());
        let (docs, _) = crate::yaml::load(&file);
        let container = Container { node: &docs[0].root, role: ContainerRole::Main };
        f(&container)
    }

    #[test]
    fn sleeps_in_prestop() {
        let cases = [
            ("lifecycle: {preStop: {sleep: {seconds: 20}}}", Some(20.0)),
            ("lifecycle: {preStop: {exec: {command: [sleep, '15']}}}", Some(15.0)),
            ("lifecycle: {preStop: {exec: {command: [/bin/sh, -c, 'sleep 40 && nginx -s quit']}}}", Some(40.0)),
            ("lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 5; /bin/sleep 1m']}}}", Some(60.0)),
            ("lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep $DELAY']}}}", None),
            ("lifecycle: {preStop: {httpGet: {path: /drain, port: 80}}}", None),
            ("name: web", None),
        ];
        for (yaml, expected) in cases {
            assert_eq!(with_container(yaml, |c| prestop_sleep(c).map(|(s, _)| s)), expected, "{yaml}");
        }
    }

    #[test]
    fn named_ports_resolve() {
        let yaml = "ports: [{name: http, containerPort: 8080}]\nlivenessProbe: {httpGet: {path: /h, port: http}}\nreadinessProbe: {httpGet: {path: /h, port: 8080}}";
        with_container(yaml, |c| {
            let live = probe_handler(c.node.get("livenessProbe").unwrap(), c);
            let ready = probe_handler(c.node.get("readinessProbe").unwrap(), c);
            assert!(live.is_some());
            assert_eq!(live, ready);
        });
    }

    #[test]
    fn windows_default() {
        with_container("p: {}\nq: {failureThreshold: 6, periodSeconds: 5}", |c| {
            assert_eq!(failure_window(c.node.get("p").unwrap()), 30);
            assert_eq!(failure_window(c.node.get("q").unwrap()), 30);
        });
    }
}

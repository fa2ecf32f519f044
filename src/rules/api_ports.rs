//! `api-ports`: container and Service ports the API server rejects: numbers out of range, port
//! names too long or not IANA/DNS names, duplicate names, unknown protocols, unnamed ports in a
//! multi-port Service. StatefulSet templates are `sts-template-invalid`'s.

use std::collections::HashMap;

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::apivalidation::pod_problems;
use crate::k8s::kinds::is_builtin;
use crate::k8s::podcheck::{is_dns1123_label, is_iana_svc_name};
use crate::source::Span;
use crate::yaml::Node;

pub struct ApiPorts;

static META: RuleMeta = RuleMeta {
    id: "api-ports",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&[
        "Pod",
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "DaemonSet",
        "Job",
        "CronJob",
        "Service",
    ]),
    summary: "Container or Service port the API server rejects (range, name, protocol, duplicates)",
    why: "The API server validates ports when the object is created: a port name over 15 characters, a duplicate name, a number outside 1–65535 or an unnamed port in a multi-port Service gets the object rejected, so the apply fails.",
    why_fr: "",
    docs: include_str!("../../rules/api-ports.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiPorts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.kind == "Service" {
            if is_builtin(obj) {
                check_service(obj, ctx);
            }
            return;
        }
        for p in pod_problems(obj, "api-ports") {
            let problem = p.problem;
            let mut v = Violation::new(
                problem.span,
                problem.label,
                format!("{}: {}: the API server rejects it with `{}`", obj.display(), problem.message, p.api_error),
                problem.help,
            );
            if let Some((span, text)) = problem.related {
                v = v.secondary(span, text);
            }
            ctx.report(v);
        }
    }
}

fn head(item: &Node) -> Span {
    item.as_map().and_then(|m| m.first()).map_or(item.span, |e| e.key.span)
}

fn check_service(obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
    let Some(ports) = obj.spec().and_then(|s| s.get("ports")).and_then(Node::as_seq) else { return };
    let multi = ports.len() > 1;
    let mut names: HashMap<&str, Span> = HashMap::new();
    let mut numbers: HashMap<(i64, &str), Span> = HashMap::new();
    let d = obj.display();
    for (i, port) in ports.iter().enumerate() {
        if port.as_map().is_none() {
            continue;
        }
        let at = format!("spec.ports[{i}]");
        let which = match port.get_some("port").and_then(Node::as_i64) {
            Some(n) => format!("port {n}"),
            None => format!("the port at `{at}`"),
        };
        // Name: required when there are several ports; a DNS-1123 label; unique.
        match port.get_some("name").and_then(|n| n.text().map(|t| (n, t))).filter(|(_, t)| !t.is_empty()) {
            None if multi => ctx.report(Violation::new(
                head(port),
                "unnamed port",
                format!(
                    "{d}: {which} has no name, but a Service with several ports must name each one: the API server rejects it with `{at}.name: Required value`"
                ),
                "Name every port of the Service (`name: http`, `name: metrics`).",
            )),
            None => {}
            Some((node, name)) => {
                if !is_dns1123_label(name) {
                    ctx.report(Violation::new(
                        node.span,
                        "not a DNS-1123 label",
                        format!(
                            "{d}: port name `{name}` is not a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters): the API server rejects it with `{at}.name: Invalid value: \"{name}\"`"
                        ),
                        "Use a lowercase port name with letters, digits and hyphens, such as `http-metrics`.",
                    ));
                }
                if let Some(first) = names.get(name) {
                    ctx.report(
                        Violation::new(
                            node.span,
                            "duplicate port name",
                            format!(
                                "{d}: port name `{name}` is used twice: the API server rejects it with `{at}.name: Duplicate value: \"{name}\"`"
                            ),
                            "Give each port of the Service its own name.",
                        )
                        .secondary(*first, "first used here"),
                    );
                } else {
                    names.insert(name, node.span);
                }
            }
        }
        // Port number.
        let protocol = port.get_some("protocol").and_then(Node::text).unwrap_or("TCP");
        match port.get_some("port") {
            None => ctx.report(Violation::new(
                head(port),
                "no port number",
                format!("{d}: the port at `{at}` has no `port` number: the API server rejects it with `{at}.port: Invalid value: 0: must be between 1 and 65535, inclusive`"),
                "Set `port` (1–65535), the port the Service listens on.",
            )),
            Some(p) => {
                if let Some(n) = p.as_i64() {
                    if !(1..=65535).contains(&n) {
                        ctx.report(Violation::new(
                            p.span,
                            "outside 1–65535",
                            format!("{d}: port {n} is outside 1–65535: the API server rejects it with `{at}.port: Invalid value: {n}: must be between 1 and 65535, inclusive`"),
                            "Use a port number between 1 and 65535.",
                        ));
                    } else if let Some(first) = numbers.get(&(n, protocol)) {
                        ctx.report(
                            Violation::new(
                                p.span,
                                "duplicate port",
                                format!("{d}: port {n}/{protocol} is declared twice: the API server rejects it with `{at}: Duplicate value`"),
                                "Declare each port and protocol once.",
                            )
                            .secondary(*first, "first declared here"),
                        );
                    } else {
                        numbers.insert((n, protocol), p.span);
                    }
                }
            }
        }
        if let Some(pn) = port.get_some("protocol") {
            if let Some(text) = pn.text().filter(|t| !matches!(*t, "TCP" | "UDP" | "SCTP")) {
                ctx.report(Violation::new(
                    pn.span,
                    "not TCP, UDP or SCTP",
                    format!("{d}: protocol `{text}` is not supported: the API server rejects it with `{at}.protocol: Unsupported value: \"{text}\": supported values: \"SCTP\", \"TCP\", \"UDP\"`"),
                    "Write the protocol in upper case: TCP, UDP or SCTP.",
                ));
            }
        }
        // Target port: a number in range, or a container port name (IANA service name).
        let Some(target) = port.get_some("targetPort") else { continue };
        if let Some(n) = target.as_i64() {
            // 0 is defaulted to `port`.
            if n != 0 && !(1..=65535).contains(&n) {
                ctx.report(Violation::new(
                    target.span,
                    "outside 1–65535",
                    format!("{d}: targetPort {n} is outside 1–65535: the API server rejects it with `{at}.targetPort: Invalid value: {n}: must be between 1 and 65535, inclusive`"),
                    "Use a port number between 1 and 65535, or the name of a container port.",
                ));
            }
        } else if let Some(text) = target.as_str().filter(|t| !t.is_empty()) {
            if text.parse::<u32>().is_ok() {
                ctx.report(Violation::new(
                    target.span,
                    "quoted number",
                    format!("{d}: targetPort `\"{text}\"` is a quoted number, which the API server reads as a port name, and names need a letter: it rejects it with `{at}.targetPort: Invalid value: \"{text}\"`"),
                    format!("Write `targetPort: {text}` without quotes."),
                ));
            } else if !is_iana_svc_name(text) {
                let why = if text.len() > 15 {
                    format!("is {} characters, more than the 15 of a container port name", text.len())
                } else {
                    "is not a valid container port name (lowercase letters, digits and single hyphens, with a letter)"
                        .to_string()
                };
                ctx.report(Violation::new(
                    target.span,
                    "invalid port name",
                    format!("{d}: targetPort `{text}` {why}: the API server rejects it with `{at}.targetPort: Invalid value: \"{text}\"`"),
                    "Use the container port's number, or its name (at most 15 lowercase letters, digits and hyphens).",
                ));
            }
        }
    }
}

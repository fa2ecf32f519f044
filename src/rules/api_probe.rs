//! `api-probe`: liveness, readiness and startup probes the API server rejects: zero or several
//! handlers, a liveness/startup `successThreshold` other than 1, a probe on a plain init
//! container, negative timings, a port outside 1–65535 or a port name that is not an IANA
//! service name. On StatefulSet templates the checks shared with `sts-template-invalid` are left to it.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::names::is_placeholder;
use crate::k8s::pod::ContainerRole;
use crate::k8s::podcheck::{self, is_iana_svc_name};
use crate::yaml::Node;

pub struct ApiProbe;

static META: RuleMeta = RuleMeta {
    id: "api-probe",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&[
        "Pod",
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "DaemonSet",
        "StatefulSet",
        "Job",
        "CronJob",
    ]),
    summary: "Probe the API server rejects (handlers, thresholds, timings, port)",
    why: "The API server validates each probe of a pod template (exactly one handler, `successThreshold: 1` for liveness and startup probes, non-negative timings, a valid port) and rejects the object: the apply fails.",
    why_fr: "",
    docs: include_str!("../../rules/api-probe.md"),
    default_enabled: true,
    supersedes: &[],
};

const TIMINGS: [&str; 5] =
    ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"];

impl Rule for ApiProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let display = obj.display();
        // StatefulSet templates: the checks podcheck shares are `sts-template-invalid`'s.
        let sts = obj.kind == "StatefulSet";
        let shared = if sts { Vec::new() } else { podcheck::check_pod_spec(&spec) };
        for problem in shared.into_iter().filter(|p| p.check == "api-probe") {
            let mut v =
                Violation::new(problem.span, problem.label, format!("{display}: {}", problem.message), problem.help);
            if let Some((span, text)) = problem.related {
                v = v.secondary(span, text);
            }
            ctx.report(v);
        }
        for c in spec.all_containers() {
            if c.role == ContainerRole::Init {
                continue;
            }
            let name = c.name().unwrap_or("?");
            for kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(probe) = c.node.get_some(kind).filter(|p| p.as_map().is_some()) else { continue };
                check_extra(probe, kind, name, &display, sts, ctx);
            }
        }
    }
}

const STS_WHY: &str = "The API server does not validate a StatefulSet's pod template, but rejects every Pod the controller creates from it: the StatefulSet runs zero replicas and its events show FailedCreate.";

fn check_extra(probe: &Node, kind: &str, container: &str, display: &str, sts: bool, ctx: &mut RuleContext<'_, '_>) {
    let mut found = Vec::new();
    check_fields(probe, kind, container, display, &mut found);
    for v in found {
        ctx.report(if sts { v.why(STS_WHY) } else { v });
    }
}

fn check_fields(probe: &Node, kind: &str, container: &str, display: &str, out: &mut Vec<Violation>) {
    for field in TIMINGS {
        if let Some(node) = probe.get_some(field) {
            if let Some(n) = node.as_i64().filter(|n| *n < 0) {
                out.push(Violation::new(
                    node.span,
                    "negative",
                    format!("{display}: {kind} {field} of container `{container}` is {n}; it must be 0 or more"),
                    format!("Set `{field}` to 0 or more, or remove it to use the default."),
                ));
            }
        }
    }
    if let Some(node) = probe.get_some("terminationGracePeriodSeconds") {
        if let Some(n) = node.as_i64().filter(|n| *n <= 0) {
            out.push(Violation::new(
                node.span,
                "must be positive",
                format!("{display}: {kind} terminationGracePeriodSeconds of container `{container}` is {n}; it must be at least 1"),
                "Set the probe's `terminationGracePeriodSeconds` to 1 or more, or remove it.",
            ));
        }
    }
    for handler in ["httpGet", "tcpSocket", "grpc"] {
        let Some(port) = probe.get(handler).and_then(|h| h.get_some("port")) else { continue };
        if let Some(n) = port.as_i64() {
            if !(1..=65535).contains(&n) {
                out.push(Violation::new(
                    port.span,
                    "outside 1–65535",
                    format!("{display}: {kind} {handler} port {n} of container `{container}` is outside 1–65535"),
                    "Use a port number between 1 and 65535, or the name of a container port.",
                ));
            }
        } else if let Some(text) = port.as_str() {
            if handler == "grpc" {
                out.push(Violation::new(
                    port.span,
                    "must be a number",
                    format!("{display}: {kind} grpc port `{text}` of container `{container}` is not a number; gRPC probes take a port number only"),
                    "Use the port number (1–65535).",
                ));
            } else if !is_placeholder(text) && !is_iana_svc_name(text) {
                out.push(Violation::new(
                    port.span,
                    "invalid port name",
                    format!("{display}: {kind} {handler} port `{text}` of container `{container}` is neither a number nor an IANA service name (at most 15 lowercase letters, digits and `-`)"),
                    "Use a port number or the name of a container port (at most 15 characters, e.g. `http-metrics`).",
                ));
            }
        }
    }
}

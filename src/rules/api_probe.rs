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
    why_fr: "L'API server valide chaque sonde d'un template de Pod (exactement un handler, `successThreshold: 1` pour les sondes liveness et startup, des durées positives ou nulles, un port valide) et rejette l'objet : l'apply échoue.",
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
            let mut v = Violation::new(
                problem.span,
                problem.label,
                ctx.t(format!("{display}: {}", problem.message), format!("{display} : {}", problem.message)),
                problem.help,
            );
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
const STS_WHY_FR: &str = "L'API server ne valide pas le template de Pod d'un StatefulSet, mais rejette chaque Pod que le contrôleur en crée : le StatefulSet tourne avec zéro réplica et ses événements montrent FailedCreate.";

fn check_extra(probe: &Node, kind: &str, container: &str, display: &str, sts: bool, ctx: &mut RuleContext<'_, '_>) {
    let mut found = Vec::new();
    check_fields(probe, kind, container, display, ctx, &mut found);
    for v in found {
        let v = if sts { v.why(ctx.t(STS_WHY, STS_WHY_FR)) } else { v };
        ctx.report(v);
    }
}

fn check_fields(
    probe: &Node,
    kind: &str,
    container: &str,
    display: &str,
    ctx: &RuleContext<'_, '_>,
    out: &mut Vec<Violation>,
) {
    for field in TIMINGS {
        if let Some(node) = probe.get_some(field) {
            if let Some(n) = node.as_i64().filter(|n| *n < 0) {
                out.push(Violation::new(
                    node.span,
                    ctx.t("negative", "négatif"),
                    ctx.t(format!("{display}: {kind} {field} of container `{container}` is {n}; it must be 0 or more"), format!("{display} : {field} de la {kind} du conteneur `{container}` vaut {n} ; il doit valoir 0 ou plus")),
                    ctx.t(format!("Set `{field}` to 0 or more, or remove it to use the default."), format!("Donnez à `{field}` la valeur 0 ou plus, ou supprimez-le pour utiliser la valeur par défaut.")),
                ));
            }
        }
    }
    if let Some(node) = probe.get_some("terminationGracePeriodSeconds") {
        if let Some(n) = node.as_i64().filter(|n| *n <= 0) {
            out.push(Violation::new(
                node.span,
                ctx.t("must be positive", "doit être positif"),
                ctx.t(format!("{display}: {kind} terminationGracePeriodSeconds of container `{container}` is {n}; it must be at least 1"), format!("{display} : terminationGracePeriodSeconds de la {kind} du conteneur `{container}` vaut {n} ; il doit valoir au moins 1")),
                ctx.t("Set the probe's `terminationGracePeriodSeconds` to 1 or more, or remove it.", "Donnez au `terminationGracePeriodSeconds` de la sonde la valeur 1 ou plus, ou supprimez-le."),
            ));
        }
    }
    for handler in ["httpGet", "tcpSocket", "grpc"] {
        let Some(port) = probe.get(handler).and_then(|h| h.get_some("port")) else { continue };
        if let Some(n) = port.as_i64() {
            if !(1..=65535).contains(&n) {
                out.push(Violation::new(
                    port.span,
                    ctx.t("outside 1–65535", "hors de 1–65535"),
                    ctx.t(format!("{display}: {kind} {handler} port {n} of container `{container}` is outside 1–65535"), format!("{display} : le port {handler} {n} de la {kind} du conteneur `{container}` est hors de 1–65535")),
                    ctx.t("Use a port number between 1 and 65535, or the name of a container port.", "Utilisez un numéro de port entre 1 et 65535, ou le nom d'un port de conteneur."),
                ));
            }
        } else if let Some(text) = port.as_str() {
            if handler == "grpc" {
                out.push(Violation::new(
                    port.span,
                    ctx.t("must be a number", "doit être un nombre"),
                    ctx.t(format!("{display}: {kind} grpc port `{text}` of container `{container}` is not a number; gRPC probes take a port number only"), format!("{display} : le port grpc `{text}` de la {kind} du conteneur `{container}` n'est pas un nombre ; les sondes gRPC ne prennent qu'un numéro de port")),
                    ctx.t("Use the port number (1–65535).", "Utilisez le numéro de port (1–65535)."),
                ));
            } else if !is_placeholder(text) && !is_iana_svc_name(text) {
                out.push(Violation::new(
                    port.span,
                    ctx.t("invalid port name", "nom de port invalide"),
                    ctx.t(format!("{display}: {kind} {handler} port `{text}` of container `{container}` is neither a number nor an IANA service name (at most 15 lowercase letters, digits and `-`)"), format!("{display} : le port {handler} `{text}` de la {kind} du conteneur `{container}` n'est ni un nombre ni un nom de service IANA (au plus 15 lettres minuscules, chiffres et `-`)")),
                    ctx.t("Use a port number or the name of a container port (at most 15 characters, e.g. `http-metrics`).", "Utilisez un numéro de port ou le nom d'un port de conteneur (au plus 15 caractères, par exemple `http-metrics`)."),
                ));
            }
        }
    }
}

//! `api-ports`: container and Service ports the API server rejects: numbers out of range, port
//! names too long or not IANA/DNS names, duplicate names, unknown protocols, unnamed ports in a
//! multi-port Service. StatefulSet templates are `sts-template-invalid`'s.

use std::collections::HashMap;

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
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
    why_fr: "L'API server valide les ports à la création de l'objet : un nom de port de plus de 15 caractères, un nom en double, un numéro hors de 1–65535 ou un port sans nom dans un Service à plusieurs ports font rejeter l'objet, et l'apply échoue.",
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
        ctx.report_pod_problems("api-ports");
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
        let (which, which_fr) = match port.get_some("port").and_then(Node::as_i64) {
            Some(n) => (format!("port {n}"), format!("le port {n}")),
            None => (format!("the port at `{at}`"), format!("le port à `{at}`")),
        };
        // Name: required when there are several ports; a DNS-1123 label; unique.
        match port.get_some("name").and_then(|n| n.text().map(|t| (n, t))).filter(|(_, t)| !t.is_empty()) {
            None if multi => ctx.report(Violation::new(
                head(port),
                ctx.t("unnamed port", "port sans nom"),
                ctx.t(format!(
                    "{d}: {which} has no name, but a Service with several ports must name each one: the API server rejects it with `{at}.name: Required value`"
                ), format!("{d} : {which_fr} n'a pas de nom, mais un Service à plusieurs ports doit les nommer tous : l'API server le rejette avec `{at}.name: Required value`")),
                ctx.t("Name every port of the Service (`name: http`, `name: metrics`).", "Nommez chaque port du Service (`name: http`, `name: metrics`)."),
            )),
            None => {}
            Some((node, name)) => {
                if !is_dns1123_label(name) {
                    ctx.report(Violation::new(
                        node.span,
                        ctx.t("not a DNS-1123 label", "pas un label DNS-1123"),
                        ctx.t(format!(
                            "{d}: port name `{name}` is not a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters): the API server rejects it with `{at}.name: Invalid value: \"{name}\"`"
                        ), format!("{d} : le nom de port `{name}` n'est pas un label RFC 1123 en minuscules (a-z, 0-9 et `-`, au plus 63 caractères) : l'API server le rejette avec `{at}.name: Invalid value: \"{name}\"`")),
                        ctx.t("Use a lowercase port name with letters, digits and hyphens, such as `http-metrics`.", "Utilisez un nom de port en minuscules avec des lettres, des chiffres et des tirets, comme `http-metrics`."),
                    ));
                }
                if let Some(first) = names.get(name) {
                    ctx.report(
                        Violation::new(
                            node.span,
                            ctx.t("duplicate port name", "nom de port en double"),
                            ctx.t(format!(
                                "{d}: port name `{name}` is used twice: the API server rejects it with `{at}.name: Duplicate value: \"{name}\"`"
                            ), format!("{d} : le nom de port `{name}` est utilisé deux fois : l'API server le rejette avec `{at}.name: Duplicate value: \"{name}\"`")),
                            ctx.t("Give each port of the Service its own name.", "Donnez à chaque port du Service son propre nom."),
                        )
                        .secondary(*first, ctx.t("first used here", "première utilisation ici")),
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
                ctx.t("no port number", "pas de numéro de port"),
                ctx.t(format!("{d}: the port at `{at}` has no `port` number: the API server rejects it with `{at}.port: Invalid value: 0: must be between 1 and 65535, inclusive`"), format!("{d} : le port à `{at}` n'a pas de numéro `port` : l'API server le rejette avec `{at}.port: Invalid value: 0: must be between 1 and 65535, inclusive`")),
                ctx.t("Set `port` (1–65535), the port the Service listens on.", "Définissez `port` (1–65535), le port sur lequel le Service écoute."),
            )),
            Some(p) => {
                if let Some(n) = p.as_i64() {
                    if !(1..=65535).contains(&n) {
                        ctx.report(Violation::new(
                            p.span,
                            ctx.t("outside 1–65535", "hors de 1–65535"),
                            ctx.t(format!("{d}: port {n} is outside 1–65535: the API server rejects it with `{at}.port: Invalid value: {n}: must be between 1 and 65535, inclusive`"), format!("{d} : le port {n} est hors de 1–65535 : l'API server le rejette avec `{at}.port: Invalid value: {n}: must be between 1 and 65535, inclusive`")),
                            ctx.t("Use a port number between 1 and 65535.", "Utilisez un numéro de port entre 1 et 65535."),
                        ));
                    } else if let Some(first) = numbers.get(&(n, protocol)) {
                        ctx.report(
                            Violation::new(
                                p.span,
                                ctx.t("duplicate port", "port en double"),
                                ctx.t(format!("{d}: port {n}/{protocol} is declared twice: the API server rejects it with `{at}: Duplicate value`"), format!("{d} : le port {n}/{protocol} est déclaré deux fois : l'API server le rejette avec `{at}: Duplicate value`")),
                                ctx.t("Declare each port and protocol once.", "Déclarez chaque port et protocole une seule fois."),
                            )
                            .secondary(*first, ctx.t("first declared here", "première déclaration ici")),
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
                    ctx.t("not TCP, UDP or SCTP", "ni TCP, ni UDP, ni SCTP"),
                    ctx.t(format!("{d}: protocol `{text}` is not supported: the API server rejects it with `{at}.protocol: Unsupported value: \"{text}\": supported values: \"SCTP\", \"TCP\", \"UDP\"`"), format!("{d} : le protocole `{text}` n'est pas pris en charge : l'API server le rejette avec `{at}.protocol: Unsupported value: \"{text}\": supported values: \"SCTP\", \"TCP\", \"UDP\"`")),
                    ctx.t("Write the protocol in upper case: TCP, UDP or SCTP.", "Écrivez le protocole en majuscules : TCP, UDP ou SCTP."),
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
                    ctx.t("outside 1–65535", "hors de 1–65535"),
                    ctx.t(format!("{d}: targetPort {n} is outside 1–65535: the API server rejects it with `{at}.targetPort: Invalid value: {n}: must be between 1 and 65535, inclusive`"), format!("{d} : le targetPort {n} est hors de 1–65535 : l'API server le rejette avec `{at}.targetPort: Invalid value: {n}: must be between 1 and 65535, inclusive`")),
                    ctx.t("Use a port number between 1 and 65535, or the name of a container port.", "Utilisez un numéro de port entre 1 et 65535, ou le nom d'un port de conteneur."),
                ));
            }
        } else if let Some(text) = target.as_str().filter(|t| !t.is_empty()) {
            if text.parse::<u32>().is_ok() {
                ctx.report(Violation::new(
                    target.span,
                    ctx.t("quoted number", "nombre entre guillemets"),
                    ctx.t(format!("{d}: targetPort `\"{text}\"` is a quoted number, which the API server reads as a port name, and names need a letter: it rejects it with `{at}.targetPort: Invalid value: \"{text}\"`"), format!("{d} : le targetPort `\"{text}\"` est un nombre entre guillemets, que l'API server lit comme un nom de port, et les noms demandent une lettre : il le rejette avec `{at}.targetPort: Invalid value: \"{text}\"`")),
                    ctx.t(format!("Write `targetPort: {text}` without quotes."), format!("Écrivez `targetPort: {text}` sans guillemets.")),
                ));
            } else if !is_iana_svc_name(text) {
                let why = if text.len() > 15 {
                    ctx.t(
                        format!("is {} characters, more than the 15 of a container port name", text.len()),
                        format!("fait {} caractères, plus que les 15 d'un nom de port de conteneur", text.len()),
                    )
                } else {
                    ctx.t(
                        "is not a valid container port name (lowercase letters, digits and single hyphens, with a letter)",
                        "n'est pas un nom de port de conteneur valide (lettres minuscules, chiffres et tirets simples, avec au moins une lettre)",
                    )
                };
                ctx.report(Violation::new(
                    target.span,
                    ctx.t("invalid port name", "nom de port invalide"),
                    ctx.t(format!("{d}: targetPort `{text}` {why}: the API server rejects it with `{at}.targetPort: Invalid value: \"{text}\"`"), format!("{d} : le targetPort `{text}` {why} : l'API server le rejette avec `{at}.targetPort: Invalid value: \"{text}\"`")),
                    ctx.t("Use the container port's number, or its name (at most 15 lowercase letters, digits and hyphens).", "Utilisez le numéro du port de conteneur, ou son nom (au plus 15 lettres minuscules, chiffres et tirets)."),
                ));
            }
        }
    }
}

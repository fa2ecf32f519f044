//! `xref-ingress-backend-missing`: an Ingress backend naming a Service that is not in the input,
//! or a port that Service does not define.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, xref};
use crate::yaml::Node;

pub struct XrefIngressBackendMissing;

static META: RuleMeta = RuleMeta {
    id: "xref-ingress-backend-missing",
    family: Family::CrossResource,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Ingress"]),
    summary: "Ingress backend names a Service or port not in the input",
    why: "The ingress controller routes a path to the named Service port: when the Service or the port does not exist, requests to that path get 503 or 404.",
    why_fr: "Le contrôleur ingress achemine un chemin vers le port de Service nommé : quand le Service ou le port n'existe pas, les requêtes vers ce chemin reçoivent une 503 ou une 404.",
    docs: include_str!("../../rules/xref-ingress-backend-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

/// A Service backend: the name node and the port (name or number) node, in either the
/// `networking.k8s.io/v1` shape (`service.name`, `service.port.number|name`) or the beta one
/// (`serviceName`, `servicePort`).
fn service_backend(backend: &Node) -> Option<(&Node, Option<&Node>)> {
    if let Some(service) = backend.get("service") {
        let port = service.get("port").and_then(|p| p.get_some("number").or_else(|| p.get_some("name")));
        return Some((service.get("name")?, port));
    }
    Some((backend.get("serviceName")?, backend.get_some("servicePort")))
}

impl Rule for XrefIngressBackendMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !matches!(obj.group(), "networking.k8s.io" | "extensions") {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let mut backends: Vec<&Node> = ["defaultBackend", "backend"].iter().filter_map(|k| spec.get_some(k)).collect();
        for rule in spec.get("rules").map_or(&[][..], Node::items) {
            for path in rule.path(&["http", "paths"]).map_or(&[][..], Node::items) {
                backends.extend(path.get_some("backend"));
            }
        }
        let mut reported: Vec<(&str, Option<&str>)> = Vec::new();
        for backend in backends {
            let Some((name_node, port)) = service_backend(backend) else { continue };
            let Some(name) = name_node.text() else { continue };
            let port_text = port.and_then(Node::text);
            if reported.contains(&(name, port_text)) || reported.contains(&(name, None)) {
                continue;
            }
            let services = xref::named(ctx.index, obj, "Service", name);
            let core = || services.iter().filter(|s| s.group().is_empty());
            let Some(service) = core().find(|s| ctx.related(s)).or_else(|| core().next()).copied() else {
                reported.push((name, None));
                let assumed = if ctx.options.complete {
                    String::new()
                } else {
                    ctx.t(
                        " (assumed it is created outside the input)",
                        " (en supposant qu'il est créé hors de l'entrée)",
                    )
                };
                let v = Violation::new(
                    name_node.span,
                    ctx.t("Service not in the input", "Service absent de l'entrée"),
                    ctx.t(
                        format!(
                            "{} routes to Service `{name}`, which is not in the input in this namespace{assumed}",
                            obj.display()
                        ),
                        format!(
                            "{} achemine vers le Service `{name}`, absent de l'entrée dans ce namespace{assumed}",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Correct the backend's Service name, or add the Service.",
                        "Corrigez le nom du Service du backend, ou ajoutez le Service.",
                    ),
                )
                .severity(ctx.open_world_severity());
                ctx.report(v);
                continue;
            };
            // A Service of that name in an unrelated file is someone else's: say nothing of its ports.
            let Some(port) = port.filter(|_| ctx.related(&service)) else { continue };
            let ports = service.spec().and_then(|s| s.get("ports")).map_or(&[][..], Node::items);
            let found = match port.as_i64() {
                Some(n) => ports.iter().any(|p| p.get("port").and_then(Node::as_i64) == Some(n)),
                None => ports.iter().any(|p| p.get("name").and_then(Node::text) == port.text()),
            };
            if found {
                continue;
            }
            reported.push((name, port_text));
            let at = service.spec().and_then(|s| s.get("ports")).map_or(service.kind_node().span, |n| n.span);
            let port_shown = port_text.unwrap_or("?");
            let mut message = ctx.t(
                format!(
                    "{} routes to port `{port_shown}` of Service `{name}`, which defines no such port",
                    obj.display()
                ),
                format!(
                    "{} achemine vers le port `{port_shown}` du Service `{name}`, qui ne définit pas ce port",
                    obj.display()
                ),
            );
            if !ctx.same_file(&service) {
                let location = ctx.location(&service, at);
                message.push_str(
                    &ctx.t(format!(" (Service ports at {location})"), format!(" (ports du Service en {location})")),
                );
            }
            let mut v = Violation::new(
                port.span,
                ctx.t("no such Service port", "port de Service inexistant"),
                message,
                ctx.t(
                    "Use a `port` number or port `name` that the Service defines.",
                    "Utilisez un numéro de `port` ou un `name` de port que le Service définit.",
                ),
            );
            if ctx.same_file(&service) {
                v = v.secondary(at, ctx.t("ports of the Service", "ports du Service"));
            }
            ctx.report(v);
        }
    }
}

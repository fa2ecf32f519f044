//! `xref-service-targetport-unresolved`: a Service `targetPort` that the Pods it selects do not
//! declare (a named port: warning; a number none of their declared ports uses: info).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::selector::Selector;
use crate::k8s::{Object, xref};
use crate::yaml::Node;

pub struct XrefServiceTargetPortUnresolved;

static META: RuleMeta = RuleMeta {
    id: "xref-service-targetport-unresolved",
    family: Family::CrossResource,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Service"]),
    summary: "Service targetPort that the selected Pods do not declare",
    why: "A named targetPort is looked up in each Pod's container ports: a Pod without a port of that name gets no endpoint for it, so traffic to that Service port fails.",
    why_fr: "Un targetPort nommé est recherché dans les ports des conteneurs de chaque Pod : un Pod sans port de ce nom n'obtient pas d'endpoint pour lui, et le trafic vers ce port du Service échoue.",
    docs: include_str!("../../rules/xref-service-targetport-unresolved.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefServiceTargetPortUnresolved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !obj.group().is_empty() || obj.helm_hook().is_some() {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let Some(selector) = spec.get_some("selector").and_then(Selector::from_map).filter(|s| !s.is_empty()) else {
            return;
        };
        let selected: Vec<Object<'_>> =
            xref::selected(ctx.index, obj, &selector).into_iter().filter(|w| ctx.related(w)).collect();
        if selected.is_empty() {
            return;
        }
        for port in spec.get("ports").map_or(&[][..], Node::items) {
            let Some(target) = port.get_some("targetPort") else { continue };
            if let Some(name) = target.as_str().filter(|s| s.parse::<i64>().is_err()) {
                let missing: Vec<&Object<'_>> =
                    selected.iter().filter(|w| !declared(w, |p| port_name(p) == Some(name))).collect();
                if missing.is_empty() {
                    continue;
                }
                let (names, count) = names_of(&missing);
                let service_port = port.get("port").and_then(Node::text).unwrap_or("?");
                let v = located(
                    ctx,
                    target.span,
                    &ctx.t("no container port has this name", "aucun port de conteneur ne porte ce nom"),
                    ctx.t(
                        format!(
                            "{} sends port {service_port} to the named port `{name}`, which {names} {} not declare: those Pods get no endpoint for it",
                            obj.display(),
                            if count == 1 { "does" } else { "do" },
                        ),
                        format!(
                            "{} envoie le port {service_port} vers le port nommé `{name}`, que {names} ne {} pas : ces Pods n'obtiennent pas d'endpoint pour lui",
                            obj.display(),
                            if count == 1 { "déclare" } else { "déclarent" },
                        ),
                    ),
                    &ctx.t(
                        "Name the container port the same (`ports: [{name: <name>, containerPort: <n>}]`), or use the port number.",
                        "Donnez le même nom au port du conteneur (`ports: [{name: <name>, containerPort: <n>}]`), ou utilisez le numéro de port.",
                    ),
                    &missing,
                );
                ctx.report(v);
            } else if let Some(number) = target.as_i64() {
                // Declaring container ports is optional; only a workload that declares some ports,
                // none of them this one, hints at a wrong number.
                if selected.iter().any(|w| declared(w, |p| container_port(p) == Some(number)))
                    || !selected.iter().all(|w| declared(w, |_| true))
                {
                    continue;
                }
                let refs: Vec<&Object<'_>> = selected.iter().collect();
                let (names, count) = names_of(&refs);
                let v = located(
                    ctx,
                    target.span,
                    &ctx.t("no container declares this port", "aucun conteneur ne déclare ce port"),
                    ctx.t(
                        format!(
                            "{} sends traffic to port {number}, but {names} {} no container port {number}",
                            obj.display(),
                            if count == 1 { "declares" } else { "declare" },
                        ),
                        format!(
                            "{} envoie du trafic au port {number}, mais {names} ne {} aucun port de conteneur {number}",
                            obj.display(),
                            if count == 1 { "déclare" } else { "déclarent" },
                        ),
                    ),
                    &ctx.t(
                        "Check the number against the containers' ports, or declare it in `ports`.",
                        "Vérifiez le numéro par rapport aux ports des conteneurs, ou déclarez-le dans `ports`.",
                    ),
                    &refs,
                )
                .severity(Severity::Info)
                .why(ctx.t(
                    "Declaring container ports is optional, so traffic reaches a process listening on that port anyway, but a target that differs from every declared port is usually a wrong number.",
                    "Déclarer les ports des conteneurs est facultatif : le trafic atteint de toute façon un processus qui écoute sur ce port, mais une cible différente de tous les ports déclarés est généralement un mauvais numéro.",
                ));
                ctx.report(v);
            }
        }
    }
}

/// Whether some long-running container of the workload declares a port satisfying `pred`.
fn declared(w: &Object<'_>, pred: impl Fn(&Node) -> bool) -> bool {
    w.pod_spec()
        .is_some_and(|s| s.all_containers().filter(|c| c.is_long_running()).any(|c| c.ports().iter().any(&pred)))
}

fn port_name(p: &Node) -> Option<&str> {
    p.get("name").and_then(Node::text)
}

fn container_port(p: &Node) -> Option<i64> {
    p.get("containerPort").and_then(Node::as_i64)
}

/// `Deployment `a`, Deployment `b`` without repeating a name.
fn names_of(workloads: &[&Object<'_>]) -> (String, usize) {
    let mut names: Vec<String> = Vec::new();
    for w in workloads {
        let n = w.display();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    (names.join(", "), names.len())
}

/// Where a workload declares its ports (the first container with `ports`, else `containers`).
fn ports_node<'a>(w: &Object<'a>) -> &'a Node {
    let Some(spec) = w.pod_spec() else { return w.kind_node() };
    let node = spec.containers().find(|c| !c.ports().is_empty()).and_then(|c| c.node.get("ports"));
    node.or_else(|| spec.node.get("containers")).unwrap_or(w.kind_node())
}

/// Label the declared ports of workloads in the same file; name the others' locations in the
/// message.
fn located(
    ctx: &RuleContext<'_, '_>,
    span: crate::source::Span,
    label: &str,
    message: String,
    help: &str,
    workloads: &[&Object<'_>],
) -> Violation {
    let elsewhere: Vec<String> = workloads
        .iter()
        .filter(|w| !ctx.same_file(w))
        .map(|w| {
            let location = ctx.location(w, ports_node(w).span);
            ctx.t(format!("{} ports at {location}", w.display()), format!("ports de {} en {location}", w.display()))
        })
        .collect();
    let message = if elsewhere.is_empty() { message } else { format!("{message} ({})", elsewhere.join("; ")) };
    let mut v = Violation::new(span, label, message, help);
    for w in workloads.iter().filter(|w| ctx.same_file(w)) {
        v = v.secondary(
            ports_node(w).span,
            ctx.t(format!("ports of {}", w.display()), format!("ports de {}", w.display())),
        );
    }
    v
}

//! `ds-surge-with-host-port`: a DaemonSet rolling update with `maxSurge` above 0 whose Pods bind
//! host ports: the surge Pod can never be scheduled next to the old one.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::intstr::IntOrPercent;
use crate::k8s::kinds::is_builtin;
use crate::yaml::Node;

pub struct DsSurgeWithHostPort;

static META: RuleMeta = RuleMeta {
    id: "ds-surge-with-host-port",
    family: Family::Controllers,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["DaemonSet"]),
    summary: "DaemonSet surges new Pods onto nodes where the old Pod holds the same host port",
    why: "With maxSurge the DaemonSet controller starts the new Pod on a node before stopping the old one; both need the same host port, so the scheduler leaves the new Pod Pending (\"didn't have free ports\") and the rollout never progresses.",
    why_fr: "Avec maxSurge, le contrôleur de DaemonSet démarre le nouveau Pod sur un nœud avant d'arrêter l'ancien ; tous deux ont besoin du même port hôte, donc le scheduler laisse le nouveau Pod en Pending (\"didn't have free ports\") et le déploiement n'avance jamais.",
    docs: include_str!("../../rules/ds-surge-with-host-port.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for DsSurgeWithHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(strategy) = obj.spec().and_then(|s| s.get_some("updateStrategy")) else { return };
        if strategy.get("type").and_then(Node::text).is_some_and(|t| t != "RollingUpdate") {
            return;
        }
        let Some(surge) = strategy.path(&["rollingUpdate", "maxSurge"]) else { return };
        // Any positive count, or a positive percentage (rounded up), surges at least one Pod.
        let positive = match IntOrPercent::from_node(surge) {
            Some(IntOrPercent::Int(n) | IntOrPercent::Percent(n)) => n > 0,
            None => false,
        };
        if !positive {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let host_network = spec.node.get("hostNetwork").filter(|n| n.as_bool() == Some(true));
        // The scheduler's NodePorts filter counts main containers and native sidecars.
        let port = spec.all_containers().filter(|c| c.is_long_running()).flat_map(|c| c.ports().iter()).find_map(|p| {
            match p.get("hostPort").filter(|h| h.as_i64().is_some_and(|h| h > 0)) {
                Some(host) => Some((host, host.as_i64().unwrap_or_default(), false)),
                // With hostNetwork every container port is a host port.
                None if host_network.is_some() => p
                    .get("containerPort")
                    .filter(|c| c.as_i64().is_some_and(|c| c > 0))
                    .map(|c| (c, c.as_i64().unwrap_or_default(), true)),
                None => None,
            }
        });
        let Some((port_node, port, via_host_network)) = port else { return };
        let surge_text = surge.text().unwrap_or_default();
        let mut v = Violation::new(
            surge.span,
            ctx.t("surge Pod needs the same host port", "le Pod supplémentaire a besoin du même port hôte"),
            ctx.t(
                format!("{} surges new Pods (maxSurge: {surge_text}) but its Pods bind host port {port}: the new Pod cannot be scheduled while the old one runs", obj.display()),
                format!("{} crée des Pods supplémentaires (maxSurge: {surge_text}) mais ses Pods occupent le port hôte {port} : le nouveau Pod ne peut pas être placé tant que l'ancien tourne", obj.display()),
            ),
            ctx.t(
                "Set `maxSurge: 0` and `maxUnavailable: 1` so the old Pod frees the port before the new one starts.",
                "Définissez `maxSurge: 0` et `maxUnavailable: 1` pour que l'ancien Pod libère le port avant que le nouveau démarre.",
            ),
        )
        .secondary(port_node.span, ctx.t(format!("host port {port}"), format!("port hôte {port}")));
        if let Some(h) = host_network.filter(|_| via_host_network) {
            v = v.secondary(
                h.span,
                ctx.t("container ports are host ports", "les ports des conteneurs sont des ports hôtes"),
            );
        }
        ctx.report(v);
    }
}

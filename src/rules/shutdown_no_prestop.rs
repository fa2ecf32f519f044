//! `shutdown-no-prestop`: a Deployment or StatefulSet behind a Service, with several replicas,
//! whose containers stop serving the moment they get SIGTERM, while endpoints still route to them.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_fragment;

pub struct ShutdownNoPreStop;

static META: RuleMeta = RuleMeta {
    id: "shutdown-no-prestop",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&["Deployment", "StatefulSet"]),
    summary: "Pods behind a Service have no preStop hook to outlast endpoint removal",
    why: "When a Pod is deleted the kubelet sends SIGTERM at once, while kube-proxy, ingress controllers and load balancers remove the endpoint asynchronously; without a short preStop delay (or a drain in the app) requests still arrive at a process that is exiting.",
    why_fr: "Quand un Pod est supprimé, le kubelet envoie SIGTERM immédiatement, tandis que kube-proxy, les contrôleurs ingress et les load balancers retirent l'endpoint de façon asynchrone ; sans court délai preStop (ou un drain dans l'application), des requêtes arrivent encore à un processus en train de s'arrêter.",
    docs: include_str!("../../rules/shutdown-no-prestop.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ShutdownNoPreStop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.helm_hook().is_some() || is_fragment(obj) || ctx.index.min_replicas(obj) < 2 {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        if spec.containers().any(|c| c.node.get_some("lifecycle").and_then(|l| l.get_some("preStop")).is_some()) {
            return;
        }
        let services = ctx.index.services_selecting(obj);
        let Some(first) = services.first() else { return };
        let Some(containers) = spec.node.entry("containers") else { return };
        if containers.value.items().is_empty() {
            return;
        }
        let svc_name = first.name().unwrap_or("?");
        let mut v = Violation::new(
            containers.key.span,
            ctx.t("no preStop hook", "pas de hook preStop"),
            ctx.t(
                format!(
                    "{} is behind Service `{svc_name}` but no main container has a preStop hook: Pods get SIGTERM while endpoints still send them traffic",
                    obj.display()
                ),
                format!(
                    "{} est derrière le Service `{svc_name}` mais aucun conteneur principal n'a de hook preStop : les Pods reçoivent SIGTERM alors que les endpoints leur envoient encore du trafic",
                    obj.display()
                ),
            ),
            // The sleep action is on by default from 1.30; before, only an exec hook can wait.
            if ctx.options.target_minor() >= 30 {
                ctx.t(
                    "Add a short preStop delay (`lifecycle.preStop.sleep.seconds: 5`, Kubernetes 1.30+) or make the app keep serving for a few seconds after SIGTERM.",
                    "Ajoutez un court délai preStop (`lifecycle.preStop.sleep.seconds: 5`, Kubernetes 1.30+) ou faites en sorte que l'application continue de servir quelques secondes après SIGTERM.",
                )
            } else {
                ctx.t(
                    "Add a short preStop delay (`lifecycle.preStop.exec.command: [\"sleep\", \"5\"]`, which needs a `sleep` binary in the image) or make the app keep serving for a few seconds after SIGTERM.",
                    "Ajoutez un court délai preStop (`lifecycle.preStop.exec.command: [\"sleep\", \"5\"]`, qui demande un binaire `sleep` dans l'image) ou faites en sorte que l'application continue de servir quelques secondes après SIGTERM.",
                )
            },
        );
        if let Some(svc) = services.iter().find(|s| ctx.same_file(s)) {
            if let Some(selector) = svc.spec().and_then(|s| s.entry("selector")) {
                let name = svc.name().unwrap_or("?");
                v = v.secondary(
                    selector.key.span,
                    ctx.t(
                        format!("Service `{name}` routes to these Pods"),
                        format!("le Service `{name}` achemine le trafic vers ces Pods"),
                    ),
                );
            }
        }
        ctx.report(v);
    }
}

//! `sts-service-name-missing`: a StatefulSet without `spec.serviceName`, so its Pods get no
//! stable per-Pod DNS names.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::service::service_name_node;

pub struct StsServiceNameMissing;

static META: RuleMeta = RuleMeta {
    id: "sts-service-name-missing",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet without serviceName: its Pods get no stable DNS names",
    why: "Per-Pod DNS names such as `web-0.web.<namespace>.svc` exist only under the headless Service named by `spec.serviceName`; without it replicas cannot find each other by name.",
    why_fr: "Les noms DNS propres à chaque Pod, comme `web-0.web.<namespace>.svc`, n'existent que sous le Service headless nommé par `spec.serviceName` ; sans lui, les réplicas ne peuvent pas se trouver par leur nom.",
    docs: include_str!("../../rules/sts-service-name-missing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsServiceNameMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) || obj.helm_hook().is_some() || service_name_node(obj).is_some() {
            return;
        }
        let Some(spec) = obj.root.entry("spec") else { return };
        if spec.value.as_map().is_none() {
            return;
        }
        let (span, label) = match spec.value.entry("serviceName") {
            Some(e) => (e.key.span.cover(e.value.span), ctx.t("empty serviceName", "serviceName vide")),
            None => (spec.key.span, ctx.t("no serviceName", "aucun serviceName")),
        };
        let name = obj.name().unwrap_or("web");
        let v = Violation::new(
            span,
            label,
            ctx.t(
                format!(
                    "{} has no serviceName: its Pods get no stable DNS names (such as `{name}-0.<service>.<namespace>.svc`)",
                    obj.display()
                ),
                format!(
                    "{} n'a pas de serviceName : ses Pods n'ont pas de noms DNS stables (comme `{name}-0.<service>.<namespace>.svc`)",
                    obj.display()
                ),
            ),
            ctx.t(
                "Set `spec.serviceName` to a headless Service (`clusterIP: None`) that selects the Pods, and create that Service.",
                "Définissez `spec.serviceName` sur un Service headless (`clusterIP: None`) qui sélectionne les Pods, et créez ce Service.",
            ),
        );
        ctx.report(v);
    }
}

//! `xref-service-selects-nothing`: a Service whose selector matches no pod template in its
//! namespace (warning when a workload in the input nearly matches: a likely typo).

use super::{Family, Rule, RuleContext, RuleMeta, Scope};
use crate::diagnostic::Severity;
use crate::k8s::selector::Selector;
use crate::k8s::{Object, xref};
use crate::yaml::Node;

pub struct XrefServiceSelectsNothing;

static META: RuleMeta = RuleMeta {
    id: "xref-service-selects-nothing",
    family: Family::CrossResource,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Service"]),
    summary: "Service whose selector matches no pod template",
    why: "The endpoints controller adds only Pods whose labels match the Service selector: with none, the Service has no endpoints and connections to it are refused.",
    why_fr: "Le contrôleur des endpoints n'ajoute que les Pods dont les labels correspondent au sélecteur du Service : sans aucun, le Service n'a pas d'endpoints et les connexions vers lui sont refusées.",
    docs: include_str!("../../rules/xref-service-selects-nothing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefServiceSelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !obj.group().is_empty() || obj.helm_hook().is_some() {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        if spec.get("type").and_then(Node::text) == Some("ExternalName") {
            return;
        }
        let Some(entry) = spec.entry("selector").filter(|e| !e.value.is_null()) else { return };
        let Some(selector) = Selector::from_map(&entry.value).filter(|s| !s.is_empty()) else { return };
        if !xref::selected(ctx.index, obj, &selector).is_empty() {
            return;
        }
        // A StatefulSet's governing Service: `sts-service-selector-mismatch` reports it.
        let name = obj.name();
        if ctx
            .index
            .in_namespace_of(obj, "StatefulSet")
            .any(|s| name.is_some() && s.spec().and_then(|sp| sp.get("serviceName")).and_then(Node::text) == name)
        {
            return;
        }
        let help = ctx.t(
            "Make `spec.selector` match the labels of the intended workload's pod template (`spec.template.metadata.labels`).",
            "Faites correspondre `spec.selector` aux labels du template de Pod de la charge de travail visée (`spec.template.metadata.labels`).",
        );
        let v = super::selects_nothing::selects_nothing(ctx, obj, entry.key.span, &selector, help);
        ctx.report(v);
    }
}

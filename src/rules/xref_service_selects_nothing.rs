//! `xref-service-selects-nothing`: a Service whose selector matches no pod template in its
//! namespace (warning when a workload in the input nearly matches: a likely typo).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
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
        let wanted = xref::describe_selector(&selector);
        let help = ctx.t(
            "Make `spec.selector` match the labels of the intended workload's pod template (`spec.template.metadata.labels`).",
            "Faites correspondre `spec.selector` aux labels du template de Pod de la charge de travail visée (`spec.template.metadata.labels`).",
        );
        let related: Vec<Object<'_>> =
            xref::pod_templates(ctx.index, obj).into_iter().filter(|w| ctx.related(w)).collect();
        let v = match xref::near_miss(&related, &selector) {
            Some(miss) => {
                let w = *miss.workload();
                let described = miss.describe();
                let mut message = ctx.t(
                    format!("{} selects `{wanted}` but no Pod has these labels: {described}", obj.display()),
                    format!("{} sélectionne `{wanted}` mais aucun Pod n'a ces labels : {described}", obj.display()),
                );
                let labels = w.pod_template().and_then(|t| t.labels()).map_or(w.kind_node(), |l| l);
                let (labels, text) = match miss.differing_value() {
                    Some(value) => (value, ctx.t("differs here", "diffère ici")),
                    None => (labels, ctx.t("pod template labels", "labels du template de Pod")),
                };
                let label = ctx.t("matches no Pods", "ne sélectionne aucun Pod");
                let mut v;
                if ctx.same_file(&w) {
                    v = Violation::new(entry.key.span, label, message, help);
                    v = v.secondary(labels.span, text);
                } else {
                    let location = ctx.location(&w, labels.span);
                    message.push_str(&ctx.t(format!(" (see {location})"), format!(" (voir {location})")));
                    v = Violation::new(entry.key.span, label, message, help);
                }
                v.severity(Severity::Warning)
            }
            None => {
                let assumed = if ctx.options.complete {
                    String::new()
                } else {
                    ctx.t(
                        " (assumed they come from outside the input)",
                        " (en supposant qu'ils proviennent de l'extérieur de l'entrée)",
                    )
                };
                Violation::new(
                    entry.key.span,
                    ctx.t("matches no Pods in the input", "ne sélectionne aucun Pod de l'entrée"),
                    ctx.t(
                        format!(
                            "{} selects `{wanted}` but no pod template in its namespace has these labels{assumed}",
                            obj.display()
                        ),
                        format!(
                            "{} sélectionne `{wanted}` mais aucun template de Pod de son namespace n'a ces labels{assumed}",
                            obj.display()
                        ),
                    ),
                    help,
                )
                .severity(ctx.open_world_severity())
            }
        };
        ctx.report(v);
    }
}

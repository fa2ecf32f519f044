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
    why_fr: "",
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
        let help = "Make `spec.selector` match the labels of the intended workload's pod template (`spec.template.metadata.labels`).";
        let related: Vec<Object<'_>> =
            xref::pod_templates(ctx.index, obj).into_iter().filter(|w| ctx.related(w)).collect();
        let v = match xref::near_miss(&related, &selector) {
            Some(miss) => {
                let w = *miss.workload();
                let mut message =
                    format!("{} selects `{wanted}` but no Pod has these labels: {}", obj.display(), miss.describe());
                let labels = w.pod_template().and_then(|t| t.labels()).map_or(w.kind_node(), |l| l);
                let (labels, text) = match miss.differing_value() {
                    Some(value) => (value, "differs here"),
                    None => (labels, "pod template labels"),
                };
                let mut v;
                if ctx.same_file(&w) {
                    v = Violation::new(entry.key.span, "matches no Pods", message, help);
                    v = v.secondary(labels.span, text);
                } else {
                    message.push_str(&format!(" (see {})", ctx.location(&w, labels.span)));
                    v = Violation::new(entry.key.span, "matches no Pods", message, help);
                }
                v.severity(Severity::Warning)
            }
            None => {
                let assumed = if ctx.options.complete { "" } else { " (assumed they come from outside the input)" };
                Violation::new(
                    entry.key.span,
                    "matches no Pods in the input",
                    format!(
                        "{} selects `{wanted}` but no pod template in its namespace has these labels{assumed}",
                        obj.display()
                    ),
                    help,
                )
                .severity(ctx.open_world_severity())
            }
        };
        ctx.report(v);
    }
}

//! `xref-networkpolicy-selects-nothing`: a NetworkPolicy whose non-empty `podSelector` matches no
//! pod template in its namespace.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::selector::Selector;
use crate::k8s::{Object, xref};

pub struct XrefNetworkPolicySelectsNothing;

static META: RuleMeta = RuleMeta {
    id: "xref-networkpolicy-selects-nothing",
    family: Family::CrossResource,
    severity: Severity::Info,
    scope: Scope::Kinds(&["NetworkPolicy"]),
    summary: "NetworkPolicy whose podSelector matches no pod template",
    why: "A NetworkPolicy isolates only the Pods its podSelector matches: matching none, the intended isolation does not apply.",
    why_fr: "",
    docs: include_str!("../../rules/xref-networkpolicy-selects-nothing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefNetworkPolicySelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if obj.group() != "networking.k8s.io" {
            return;
        }
        let Some(entry) = obj.spec().and_then(|s| s.entry("podSelector")) else { return };
        let Some(selector) = Selector::from_label_selector(&entry.value).filter(|s| !s.is_empty()) else { return };
        if !xref::selected(ctx.index, obj, &selector).is_empty() {
            return;
        }
        let assumed = if ctx.options.complete { "" } else { " (assumed they come from outside the input)" };
        ctx.report(Violation::new(
            entry.key.span,
            "matches no Pods in the input",
            format!(
                "{} selects `{}` but no pod template in its namespace has these labels{assumed}",
                obj.display(),
                xref::describe_selector(&selector)
            ),
            "Make `podSelector` match the labels of the pod templates it should isolate.",
        ));
    }
}

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
    why_fr: "Une NetworkPolicy n'isole que les Pods que son podSelector sélectionne : si elle n'en sélectionne aucun, l'isolation voulue ne s'applique pas.",
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
        let assumed = if ctx.options.complete {
            String::new()
        } else {
            ctx.t(
                " (assumed they come from outside the input)",
                " (en supposant qu'ils proviennent de l'extérieur de l'entrée)",
            )
        };
        let wanted = xref::describe_selector(&selector);
        let v = Violation::new(
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
            ctx.t(
                "Make `podSelector` match the labels of the pod templates it should isolate.",
                "Faites correspondre `podSelector` aux labels des templates de Pod qu'elle doit isoler.",
            ),
        );
        ctx.report(v);
    }
}

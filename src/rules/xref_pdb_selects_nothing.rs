//! `xref-pdb-selects-nothing`: a PodDisruptionBudget that selects no Pods (no selector, an empty
//! `policy/v1beta1` selector, or one matching no pod template), or, at info level, every Pod of
//! its namespace (`policy/v1` `selector: {}`).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::pdb::{self, Selection};
use crate::k8s::{Object, xref};

pub struct XrefPdbSelectsNothing;

static META: RuleMeta = RuleMeta {
    id: "xref-pdb-selects-nothing",
    family: Family::CrossResource,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["PodDisruptionBudget"]),
    summary: "PodDisruptionBudget that selects no Pods (or every Pod of the namespace)",
    why: "The eviction API applies a budget only to the Pods its selector matches: a budget matching none protects nothing, while a namespace-wide one holds back evictions of unrelated applications.",
    why_fr: "L'API d'éviction n'applique un budget qu'aux Pods que son sélecteur sélectionne : un budget qui n'en sélectionne aucun ne protège rien, tandis qu'un budget couvrant tout le namespace freine les évictions d'applications sans rapport.",
    docs: include_str!("../../rules/xref-pdb-selects-nothing.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefPdbSelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(selection) = pdb::selection(obj) else { return };
        if obj.helm_hook().is_some() {
            return;
        }
        let Some(spec_entry) = obj.root.entry("spec") else { return };
        let selector_entry = spec_entry.value.entry("selector").filter(|e| !e.value.is_null());
        let help = ctx.t(
            "Set `spec.selector.matchLabels` to the labels of the workload's pod template.",
            "Fixez `spec.selector.matchLabels` aux labels du template de Pod de la charge de travail.",
        );
        match selection {
            Selection::Nothing => {
                let (span, what) = match selector_entry {
                    Some(e) => (
                        e.key.span,
                        ctx.t(
                            "an empty selector selects no Pods in policy/v1beta1",
                            "un sélecteur vide ne sélectionne aucun Pod en policy/v1beta1",
                        ),
                    ),
                    None => (
                        spec_entry.key.span,
                        ctx.t(
                            "a budget without a selector selects no Pods",
                            "un budget sans sélecteur ne sélectionne aucun Pod",
                        ),
                    ),
                };
                let v = Violation::new(
                    span,
                    ctx.t("selects no Pods", "ne sélectionne aucun Pod"),
                    ctx.t(
                        format!("{} protects nothing: {what}", obj.display()),
                        format!("{} ne protège rien : {what}", obj.display()),
                    ),
                    help,
                );
                ctx.report(v);
            }
            Selection::Everything => {
                let Some(e) = selector_entry else { return };
                let v = Violation::new(
                    e.key.span,
                    ctx.t("selects every Pod of the namespace", "sélectionne tous les Pods du namespace"),
                    ctx.t(
                        format!(
                            "{} has `selector: {{}}`, which in policy/v1 selects every Pod in its namespace",
                            obj.display()
                        ),
                        format!(
                            "{} a `selector: {{}}`, qui en policy/v1 sélectionne tous les Pods de son namespace",
                            obj.display()
                        ),
                    ),
                    help,
                )
                .severity(Severity::Info);
                ctx.report(v);
            }
            Selection::Matching(selector) => {
                let Some(e) = selector_entry else { return };
                if !xref::selected(ctx.index, obj, &selector).is_empty() {
                    return;
                }
                let v = super::selects_nothing::selects_nothing(ctx, obj, e.key.span, &selector, help);
                ctx.report(v);
            }
        }
    }
}

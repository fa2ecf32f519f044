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
    why_fr: "",
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
        let help = "Set `spec.selector.matchLabels` to the labels of the workload's pod template.";
        match selection {
            Selection::Nothing => {
                let (span, what) = match selector_entry {
                    Some(e) => (e.key.span, "an empty selector selects no Pods in policy/v1beta1"),
                    None => (spec_entry.key.span, "a budget without a selector selects no Pods"),
                };
                ctx.report(Violation::new(
                    span,
                    "selects no Pods",
                    format!("{} protects nothing: {what}", obj.display()),
                    help,
                ));
            }
            Selection::Everything => {
                let Some(e) = selector_entry else { return };
                ctx.report(
                    Violation::new(
                        e.key.span,
                        "selects every Pod of the namespace",
                        format!(
                            "{} has `selector: {{}}`, which in policy/v1 selects every Pod in its namespace",
                            obj.display()
                        ),
                        help,
                    )
                    .severity(Severity::Info),
                );
            }
            Selection::Matching(selector) => {
                let Some(e) = selector_entry else { return };
                if !xref::selected(ctx.index, obj, &selector).is_empty() {
                    return;
                }
                let wanted = xref::describe_selector(&selector);
                let related: Vec<Object<'_>> =
                    xref::pod_templates(ctx.index, obj).into_iter().filter(|w| ctx.related(w)).collect();
                let v = match xref::near_miss(&related, &selector) {
                    Some(miss) => {
                        let w = *miss.workload();
                        let labels = w.pod_template().and_then(|t| t.labels()).unwrap_or(w.kind_node());
                        let (labels, text) = match miss.differing_value() {
                            Some(value) => (value, "differs here"),
                            None => (labels, "pod template labels"),
                        };
                        let mut message = format!(
                            "{} selects `{wanted}` but no Pod has these labels: {}",
                            obj.display(),
                            miss.describe()
                        );
                        if !ctx.same_file(&w) {
                            message.push_str(&format!(" (see {})", ctx.location(&w, labels.span)));
                        }
                        let mut v = Violation::new(e.key.span, "matches no Pods", message, help);
                        if ctx.same_file(&w) {
                            v = v.secondary(labels.span, text);
                        }
                        v
                    }
                    None => {
                        let assumed =
                            if ctx.options.complete { "" } else { " (assumed they come from outside the input)" };
                        Violation::new(
                            e.key.span,
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
    }
}

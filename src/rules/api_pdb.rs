//! `api-pdb`: a PodDisruptionBudget with both `minAvailable` and `maxUnavailable`, a malformed or
//! out-of-range value; or (policy/v1) with neither (warning: it protects nothing).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::names::is_placeholder;
use crate::yaml::Node;

pub struct ApiPdb;

static META: RuleMeta = RuleMeta {
    id: "api-pdb",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["PodDisruptionBudget"]),
    summary: "PodDisruptionBudget with both or neither of minAvailable and maxUnavailable, or a bad value",
    why: "The API server rejects a PodDisruptionBudget that sets both `minAvailable` and `maxUnavailable`, or a value that is negative, above 100% or not `<int>%`: the apply fails and the workload has no disruption budget.",
    why_fr: "",
    docs: include_str!("../../rules/api-pdb.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiPdb {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.spec().filter(|s| s.as_map().is_some()) else { return };
        let display = obj.display();
        let min = spec.entry("minAvailable").filter(|e| !e.value.is_null());
        let max = spec.entry("maxUnavailable").filter(|e| !e.value.is_null());
        match (min, max) {
            (Some(a), Some(b)) => ctx.report(
                Violation::new(
                    b.key.span,
                    "set together with minAvailable",
                    format!("{display} sets both minAvailable and maxUnavailable"),
                    "Keep exactly one of them (usually `maxUnavailable: 1`).",
                )
                .secondary(a.key.span, "minAvailable set here"),
            ),
            // policy/v1beta1 defaulted an empty budget to `minAvailable: 1`; policy/v1 does not.
            (None, None) if obj.api_version == "policy/v1" => ctx.report(
                Violation::new(
                    spec.as_map().and_then(|m| m.first()).map_or(obj.kind_span(), |e| e.key.span),
                    "no minAvailable or maxUnavailable",
                    format!("{display} sets neither minAvailable nor maxUnavailable, so it does not limit disruptions of the selected Pods"),
                    "Set `maxUnavailable: 1` (or `minAvailable`).",
                )
                .severity(Severity::Warning)
                .why("In policy/v1 a budget without `minAvailable` or `maxUnavailable` is accepted but not defaulted (policy/v1beta1 defaulted it to `minAvailable: 1`): the disruption controller allows every eviction, so a drain can take all the Pods down at once."),
            ),
            _ => {}
        }
        for e in [min, max].into_iter().flatten() {
            let field = e.key.text().unwrap_or_default();
            if let Some(why) = value_error(&e.value) {
                ctx.report(Violation::new(
                    e.value.span,
                    "invalid value",
                    format!("{display}: {field} {why}"),
                    "Use a non-negative integer or a percentage between 0% and 100% written as a string (`\"50%\"`).",
                ));
            }
        }
    }
}

/// Why an IntOrString budget value is invalid, or `None`.
fn value_error(node: &Node) -> Option<String> {
    if let Some(n) = node.as_i64() {
        return (n < 0).then(|| format!("is {n}; it must be 0 or more"));
    }
    let text = node.as_str()?;
    if is_placeholder(text) {
        return None;
    }
    let Some(digits) = text.strip_suffix('%') else {
        return Some(format!("`{text}` is a string but not a percentage (`<int>%`); write integers unquoted"));
    };
    match digits.parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => None,
        Ok(p) => Some(format!("`{text}` is {p}%, outside 0%–100%")),
        Err(_) => Some(format!("`{text}` is not `<int>%`")),
    }
}

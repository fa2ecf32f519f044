//! PodDisruptionBudgets: which Pods a budget selects (the empty-selector rule differs between
//! `policy/v1` and `policy/v1beta1`), the budgets selecting a workload, and how many disruptions
//! a budget allows for a known number of Pods, computed as the disruption controller does.

use super::intstr::{IntOrPercent, Rounding};
use super::kinds::is_builtin;
use super::selector::Selector;
use super::{Object, xref};
use crate::index::Index;
use crate::yaml::Node;

/// What a budget's `spec.selector` selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// No selector (or null): no Pods, in every version.
    Nothing,
    /// `selector: {}`: every Pod of the namespace in `policy/v1`, none in `policy/v1beta1`.
    Everything,
    Matching(Selector),
}

/// The budget's selection; `None` for something that is not a built-in PDB or an ill-formed
/// selector (the API server rejects it, another rule says so).
pub fn selection(pdb: &Object<'_>) -> Option<Selection> {
    if pdb.kind != "PodDisruptionBudget" || !is_builtin(pdb) {
        return None;
    }
    let Some(node) = pdb.spec().and_then(|s| s.get_some("selector")) else { return Some(Selection::Nothing) };
    let selector = Selector::from_label_selector(node)?;
    Some(if !selector.is_empty() {
        Selection::Matching(selector)
    } else if pdb.api_version == "policy/v1" {
        Selection::Everything
    } else {
        // policy/v1beta1: an empty selector matched no Pods (deprecation guide, PDB v1.25).
        Selection::Nothing
    })
}

impl Selection {
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        match self {
            Selection::Nothing => false,
            Selection::Everything => true,
            Selection::Matching(s) => s.matches(labels),
        }
    }
}

/// Budgets in the workload's namespace that select its Pods, in input order.
pub fn budgets_selecting<'a>(index: &Index<'a>, workload: &Object<'_>) -> Vec<Object<'a>> {
    let Some(template) = workload.pod_template() else { return Vec::new() };
    let labels = template.labels();
    let mut found: Vec<Object<'a>> = index
        .in_namespace_of(workload, "PodDisruptionBudget")
        .filter(|pdb| selection(pdb).is_some_and(|s| s.matches(labels)))
        .copied()
        .collect();
    xref::sort(&mut found);
    found
}

/// The budget's `minAvailable` or `maxUnavailable` (the API allows exactly one).
#[derive(Debug, Clone, Copy)]
pub enum Budget<'a> {
    MinAvailable(IntOrPercent, &'a Node),
    MaxUnavailable(IntOrPercent, &'a Node),
}

pub fn budget<'a>(pdb: &Object<'a>) -> Option<Budget<'a>> {
    let spec = pdb.spec()?;
    match (spec.get_some("minAvailable"), spec.get_some("maxUnavailable")) {
        (Some(n), None) => Some(Budget::MinAvailable(IntOrPercent::from_node(n)?, n)),
        (None, Some(n)) => Some(Budget::MaxUnavailable(IntOrPercent::from_node(n)?, n)),
        _ => None,
    }
}

impl Budget<'_> {
    pub fn node(&self) -> &Node {
        match self {
            Budget::MinAvailable(_, n) | Budget::MaxUnavailable(_, n) => n,
        }
    }

    /// Whether the budget allows no eviction whatever the number of Pods
    /// (`maxUnavailable: 0`, `0%`; `minAvailable: 100%`).
    pub fn always_blocks(&self) -> bool {
        match self {
            Budget::MaxUnavailable(v, _) => matches!(v, IntOrPercent::Int(0) | IntOrPercent::Percent(0)),
            Budget::MinAvailable(v, _) => matches!(v, IntOrPercent::Percent(p) if *p >= 100),
        }
    }

    /// Disruptions allowed with `expected` healthy Pods (the disruption controller rounds both
    /// percentages up: `GetScaledValueFromIntOrPercent(..., true)`).
    pub fn allowed(&self, expected: i64) -> i64 {
        match self {
            Budget::MinAvailable(v, _) => expected - v.resolve(expected, Rounding::Up),
            Budget::MaxUnavailable(v, _) => v.resolve(expected, Rounding::Up).min(expected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::yaml::test_node as node;

    #[test]
    fn empty_selector_depends_on_version() {
        let v1 = node("apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {selector: {}, maxUnavailable: 1}\n");
        let beta = node("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nspec: {selector: {}}\n");
        let none = node("apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {maxUnavailable: 1}\n");
        assert_eq!(selection(&Object::new(0, &v1).unwrap()), Some(Selection::Everything));
        assert_eq!(selection(&Object::new(0, &beta).unwrap()), Some(Selection::Nothing));
        assert_eq!(selection(&Object::new(0, &none).unwrap()), Some(Selection::Nothing));
    }

    #[test]
    fn allowed_disruptions_round_up() {
        let pdb = node("apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {minAvailable: 50%}\n");
        let b = budget(&Object::new(0, &pdb).unwrap()).unwrap();
        assert_eq!(b.allowed(1), 0);
        assert_eq!(b.allowed(3), 1);
        let pdb = node("apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {maxUnavailable: 10%}\n");
        let b = budget(&Object::new(0, &pdb).unwrap()).unwrap();
        assert_eq!(b.allowed(3), 1);
        assert!(!b.always_blocks());
        let pdb = node("apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {maxUnavailable: '0%'}\n");
        assert!(budget(&Object::new(0, &pdb).unwrap()).unwrap().always_blocks());
    }
}

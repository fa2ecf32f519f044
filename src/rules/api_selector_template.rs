//! `api-selector-template`: a controller whose `spec.selector` does not match its own pod
//! template's labels, which the API server rejects (`selector does not match template labels`).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::selector::{Requirement, Selector};
use crate::source::Span;
use crate::yaml::Node;

pub struct ApiSelectorTemplate;

static META: RuleMeta = RuleMeta {
    id: "api-selector-template",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"]),
    summary: "Controller selector that does not match its own pod template's labels",
    why: "The API server rejects a controller whose selector does not select the Pods of its own template (`selector does not match template labels`): the apply fails and nothing changes.",
    why_fr: "L'API server rejette un contrôleur dont le sélecteur ne sélectionne pas les Pods de son propre template (`selector does not match template labels`) : l'apply échoue et rien ne change.",
    docs: include_str!("../../rules/api-selector-template.md"),
    default_enabled: true,
    supersedes: &[],
};

/// The selector the API server checks, with its node; `None` when it does not check one.
fn checked_selector<'a>(obj: &Object<'a>) -> Option<(&'a Node, Selector)> {
    let spec = obj.spec()?;
    let node = spec.get_some("selector")?;
    let selector = match obj.kind {
        // A plain map; when absent the API server copies the template labels.
        "ReplicationController" => Selector::from_map(node)?,
        // Only a manual selector is checked; otherwise the Job controller generates one.
        "Job" => {
            if spec.get("manualSelector").and_then(Node::as_bool) != Some(true) {
                return None;
            }
            Selector::from_label_selector(node)?
        }
        _ => Selector::from_label_selector(node)?,
    };
    // An empty selector is `api-selector-missing`'s (apps/v1) or selects everything.
    (!selector.is_empty()).then_some((node, selector))
}

/// The node of the first requirement the labels fail: a `matchLabels` entry or an expression.
fn failing_span(obj: &Object<'_>, node: &Node, selector: &Selector, labels: Option<&Node>) -> Option<(Span, String)> {
    let failing =
        selector.requirements.iter().find(|r| !Selector { requirements: vec![(*r).clone()] }.matches(labels))?;
    let (key, describe) = match failing {
        Requirement::Equals(k, v) => (k, format!("`{k}: {v}`")),
        Requirement::In(k, vs) => (k, format!("`{k} In [{}]`", vs.join(", "))),
        Requirement::NotIn(k, vs) => (k, format!("`{k} NotIn [{}]`", vs.join(", "))),
        Requirement::Exists(k) => (k, format!("`{k} Exists`")),
        Requirement::DoesNotExist(k) => (k, format!("`{k} DoesNotExist`")),
    };
    let map = if obj.kind == "ReplicationController" { Some(node) } else { node.get("matchLabels") };
    let entry_span = map.and_then(|m| m.entry(key)).filter(|_| matches!(failing, Requirement::Equals(..)));
    if let Some(e) = entry_span {
        return Some((e.key.span.cover(e.value.span), describe));
    }
    let expr = node
        .get("matchExpressions")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .find(|x| x.get("key").and_then(Node::text) == Some(key.as_str()));
    Some((expr.map_or(node.span, |x| x.span), describe))
}

impl Rule for ApiSelectorTemplate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some((node, selector)) = checked_selector(obj) else { return };
        let Some(template) = obj.spec().and_then(|s| s.get_some("template")) else { return };
        let labels = template.get("metadata").and_then(|m| m.get_some("labels"));
        if labels.is_some_and(|l| l.as_map().is_none()) || selector.matches(labels) {
            return;
        }
        let Some((span, requirement)) = failing_span(obj, node, &selector, labels) else { return };
        let (what, what_fr) = match labels.map(Node::as_map) {
            Some(Some(entries)) if !entries.is_empty() => {
                ("the template labels do not satisfy", "les labels du template ne satisfont pas")
            }
            _ => ("the template has no labels to satisfy", "le template n'a pas de labels pour satisfaire"),
        };
        let mut v = Violation::new(
            span,
            ctx.t("not in the template labels", "absent des labels du template"),
            ctx.t(format!(
                "{}: `spec.selector` does not match the template labels ({what} {requirement}): the API server rejects it with `spec.template.metadata.labels: Invalid value: ...: selector does not match template labels`",
                obj.display()
            ), format!("{} : `spec.selector` ne correspond pas aux labels du template ({what_fr} {requirement}) : l'API server le rejette avec `spec.template.metadata.labels: Invalid value: ...: selector does not match template labels`", obj.display())),
            ctx.t("Make the template labels a superset of the selector (copy the selector's labels into `spec.template.metadata.labels`).", "Faites des labels du template un sur-ensemble du sélecteur (copiez les labels du sélecteur dans `spec.template.metadata.labels`)."),
        );
        v = match labels {
            Some(l) => v.secondary(l.span, ctx.t("the template labels", "les labels du template")),
            None => match template.get("metadata") {
                Some(m) => v.secondary(m.span, ctx.t("no labels here", "pas de labels ici")),
                None => v,
            },
        };
        ctx.report(v);
    }
}

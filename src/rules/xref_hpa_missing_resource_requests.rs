//! `xref-hpa-missing-resource-requests`: an autoscaler on resource utilization whose target has
//! a container without a request for that resource, so utilization is undefined.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, hpa};
use crate::yaml::Node;

pub struct XrefHpaMissingResourceRequests;

static META: RuleMeta = RuleMeta {
    id: "xref-hpa-missing-resource-requests",
    family: Family::CrossResource,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["HorizontalPodAutoscaler"]),
    summary: "Autoscaler on CPU or memory utilization of containers without requests",
    why: "Utilization is usage divided by the containers' requests: when a container has no request for the resource, the autoscaler cannot compute it and takes no action for that metric (TARGETS shows <unknown>).",
    why_fr: "L'utilisation est la consommation divisée par les requests des conteneurs : quand un conteneur n'a pas de request pour la ressource, l'autoscaler ne peut pas la calculer et n'agit pas pour cette métrique (TARGETS affiche <unknown>).",
    docs: include_str!("../../rules/xref-hpa-missing-resource-requests.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for XrefHpaMissingResourceRequests {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let metrics = hpa::utilization_metrics(obj);
        if metrics.is_empty() {
            return;
        }
        let Some(target_ref) = hpa::target_ref(obj) else { return };
        let Some(target) = hpa::resolve(ctx.index, obj).filter(|t| ctx.related(t)) else { return };
        let Some(spec) = target.pod_spec() else { return };
        for metric in metrics {
            if limit_range_default(ctx, obj, metric.resource) {
                continue;
            }
            // A request defaults to the limit when only the limit is set.
            let missing: Vec<_> = spec
                .containers()
                .filter(|c| metric.container.is_none_or(|name| c.name() == Some(name)))
                .filter(|c| {
                    let res = c.node.get("resources");
                    let has = |k: &str| res.and_then(|r| r.get(k)).and_then(|m| m.get_some(metric.resource)).is_some();
                    !has("requests") && !has("limits")
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let names: Vec<String> = missing.iter().map(|c| format!("`{}`", c.name().unwrap_or("?"))).collect();
            let resource = metric.resource;
            let (span, label) = match metric.node {
                Some(n) => (n.span, ctx.t(format!("{resource} utilization"), format!("utilisation {resource}"))),
                None => (
                    target_ref.name_node.span,
                    ctx.t("default metric: 80% CPU utilization", "métrique par défaut : 80 % d'utilisation CPU"),
                ),
            };
            let (container_word, verb) =
                if missing.len() == 1 { ("container", "requests") } else { ("containers", "request") };
            let (container_fr, verb_fr) =
                if missing.len() == 1 { ("le conteneur", "ne demande") } else { ("les conteneurs", "ne demandent") };
            let names = names.join(", ");
            let mut message = ctx.t(
                format!(
                    "{} scales {} on {resource} utilization, but {container_word} {names} {verb} no {resource}: the autoscaler cannot compute utilization and does not scale",
                    obj.display(),
                    target.display(),
                ),
                format!(
                    "{} met à l'échelle {} selon l'utilisation {resource}, mais {container_fr} {names} {verb_fr} pas de {resource} : l'autoscaler ne peut pas calculer l'utilisation et ne met pas à l'échelle",
                    obj.display(),
                    target.display(),
                ),
            );
            let first = missing[0].node;
            let at = first.get("name").map_or(first.span, |n| n.span);
            if !ctx.same_file(&target) {
                message.push_str(&format!(" ({})", ctx.location(&target, at)));
            }
            let mut v = Violation::new(
                span,
                label,
                message,
                ctx.t(
                    format!("Set `resources.requests.{resource}` on every container of the target."),
                    format!("Définissez `resources.requests.{resource}` sur chaque conteneur de la cible."),
                ),
            );
            if ctx.same_file(&target) {
                for c in &missing {
                    let at = c.node.get("name").map_or(c.node.span, |n| n.span);
                    v = v.secondary(at, ctx.t(format!("no {resource} request"), format!("pas de request {resource}")));
                }
            }
            ctx.report(v);
        }
    }
}

/// Whether a LimitRange in the namespace gives containers a default request (or limit) for
/// `resource`.
fn limit_range_default(ctx: &RuleContext<'_, '_>, hpa: &Object<'_>, resource: &str) -> bool {
    ctx.index.in_namespace_of(hpa, "LimitRange").any(|lr| {
        lr.spec().and_then(|s| s.get("limits")).map_or(&[][..], Node::items).iter().any(|l| {
            l.get("type").and_then(Node::text) == Some("Container")
                && ["defaultRequest", "default"].iter().any(|k| l.get(k).and_then(|m| m.get_some(resource)).is_some())
        })
    })
}

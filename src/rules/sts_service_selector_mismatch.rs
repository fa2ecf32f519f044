//! `sts-service-selector-mismatch`: a StatefulSet's headless governing Service whose selector
//! does not select the StatefulSet's Pods (or that has no selector), so no per-Pod DNS records
//! appear.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::service::{self, governed_statefulsets, governing_service, not_headless_reason, service_name_node};
use crate::yaml::Node;

pub struct StsServiceSelectorMismatch;

static META: RuleMeta = RuleMeta {
    id: "sts-service-selector-mismatch",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Service"]),
    summary: "Headless governing Service of a StatefulSet does not select its Pods",
    why: "Per-Pod DNS records come from the endpoints of the governing Service; a selector that does not match the Pod labels gives it no endpoints, so names such as `web-0.web` never resolve.",
    why_fr: "Les enregistrements DNS par Pod viennent des endpoints du Service de gouvernance ; un sélecteur qui ne correspond pas aux labels des Pods ne lui donne aucun endpoint, et des noms comme `web-0.web` ne se résolvent jamais.",
    docs: include_str!("../../rules/sts-service-selector-mismatch.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsServiceSelectorMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // A Service with a cluster IP is `sts-service-not-headless`'s.
        if !is_builtin(obj) || not_headless_reason(obj).is_some() {
            return;
        }
        let Some(name) = obj.name() else { return };
        let selector = service::selector(obj);
        if selector.is_none() && has_manual_endpoints(ctx, obj, name) {
            return;
        }
        for set in governed_statefulsets(ctx.index, obj) {
            // With several Services of this name in the input, only the one the StatefulSet
            // resolves to (same file first, then headless) is judged.
            if set.helm_hook().is_some()
                || governing_service(ctx.index, &set).is_some_and(|g| !std::ptr::eq(g.root, obj.root))
            {
                continue;
            }
            let Some(template) = set.pod_template() else { continue };
            let labels = template.labels();
            if selector.as_ref().is_some_and(|s| s.matches(labels)) {
                continue;
            }
            let spec = obj.root.entry("spec");
            let selector_entry = spec.and_then(|s| s.value.entry("selector"));
            let (span, label, what) = match (&selector, selector_entry) {
                (Some(_), Some(e)) => (
                    e.value.span,
                    ctx.t("selector matching none of the Pods", "sélecteur qui ne correspond à aucun des Pods"),
                    ctx.t("does not match the labels of its Pods", "ne correspond pas aux labels de ses Pods"),
                ),
                (None, Some(e)) => (
                    e.key.span.cover(e.value.span),
                    ctx.t("empty selector", "sélecteur vide"),
                    ctx.t(
                        "has an empty selector, which selects no Pods",
                        "a un sélecteur vide, qui ne sélectionne aucun Pod",
                    ),
                ),
                (None, None) => (
                    spec.map_or_else(|| obj.kind_span(), |s| s.key.span),
                    ctx.t("no selector", "aucun sélecteur"),
                    ctx.t(
                        "has no selector, which selects no Pods",
                        "n'a pas de sélecteur, et ne sélectionne donc aucun Pod",
                    ),
                ),
                (Some(_), None) => continue,
            };
            let labels_node: Option<&Node> = labels;
            let elsewhere = if ctx.same_file(&set) {
                String::new()
            } else {
                let at = labels_node.map_or_else(|| set.kind_node().span, |l| l.span);
                let location = ctx.location(&set, at);
                ctx.t(format!(" (Pod labels at {location})"), format!(" (labels des Pods en {location})"))
            };
            let set_name = set.name().unwrap_or("web");
            let mut v = Violation::new(
                span,
                label,
                ctx.t(
                    format!(
                        "{} is the headless governing Service of {}{elsewhere} but {what}: per-Pod DNS names such as `{set_name}-0.{name}` never resolve",
                        obj.display(),
                        set.display()
                    ),
                    format!(
                        "{} est le Service headless de gouvernance de {}{elsewhere} mais {what} : les noms DNS par Pod comme `{set_name}-0.{name}` ne se résolvent jamais",
                        obj.display(),
                        set.display()
                    ),
                ),
                ctx.t(
                    "Set the Service selector to labels every Pod of the StatefulSet has (a subset of its template labels).",
                    "Donnez au sélecteur du Service des labels que tous les Pods du StatefulSet portent (une partie des labels de son template).",
                ),
            );
            if ctx.same_file(&set) {
                match labels_node {
                    Some(l) => {
                        v = v.secondary(
                            l.span,
                            ctx.t(
                                format!("labels of the Pods of {}", set.display()),
                                format!("labels des Pods de {}", set.display()),
                            ),
                        )
                    }
                    None => {
                        if let Some(n) = service_name_node(&set) {
                            v = v.secondary(
                                n.span,
                                ctx.t(
                                    format!("{} names this Service; its Pods have no labels", set.display()),
                                    format!("{} nomme ce Service ; ses Pods n'ont pas de labels", set.display()),
                                ),
                            );
                        }
                    }
                }
            }
            ctx.report(v);
        }
    }
}

/// Endpoints or EndpointSlices for a selector-less Service, managed by hand.
fn has_manual_endpoints(ctx: &RuleContext<'_, '_>, svc: &Object<'_>, name: &str) -> bool {
    ctx.index.find(svc, "Endpoints", name).is_some()
        || ctx
            .index
            .in_namespace_of(svc, "EndpointSlice")
            .any(|s| s.labels().and_then(|l| l.get("kubernetes.io/service-name")).and_then(Node::text) == Some(name))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::lint::{self, Selection};
    use crate::rules::LintOptions;

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: db, image: example.com/db:1}]\n";

    fn run(ids: &[&'static str], files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let loaded: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| lint::load_bytes(i, name, text.as_bytes().to_vec()))
            .collect();
        lint::lint(&loaded, &Selection::only(ids), &LintOptions::default()).diagnostics
    }

    #[test]
    fn another_file_is_named_by_location() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  selector: {app: database}\n";
        let found = run(&["sts-service-selector-mismatch"], &[("svc.yaml", svc), ("sts.yaml", STS)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].file, 0);
        assert!(found[0].message.contains("(Pod labels at sts.yaml:9:15)"), "{}", found[0].message);
        assert!(found[0].labels.is_empty());
    }

    #[test]
    fn not_headless_across_files_needs_a_matching_selector() {
        let matching = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  selector: {app: db}\n";
        let found = run(&["sts-service-not-headless"], &[("svc.yaml", matching), ("sts.yaml", STS)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("(sts.yaml:5:16)"), "{}", found[0].message);
        let unrelated = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  selector: {app: other}\n";
        assert!(run(&["sts-service-not-headless"], &[("svc.yaml", unrelated), ("sts.yaml", STS)]).is_empty());
    }

    #[test]
    fn the_same_file_service_wins_over_a_namesake() {
        // The StatefulSet's own file has a matching headless Service; a broken namesake elsewhere
        // (another app linted in the same run) is not its governing Service.
        let own = format!(
            "{STS}---\napiVersion: v1\nkind: Service\nmetadata: {{name: db}}\nspec:\n  clusterIP: None\n  selector: {{app: db}}\n"
        );
        let other =
            "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  selector: {app: nope}\n";
        let found = run(&["sts-service-selector-mismatch"], &[("app.yaml", &own), ("other.yaml", other)]);
        assert!(found.is_empty(), "{found:?}");
    }
}

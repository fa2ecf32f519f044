//! `avail-anti-affinity-self-mismatch`: pod anti-affinity meant to spread a workload's replicas
//! whose label selectors match none of its own Pods, so it spreads nothing (warning); and, with
//! the `expectedNodes` option, required per-node anti-affinity with more replicas than nodes (info).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::selector::{Requirement, Selector};
use crate::k8s::{Object, WORKLOAD_KINDS};
use crate::yaml::Node;

pub struct AvailAntiAffinitySelfMismatch;

static META: RuleMeta = RuleMeta {
    id: "avail-anti-affinity-self-mismatch",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Pod anti-affinity meant to spread replicas does not select the workload's own Pods",
    why: "The scheduler applies anti-affinity only against Pods its label selector matches; when the selector misses the template's own labels the replicas are not spread at all and may all land on one node or zone, and nothing reports it.",
    why_fr: "Le scheduler n'applique l'anti-affinité qu'aux Pods que son sélecteur de labels sélectionne ; quand le sélecteur ne correspond pas aux labels du template lui-même, les réplicas ne sont pas répartis du tout et peuvent tous se retrouver sur un même nœud ou une même zone, sans que rien ne le signale.",
    docs: include_str!("../../rules/avail-anti-affinity-self-mismatch.md"),
    default_enabled: true,
    supersedes: &[],
};

/// One pod anti-affinity term (required, or the `podAffinityTerm` of a preferred one).
struct Term<'a> {
    /// The `labelSelector` entry (key and value).
    selector: Option<&'a crate::yaml::Entry>,
    term: &'a Node,
    required: bool,
}

fn terms(anti: &Node) -> Vec<Term<'_>> {
    let required = anti.get("requiredDuringSchedulingIgnoredDuringExecution").map_or(&[][..], Node::items);
    let preferred = anti.get("preferredDuringSchedulingIgnoredDuringExecution").map_or(&[][..], Node::items);
    let mut out: Vec<Term<'_>> =
        required.iter().map(|t| Term { selector: t.entry("labelSelector"), term: t, required: true }).collect();
    out.extend(preferred.iter().filter_map(|p| p.get("podAffinityTerm")).map(|t| Term {
        selector: t.entry("labelSelector"),
        term: t,
        required: false,
    }));
    out
}

/// The label values a selector asks for (`matchLabels` values, `In` values).
fn wanted_values(selector: &Selector) -> Vec<&str> {
    selector
        .requirements
        .iter()
        .flat_map(|r| match r {
            Requirement::Equals(_, v) => vec![v.as_str()],
            Requirement::In(_, vs) => vs.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Whether the selector misses the Pod because of an exclusion (`NotIn`, `DoesNotExist`), as in
/// "keep away from the other versions of this app": deliberate, not a typo.
fn excludes_self(selector: &Selector, labels: Option<&Node>) -> bool {
    selector.requirements.iter().any(|r| {
        matches!(r, Requirement::NotIn(..) | Requirement::DoesNotExist(_))
            && !Selector { requirements: vec![r.clone()] }.matches(labels)
    })
}

impl Rule for AvailAntiAffinitySelfMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(template) = obj.pod_template() else { return };
        let Some(anti) = template.spec.node.get_some("affinity").and_then(|a| a.get_some("podAntiAffinity")) else {
            return;
        };
        let labels = template.labels();
        let own_values: Vec<&str> =
            labels.and_then(Node::as_map).map_or(Vec::new(), |m| m.iter().filter_map(|e| e.value.text()).collect());
        let namespace = obj.namespace_or(ctx.index.default_namespace());
        let mut any_self = false;
        let mut missed = None;
        let mut self_required_per_node = None;
        for term in terms(anti) {
            // Terms that look in other namespaces, or exclude the Pod's own label values
            // (`mismatchLabelKeys`), are about other workloads.
            let elsewhere = term.term.get_some("namespaceSelector").is_some()
                || term.term.get_some("namespaces").is_some_and(|ns| {
                    !ns.items().is_empty() && !ns.items().iter().any(|n| n.text() == Some(namespace))
                })
                || term.term.get_some("mismatchLabelKeys").is_some();
            if elsewhere {
                continue;
            }
            let Some(entry) = term.selector.filter(|e| !e.value.is_null()) else { continue };
            let Some(selector) = Selector::from_label_selector(&entry.value) else { return };
            if selector.matches(labels) {
                any_self = true;
                let per_node = term.term.get("topologyKey").and_then(Node::text) == Some("kubernetes.io/hostname");
                if term.required && per_node && self_required_per_node.is_none() {
                    self_required_per_node = Some(entry);
                }
                continue;
            }
            // A selector asking for one of the Pod's own label values under another key (or with
            // another operand) was meant for the Pod itself; one naming other values targets
            // another workload on purpose.
            if missed.is_none()
                && wanted_values(&selector).iter().any(|v| own_values.contains(v))
                && !excludes_self(&selector, labels)
            {
                missed = Some(entry);
            }
        }
        if !any_self {
            if let Some(entry) = missed {
                let mut v = Violation::new(
                    entry.key.span,
                    ctx.t("matches none of its own Pods", "ne sélectionne aucun de ses propres Pods"),
                    ctx.t(
                        format!(
                            "{} has pod anti-affinity whose selector matches none of its own Pods' labels: its replicas are not spread",
                            obj.display()
                        ),
                        format!(
                            "{} a une anti-affinité de Pod dont le sélecteur ne correspond à aucun des labels de ses propres Pods : ses réplicas ne sont pas répartis",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Use the same labels in the anti-affinity labelSelector as in the Pod template (or use topologySpreadConstraints).",
                        "Utilisez dans le labelSelector de l'anti-affinité les mêmes labels que dans le template de Pod (ou utilisez topologySpreadConstraints).",
                    ),
                );
                if let Some(l) = template.metadata().and_then(|m| m.entry("labels")) {
                    v = v.secondary(l.key.span, ctx.t("the Pods' labels", "les labels des Pods"));
                }
                ctx.report(v);
            }
            return;
        }
        let nodes = ctx.rule_option("expectedNodes").and_then(serde_json::Value::as_i64);
        let replicas = ctx.index.max_replicas(obj);
        if let (Some(entry), Some(nodes)) = (self_required_per_node, nodes) {
            if nodes > 0 && replicas > nodes && matches!(obj.kind, "Deployment" | "StatefulSet" | "ReplicaSet") {
                let v = Violation::new(
                    entry.key.span,
                    ctx.t("one Pod per node", "un Pod par nœud"),
                    ctx.t(
                        format!(
                            "{} requires one Pod per node but may run {replicas} replicas on the {nodes} expected nodes: the extra replicas stay Pending",
                            obj.display()
                        ),
                        format!(
                            "{} exige un Pod par nœud mais peut exécuter {replicas} réplicas sur les {nodes} nœuds attendus : les réplicas en trop restent Pending",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Use preferredDuringSchedulingIgnoredDuringExecution, or keep replicas at or below the node count.",
                        "Utilisez preferredDuringSchedulingIgnoredDuringExecution, ou gardez un nombre de réplicas inférieur ou égal au nombre de nœuds.",
                    ),
                )
                .severity(Severity::Info);
                ctx.report(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::lint::{Selection, lint, load_file};
    use crate::rules::LintOptions;
    use crate::source::SourceFile;

    const ID: &str = "avail-anti-affinity-self-mismatch";

    fn run(yaml: &str, options: Option<serde_json::Value>) -> Vec<(Severity, String)> {
        let files = vec![load_file(0, SourceFile::new("t.yaml", yaml.to_string()))];
        let mut opts = LintOptions::default();
        if let Some(o) = options {
            opts.rule_options.insert(ID.to_string(), o);
        }
        lint(&files, &Selection::only(&[ID]), &opts).diagnostics.into_iter().map(|d| (d.severity, d.message)).collect()
    }

    const REQUIRED_SELF: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 5\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - topologyKey: kubernetes.io/hostname\n            labelSelector: {matchLabels: {app: web}}\n      containers: [{name: web, image: web:1.0.0}]\n";

    #[test]
    fn more_replicas_than_expected_nodes_is_info() {
        assert!(run(REQUIRED_SELF, None).is_empty(), "without a node count nothing is judged");
        assert!(run(REQUIRED_SELF, Some(serde_json::json!({"expectedNodes": 5}))).is_empty());
        let found = run(REQUIRED_SELF, Some(serde_json::json!({"expectedNodes": 3})));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Severity::Info);
        assert!(found[0].1.contains("5 replicas on the 3 expected nodes"), "{}", found[0].1);
    }

    #[test]
    fn absent_label_selector_is_not_self() {
        let yaml = REQUIRED_SELF.replace("            labelSelector: {matchLabels: {app: web}}\n", "");
        assert!(run(&yaml, None).is_empty());
    }
}

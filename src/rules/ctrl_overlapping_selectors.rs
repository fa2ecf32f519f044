//! `ctrl-overlapping-selectors`: two controllers in one namespace whose selectors match each
//! other's Pods, or a controller that adopts a bare Pod by its labels. Reported once per pair,
//! on the later object (file order, then position).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::selector::Selector;
use crate::source::Span;
use crate::yaml::Node;

pub struct CtrlOverlappingSelectors;

const KINDS: &[&str] = &["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Pod"];

static META: RuleMeta = RuleMeta {
    id: "ctrl-overlapping-selectors",
    family: Family::Controllers,
    severity: Severity::Error,
    scope: Scope::Kinds(KINDS),
    summary: "Two controllers in one namespace select the same Pods",
    why: "Kubernetes does not stop selectors from overlapping: a controller adopts any orphan that matches its selector (a Deployment takes over a ReplicaSet, a ReplicaSet or DaemonSet takes over Pods and deletes the extra ones), and everything that reads the selector (autoscaler metrics, rollout status) counts the other controller's Pods.",
    why_fr: "Kubernetes n'empêche pas les sélecteurs de se chevaucher : un contrôleur adopte tout orphelin qui correspond à son sélecteur (un Deployment reprend un ReplicaSet, un ReplicaSet ou un DaemonSet reprend des Pods et supprime ceux en trop), et tout ce qui lit le sélecteur (métriques de l'autoscaler, état du déploiement) compte les Pods de l'autre contrôleur.",
    docs: include_str!("../../rules/ctrl-overlapping-selectors.md"),
    default_enabled: true,
    supersedes: &[],
};

/// One side of a pair: its selector (controllers) and its Pods' labels.
struct Member<'a> {
    obj: Object<'a>,
    /// The selector and the key to point at (`selector:`, or `labels:` when it is defaulted).
    selector: Option<(Selector, Span)>,
    /// The labels of its Pods (template labels, or a bare Pod's own).
    labels: Option<&'a Node>,
    /// The `labels:` key (or the `metadata:` key when there are none).
    labels_key: Span,
}

/// The key of `key` in `parent`, or `fallback`.
fn key_span(parent: Option<&Node>, key: &str, fallback: Span) -> Span {
    parent.and_then(|p| p.entry(key)).map_or(fallback, |e| e.key.span)
}

impl<'a> Member<'a> {
    fn of(obj: &Object<'a>) -> Option<Member<'a>> {
        // Owned objects are managed by their owner; Helm hooks are short-lived by design.
        if !KINDS.contains(&obj.kind) || !is_builtin(obj) || obj.has_owner_references() || obj.helm_hook().is_some() {
            return None;
        }
        if obj.kind == "Pod" {
            if obj.annotation("kubernetes.io/config.mirror").is_some() {
                return None;
            }
            let metadata_key = key_span(Some(obj.root), "metadata", obj.kind_span());
            let labels_key = key_span(obj.metadata(), "labels", metadata_key);
            return Some(Member { obj: *obj, selector: None, labels: obj.labels(), labels_key });
        }
        let template = obj.pod_template()?;
        let labels = template.labels();
        let template_key = key_span(obj.spec(), "template", obj.kind_span());
        let labels_key =
            key_span(template.metadata(), "labels", key_span(Some(template.node), "metadata", template_key));
        let spec = obj.spec()?;
        let selector = match spec.get_some("selector") {
            Some(node) if obj.kind == "ReplicationController" => Selector::from_map(node)?,
            Some(node) => Selector::from_label_selector(node)?,
            // apps/v1 requires a selector (a patch leaves it out); the older APIs and
            // ReplicationController default it to the template labels.
            None if obj.api_version == "apps/v1" => return None,
            None => Selector::from_map(labels?)?,
        };
        // An empty selector is rejected (or matches everything); not a question of overlap.
        if selector.is_empty() {
            return None;
        }
        let selector_key = key_span(Some(spec), "selector", labels_key);
        Some(Member { obj: *obj, selector: Some((selector, selector_key)), labels, labels_key })
    }

    fn selects(&self, other: &Member<'_>) -> bool {
        self.selector.as_ref().is_some_and(|(s, _)| s.matches(other.labels))
    }

    fn position(&self) -> (usize, usize) {
        (self.obj.file, self.obj.root.span.start())
    }
}

/// Whether `controller` takes over a bare Pod whose labels match its selector. A Deployment's
/// ReplicaSets select `pod-template-hash` too, and a StatefulSet claims only Pods named after
/// it, so neither adopts a bare Pod.
fn adopts_pods(controller: &Object<'_>) -> bool {
    matches!(controller.kind, "ReplicaSet" | "ReplicationController" | "DaemonSet")
}

impl Rule for CtrlOverlappingSelectors {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(this) = Member::of(obj) else { return };
        let index = ctx.index;
        // Files linted together are often alternatives (examples, environments, test data)
        // rather than one set applied together; only `--complete` says they are. Without it, the
        // candidates are the objects of the same file.
        let namespace = obj.namespace().unwrap_or(index.default_namespace());
        let candidates: Vec<&Object<'_>> = if ctx.options.complete {
            KINDS.iter().flat_map(|kind| index.in_namespace_of(obj, kind)).collect()
        } else {
            let in_file = index.in_file(obj.file);
            KINDS
                .iter()
                .flat_map(|kind| in_file.iter().filter(move |o| o.kind == *kind))
                .filter(|o| o.namespace().unwrap_or(index.default_namespace()) == namespace)
                .collect()
        };
        for other in candidates {
            if (other.file, other.root.span.start()) >= this.position() {
                continue;
            }
            if this.obj.kind == "Pod" && other.kind == "Pod" {
                continue;
            }
            // Two objects of one name are the same workload written twice (variants, overlays,
            // a Deployment rewritten as a StatefulSet), not two controllers applied together.
            if other.name().is_some() && other.name() == obj.name() {
                continue;
            }
            let Some(that) = Member::of(other) else { continue };
            let this_selects = this.selects(&that) && (that.obj.kind != "Pod" || adopts_pods(&this.obj));
            let that_selects = that.selects(&this) && (this.obj.kind != "Pod" || adopts_pods(&that.obj));
            if !this_selects && !that_selects {
                continue;
            }
            report(ctx, &this, &that, this_selects);
        }
    }
}

fn report(ctx: &mut RuleContext<'_, '_>, this: &Member<'_>, that: &Member<'_>, this_selects: bool) {
    let pod_involved = this.obj.kind == "Pod" || that.obj.kind == "Pod";
    let same_file = ctx.same_file(&that.obj);
    let that_name = that.obj.display();
    let (primary, label, other_span, other_label) = if this_selects {
        let (_, key) = this.selector.as_ref().expect("this_selects implies a selector");
        let other_label = if that.obj.kind == "Pod" {
            ctx.t(format!("labels of {that_name}"), format!("labels de {that_name}"))
        } else {
            ctx.t(format!("Pod labels of {that_name}"), format!("labels des Pods de {that_name}"))
        };
        let label = ctx
            .t(format!("also selects the Pods of {that_name}"), format!("sélectionne aussi les Pods de {that_name}"));
        (*key, label, that.labels_key, other_label)
    } else {
        let (_, key) = that.selector.as_ref().expect("that_selects implies a selector");
        let label = ctx.t(
            format!("matched by the selector of {that_name}"),
            format!("sélectionné par le sélecteur de {that_name}"),
        );
        (this.labels_key, label, *key, ctx.t(format!("selector of {that_name}"), format!("sélecteur de {that_name}")))
    };
    let where_ = if same_file { String::new() } else { format!(" ({})", ctx.location(&that.obj, other_span)) };
    let (message, help) = if pod_involved {
        let (pod, controller) = if this.obj.kind == "Pod" { (&this.obj, &that.obj) } else { (&that.obj, &this.obj) };
        let (controller_where, pod_where) =
            if this.obj.kind == "Pod" { (where_.as_str(), "") } else { ("", where_.as_str()) };
        (
            ctx.t(
                format!(
                    "{}{controller_where} selects bare {}{pod_where} by its labels: the controller adopts it and may delete it to keep its count",
                    controller.display(),
                    pod.display()
                ),
                format!(
                    "{}{controller_where} sélectionne {}{pod_where}, un Pod nu, par ses labels : le contrôleur l'adopte et peut le supprimer pour garder son nombre de réplicas",
                    controller.display(),
                    pod.display()
                ),
            ),
            ctx.t(
                "Give the bare Pod labels the controller's selector does not match, or run it under the controller.",
                "Donnez au Pod nu des labels que le sélecteur du contrôleur ne sélectionne pas, ou exécutez-le sous le contrôleur.",
            ),
        )
    } else {
        let message = if this_selects {
            ctx.t(
                format!(
                    "{} selects the Pods of {that_name}{where_} too: controllers with overlapping selectors conflict",
                    this.obj.display()
                ),
                format!(
                    "{} sélectionne aussi les Pods de {that_name}{where_} : des contrôleurs aux sélecteurs qui se chevauchent entrent en conflit",
                    this.obj.display()
                ),
            )
        } else {
            ctx.t(
                format!(
                    "The Pods of {} are also selected by {that_name}{where_}: controllers with overlapping selectors conflict",
                    this.obj.display()
                ),
                format!(
                    "Les Pods de {} sont aussi sélectionnés par {that_name}{where_} : des contrôleurs aux sélecteurs qui se chevauchent entrent en conflit",
                    this.obj.display()
                ),
            )
        };
        (
            message,
            ctx.t(
                "Make the selectors disjoint, for example with a distinct `app.kubernetes.io/instance` label in each selector and template.",
                "Rendez les sélecteurs disjoints, par exemple avec un label `app.kubernetes.io/instance` distinct dans chaque sélecteur et template.",
            ),
        )
    };
    let mut v = Violation::new(primary, label, message, help).severity(if pod_involved {
        Severity::Warning
    } else {
        Severity::Error
    });
    if same_file {
        v = v.secondary(other_span, other_label);
    }
    if pod_involved {
        v = v.why(ctx.t(
            "A ReplicaSet, ReplicationController or DaemonSet adopts an orphan Pod that matches its selector, counts it as one of its replicas and deletes Pods above its count; Services and autoscalers see it as one of the controller's Pods.",
            "Un ReplicaSet, un ReplicationController ou un DaemonSet adopte un Pod orphelin qui correspond à son sélecteur, le compte parmi ses réplicas et supprime les Pods au-delà de son nombre ; les Services et les autoscalers le voient comme l'un des Pods du contrôleur.",
        ));
    }
    ctx.report(v);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn with_objects(text: &str, f: impl FnOnce(&[Object<'_>])) {
        let (docs, _) = crate::yaml::load(&SourceFile::new("t", text.to_string()));
        let objects: Vec<Object<'_>> = docs.iter().filter_map(|d| Object::new(0, &d.root)).collect();
        f(&objects);
    }

    const TEMPLATE: &str = "  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers: [{name: web, image: nginx}]\n";

    #[test]
    fn selectors_default_to_template_labels_only_before_apps_v1() {
        let text = format!(
            "apiVersion: v1\nkind: ReplicationController\nspec:\n{TEMPLATE}---\napiVersion: extensions/v1beta1\nkind: Deployment\nspec:\n{TEMPLATE}---\napiVersion: apps/v1\nkind: Deployment\nspec:\n{TEMPLATE}"
        );
        with_objects(&text, |objects| {
            let rc = Member::of(&objects[0]).unwrap();
            let old = Member::of(&objects[1]).unwrap();
            assert!(rc.selects(&old) && old.selects(&rc));
            // An apps/v1 controller without a selector is a patch: not compared.
            assert!(Member::of(&objects[2]).is_none());
        });
    }

    #[test]
    fn pods_have_labels_but_no_selector() {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {{app: web, tier: front, extra: x}}\n---\napiVersion: apps/v1\nkind: ReplicaSet\nspec:\n  selector:\n    matchExpressions:\n      - {{key: extra, operator: DoesNotExist}}\n      - {{key: app, operator: In, values: [web]}}\n{TEMPLATE}"
        );
        with_objects(&text, |objects| {
            let pod = Member::of(&objects[0]).unwrap();
            let rs = Member::of(&objects[1]).unwrap();
            assert!(!pod.selects(&rs));
            assert!(!rs.selects(&pod), "the Pod has the label the selector excludes");
        });
    }
}

//! `xref-missing-reference`: a pod template that references a ConfigMap, Secret,
//! PersistentVolumeClaim, ServiceAccount or PriorityClass absent from the input.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::{Object, WORKLOAD_KINDS, xref};
use crate::yaml::Node;

pub struct XrefMissingReference;

static META: RuleMeta = RuleMeta {
    id: "xref-missing-reference",
    family: Family::CrossResource,
    severity: Severity::Info,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Pod template references a ConfigMap, Secret, claim, ServiceAccount or PriorityClass not in the input",
    why: "A missing ConfigMap or Secret leaves containers in CreateContainerConfigError, a missing claim keeps the Pod Pending, and a missing ServiceAccount or PriorityClass makes the API server reject the Pods.",
    why_fr: "Un ConfigMap ou un Secret manquant laisse les conteneurs en CreateContainerConfigError, une claim manquante garde le Pod en Pending, et un ServiceAccount ou une PriorityClass manquant fait rejeter les Pods par l'API server.",
    docs: include_str!("../../rules/xref-missing-reference.md"),
    default_enabled: true,
    supersedes: &[],
};

/// One reference: the kind it names, the name node, whether it is `optional: true`.
struct Ref<'a> {
    kind: &'static str,
    node: &'a Node,
    optional: bool,
}

impl Rule for XrefMissingReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        let mut refs = Vec::new();
        collect(spec.node, &mut refs);
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for r in refs {
            let Some(name) = r.node.text() else { continue };
            if r.optional || seen.contains(&(r.kind, name)) || always_present(r.kind, name) {
                continue;
            }
            seen.push((r.kind, name));
            if provided(ctx, obj, r.kind, name) {
                continue;
            }
            let assumed = if ctx.options.complete {
                String::new()
            } else {
                ctx.t(
                    " (assumed it is created outside the input)",
                    " (en supposant que l'objet est créé hors de l'entrée)",
                )
            };
            let scope = if r.kind == "PriorityClass" {
                String::new()
            } else {
                ctx.t(" in this namespace", " dans ce namespace")
            };
            let kind = r.kind;
            let v = Violation::new(
                r.node.span,
                ctx.t(format!("{kind} not in the input"), format!("{kind} introuvable dans l'entrée")),
                ctx.t(
                    format!("{} references {kind} `{name}`, which is not in the input{scope}{assumed}", obj.display()),
                    format!("{} référence {kind} `{name}`, introuvable dans l'entrée{scope}{assumed}", obj.display()),
                ),
                ctx.t(
                    format!("Add the {kind} to the manifests, or correct the name."),
                    format!("Ajoutez l'objet {kind} aux manifestes, ou corrigez le nom."),
                ),
            )
            .severity(ctx.open_world_severity());
            ctx.report(v);
        }
    }
}

fn collect<'a>(spec: &'a Node, out: &mut Vec<Ref<'a>>) {
    let mut push = |kind: &'static str, node: Option<&'a Node>, holder: Option<&'a Node>| {
        if let Some(node) = node {
            let optional = holder.and_then(|h| h.get("optional")).and_then(Node::as_bool) == Some(true);
            out.push(Ref { kind, node, optional });
        }
    };
    for key in ["initContainers", "containers", "ephemeralContainers"] {
        for c in spec.get(key).map_or(&[][..], Node::items) {
            for from in c.get("envFrom").map_or(&[][..], Node::items) {
                let cm = from.get("configMapRef");
                push("ConfigMap", cm.and_then(|r| r.get("name")), cm);
                let s = from.get("secretRef");
                push("Secret", s.and_then(|r| r.get("name")), s);
            }
            for env in c.get("env").map_or(&[][..], Node::items) {
                let cm = env.path(&["valueFrom", "configMapKeyRef"]);
                push("ConfigMap", cm.and_then(|r| r.get("name")), cm);
                let s = env.path(&["valueFrom", "secretKeyRef"]);
                push("Secret", s.and_then(|r| r.get("name")), s);
            }
        }
    }
    for v in spec.get("volumes").map_or(&[][..], Node::items) {
        let cm = v.get("configMap");
        push("ConfigMap", cm.and_then(|r| r.get("name")), cm);
        let s = v.get("secret");
        push("Secret", s.and_then(|r| r.get("secretName")), s);
        push("PersistentVolumeClaim", v.path(&["persistentVolumeClaim", "claimName"]), None);
        for source in v.path(&["projected", "sources"]).map_or(&[][..], Node::items) {
            let cm = source.get("configMap");
            push("ConfigMap", cm.and_then(|r| r.get("name")), cm);
            let s = source.get("secret");
            push("Secret", s.and_then(|r| r.get("name")), s);
        }
    }
    for s in spec.get("imagePullSecrets").map_or(&[][..], Node::items) {
        push("Secret", s.get("name"), None);
    }
    push("ServiceAccount", spec.get_some("serviceAccountName").or_else(|| spec.get_some("serviceAccount")), None);
    push("PriorityClass", spec.get_some("priorityClassName"), None);
}

/// Objects every namespace (or cluster) has.
fn always_present(kind: &str, name: &str) -> bool {
    match kind {
        "ConfigMap" => name == "kube-root-ca.crt",
        "ServiceAccount" => name == "default",
        "PriorityClass" => name.starts_with("system-"),
        _ => name.is_empty(),
    }
}

/// Whether the input has the object, or something that generates it.
fn provided(ctx: &RuleContext<'_, '_>, obj: &Object<'_>, kind: &str, name: &str) -> bool {
    if kind == "PriorityClass" {
        return ctx.index.everywhere("PriorityClass").any(|p| p.name() == Some(name));
    }
    if !xref::named(ctx.index, obj, kind, name).is_empty() {
        return true;
    }
    if kind != "Secret" {
        return false;
    }
    // Secret generators: Bitnami SealedSecret, External Secrets, cert-manager Certificate.
    ctx.index
        .in_namespace_of(obj, "SealedSecret")
        .any(|o| o.name() == Some(name) || spec_text(o, &["template", "metadata", "name"]) == Some(name))
        || ctx
            .index
            .in_namespace_of(obj, "ExternalSecret")
            .any(|o| spec_text(o, &["target", "name"]).or_else(|| o.name()) == Some(name))
        || ctx.index.in_namespace_of(obj, "Certificate").any(|o| spec_text(o, &["secretName"]) == Some(name))
}

fn spec_text<'a>(o: &Object<'a>, path: &[&str]) -> Option<&'a str> {
    o.spec()?.path(path)?.text()
}

//! `xref-duplicate-object`: the same object (API group, kind, namespace, name) defined twice in
//! one file, or, with `--complete` (the input is one set of objects), anywhere in the input.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::is_fragment;
use crate::k8s::{Object, xref};

pub struct XrefDuplicateObject;

static META: RuleMeta = RuleMeta {
    id: "xref-duplicate-object",
    family: Family::CrossResource,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "The same object (group, kind, namespace, name) defined twice",
    why: "A name is unique per kind and namespace: `kubectl apply` applies both definitions in turn and the last one silently wins, Kustomize refuses the input, and GitOps tools report endless drift.",
    why_fr: "Un nom est unique par kind et par namespace : `kubectl apply` applique les deux définitions l'une après l'autre et la dernière l'emporte sans rien dire, Kustomize refuse l'entrée, et les outils GitOps signalent une dérive sans fin.",
    docs: include_str!("../../rules/xref-duplicate-object.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Groups that served the same resource under two names.
fn group_key<'a>(kind: &str, group: &'a str) -> &'a str {
    match (kind, group) {
        ("Deployment" | "DaemonSet" | "ReplicaSet", "extensions") => "apps",
        ("Ingress" | "NetworkPolicy", "extensions") => "networking.k8s.io",
        ("PodSecurityPolicy", "extensions") => "policy",
        ("Event", "events.k8s.io") => "",
        _ => group,
    }
}

impl Rule for XrefDuplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(name_node) = obj.name_node() else { return };
        let Some(name) = name_node.text() else { return };
        if obj.helm_hook().is_some() || is_fragment(obj) || obj.kind.ends_with("List") {
            return;
        }
        let key = group_key(obj.declared_kind, obj.group());
        // The objects of this name are in input order: those before this one are a prefix, and
        // the earlier ones of this file are the end of that prefix.
        let named = xref::named(ctx.index, obj, obj.declared_kind, name);
        let here = (obj.file, obj.root.span.start());
        let before = &named[..named.partition_point(|o| (o.file, o.root.span.start()) < here)];
        let counts =
            |o: &Object<'_>| group_key(o.declared_kind, o.group()) == key && o.helm_hook().is_none() && !is_fragment(o);
        // Report against the nearest earlier definition: in this file if there is one. (A scan of
        // every earlier definition for every object was quadratic: 20,000 ConfigMaps of one name
        // in one file took 43 s.)
        let first = before
            .iter()
            .rev()
            .take_while(|o| ctx.same_file(o))
            .find(|o| counts(o))
            .or_else(|| before.iter().rev().find(|o| ctx.related(o) && counts(o)));
        let Some(first) = first.copied() else { return };
        let what = match obj.namespace() {
            Some(ns) => format!("{} (namespace `{ns}`)", obj.display()),
            None => obj.display(),
        };
        if ctx.same_file(&first) {
            let at = first.name_node().map_or(first.kind_node().span, |n| n.span);
            let v = Violation::new(
                name_node.span,
                ctx.t("defined again", "défini à nouveau"),
                ctx.t(
                    format!("{what} is defined twice in this file: the later definition silently replaces the earlier"),
                    format!(
                        "{what} est défini deux fois dans ce fichier : la seconde définition remplace la première sans rien dire"
                    ),
                ),
                ctx.t(
                    "Delete one of the two definitions, or rename one.",
                    "Supprimez l'une des deux définitions, ou renommez-en une.",
                ),
            )
            .secondary(at, ctx.t("first defined here", "première définition ici"));
            ctx.report(v);
            return;
        }
        // Another file: as often a variant of the object (an overlay, an example, a test case)
        // as a clash, so only a closed-world run (`--complete`: one set of objects) says so.
        if !ctx.options.complete {
            return;
        }
        let at = first.name_node().map_or(first.kind_node().span, |n| n.span);
        let location = ctx.location(&first, at);
        let v = Violation::new(
            name_node.span,
            ctx.t("defined again", "défini à nouveau"),
            ctx.t(
                format!(
                    "{what} is also defined at {location}: applied together, the later definition silently replaces the earlier"
                ),
                format!(
                    "{what} est aussi défini en {location} : appliquées ensemble, la seconde définition remplace la première sans rien dire"
                ),
            ),
            ctx.t(
                "Keep one definition, or keep the variants out of the set of manifests applied together.",
                "Gardez une seule définition, ou sortez les variantes de l'ensemble des manifestes appliqués ensemble.",
            ),
        );
        ctx.report(v);
    }
}

//! `sts-name-too-long`: a StatefulSet name that the API server accepts but that makes every Pod
//! the controller derives from it invalid: the `controller-revision-hash` label, the Pod hostname.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::yaml::Node;

pub struct StsNameTooLong;

static META: RuleMeta = RuleMeta {
    id: "sts-name-too-long",
    family: Family::StatefulSets,
    severity: Severity::Error,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet name too long (or dotted) for the Pods and claims derived from it",
    why: "The controller labels each Pod `controller-revision-hash: <name>-<hash>` and names it `<name>-<ordinal>` (also its hostname); when these break the 63-character label rules the API server rejects every Pod, while the StatefulSet itself was accepted.",
    why_fr: "Le contrôleur pose sur chaque Pod le label `controller-revision-hash: <name>-<hash>` et le nomme `<name>-<ordinal>` (c'est aussi son hostname) ; quand ces valeurs enfreignent les règles des labels de 63 caractères, l'API server rejette tous les Pods, alors que le StatefulSet lui-même a été accepté.",
    docs: include_str!("../../rules/sts-name-too-long.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Label values and hostnames: at most 63 characters.
const LABEL_MAX: usize = 63;
/// `-` plus the revision hash (a 32-bit FNV hash in decimal, safe-encoded: up to 10 characters).
const HASH_SUFFIX: usize = 11;

impl Rule for StsNameTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(name_node) = obj.name_node() else { return };
        let Some(name) = name_node.text() else { return };
        let display = obj.display();
        if name.len() + HASH_SUFFIX > LABEL_MAX {
            let pod = format!("{name}-{}", last_ordinal(obj, ctx));
            let also = if pod.len() > LABEL_MAX {
                ctx.t(
                    format!(", and Pod name (hostname) `{pod}` is {} characters", pod.len()),
                    format!(", et le nom de Pod (hostname) `{pod}` fait {} caractères", pod.len()),
                )
            } else {
                String::new()
            };
            let (len, fit, label_len) = (name.len(), LABEL_MAX - HASH_SUFFIX, name.len() + HASH_SUFFIX);
            let v = Violation::new(
                name_node.span,
                ctx.t(
                    format!("{len} characters, at most {fit} fit"),
                    format!("{len} caractères, {fit} au plus sont possibles"),
                ),
                ctx.t(
                    format!(
                        "{display}: its Pods' `controller-revision-hash` label `{name}-<hash>` would be up to {label_len} characters, more than {LABEL_MAX}{also}"
                    ),
                    format!(
                        "{display} : le label `controller-revision-hash` de ses Pods, `{name}-<hash>`, ferait jusqu'à {label_len} caractères, plus de {LABEL_MAX}{also}"
                    ),
                ),
                ctx.t(
                    format!(
                        "Shorten the name to at most {fit} characters (in Helm charts, `fullnameOverride` or `nameOverride`)."
                    ),
                    format!(
                        "Raccourcissez le nom à {fit} caractères au plus (dans les charts Helm, `fullnameOverride` ou `nameOverride`)."
                    ),
                ),
            );
            ctx.report(v);
            return;
        }
        if name.contains('.') {
            let v = Violation::new(
                name_node.span,
                ctx.t("dots are not allowed in a hostname", "les points ne sont pas permis dans un hostname"),
                ctx.t(
                    format!("{display}: its Pods' hostname `{name}-0` is not a DNS label, because the name contains dots"),
                    format!("{display} : le hostname de ses Pods, `{name}-0`, n'est pas un label DNS, car le nom contient des points"),
                ),
                ctx.t(
                    "Use a name of lowercase letters, digits and hyphens, without dots.",
                    "Utilisez un nom fait de lettres minuscules, de chiffres et de tirets, sans points.",
                ),
            )
            .why(ctx.t(
                "The controller uses each Pod's name (`<name>-<ordinal>`) as its hostname, which must be a DNS label without dots: the API server rejects every Pod, while the StatefulSet itself was accepted.",
                "Le contrôleur utilise le nom de chaque Pod (`<name>-<ordinal>`) comme hostname, qui doit être un label DNS sans points : l'API server rejette tous les Pods, alors que le StatefulSet lui-même a été accepté.",
            ));
            ctx.report(v);
        }
    }
}

/// The highest ordinal: `spec.ordinals.start` + replicas − 1 (replicas from the HPA's maximum).
/// Claim names `<template>-<name>-<ordinal>` need no check of their own: with a name that fits
/// and a template name that is a valid volume name (`sts-template-invalid`), they stay far
/// below the 253-character limit.
fn last_ordinal(obj: &Object<'_>, ctx: &RuleContext<'_, '_>) -> i64 {
    let start = obj.spec().and_then(|s| s.path(&["ordinals", "start"])).and_then(Node::as_i64).unwrap_or(0);
    start + (ctx.index.max_replicas(obj) - 1).max(0)
}

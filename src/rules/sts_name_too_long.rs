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
    why_fr: "",
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
                format!(", and Pod name (hostname) `{pod}` is {} characters", pod.len())
            } else {
                String::new()
            };
            ctx.report(Violation::new(
                name_node.span,
                format!("{} characters, at most {} fit", name.len(), LABEL_MAX - HASH_SUFFIX),
                format!(
                    "{display}: its Pods' `controller-revision-hash` label `{name}-<hash>` would be up to {} characters, more than {LABEL_MAX}{also}",
                    name.len() + HASH_SUFFIX
                ),
                format!(
                    "Shorten the name to at most {} characters (in Helm charts, `fullnameOverride` or `nameOverride`).",
                    LABEL_MAX - HASH_SUFFIX
                ),
            ));
            return;
        }
        if name.contains('.') {
            ctx.report(Violation::new(
                name_node.span,
                "dots are not allowed in a hostname",
                format!("{display}: its Pods' hostname `{name}-0` is not a DNS label, because the name contains dots"),
                "Use a name of lowercase letters, digits and hyphens, without dots.",
            ).why(
                "The controller uses each Pod's name (`<name>-<ordinal>`) as its hostname, which must be a DNS label without dots: the API server rejects every Pod, while the StatefulSet itself was accepted.",
            ));
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

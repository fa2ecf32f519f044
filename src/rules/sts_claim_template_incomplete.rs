//! `sts-claim-template-incomplete`: a StatefulSet claim template without access modes or a
//! storage request (every PVC creation fails), or without a StorageClass (info: the cluster
//! default, if any, is used).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::quantity;
use crate::source::Span;
use crate::yaml::Node;

pub struct StsClaimTemplateIncomplete;

static META: RuleMeta = RuleMeta {
    id: "sts-claim-template-incomplete",
    family: Family::StatefulSets,
    severity: Severity::Error,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet claim template without access modes or a storage request",
    why: "The controller creates each replica's PersistentVolumeClaim from the template; without access modes or a storage request the API server rejects the claim, so the Pod is never created (older servers accept the StatefulSet itself).",
    why_fr: "",
    docs: include_str!("../../rules/sts-claim-template-incomplete.md"),
    default_enabled: true,
    supersedes: &[],
};

const CLASS_WHY: &str = "The StorageClass decides how each replica's volume is provisioned: without one the claim depends on the cluster's default class, and with none to use it stays Pending, so the Pod is never scheduled.";

const ACCESS_MODES: [&str; 4] = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

impl Rule for StsClaimTemplateIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) {
            return;
        }
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        for template in templates {
            let name_node = template.get("metadata").and_then(|m| m.get("name"));
            let name = name_node.and_then(Node::text).unwrap_or("?");
            let what = format!("{}: claim template `{name}`", obj.display());
            let Some(spec_entry) = template.entry("spec").filter(|e| e.value.as_map().is_some()) else {
                let span = name_node.map_or(template.span, |n| n.span);
                ctx.report(Violation::new(
                    span,
                    "claim template without spec",
                    format!("{what} has no spec: no access modes and no storage request"),
                    "Add `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}`.",
                ));
                continue;
            };
            let spec = &spec_entry.value;
            let spec_key = spec_entry.key.span;
            check_access_modes(spec, spec_key, &what, ctx);
            check_storage(spec, spec_key, &what, ctx);
            // Relying on the default StorageClass is normal practice; asking for an explicit
            // class is opt-in (`rules.options.sts-claim-template-incomplete.requireStorageClass`).
            let require_class = ctx.rule_option("requireStorageClass").and_then(|v| v.as_bool()).unwrap_or(false);
            match spec.get("storageClassName") {
                None if require_class => ctx.report(
                    Violation::new(
                        spec_key,
                        "no storageClassName",
                        format!("{what} names no StorageClass: its claims use the cluster's default class, and stay Pending if there is none"),
                        "Set `storageClassName` to the class the data needs, so the claim does not depend on the cluster default.",
                    )
                    .severity(Severity::Info)
                    .why(CLASS_WHY),
                ),
                Some(class) if class.text().is_some_and(str::is_empty) => ctx.report(
                    Violation::new(
                        class.span,
                        "empty class: pre-provisioned volumes only",
                        format!("{what} sets `storageClassName: \"\"`: its claims bind only to pre-provisioned PersistentVolumes without a class"),
                        "Create the matching PersistentVolumes for every replica, or name a StorageClass that provisions them.",
                    )
                    .severity(Severity::Info)
                    .why(CLASS_WHY),
                ),
                _ => {}
            }
        }
    }
}

fn check_access_modes(spec: &Node, spec_key: Span, what: &str, ctx: &mut RuleContext<'_, '_>) {
    let modes = spec.get_some("accessModes");
    let items = modes.map_or(&[][..], Node::items);
    if items.is_empty() {
        ctx.report(Violation::new(
            modes.map_or(spec_key, |m| m.span),
            "no accessModes",
            format!("{what} has no accessModes: every claim created from it is rejected"),
            "Add `accessModes: [ReadWriteOnce]` (or the mode the storage supports).",
        ));
        return;
    }
    for mode in items {
        let Some(text) = mode.text() else { continue };
        if !ACCESS_MODES.contains(&text) {
            ctx.report(Violation::new(
                mode.span,
                "unknown access mode",
                format!("{what} has access mode `{text}`, which is not one of {}", ACCESS_MODES.join(", ")),
                "Use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
            ));
        }
    }
}

fn check_storage(spec: &Node, spec_key: Span, what: &str, ctx: &mut RuleContext<'_, '_>) {
    let resources = spec.entry("resources");
    let requests = resources.and_then(|r| r.value.entry("requests"));
    let Some(storage) = requests.and_then(|r| r.value.get_some("storage")) else {
        let at = requests.or(resources).map_or(spec_key, |e| e.key.span);
        ctx.report(Violation::new(
            at,
            "no storage request",
            format!("{what} requests no storage size: every claim created from it is rejected"),
            "Add `resources: {requests: {storage: 10Gi}}` with the size each replica needs.",
        ));
        return;
    };
    let Some(text) = storage.text() else { return };
    match quantity::parse(text) {
        Err(e) => ctx.report(Violation::new(
            storage.span,
            "not a quantity",
            format!("{what} requests storage `{text}`, which is not a valid quantity: {}", e.describe()),
            "Write the size like `10Gi` or `500Mi` (binary suffixes, no spaces).",
        )),
        Ok(q) if q.negative || q.nanos == Some(0) => ctx.report(Violation::new(
            storage.span,
            "size must be positive",
            format!("{what} requests storage `{text}`; a claim must request more than zero"),
            "Request the size each replica needs, such as `10Gi`.",
        )),
        Ok(_) => {}
    }
}

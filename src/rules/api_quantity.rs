//! `api-quantity`: resource quantities the API server rejects (syntax, negative values, a request
//! above its limit) in pod templates, PersistentVolumeClaims, ResourceQuotas and LimitRanges, and
//! valid but suspicious ones (memory in milli-bytes, a memory limit below 4Mi, CPU finer than 1m)
//! as warnings.
//! StatefulSet template errors are `sts-template-invalid`'s; only the warnings are reported there.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::quantity::{self, Quantity};
use crate::k8s::{Object, podcheck};
use crate::yaml::Node;

pub struct ApiQuantity;

static META: RuleMeta = RuleMeta {
    id: "api-quantity",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&[
        "Pod",
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "DaemonSet",
        "Job",
        "CronJob",
        "StatefulSet",
        "PersistentVolumeClaim",
        "ResourceQuota",
        "LimitRange",
    ]),
    summary: "Resource quantity that is invalid, negative, above its limit, or in a suspicious unit",
    why: "The API server parses every resource quantity and rejects the object when one is malformed (`512mb`, `1GB`, `2 Gi`), negative, or when a request exceeds its limit: the apply fails.",
    why_fr: "",
    docs: include_str!("../../rules/api-quantity.md"),
    default_enabled: true,
    supersedes: &[],
};

const MI: i128 = 1024 * 1024 * 1_000_000_000;
const MILLI: i128 = 1_000_000;

impl Rule for ApiQuantity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let display = obj.display();
        if obj.group().is_empty() && matches!(obj.kind, "ResourceQuota" | "LimitRange") {
            check_policy(obj, &display, ctx);
            return;
        }
        if !is_builtin(obj) || is_fragment(obj) {
            return;
        }
        if obj.kind == "PersistentVolumeClaim" {
            let Some(resources) = obj.spec().and_then(|s| s.get("resources")) else { return };
            for section in ["requests", "limits"] {
                for e in resources.get(section).and_then(Node::as_map).unwrap_or(&[]) {
                    let Some(resource) = e.key.text() else { continue };
                    let what = format!("{resource} {}", section.trim_end_matches('s'));
                    if let Some(q) = syntax(&e.value, &what, &display, ctx) {
                        warn_units(&e.value, resource, section == "limits", q, &what, &display, ctx);
                    }
                }
            }
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        if obj.kind != "StatefulSet" {
            for problem in podcheck::check_pod_spec(&spec).into_iter().filter(|p| p.check == "api-quantity") {
                let mut v = Violation::new(
                    problem.span,
                    problem.label,
                    format!("{display}: {}", problem.message),
                    problem.help,
                );
                if let Some((span, text)) = problem.related {
                    v = v.secondary(span, text);
                }
                ctx.report(v);
            }
        }
        for c in spec.all_containers() {
            let name = c.name().unwrap_or("?");
            let Some(resources) = c.node.get_some("resources") else { continue };
            for section in ["requests", "limits"] {
                for e in resources.get(section).and_then(Node::as_map).unwrap_or(&[]) {
                    let Some(resource) = e.key.text() else { continue };
                    let Some(text) = e.value.text() else { continue };
                    let Ok(q) = quantity::parse(text) else { continue };
                    if q.negative {
                        continue;
                    }
                    let what = format!("{resource} {} of container `{name}`", section.trim_end_matches('s'));
                    warn_units(&e.value, resource, section == "limits", q, &what, &display, ctx);
                }
            }
        }
    }
}

/// ResourceQuota `spec.hard`, LimitRange `spec.limits[].{max,min,default,defaultRequest,maxLimitRequestRatio}`:
/// syntax and sign only.
fn check_policy(obj: &Object<'_>, display: &str, ctx: &mut RuleContext<'_, '_>) {
    let Some(spec) = obj.spec() else { return };
    let mut maps: Vec<(&Node, &str)> = Vec::new();
    if obj.kind == "ResourceQuota" {
        if let Some(hard) = spec.get("hard") {
            maps.push((hard, "hard"));
        }
    } else {
        for limit in spec.get("limits").map_or(&[][..], Node::items) {
            for field in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] {
                if let Some(m) = limit.get(field) {
                    maps.push((m, field));
                }
            }
        }
    }
    for (map, field) in maps {
        for e in map.as_map().unwrap_or(&[]) {
            let Some(resource) = e.key.text() else { continue };
            syntax(&e.value, &format!("{field} {resource}"), display, ctx);
        }
    }
}

/// Syntax and sign of a quantity outside pod specs (PVCs, quotas, limit ranges); the value when valid.
fn syntax(node: &Node, what: &str, display: &str, ctx: &mut RuleContext<'_, '_>) -> Option<Quantity> {
    let text = node.text()?;
    match quantity::parse(text) {
        Err(e) => {
            ctx.report(Violation::new(
                node.span,
                "not a quantity",
                format!("{display}: {what} `{text}` is not a valid quantity: {}", e.describe()),
                "Write quantities like `500m`, `2`, `512Mi` or `1Gi` (no spaces; `Mi`, not `mb` or `MB`).",
            ));
            None
        }
        Ok(q) if q.negative && q.nanos != Some(0) => {
            ctx.report(Violation::new(
                node.span,
                "negative quantity",
                format!("{display}: {what} `{text}` is negative"),
                "Use a quantity of zero or more.",
            ));
            None
        }
        Ok(q) => Some(q),
    }
}

fn is_bytes(resource: &str) -> bool {
    matches!(resource, "memory" | "ephemeral-storage" | "storage") || resource.starts_with("hugepages-")
}

/// Valid but almost certainly unintended values: warnings.
fn warn_units(
    node: &Node,
    resource: &str,
    is_limit: bool,
    q: Quantity,
    what: &str,
    display: &str,
    ctx: &mut RuleContext<'_, '_>,
) {
    let text = node.text().unwrap_or_default();
    let Some(nanos) = q.nanos.filter(|n| *n > 0) else { return };
    if is_bytes(resource) && text.ends_with('m') {
        ctx.report(
            Violation::new(
                node.span,
                "milli-bytes",
                format!("{display}: {what} `{text}` is in thousandths of a byte (`m` is milli, not mega)"),
                format!("Write `{}Mi` (mebibytes) or `{}M` (megabytes).", text.trim_end_matches('m'), text.trim_end_matches('m')),
            )
            .severity(Severity::Warning)
            .why("`m` means milli: `500m` of memory is half a byte. The API server accepts it, but the kubelet rounds it to a handful of bytes and the container is killed (OOMKilled) or never starts."),
        );
        return;
    }
    if resource == "memory" && is_limit && nanos < 4 * MI {
        ctx.report(
            Violation::new(
                node.span,
                "below 4Mi",
                format!("{display}: {what} `{text}` is below 4Mi; no container runtime starts a process that small"),
                "Set the memory limit in Mi or Gi (e.g. `128Mi`).",
            )
            .severity(Severity::Warning)
            .why("The API server accepts tiny memory limits, but the container runtime cannot start a container within a few megabytes: the Pod fails with a container-creation or OOM error."),
        );
        return;
    }
    if resource == "cpu" && nanos % MILLI != 0 {
        ctx.report(
            Violation::new(
                node.span,
                "finer than 1m",
                format!("{display}: {what} `{text}` is finer than one millicore; it is rounded up to 1m"),
                "Write CPU in millicores (at least `1m`), e.g. `100m`.",
            )
            .severity(Severity::Warning)
            .why("CPU is allocated in millicores: the kubelet rounds a smaller value up, so the value written is not the value applied (usually a unit mistake)."),
        );
    }
}

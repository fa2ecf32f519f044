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
    why_fr: "L'API server lit chaque quantité de ressource et rejette l'objet quand l'une est mal formée (`512mb`, `1GB`, `2 Gi`), négative, ou quand une request dépasse sa limite : l'apply échoue.",
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
                    let what = ctx.t(
                        format!("{resource} {}", section.trim_end_matches('s')),
                        if section == "limits" {
                            format!("la limite {resource}")
                        } else {
                            format!("la request {resource}")
                        },
                    );
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
                    ctx.t(format!("{display}: {}", problem.message), format!("{display} : {}", problem.message)),
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
                    let what = ctx.t(
                        format!("{resource} {} of container `{name}`", section.trim_end_matches('s')),
                        if section == "limits" {
                            format!("la limite {resource} du conteneur `{name}`")
                        } else {
                            format!("la request {resource} du conteneur `{name}`")
                        },
                    );
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
            let what = ctx.t(format!("{field} {resource}"), format!("la valeur {field} {resource}"));
            syntax(&e.value, &what, display, ctx);
        }
    }
}

/// Syntax and sign of a quantity outside pod specs (PVCs, quotas, limit ranges); the value when valid.
fn syntax(node: &Node, what: &str, display: &str, ctx: &mut RuleContext<'_, '_>) -> Option<Quantity> {
    let text = node.text()?;
    match quantity::parse(text) {
        Err(e) => {
            let v = Violation::new(
                node.span,
                ctx.t("not a quantity", "pas une quantité"),
                ctx.t(
                    format!("{display}: {what} `{text}` is not a valid quantity: {}", e.describe()),
                    format!("{display} : {what} `{text}` n'est pas une quantité valide : {}", e.describe()),
                ),
                ctx.t(
                    "Write quantities like `500m`, `2`, `512Mi` or `1Gi` (no spaces; `Mi`, not `mb` or `MB`).",
                    "Écrivez les quantités comme `500m`, `2`, `512Mi` ou `1Gi` (sans espaces ; `Mi`, pas `mb` ni `MB`).",
                ),
            );
            ctx.report(v);
            None
        }
        Ok(q) if q.negative && q.nanos != Some(0) => {
            let v = Violation::new(
                node.span,
                ctx.t("negative quantity", "quantité négative"),
                ctx.t(
                    format!("{display}: {what} `{text}` is negative"),
                    format!("{display} : {what} `{text}` a une valeur négative"),
                ),
                ctx.t("Use a quantity of zero or more.", "Utilisez une quantité nulle ou positive."),
            );
            ctx.report(v);
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
        let n = text.trim_end_matches('m');
        let v = Violation::new(
            node.span,
            ctx.t("milli-bytes", "milli-octets"),
            ctx.t(
                format!("{display}: {what} `{text}` is in thousandths of a byte (`m` is milli, not mega)"),
                format!("{display} : {what} `{text}` est en millièmes d'octet (`m` signifie milli, pas méga)"),
            ),
            ctx.t(
                format!("Write `{n}Mi` (mebibytes) or `{n}M` (megabytes)."),
                format!("Écrivez `{n}Mi` (mébioctets) ou `{n}M` (mégaoctets)."),
            ),
        )
        .severity(Severity::Warning)
        .why(ctx.t(
            "`m` means milli: `500m` of memory is half a byte. The API server accepts it, but the kubelet rounds it to a handful of bytes and the container is killed (OOMKilled) or never starts.",
            "`m` signifie milli : `500m` de mémoire font un demi-octet. L'API server l'accepte, mais le kubelet l'arrondit à quelques octets et le conteneur est tué (OOMKilled) ou ne démarre jamais.",
        ));
        ctx.report(v);
        return;
    }
    if resource == "memory" && is_limit && nanos < 4 * MI {
        let v = Violation::new(
            node.span,
            ctx.t("below 4Mi", "moins de 4Mi"),
            ctx.t(
                format!("{display}: {what} `{text}` is below 4Mi; no container runtime starts a process that small"),
                format!("{display} : {what} `{text}` vaut moins de 4Mi ; aucun runtime de conteneurs ne démarre un processus aussi petit"),
            ),
            ctx.t("Set the memory limit in Mi or Gi (e.g. `128Mi`).", "Définissez la limite mémoire en Mi ou en Gi (par exemple `128Mi`)."),
        )
        .severity(Severity::Warning)
        .why(ctx.t(
            "The API server accepts tiny memory limits, but the container runtime cannot start a container within a few megabytes: the Pod fails with a container-creation or OOM error.",
            "L'API server accepte des limites mémoire minuscules, mais le runtime de conteneurs ne peut pas démarrer un conteneur en quelques mégaoctets : le Pod échoue avec une erreur de création de conteneur ou d'OOM.",
        ));
        ctx.report(v);
        return;
    }
    if resource == "cpu" && nanos % MILLI != 0 {
        let v = Violation::new(
            node.span,
            ctx.t("finer than 1m", "plus fin que 1m"),
            ctx.t(
                format!("{display}: {what} `{text}` is finer than one millicore; it is rounded up to 1m"),
                format!("{display} : {what} `{text}` est plus fin qu'un millicœur ; il est arrondi à 1m"),
            ),
            ctx.t("Write CPU in millicores (at least `1m`), e.g. `100m`.", "Écrivez le CPU en millicœurs (au moins `1m`), par exemple `100m`."),
        )
        .severity(Severity::Warning)
        .why(ctx.t(
            "CPU is allocated in millicores: the kubelet rounds a smaller value up, so the value written is not the value applied (usually a unit mistake).",
            "Le CPU est alloué en millicœurs : le kubelet arrondit une valeur plus petite vers le haut, la valeur écrite n'est donc pas celle appliquée (en général une erreur d'unité).",
        ));
        ctx.report(v);
    }
}

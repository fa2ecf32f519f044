//! `api-hpa`: HorizontalPodAutoscaler fields the API server rejects: replica bounds, the scale
//! target reference, and metric targets.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::yaml::Node;

pub struct ApiHpa;

static META: RuleMeta = RuleMeta {
    id: "api-hpa",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["HorizontalPodAutoscaler"]),
    summary: "HorizontalPodAutoscaler with replica bounds, target or metric the API server rejects",
    why: "The API server validates an autoscaler's bounds (`minReplicas` ≥ 1, `maxReplicas` ≥ `minReplicas`), its `scaleTargetRef` and its metric targets, and rejects the object: the apply fails and the workload is not autoscaled.",
    why_fr: "L'API server valide les bornes d'un autoscaler (`minReplicas` ≥ 1, `maxReplicas` ≥ `minReplicas`), son `scaleTargetRef` et ses cibles de métriques, et rejette l'objet : l'apply échoue et la charge de travail n'est pas mise à l'échelle automatiquement.",
    docs: include_str!("../../rules/api-hpa.md"),
    default_enabled: true,
    supersedes: &[],
};

const METRIC_SOURCES: [(&str, &str); 5] = [
    ("Resource", "resource"),
    ("Pods", "pods"),
    ("Object", "object"),
    ("External", "external"),
    ("ContainerResource", "containerResource"),
];

impl Rule for ApiHpa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.spec().filter(|s| s.as_map().is_some()) else { return };
        let display = obj.display();
        // Without both required fields it is a patch (Kustomize), not an object to apply.
        let fragment = spec.get_some("maxReplicas").is_none() && spec.get_some("scaleTargetRef").is_none();
        let min_node = spec.get_some("minReplicas");
        let min = min_node.and_then(Node::as_i64);
        if let (Some(node), Some(n)) = (min_node, min) {
            if n < 1 {
                ctx.report(Violation::new(
                    node.span,
                    ctx.t("must be at least 1", "doit valoir au moins 1"),
                    ctx.t(format!("{display}: minReplicas is {n}; it must be at least 1 (0 needs the alpha HPAScaleToZero feature gate)"), format!("{display} : minReplicas vaut {n} ; il doit valoir au moins 1 (0 demande la feature gate alpha HPAScaleToZero)")),
                    ctx.t("Set `minReplicas` to 1 or more.", "Donnez à `minReplicas` la valeur 1 ou plus."),
                ));
            }
        }
        match spec.entry("maxReplicas").filter(|e| !e.value.is_null()) {
            None if fragment => {}
            None => ctx.report(Violation::new(
                obj.kind_span(),
                ctx.t("no maxReplicas", "pas de maxReplicas"),
                ctx.t(
                    format!("{display} has no `spec.maxReplicas`"),
                    format!("{display} n'a pas de `spec.maxReplicas`"),
                ),
                ctx.t("Set `spec.maxReplicas`.", "Définissez `spec.maxReplicas`."),
            )),
            Some(e) => {
                if let Some(max) = e.value.as_i64() {
                    if max < 1 {
                        ctx.report(Violation::new(
                            e.value.span,
                            ctx.t("must be at least 1", "doit valoir au moins 1"),
                            ctx.t(
                                format!("{display}: maxReplicas is {max}; it must be at least 1"),
                                format!("{display} : maxReplicas vaut {max} ; il doit valoir au moins 1"),
                            ),
                            ctx.t("Set `maxReplicas` to 1 or more.", "Donnez à `maxReplicas` la valeur 1 ou plus."),
                        ));
                    } else if let (Some(min), Some(min_node)) = (min, min_node) {
                        if max < min {
                            ctx.report(
                                Violation::new(
                                    e.value.span,
                                    ctx.t("below minReplicas", "inférieur à minReplicas"),
                                    ctx.t(
                                        format!("{display}: maxReplicas {max} is less than minReplicas {min}"),
                                        format!("{display} : maxReplicas {max} est inférieur à minReplicas {min}"),
                                    ),
                                    ctx.t(
                                        "Set `maxReplicas` to at least `minReplicas`.",
                                        "Donnez à `maxReplicas` au moins la valeur de `minReplicas`.",
                                    ),
                                )
                                .secondary(min_node.span, ctx.t("minReplicas", "minReplicas")),
                            );
                        }
                    }
                }
            }
        }
        match spec.entry("scaleTargetRef").filter(|e| !e.value.is_null()) {
            None if fragment => {}
            None => ctx.report(Violation::new(
                obj.kind_span(),
                ctx.t("no scaleTargetRef", "pas de scaleTargetRef"),
                ctx.t(format!("{display} has no `spec.scaleTargetRef`"), format!("{display} n'a pas de `spec.scaleTargetRef`")),
                ctx.t("Name the workload to scale in `spec.scaleTargetRef` (kind, name, apiVersion).", "Nommez la charge de travail à mettre à l'échelle dans `spec.scaleTargetRef` (kind, name, apiVersion)."),
            )),
            Some(e) => {
                for field in ["kind", "name"] {
                    if e.value.get(field).and_then(Node::text).is_none_or(str::is_empty) {
                        ctx.report(Violation::new(
                            e.key.span,
                            ctx.t(format!("no {field}"), format!("pas de {field}")),
                            ctx.t(format!("{display}: scaleTargetRef has no `{field}`"), format!("{display} : scaleTargetRef n'a pas de `{field}`")),
                            ctx.t(format!("Set `scaleTargetRef.{field}`."), format!("Définissez `scaleTargetRef.{field}`.")),
                        ));
                    }
                }
            }
        }
        if let Some(n) = spec.get_some("targetCPUUtilizationPercentage") {
            if let Some(v) = n.as_i64().filter(|v| *v < 1) {
                ctx.report(Violation::new(
                    n.span,
                    ctx.t("must be at least 1", "doit valoir au moins 1"),
                    ctx.t(
                        format!("{display}: targetCPUUtilizationPercentage is {v}; it must be at least 1"),
                        format!("{display} : targetCPUUtilizationPercentage vaut {v} ; il doit valoir au moins 1"),
                    ),
                    ctx.t("Set a positive target percentage.", "Définissez un pourcentage cible positif."),
                ));
            }
        }
        for metric in spec.get("metrics").map_or(&[][..], Node::items) {
            check_metric(metric, &display, ctx);
        }
    }
}

fn check_metric(metric: &Node, display: &str, ctx: &mut RuleContext<'_, '_>) {
    let Some(type_node) = metric.get("type") else { return };
    let Some(kind) = type_node.as_str() else { return };
    let Some((_, field)) = METRIC_SOURCES.iter().find(|(t, _)| *t == kind) else {
        ctx.report(Violation::new(
            type_node.span,
            ctx.t("unknown metric type", "type de métrique inconnu"),
            ctx.t(format!(
                "{display}: metric type `{kind}` is not one of Resource, Pods, Object, External, ContainerResource"
            ), format!("{display} : le type de métrique `{kind}` n'est pas l'un de Resource, Pods, Object, External, ContainerResource")),
            ctx.t("Use one of Resource, Pods, Object, External or ContainerResource.", "Utilisez Resource, Pods, Object, External ou ContainerResource."),
        ));
        return;
    };
    let Some(source) = metric.get_some(field) else {
        ctx.report(Violation::new(
            type_node.span,
            ctx.t(format!("no `{field}` block"), format!("pas de bloc `{field}`")),
            ctx.t(
                format!("{display}: a metric of type {kind} has no `{field}` block"),
                format!("{display} : une métrique de type {kind} n'a pas de bloc `{field}`"),
            ),
            ctx.t(
                format!("Add the `{field}:` block that the {kind} type needs."),
                format!("Ajoutez le bloc `{field}:` dont le type {kind} a besoin."),
            ),
        ));
        return;
    };
    // autoscaling/v2: `target: {type, averageUtilization | averageValue | value}`.
    let Some(target) = source.get_some("target") else { return };
    let Some(t) = target.get("type").and_then(Node::as_str) else { return };
    let needed = match t {
        "Utilization" => "averageUtilization",
        "AverageValue" => "averageValue",
        "Value" => "value",
        _ => {
            ctx.report(Violation::new(
                target.get("type").map_or(target.span, |n| n.span),
                ctx.t("unknown target type", "type de cible inconnu"),
                ctx.t(
                    format!("{display}: metric target type `{t}` is not Utilization, AverageValue or Value"),
                    format!(
                        "{display} : le type de cible de métrique `{t}` n'est pas Utilization, AverageValue ou Value"
                    ),
                ),
                ctx.t("Use Utilization, AverageValue or Value.", "Utilisez Utilization, AverageValue ou Value."),
            ));
            return;
        }
    };
    if (kind == "Object" || kind == "External") && t == "Utilization" {
        ctx.report(Violation::new(
            target.get("type").map_or(target.span, |n| n.span),
            ctx.t("Utilization not allowed", "Utilization non autorisé"),
            ctx.t(
                format!("{display}: {kind} metrics take a Value or AverageValue target, not Utilization"),
                format!("{display} : les métriques {kind} prennent une cible Value ou AverageValue, pas Utilization"),
            ),
            ctx.t("Use `type: Value` or `type: AverageValue`.", "Utilisez `type: Value` ou `type: AverageValue`."),
        ));
        return;
    }
    match target.get_some(needed) {
        None => ctx.report(Violation::new(
            target.get("type").map_or(target.span, |n| n.span),
            ctx.t(format!("no {needed}"), format!("pas de {needed}")),
            ctx.t(
                format!("{display}: a {kind} metric target of type {t} has no `{needed}`"),
                format!("{display} : une cible de métrique {kind} de type {t} n'a pas de `{needed}`"),
            ),
            ctx.t(format!("Set `{needed}` in the target."), format!("Définissez `{needed}` dans la cible.")),
        )),
        Some(v) if needed == "averageUtilization" => {
            if let Some(n) = v.as_i64().filter(|n| *n <= 0) {
                ctx.report(Violation::new(
                    v.span,
                    ctx.t("must be positive", "doit être positif"),
                    ctx.t(
                        format!("{display}: averageUtilization is {n}; it must be at least 1"),
                        format!("{display} : averageUtilization vaut {n} ; il doit valoir au moins 1"),
                    ),
                    ctx.t("Set a positive utilization percentage.", "Définissez un pourcentage d'utilisation positif."),
                ));
            }
        }
        Some(_) => {}
    }
}

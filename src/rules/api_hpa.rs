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
    why_fr: "",
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
                    "must be at least 1",
                    format!("{display}: minReplicas is {n}; it must be at least 1 (0 needs the alpha HPAScaleToZero feature gate)"),
                    "Set `minReplicas` to 1 or more.",
                ));
            }
        }
        match spec.entry("maxReplicas").filter(|e| !e.value.is_null()) {
            None if fragment => {}
            None => ctx.report(Violation::new(
                obj.kind_span(),
                "no maxReplicas",
                format!("{display} has no `spec.maxReplicas`"),
                "Set `spec.maxReplicas`.",
            )),
            Some(e) => {
                if let Some(max) = e.value.as_i64() {
                    if max < 1 {
                        ctx.report(Violation::new(
                            e.value.span,
                            "must be at least 1",
                            format!("{display}: maxReplicas is {max}; it must be at least 1"),
                            "Set `maxReplicas` to 1 or more.",
                        ));
                    } else if let (Some(min), Some(min_node)) = (min, min_node) {
                        if max < min {
                            ctx.report(
                                Violation::new(
                                    e.value.span,
                                    "below minReplicas",
                                    format!("{display}: maxReplicas {max} is less than minReplicas {min}"),
                                    "Set `maxReplicas` to at least `minReplicas`.",
                                )
                                .secondary(min_node.span, "minReplicas"),
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
                "no scaleTargetRef",
                format!("{display} has no `spec.scaleTargetRef`"),
                "Name the workload to scale in `spec.scaleTargetRef` (kind, name, apiVersion).",
            )),
            Some(e) => {
                for field in ["kind", "name"] {
                    if e.value.get(field).and_then(Node::text).is_none_or(str::is_empty) {
                        ctx.report(Violation::new(
                            e.key.span,
                            format!("no {field}"),
                            format!("{display}: scaleTargetRef has no `{field}`"),
                            format!("Set `scaleTargetRef.{field}`."),
                        ));
                    }
                }
            }
        }
        if let Some(n) = spec.get_some("targetCPUUtilizationPercentage") {
            if let Some(v) = n.as_i64().filter(|v| *v < 1) {
                ctx.report(Violation::new(
                    n.span,
                    "must be at least 1",
                    format!("{display}: targetCPUUtilizationPercentage is {v}; it must be at least 1"),
                    "Set a positive target percentage.",
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
            "unknown metric type",
            format!(
                "{display}: metric type `{kind}` is not one of Resource, Pods, Object, External, ContainerResource"
            ),
            "Use one of Resource, Pods, Object, External or ContainerResource.",
        ));
        return;
    };
    let Some(source) = metric.get_some(field) else {
        ctx.report(Violation::new(
            type_node.span,
            format!("no `{field}` block"),
            format!("{display}: a metric of type {kind} has no `{field}` block"),
            format!("Add the `{field}:` block that the {kind} type needs."),
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
                "unknown target type",
                format!("{display}: metric target type `{t}` is not Utilization, AverageValue or Value"),
                "Use Utilization, AverageValue or Value.",
            ));
            return;
        }
    };
    if (kind == "Object" || kind == "External") && t == "Utilization" {
        ctx.report(Violation::new(
            target.get("type").map_or(target.span, |n| n.span),
            "Utilization not allowed",
            format!("{display}: {kind} metrics take a Value or AverageValue target, not Utilization"),
            "Use `type: Value` or `type: AverageValue`.",
        ));
        return;
    }
    match target.get_some(needed) {
        None => ctx.report(Violation::new(
            target.get("type").map_or(target.span, |n| n.span),
            format!("no {needed}"),
            format!("{display}: a {kind} metric target of type {t} has no `{needed}`"),
            format!("Set `{needed}` in the target."),
        )),
        Some(v) if needed == "averageUtilization" => {
            if let Some(n) = v.as_i64().filter(|n| *n <= 0) {
                ctx.report(Violation::new(
                    v.span,
                    "must be positive",
                    format!("{display}: averageUtilization is {n}; it must be at least 1"),
                    "Set a positive utilization percentage.",
                ));
            }
        }
        Some(_) => {}
    }
}

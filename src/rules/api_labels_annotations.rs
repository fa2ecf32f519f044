//! `api-labels-annotations`: label keys and values, annotation keys and selector labels whose
//! syntax the API server rejects (qualified names, 63-character values, allowed characters).
//! Unquoted booleans and numbers are `api-ambiguous-scalar`'s; they are skipped here.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::names::{is_placeholder, label_value_error, qualified_name_error};
use crate::yaml::Node;

pub struct ApiLabelsAnnotations;

static META: RuleMeta = RuleMeta {
    id: "api-labels-annotations",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "Label or annotation key, or label value, with a syntax the API server rejects",
    why: "The API server validates every label key and annotation key as a qualified name (`[prefix/]name`, name at most 63 characters) and every label value (at most 63 characters, alphanumeric at both ends) and rejects the object: the apply fails.",
    why_fr: "L'API server valide chaque clé de label et d'annotation comme un nom qualifié (`[prefix/]name`, nom d'au plus 63 caractères) et chaque valeur de label (au plus 63 caractères, alphanumérique aux deux extrémités) et rejette l'objet : l'apply échoue.",
    docs: include_str!("../../rules/api-labels-annotations.md"),
    default_enabled: true,
    supersedes: &[],
};

#[derive(Clone, Copy, PartialEq)]
enum MapKind {
    Labels,
    Annotations,
}

impl Rule for ApiLabelsAnnotations {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let display = obj.display();
        let mut maps: Vec<(&Node, MapKind, &str)> = Vec::new();
        let mut metas: Vec<(&Node, &str)> = Vec::new();
        if let Some(m) = obj.metadata() {
            metas.push((m, ""));
        }
        // Templates and selectors of custom resources are validated by their CRD schema only.
        let builtin = is_builtin(obj);
        if builtin && obj.kind == "CronJob" {
            if let Some(m) = obj.spec().and_then(|s| s.path(&["jobTemplate", "metadata"])) {
                metas.push((m, "job template "));
            }
        }
        if builtin && obj.kind != "Pod" {
            if let Some(m) = obj.pod_template().and_then(|t| t.metadata()) {
                metas.push((m, "pod template "));
            }
        }
        for (m, place) in metas {
            if let Some(l) = m.get("labels") {
                maps.push((l, MapKind::Labels, place));
            }
            if let Some(a) = m.get("annotations") {
                maps.push((a, MapKind::Annotations, place));
            }
        }
        if !builtin {
            for (map, kind, place) in maps {
                check_map(map, kind, place, &display, ctx);
            }
            return;
        }
        if let Some(node_selector) = obj.pod_spec().and_then(|s| s.node.get("nodeSelector")) {
            maps.push((node_selector, MapKind::Labels, "nodeSelector "));
        }
        if let Some(spec) = obj.spec() {
            if obj.is("", "Service") {
                if let Some(s) = spec.get("selector") {
                    maps.push((s, MapKind::Labels, "selector "));
                }
            } else if let Some(s) = spec.get("selector").and_then(|s| s.get("matchLabels")) {
                maps.push((s, MapKind::Labels, "selector "));
            }
            let expressions = spec.get("selector").and_then(|s| s.get("matchExpressions"));
            for expr in expressions.map_or(&[][..], Node::items) {
                check_expression(expr, &display, ctx);
            }
        }
        for (map, kind, place) in maps {
            check_map(map, kind, place, &display, ctx);
        }
    }
}

/// A `matchExpressions` item: the key is a label key, `In`/`NotIn` values are label values.
fn check_expression(expr: &Node, display: &str, ctx: &mut RuleContext<'_, '_>) {
    if let Some(key_node) = expr.get("key") {
        if let Some(key) = key_node.as_str().filter(|k| !is_placeholder(k)) {
            if let Some(why) = qualified_name_error(key) {
                ctx.report(Violation::new(
                    key_node.span,
                    ctx.t("invalid label key", "clé de label invalide"),
                    ctx.t(format!("{display}: selector expression key `{key}` {why}"), format!("{display} : la clé d'expression du sélecteur `{key}` {why}")),
                    ctx.t("Use a key like `example.com/my-key`: an optional lowercase DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` or `.`.", "Utilisez une clé comme `example.com/my-key` : un préfixe DNS facultatif en minuscules suivi de `/`, puis au plus 63 lettres, chiffres, `-`, `_` ou `.`."),
                ));
            }
        }
    }
    if !matches!(expr.get("operator").and_then(Node::as_str), Some("In" | "NotIn")) {
        return;
    }
    for value_node in expr.get("values").map_or(&[][..], Node::items) {
        let Some(value) = value_node.as_str().filter(|v| !is_placeholder(v)) else { continue };
        if let Some(why) = label_value_error(value) {
            ctx.report(Violation::new(
                value_node.span,
                ctx.t("invalid label value", "valeur de label invalide"),
                ctx.t(format!("{display}: selector expression value `{value}` {why}"), format!("{display} : la valeur d'expression du sélecteur `{value}` {why}")),
                ctx.t("Use values of at most 63 letters, digits, `-`, `_` or `.`, alphanumeric at both ends.", "Utilisez des valeurs d'au plus 63 lettres, chiffres, `-`, `_` ou `.`, alphanumériques aux deux extrémités."),
            ));
        }
    }
}

fn check_map(map: &Node, kind: MapKind, place: &str, display: &str, ctx: &mut RuleContext<'_, '_>) {
    let noun = match kind {
        MapKind::Labels => "label",
        MapKind::Annotations => "annotation",
    };
    let noun_fr = match kind {
        MapKind::Labels => "de label",
        MapKind::Annotations => "d'annotation",
    };
    let place_fr = match place {
        "job template " => " du template de Job",
        "pod template " => " du template de Pod",
        "nodeSelector " => " de nodeSelector",
        "selector " => " du sélecteur",
        _ => "",
    };
    for e in map.as_map().unwrap_or(&[]) {
        let Some(key) = e.key.as_str() else { continue };
        if is_placeholder(key) {
            continue;
        }
        // Annotation keys are checked lowercased.
        let checked = match kind {
            MapKind::Labels => key.to_string(),
            MapKind::Annotations => key.to_ascii_lowercase(),
        };
        if let Some(why) = qualified_name_error(&checked) {
            ctx.report(Violation::new(
                e.key.span,
                ctx.t(format!("invalid {noun} key"), format!("clé {noun_fr} invalide")),
                ctx.t(
                    format!("{display}: {place}{noun} key `{key}` {why}"),
                    format!("{display} : la clé {noun_fr}{place_fr} `{key}` {why}"),
                ),
                ctx.t("Use a key like `example.com/my-key`: an optional lowercase DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` or `.`.", "Utilisez une clé comme `example.com/my-key` : un préfixe DNS facultatif en minuscules suivi de `/`, puis au plus 63 lettres, chiffres, `-`, `_` ou `.`."),
            ));
        }
        if kind == MapKind::Labels {
            let Some(value) = e.value.as_str() else { continue };
            if is_placeholder(value) {
                continue;
            }
            if let Some(why) = label_value_error(value) {
                ctx.report(Violation::new(
                    e.value.span,
                    ctx.t("invalid label value", "valeur de label invalide"),
                    ctx.t(
                        format!("{display}: {place}label `{key}` has value `{value}`, which {why}"),
                        format!("{display} : le label{place_fr} `{key}` a la valeur `{value}`, qui {why}"),
                    ),
                    ctx.t("Shorten the value to at most 63 letters, digits, `-`, `_` or `.`, alphanumeric at both ends (put longer text in an annotation).", "Raccourcissez la valeur à au plus 63 lettres, chiffres, `-`, `_` ou `.`, alphanumérique aux deux extrémités (mettez un texte plus long dans une annotation)."),
                ));
            }
        }
    }
}

//! `api-pdb`: a PodDisruptionBudget with both `minAvailable` and `maxUnavailable`, a malformed or
//! out-of-range value; or (policy/v1) with neither (warning: it protects nothing).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::names::is_placeholder;
use crate::yaml::Node;

pub struct ApiPdb;

static META: RuleMeta = RuleMeta {
    id: "api-pdb",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["PodDisruptionBudget"]),
    summary: "PodDisruptionBudget with both or neither of minAvailable and maxUnavailable, or a bad value",
    why: "The API server rejects a PodDisruptionBudget that sets both `minAvailable` and `maxUnavailable`, or a value that is negative, above 100% or not `<int>%`: the apply fails and the workload has no disruption budget.",
    why_fr: "L'API server rejette un PodDisruptionBudget qui définit à la fois `minAvailable` et `maxUnavailable`, ou une valeur négative, supérieure à 100 % ou qui n'est pas de la forme `<int>%` : l'apply échoue et la charge de travail n'a pas de budget de perturbation.",
    docs: include_str!("../../rules/api-pdb.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiPdb {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.spec().filter(|s| s.as_map().is_some()) else { return };
        let display = obj.display();
        let min = spec.entry("minAvailable").filter(|e| !e.value.is_null());
        let max = spec.entry("maxUnavailable").filter(|e| !e.value.is_null());
        match (min, max) {
            (Some(a), Some(b)) => ctx.report(
                Violation::new(
                    b.key.span,
                    ctx.t("set together with minAvailable", "défini en même temps que minAvailable"),
                    ctx.t(format!("{display} sets both minAvailable and maxUnavailable"), format!("{display} définit à la fois minAvailable et maxUnavailable")),
                    ctx.t("Keep exactly one of them (usually `maxUnavailable: 1`).", "Gardez-en exactement un (en général `maxUnavailable: 1`)."),
                )
                .secondary(a.key.span, ctx.t("minAvailable set here", "minAvailable défini ici")),
            ),
            // policy/v1beta1 defaulted an empty budget to `minAvailable: 1`; policy/v1 does not.
            (None, None) if obj.api_version == "policy/v1" => ctx.report(
                Violation::new(
                    spec.as_map().and_then(|m| m.first()).map_or(obj.kind_span(), |e| e.key.span),
                    ctx.t("no minAvailable or maxUnavailable", "ni minAvailable ni maxUnavailable"),
                    ctx.t(format!("{display} sets neither minAvailable nor maxUnavailable, so it does not limit disruptions of the selected Pods"), format!("{display} ne définit ni minAvailable ni maxUnavailable, il ne limite donc pas les perturbations des Pods sélectionnés")),
                    ctx.t("Set `maxUnavailable: 1` (or `minAvailable`).", "Définissez `maxUnavailable: 1` (ou `minAvailable`)."),
                )
                .severity(Severity::Warning)
                .why(ctx.t("In policy/v1 a budget without `minAvailable` or `maxUnavailable` is accepted but not defaulted (policy/v1beta1 defaulted it to `minAvailable: 1`): the disruption controller allows every eviction, so a drain can take all the Pods down at once.", "En policy/v1, un budget sans `minAvailable` ni `maxUnavailable` est accepté mais sans valeur par défaut (policy/v1beta1 le complétait avec `minAvailable: 1`) : le contrôleur de perturbations autorise chaque éviction, et un drain peut arrêter tous les Pods à la fois.")),
            ),
            _ => {}
        }
        for e in [min, max].into_iter().flatten() {
            let field = e.key.text().unwrap_or_default();
            if let Some(why) = value_error(&e.value) {
                ctx.report(Violation::new(
                    e.value.span,
                    ctx.t("invalid value", "valeur invalide"),
                    ctx.t(format!("{display}: {field} {why}"), format!("{display} : {field} {why}")),
                    ctx.t("Use a non-negative integer or a percentage between 0% and 100% written as a string (`\"50%\"`).", "Utilisez un entier positif ou nul, ou un pourcentage entre 0 % et 100 % écrit comme une chaîne (`\"50%\"`)."),
                ));
            }
        }
    }
}

/// Why an IntOrString budget value is invalid, or `None`.
fn value_error(node: &Node) -> Option<String> {
    if let Some(n) = node.as_i64() {
        return (n < 0).then(|| {
            crate::i18n::t(format!("is {n}; it must be 0 or more"), format!("vaut {n} ; il doit valoir 0 ou plus"))
        });
    }
    let text = node.as_str()?;
    if is_placeholder(text) {
        return None;
    }
    let Some(digits) = text.strip_suffix('%') else {
        return Some(crate::i18n::t(
            format!("`{text}` is a string but not a percentage (`<int>%`); write integers unquoted"),
            format!("`{text}` est une chaîne mais pas un pourcentage (`<int>%`) ; écrivez les entiers sans guillemets"),
        ));
    };
    match digits.parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => None,
        Ok(p) => Some(crate::i18n::t(
            format!("`{text}` is {p}%, outside 0%–100%"),
            format!("`{text}` vaut {p} %, hors de 0 %–100 %"),
        )),
        Err(_) => Some(crate::i18n::t(
            format!("`{text}` is not `<int>%`"),
            format!("`{text}` n'est pas de la forme `<int>%`"),
        )),
    }
}

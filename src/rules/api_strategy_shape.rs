//! `api-strategy-shape`: an update strategy the API server rejects: an unknown `type`, or a
//! `rollingUpdate` block with `type: Recreate` (Deployment) or `type: OnDelete` (StatefulSet).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::strategy::strategy_of;

pub struct ApiStrategyShape;

static META: RuleMeta = RuleMeta {
    id: "api-strategy-shape",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "StatefulSet", "DaemonSet"]),
    summary: "Update strategy with an unknown type, or rollingUpdate with Recreate/OnDelete",
    why: "The API server checks the strategy's shape: an unknown `type`, or `rollingUpdate` settings with a type that does not use them, gets the object rejected and the apply fails.",
    why_fr: "L'API server vérifie la forme de la stratégie : un `type` inconnu, ou des réglages `rollingUpdate` avec un type qui ne les utilise pas, font rejeter l'objet et l'apply échoue.",
    docs: include_str!("../../rules/api-strategy-shape.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ApiStrategyShape {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(strategy) = strategy_of(obj) else { return };
        let field = strategy.field;
        let allowed: &[&str] =
            if obj.kind == "Deployment" { &["Recreate", "RollingUpdate"] } else { &["OnDelete", "RollingUpdate"] };
        let ty = strategy.effective_type;
        if let Some(type_node) = strategy.type_node.filter(|_| !allowed.contains(&ty)) {
            let close = allowed.iter().find(|a| a.eq_ignore_ascii_case(ty));
            let api = if obj.kind == "StatefulSet" {
                format!("spec.{field}: Invalid value: ...: must be 'RollingUpdate' or 'OnDelete'")
            } else {
                format!(
                    "spec.{field}: Unsupported value: ...: supported values: {}",
                    allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
                )
            };
            let help = match close {
                Some(c) => ctx.t(
                    format!("Write the type as `{c}` (types are case-sensitive)."),
                    format!("Écrivez le type `{c}` (les types sont sensibles à la casse)."),
                ),
                None => ctx.t(
                    format!(
                        "Set `type` to {}.",
                        allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" or ")
                    ),
                    format!(
                        "Donnez à `type` la valeur {}.",
                        allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" ou ")
                    ),
                ),
            };
            let (hint, hint_fr) = if obj.kind == "StatefulSet" && ty == "Recreate" {
                (
                    " (StatefulSets have no Recreate strategy: use OnDelete, or RollingUpdate)",
                    " (les StatefulSets n'ont pas de stratégie Recreate : utilisez OnDelete, ou RollingUpdate)",
                )
            } else {
                ("", "")
            };
            ctx.report(Violation::new(
                type_node.span,
                ctx.t("unknown strategy type", "type de stratégie inconnu"),
                ctx.t(format!(
                    "{}: `spec.{field}.type: {ty}` is not a {} strategy{hint}: the API server rejects it with `{api}`",
                    obj.display(),
                    obj.declared_kind
                ), format!("{} : `spec.{field}.type: {ty}` n'est pas une stratégie de {}{hint_fr} : l'API server le rejette avec `{api}`", obj.display(), obj.declared_kind)),
                help,
            ));
            return;
        }
        let Some(rolling) = strategy.rolling_update else { return };
        let api = match (obj.kind, ty) {
            ("Deployment", "Recreate") => format!(
                "spec.{field}.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
            ),
            ("StatefulSet", "OnDelete") => format!(
                "spec.{field}.rollingUpdate: Invalid value: ...: only allowed for updateStrategy 'RollingUpdate'"
            ),
            // A DaemonSet with OnDelete ignores `rollingUpdate` without complaint.
            _ => return,
        };
        let mut v = Violation::new(
            rolling.key.span,
            ctx.t(format!("not allowed with {ty}"), format!("non autorisé avec {ty}")),
            ctx.t(format!(
                "{}: `spec.{field}.rollingUpdate` is set while `type` is {ty}: the API server rejects it with `{api}`",
                obj.display()
            ), format!("{} : `spec.{field}.rollingUpdate` est défini alors que `type` vaut {ty} : l'API server le rejette avec `{api}`", obj.display())),
            if ty == "Recreate" {
                ctx.t(
                    "Remove the `rollingUpdate` block (write `rollingUpdate: null` when switching an existing Deployment with `kubectl apply`).",
                    "Supprimez le bloc `rollingUpdate` (écrivez `rollingUpdate: null` pour changer la stratégie d'un Deployment existant avec `kubectl apply`).",
                )
            } else {
                ctx.t(
                    "Remove the `rollingUpdate` block, or use `type: RollingUpdate`.",
                    "Supprimez le bloc `rollingUpdate`, ou utilisez `type: RollingUpdate`.",
                )
            },
        );
        if let Some(t) = strategy.type_node {
            v = v.secondary(t.span, ctx.t(format!("type is {ty}"), format!("type vaut {ty}")));
        }
        ctx.report(v);
    }
}

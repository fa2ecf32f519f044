//! `sts-service-not-found`: a StatefulSet's `serviceName` names a Service that is not in the
//! input (open world: info, warning with `--complete`).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::service::{governing_service, service_name_node};

pub struct StsServiceNotFound;

static META: RuleMeta = RuleMeta {
    id: "sts-service-not-found",
    family: Family::StatefulSets,
    severity: Severity::Info,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet names a governing Service that is not in the input",
    why: "The StatefulSet controller does not create the Service named by `serviceName`; until someone does, its Pods get no DNS records and peers cannot find each other.",
    why_fr: "Le contrôleur de StatefulSet ne crée pas le Service nommé par `serviceName` ; tant que personne ne le crée, ses Pods n'ont pas d'enregistrement DNS et les pairs ne peuvent pas se trouver.",
    docs: include_str!("../../rules/sts-service-not-found.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsServiceNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() {
            return;
        }
        let Some(node) = service_name_node(obj) else { return };
        let Some(name) = node.text() else { return };
        if governing_service(ctx.index, obj).is_some() {
            return;
        }
        let namespace = obj.namespace_or(ctx.index.default_namespace()).to_string();
        let assumed = if ctx.options.complete {
            ctx.t(
                "with `--complete` the input is everything applied, so the Service does not exist",
                "avec `--complete`, l'entrée est tout ce qui est appliqué, donc le Service n'existe pas",
            )
        } else {
            ctx.t(
                "assuming it is created elsewhere; with `--complete` this is a warning",
                "en supposant qu'il est créé ailleurs ; avec `--complete`, c'est un warning",
            )
        };
        let elsewhere = match ctx.index.other_namespaces_with(obj, "Service", name).as_slice() {
            [] => String::new(),
            [one] => ctx.t(
                format!("; a Service of that name is in namespace `{one}`, but Pod DNS uses the StatefulSet's own namespace"),
                format!(
                    " ; un Service de ce nom se trouve dans le namespace `{one}`, mais le DNS des Pods utilise le namespace du StatefulSet lui-même"
                ),
            ),
            many => {
                let list = many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
                ctx.t(
                    format!("; Services of that name are in namespaces {list}, but Pod DNS uses the StatefulSet's own namespace"),
                    format!(
                        " ; des Services de ce nom se trouvent dans les namespaces {list}, mais le DNS des Pods utilise le namespace du StatefulSet lui-même"
                    ),
                )
            }
        };
        let v = Violation::new(
            node.span,
            ctx.t("no such Service in the input", "Service absent de l'entrée"),
            ctx.t(
                format!(
                    "{} names governing Service `{name}`, which is not in namespace `{namespace}` in the input ({assumed}){elsewhere}",
                    obj.display()
                ),
                format!(
                    "{} nomme le Service de gouvernance `{name}`, qui n'est pas dans le namespace `{namespace}` de l'entrée ({assumed}){elsewhere}",
                    obj.display()
                ),
            ),
            ctx.t(
                "Add a headless Service (`clusterIP: None`) with this name in the StatefulSet's namespace, selecting its Pods.",
                "Ajoutez un Service headless (`clusterIP: None`) de ce nom dans le namespace du StatefulSet, qui sélectionne ses Pods.",
            ),
        )
        .severity(ctx.open_world_severity());
        ctx.report(v);
    }
}

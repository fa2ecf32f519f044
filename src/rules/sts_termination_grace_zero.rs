//! `sts-termination-grace-zero`: a StatefulSet template with `terminationGracePeriodSeconds: 0`,
//! which the StatefulSet docs call unsafe.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct StsTerminationGraceZero;

static META: RuleMeta = RuleMeta {
    id: "sts-termination-grace-zero",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet Pods are killed with no grace period",
    why: "A StatefulSet promises at most one Pod per identity; with a zero grace period the process is killed without a chance to flush or hand over, and a replacement with the same name and volume can start while the old one still writes.",
    why_fr: "Un StatefulSet promet au plus un Pod par identité ; avec un délai de grâce nul, le processus est tué sans pouvoir vider ses tampons ni passer la main, et un remplaçant de même nom et avec le même volume peut démarrer pendant que l'ancien écrit encore.",
    docs: include_str!("../../rules/sts-termination-grace-zero.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsTerminationGraceZero {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let Some(grace) = spec.node.get("terminationGracePeriodSeconds") else { return };
        if grace.as_i64() != Some(0) {
            return;
        }
        let v = Violation::new(
            grace.span,
            ctx.t("no grace period", "aucun délai de grâce"),
            ctx.t(
                format!("{} kills its Pods with no grace period (`terminationGracePeriodSeconds: 0`)", obj.display()),
                format!("{} tue ses Pods sans délai de grâce (`terminationGracePeriodSeconds: 0`)", obj.display()),
            ),
            ctx.t(
                "Remove terminationGracePeriodSeconds (default 30) or set the time the server needs to shut down cleanly.",
                "Retirez terminationGracePeriodSeconds (30 par défaut) ou indiquez le temps dont le serveur a besoin pour s'arrêter proprement.",
            ),
        );
        ctx.report(v);
    }
}

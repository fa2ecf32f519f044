//! `sts-no-volumeclaimtemplates`: a StatefulSet without claim templates, so its replicas get no
//! storage of their own. Warning when the stateful-image detector recognises a server.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;

pub struct StsNoVolumeClaimTemplates;

static META: RuleMeta = RuleMeta {
    id: "sts-no-volumeclaimtemplates",
    family: Family::StatefulSets,
    severity: Severity::Info,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet without volumeClaimTemplates: no per-replica storage",
    why: "A StatefulSet gives each replica a stable name, but only volumeClaimTemplates give each one its own volume that follows it across restarts and reschedules.",
    docs: include_str!("../../rules/sts-no-volumeclaimtemplates.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsNoVolumeClaimTemplates {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec_entry) = obj.root.entry("spec") else { return };
        if spec_entry.value.get("volumeClaimTemplates").is_some_and(|v| !v.items().is_empty()) {
            return;
        }
        let detection = stateful::detect(obj).filter(|d| d.confidence >= Confidence::Medium);
        let help = "Add a `volumeClaimTemplates` entry and mount it at the data directory, so each replica keeps its own volume.";
        let v = match detection {
            Some(d) => Violation::new(
                spec_entry.key.span,
                "no volumeClaimTemplates",
                format!(
                    "{} runs {} (`{}`) without volumeClaimTemplates: its data lives in the container or a shared volume",
                    obj.display(),
                    d.engine.name,
                    d.container.image().unwrap_or_default()
                ),
                help,
            )
            .secondary(d.image.span, format!("{} server", d.engine.name))
            .severity(Severity::Warning),
            None => Violation::new(
                spec_entry.key.span,
                "no volumeClaimTemplates",
                format!("{} has no volumeClaimTemplates: its replicas get a stable name but no storage of their own", obj.display()),
                help,
            ),
        };
        ctx.report(v);
    }
}

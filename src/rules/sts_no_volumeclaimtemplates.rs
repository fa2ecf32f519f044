//! `sts-no-volumeclaimtemplates`: a StatefulSet without claim templates, so its replicas get no
//! storage of their own. Warning when the stateful-image detector recognises a server, unless a
//! single replica keeps its data on a claim of its own.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::yaml::Node;

pub struct StsNoVolumeClaimTemplates;

static META: RuleMeta = RuleMeta {
    id: "sts-no-volumeclaimtemplates",
    family: Family::StatefulSets,
    severity: Severity::Info,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet without volumeClaimTemplates: no per-replica storage",
    why: "A StatefulSet gives each replica a stable name, but only volumeClaimTemplates give each one its own volume that follows it across restarts and reschedules.",
    why_fr: "Un StatefulSet donne à chaque réplica un nom stable, mais seuls les volumeClaimTemplates donnent à chacun son propre volume, qui le suit à travers les redémarrages et les replacements.",
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
        // An empty (or null) list is labelled where it is written; a missing one on `spec`.
        let (span, label) = match spec_entry.value.entry("volumeClaimTemplates") {
            Some(e) => (e.key.span, ctx.t("empty volumeClaimTemplates", "volumeClaimTemplates vide")),
            None => (spec_entry.key.span, ctx.t("no volumeClaimTemplates", "aucun volumeClaimTemplates")),
        };
        let detection = stateful::detect(obj).filter(|d| d.confidence >= Confidence::Medium);
        let help = ctx.t(
            "Add a `volumeClaimTemplates` entry and mount it at the data directory, so each replica keeps its own volume.",
            "Ajoutez une entrée `volumeClaimTemplates` et montez-la sur le répertoire des données, pour que chaque réplica garde son propre volume.",
        );
        // One replica on a claim of its own (a pre-provisioned volume) keeps its data: advice only.
        let single_claim = detection.and_then(|d| {
            let spec = obj.pod_spec()?;
            let claim = spec.claim_volumes().find(|v| {
                d.container.volume_mounts().iter().any(|m| m.get("name").and_then(Node::text) == Some(v.name))
            })?;
            (ctx.index.max_replicas(obj) <= 1).then_some(claim)
        });
        let v = match (detection, single_claim) {
            (Some(d), Some(claim)) => Violation::new(
                span,
                label,
                ctx.t(
                    format!(
                        "{} runs {} on PVC `{}` without volumeClaimTemplates: scaled up, every replica would share that claim",
                        obj.display(),
                        d.engine.name,
                        claim.claim_name
                    ),
                    format!(
                        "{} exécute {} sur le PVC `{}` sans volumeClaimTemplates : après une mise à l'échelle, tous les réplicas partageraient cette claim",
                        obj.display(),
                        d.engine.name,
                        claim.claim_name
                    ),
                ),
                help,
            )
            .secondary(
                claim.claim_node.span,
                ctx.t("one claim for the whole StatefulSet", "une seule claim pour tout le StatefulSet"),
            ),
            (Some(d), None) => Violation::new(
                span,
                label,
                ctx.t(
                    format!(
                        "{} runs {} (`{}`) without volumeClaimTemplates: its data lives in the Pod (lost when it is replaced) or in a volume every replica shares",
                        obj.display(),
                        d.engine.name,
                        d.container.image().unwrap_or_default()
                    ),
                    format!(
                        "{} exécute {} (`{}`) sans volumeClaimTemplates : ses données vivent dans le Pod (perdues quand il est remplacé) ou dans un volume partagé par tous les réplicas",
                        obj.display(),
                        d.engine.name,
                        d.container.image().unwrap_or_default()
                    ),
                ),
                help,
            )
            .secondary(
                d.image.span,
                ctx.t(format!("{} server", d.engine.name), format!("serveur {}", d.engine.name)),
            )
            .severity(Severity::Warning),
            (None, _) => Violation::new(
                span,
                label,
                ctx.t(
                    format!("{} has no volumeClaimTemplates: its replicas get a stable name but no storage of their own", obj.display()),
                    format!(
                        "{} n'a pas de volumeClaimTemplates : ses réplicas reçoivent un nom stable mais aucun stockage propre",
                        obj.display()
                    ),
                ),
                help,
            ),
        };
        ctx.report(v);
    }
}

//! `sts-quorum-bootstrap`: a quorum system whose StatefulSet starts members one at a time and
//! waits for each to be Ready (`OrderedReady` with a readiness probe), or whose governing Service
//! hides not-ready members from DNS, so the first member may never see its peers.

use super::sts_quorum_replicas::quorum_member;
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::service::{governing_service, not_headless_reason, publishes_not_ready, service_name_node};
use crate::k8s::statefulset::parallel_policy;

pub struct StsQuorumBootstrap;

static META: RuleMeta = RuleMeta {
    id: "sts-quorum-bootstrap",
    family: Family::StatefulSets,
    severity: Severity::Info,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "Quorum system may never form: members wait for each other to be Ready",
    why: "With OrderedReady the controller creates member N+1 only once member N is Ready; if readiness needs a quorum, member 0 never becomes Ready and the cluster never forms (or never recovers after a full outage).",
    why_fr: "Avec OrderedReady, le contrôleur ne crée le membre N+1 qu'une fois le membre N Ready ; si la disponibilité exige un quorum, le membre 0 ne devient jamais Ready et le cluster ne se forme jamais (ou ne se rétablit jamais après une panne totale).",
    docs: include_str!("../../rules/sts-quorum-bootstrap.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsQuorumBootstrap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() || ctx.index.max_replicas(obj) <= 1 {
            return;
        }
        // Cassandra nodes join one at a time by design (gossip, no startup quorum).
        let Some(member) = quorum_member(obj).filter(|m| m.detection.engine.name != "Cassandra") else { return };
        let engine = &member.detection.engine.name;
        let container = member.detection.container;
        // (a) OrderedReady (the default) with a readiness probe on the member.
        if parallel_policy(obj).is_none() {
            if let Some(probe) = container.node.entry("readinessProbe") {
                let policy = obj.spec().and_then(|s| s.get_some("podManagementPolicy"));
                let mut v = Violation::new(
                    probe.key.span,
                    ctx.t("readiness gate for the next member", "condition de disponibilité pour le membre suivant"),
                    ctx.t(
                        format!(
                            "{} starts its {engine} members one at a time and waits for each to be Ready (OrderedReady): if readiness needs a quorum, member 0 never becomes Ready and the others are never created",
                            obj.display()
                        ),
                        format!(
                            "{} démarre ses membres {engine} un par un et attend que chacun soit Ready (OrderedReady) : si la disponibilité exige un quorum, le membre 0 ne devient jamais Ready et les autres ne sont jamais créés",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Set `podManagementPolicy: Parallel` (immutable: recreate the StatefulSet with `--cascade=orphan`), or make sure the probe passes before a quorum exists.",
                        "Définissez `podManagementPolicy: Parallel` (immuable : recréez le StatefulSet avec `--cascade=orphan`), ou assurez-vous que la sonde réussit avant qu'un quorum n'existe.",
                    ),
                );
                if let Some(p) = policy {
                    v = v.secondary(p.span, ctx.t("one Pod at a time, in order", "un Pod à la fois, dans l'ordre"));
                }
                ctx.report(v);
            }
        }
        // (b) A headless governing Service without DNS records for not-ready members.
        let Some(svc) = governing_service(ctx.index, obj) else { return };
        if not_headless_reason(&svc).is_some() || publishes_not_ready(&svc) {
            return;
        }
        let Some(name_node) = service_name_node(obj) else { return };
        let elsewhere = if ctx.same_file(&svc) {
            String::new()
        } else {
            format!(" ({})", ctx.location(&svc, svc.kind_node().span))
        };
        let mut v = Violation::new(
            name_node.span,
            ctx.t(
                "no DNS records for members that are not Ready",
                "aucun enregistrement DNS pour les membres qui ne sont pas Ready",
            ),
            ctx.t(
                format!(
                    "{}'s governing {}{elsewhere} does not set `publishNotReadyAddresses: true`: {engine} members that are not Ready yet have no DNS records, so peers cannot find each other while the quorum forms",
                    obj.display(),
                    svc.display()
                ),
                format!(
                    "{} : son {} de gouvernance{elsewhere} ne définit pas `publishNotReadyAddresses: true` : les membres {engine} qui ne sont pas encore Ready n'ont pas d'enregistrement DNS, et les pairs ne peuvent pas se trouver pendant que le quorum se forme",
                    obj.display(),
                    svc.display()
                ),
            ),
            ctx.t(
                "Set `publishNotReadyAddresses: true` on the headless governing Service.",
                "Définissez `publishNotReadyAddresses: true` sur le Service headless de gouvernance.",
            ),
        )
        .why(ctx.t(
            "Cluster DNS publishes a Pod's record under a headless Service only once it is Ready, unless the Service sets `publishNotReadyAddresses`; members that discover peers by DNS before the quorum exists need the records first.",
            "Le DNS du cluster ne publie l'enregistrement d'un Pod sous un Service headless qu'une fois le Pod Ready, sauf si le Service définit `publishNotReadyAddresses` ; les membres qui découvrent leurs pairs par DNS avant que le quorum n'existe ont besoin des enregistrements d'abord.",
        ));
        if ctx.same_file(&svc) {
            let at = svc.root.entry("spec").map_or(svc.kind_span(), |e| e.key.span);
            v = v
                .secondary(at, ctx.t("no `publishNotReadyAddresses: true`", "pas de `publishNotReadyAddresses: true`"));
        }
        ctx.report(v);
    }
}

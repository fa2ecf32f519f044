//! `state-hpa-on-stateful`: a HorizontalPodAutoscaler scaling a StatefulSet with data (claim
//! templates or a stateful image) or a Deployment running a database server.

use super::stateful::{self, Confidence};
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::yaml::Node;

pub struct StateHpaOnStateful;

static META: RuleMeta = RuleMeta {
    id: "state-hpa-on-stateful",
    family: Family::StatefulVsStateless,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["HorizontalPodAutoscaler"]),
    summary: "HorizontalPodAutoscaler scales a stateful workload",
    why: "Scale-in removes the highest-ordinal members, which can drop a quorum system below its majority, and with `whenScaled: Delete` their volumes are deleted too; load-driven scaling suits interchangeable replicas, not members holding data.",
    why_fr: "",
    docs: include_str!("../../rules/state-hpa-on-stateful.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StateHpaOnStateful {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(spec) = obj.spec() else { return };
        let Some(target) = spec.get("scaleTargetRef") else { return };
        let Some(kind) = target.get("kind").and_then(Node::text) else { return };
        let Some(name_node) = target.get("name") else { return };
        let Some(name) = name_node.text() else { return };
        let min = spec.get("minReplicas").and_then(Node::as_i64).unwrap_or(1);
        let Some(max) = spec.get("maxReplicas").and_then(Node::as_i64) else { return };
        if max <= min {
            return;
        }
        let Some(workload) = ctx.index.find(obj, kind, name).copied().filter(is_builtin) else { return };
        let detection = stateful::detect(&workload);
        let (what, delete_on_scale) = match kind {
            "StatefulSet" => {
                let templates =
                    workload.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(0, |t| t.items().len());
                let what = match (&detection, templates) {
                    (Some(d), _) => format!("{} server", d.engine.name),
                    (None, n) if n > 0 => "per-replica volumes".to_string(),
                    _ => return,
                };
                let when_scaled = workload
                    .spec()
                    .and_then(|s| s.path(&["persistentVolumeClaimRetentionPolicy", "whenScaled"]))
                    .filter(|n| n.text() == Some("Delete") && templates > 0);
                (what, when_scaled)
            }
            "Deployment" => match detection.filter(|d| d.confidence == Confidence::High) {
                Some(d) => (format!("{} server with its data on a volume", d.engine.name), None),
                None => return,
            },
            _ => return,
        };
        let consequence = if kind == "Deployment" {
            "extra replicas share its data volume or start without data"
        } else {
            "scale-in removes members that hold data"
        };
        let mut message = format!(
            "{} scales {} ({what}) between {min} and {max} replicas: {consequence}",
            obj.display(),
            workload.display()
        );
        let v = if let Some(ws) = delete_on_scale {
            message.push_str(", and `whenScaled: Delete` deletes their PersistentVolumeClaims");
            let mut v = Violation::new(
                name_node.span,
                "stateful target, claims deleted on scale-in",
                message,
                "Remove the autoscaler and scale by hand or through an operator, and set `whenScaled: Retain`.",
            )
            .severity(Severity::Error);
            if ctx.same_file(&workload) {
                v = v.secondary(ws.span, "claims of removed replicas are deleted");
            } else {
                v = v.why(format!(
                    "Scale-in removes the highest-ordinal members and, with `whenScaled: Delete` (at {}), deletes their PersistentVolumeClaims and usually their data.",
                    ctx.location(&workload, ws.span)
                ));
            }
            v
        } else {
            Violation::new(
                name_node.span,
                "stateful target",
                message,
                "Remove the autoscaler and scale the members by hand or through an operator that knows the engine.",
            )
        };
        let v = if kind == "Deployment" {
            v.why("A database server does not scale by adding Pods: the replicas the autoscaler adds mount the same data volume (or none), and scale-in stops servers mid-write.")
        } else {
            v
        };
        ctx.report(v);
    }
}

//! `sts-parallel-ordered-init`: a StatefulSet with `podManagementPolicy: Parallel` whose
//! bootstrap depends on ordinals (clone from the previous ordinal, follow ordinal 0), or that
//! runs a primary/replica database.

use super::stateful;
use super::sts_quorum_replicas::quorum_member;
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::statefulset::{OrdinalDependency, container_strings, ordinal_dependency, parallel_policy};

pub struct StsParallelOrderedInit;

static META: RuleMeta = RuleMeta {
    id: "sts-parallel-ordered-init",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "Parallel pod management with bootstrap logic that assumes ordered startup",
    why: "With `podManagementPolicy: Parallel` the controller creates and deletes all Pods at once, so a replica that clones from or follows a lower ordinal may start before that ordinal exists.",
    why_fr: "",
    docs: include_str!("../../rules/sts-parallel-ordered-init.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsParallelOrderedInit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || obj.helm_hook().is_some() {
            return;
        }
        // One replica has no sibling to wait for.
        let Some(policy) = parallel_policy(obj).filter(|_| ctx.index.max_replicas(obj) > 1) else { return };
        let name = obj.name().unwrap_or_default();
        let Some(spec) = obj.pod_spec() else { return };
        let help = "Use `podManagementPolicy: OrderedReady` (immutable: recreate the StatefulSet with `--cascade=orphan`), or make the bootstrap wait for its peer.";
        for container in spec.all_containers() {
            for node in container_strings(&container) {
                let Some(dependency) = node.text().and_then(|t| ordinal_dependency(t, name)) else { continue };
                let (what, label) = match dependency {
                    OrdinalDependency::Previous => {
                        ("clones from or waits for the previous ordinal", "dependency on the previous ordinal")
                    }
                    OrdinalDependency::First => ("depends on ordinal 0 by host name", "dependency on ordinal 0"),
                };
                ctx.report(
                    Violation::new(
                        policy.span,
                        "all Pods at once",
                        format!(
                            "{} starts all Pods at once (Parallel), but container `{}` {what}, which may not exist yet",
                            obj.display(),
                            container.name().unwrap_or("?")
                        ),
                        help,
                    )
                    .secondary(node.span, label),
                );
                return;
            }
        }
        if quorum_member(obj).is_some() {
            return;
        }
        let Some(d) = stateful::detect(obj) else { return };
        let image = d.container.image().unwrap_or_default().to_ascii_lowercase();
        let replicated_redis = d.engine.name == "Redis"
            && container_strings(&d.container).iter().filter_map(|n| n.text()).any(|t| {
                let t = t.to_ascii_lowercase();
                t.contains("replicaof") || t.contains("slaveof")
            });
        let primary_replica = d.engine.primary_replica && !image.contains("galera");
        if !primary_replica && !replicated_redis {
            return;
        }
        let engine = &d.engine.name;
        ctx.report(
            Violation::new(
                policy.span,
                "all Pods at once",
                format!(
                    "{} starts all {engine} Pods at once (Parallel): primary/replica set-ups usually expect ordinal 0 (the primary) to start first",
                    obj.display()
                ),
                help,
            )
            .secondary(d.image.span, format!("{engine} server"))
            .severity(Severity::Info)
            .why("With Parallel pod management all replicas start together; replicas whose bootstrap clones from or follows the primary at ordinal 0 may start before it exists."),
        );
    }
}

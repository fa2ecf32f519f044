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
    why_fr: "Avec `podManagementPolicy: Parallel`, le contrôleur crée et supprime tous les Pods à la fois : un réplica qui se clone depuis un ordinal inférieur ou le suit peut démarrer avant que cet ordinal n'existe.",
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
        let help = ctx.t(
            "Use `podManagementPolicy: OrderedReady` (immutable: recreate the StatefulSet with `--cascade=orphan`), or make the bootstrap wait for its peer.",
            "Utilisez `podManagementPolicy: OrderedReady` (immuable : recréez le StatefulSet avec `--cascade=orphan`), ou faites attendre son pair à l'initialisation.",
        );
        let all_at_once = ctx.t("all Pods at once", "tous les Pods à la fois");
        for container in spec.all_containers() {
            for node in container_strings(&container) {
                let Some(dependency) = node.text().and_then(|t| ordinal_dependency(t, name)) else { continue };
                let (what, label) = match dependency {
                    OrdinalDependency::Previous => (
                        ctx.t(
                            "clones from or waits for the previous ordinal",
                            "se clone depuis l'ordinal précédent ou l'attend",
                        ),
                        ctx.t("dependency on the previous ordinal", "dépendance à l'ordinal précédent"),
                    ),
                    OrdinalDependency::First => (
                        ctx.t("depends on ordinal 0 by host name", "dépend de l'ordinal 0 par son nom d'hôte"),
                        ctx.t("dependency on ordinal 0", "dépendance à l'ordinal 0"),
                    ),
                };
                let container_name = container.name().unwrap_or("?");
                let v = Violation::new(
                    policy.span,
                    all_at_once,
                    ctx.t(
                        format!(
                            "{} starts all Pods at once (Parallel), but container `{container_name}` {what}, which may not exist yet",
                            obj.display()
                        ),
                        format!(
                            "{} démarre tous les Pods à la fois (Parallel), mais le conteneur `{container_name}` {what}, qui n'existe peut-être pas encore",
                            obj.display()
                        ),
                    ),
                    help,
                )
                .secondary(node.span, label);
                ctx.report(v);
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
        let v = Violation::new(
            policy.span,
            all_at_once,
            ctx.t(
                format!(
                    "{} starts all {engine} Pods at once (Parallel): primary/replica set-ups usually expect ordinal 0 (the primary) to start first",
                    obj.display()
                ),
                format!(
                    "{} démarre tous les Pods {engine} à la fois (Parallel) : les configurations primaire/réplica s'attendent en général à ce que l'ordinal 0 (le primaire) démarre en premier",
                    obj.display()
                ),
            ),
            help,
        )
        .secondary(d.image.span, ctx.t(format!("{engine} server"), format!("serveur {engine}")))
        .severity(Severity::Info)
        .why(ctx.t(
            "With Parallel pod management all replicas start together; replicas whose bootstrap clones from or follows the primary at ordinal 0 may start before it exists.",
            "Avec une gestion des Pods en Parallel, tous les réplicas démarrent ensemble ; les réplicas dont l'initialisation se clone depuis le primaire à l'ordinal 0 ou le suit peuvent démarrer avant qu'il n'existe.",
        ));
        ctx.report(v);
    }
}

//! The rule engine's vocabulary: `Rule`, `RuleMeta`, `Family`, `Scope`, and the one explicit
//! registry list of every rule. Each rule lives in its own file next to this one; input problems
//! (unreadable files, bad YAML) are documented like rules in `input.rs` but found by the loader.

pub mod context;
pub mod input;
pub mod stateful;

// Family A: controllers (ctrl-, job-, cronjob-, ds-).
mod ctrl_bare_pod;
mod ctrl_bare_replicaset;
mod ctrl_replicationcontroller;
// (end of family A modules)

// Family B: stateful vs stateless (state-).
mod state_db_ephemeral_storage;
mod state_db_in_deployment;
mod state_deployment_rwo_rolling_update;
mod state_deployment_shared_pvc;
mod state_hostpath_storage;
mod state_hpa_on_stateful;
mod state_sts_emptydir_data;
// (end of family B modules)

// Family C: StatefulSet correctness (sts-), template and claims.
mod sts_claim_template_incomplete;
mod sts_claim_template_shadows_volume;
mod sts_claim_template_unmounted;
mod sts_name_too_long;
mod sts_no_volumeclaimtemplates;
mod sts_shared_claim;
mod sts_template_invalid;
mod sts_termination_grace_zero;
mod sts_volumemount_unresolved;
// (end of family C modules, template and claims)

// Family C: StatefulSet correctness (sts-), service, ordering and updates.
// (end of family C modules, service and ordering)

// Family D: rollout safety and availability (rollout-, avail-, image-, probe-, shutdown-).
mod rollout_max_unavailable_all;
mod rollout_recreate_downtime;
// (end of family D modules)

// Family D/E: disruption budgets, autoscalers and cross-resource consistency (pdb-, hpa-, xref-).
// (end of family D/E modules)

// Family F: apply-time API errors (api-).
mod api_ambiguous_scalar;
mod api_no_schema;
mod api_schema_violation;
mod api_unknown_field;
// (end of family F modules)

// Family G: API versions (apiver-).
mod apiver_deprecated;
mod apiver_deprecated_field;
mod apiver_removed;
// (end of family G modules)

pub use context::{LintOptions, RuleContext, Violation};

use crate::diagnostic::Severity;
use crate::k8s::Object;

/// Rule families, as in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Problems reading the input (files, encodings, YAML, non-Kubernetes documents).
    Input,
    Controllers,
    StatefulVsStateless,
    StatefulSets,
    RolloutAndAvailability,
    CrossResource,
    ApiValidation,
    ApiVersions,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Input => "Input",
            Family::Controllers => "Controllers",
            Family::StatefulVsStateless => "Stateful vs stateless",
            Family::StatefulSets => "StatefulSet correctness",
            Family::RolloutAndAvailability => "Rollout safety and availability",
            Family::CrossResource => "Cross-resource consistency",
            Family::ApiValidation => "Apply-time API errors",
            Family::ApiVersions => "API versions",
        }
    }
}

/// What a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The file as a whole (found by the loader, not by `check`).
    File,
    /// Objects of these kinds.
    Kinds(&'static [&'static str]),
    /// Every object, whatever its kind (schema validation, names, labels, API versions).
    All,
}

impl Scope {
    pub fn applies_to(&self, kind: &str) -> bool {
        match self {
            Scope::File => false,
            Scope::Kinds(kinds) => kinds.contains(&kind),
            Scope::All => true,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Scope::File => "file".to_string(),
            Scope::Kinds(kinds) => kinds.join(", "),
            Scope::All => "every kind".to_string(),
        }
    }
}

/// Everything known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// The id users type in `--select`, config and annotations; also the page and fixture folder.
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub scope: Scope,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// One sentence: why it matters, in terms of what Kubernetes does.
    pub why: &'static str,
    /// The rule's page (`rules/<id>.md`), embedded.
    pub docs: &'static str,
    /// Off by default: runs only when selected (`--select <id>`).
    pub default_enabled: bool,
    /// More generic rules this one replaces: when both fire on the same node of the same
    /// object, the generic finding is dropped (catalogue §H.2).
    pub supersedes: &'static [&'static str],
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Look at one object and report through the context. Never panics, never fails: a missing
    /// or ill-typed field means the rule has nothing to say.
    fn check(&self, object: &Object<'_>, ctx: &mut RuleContext<'_, '_>);
}

/// Every object rule, in the order they run. Adding a rule = one line here.
pub static RULES: &[&dyn Rule] = &[
    // Family A
    &ctrl_bare_pod::CtrlBarePod,
    &ctrl_bare_replicaset::CtrlBareReplicaSet,
    &ctrl_replicationcontroller::CtrlReplicationController,
    // (end of family A)

    // Family B
    &state_deployment_shared_pvc::StateDeploymentSharedPvc,
    &state_deployment_rwo_rolling_update::StateDeploymentRwoRollingUpdate,
    &state_db_in_deployment::StateDbInDeployment,
    &state_db_ephemeral_storage::StateDbEphemeralStorage,
    &state_sts_emptydir_data::StateStsEmptyDirData,
    &state_hostpath_storage::StateHostPathStorage,
    &state_hpa_on_stateful::StateHpaOnStateful,
    // (end of family B)

    // Family C, template and claims
    &sts_no_volumeclaimtemplates::StsNoVolumeClaimTemplates,
    &sts_volumemount_unresolved::StsVolumeMountUnresolved,
    &sts_template_invalid::StsTemplateInvalid,
    &sts_claim_template_unmounted::StsClaimTemplateUnmounted,
    &sts_claim_template_incomplete::StsClaimTemplateIncomplete,
    &sts_claim_template_shadows_volume::StsClaimTemplateShadowsVolume,
    &sts_shared_claim::StsSharedClaim,
    &sts_name_too_long::StsNameTooLong,
    &sts_termination_grace_zero::StsTerminationGraceZero,
    // (end of family C, template and claims)

    // Family C, service and ordering
    // (end of family C, service and ordering)

    // Family D
    &rollout_max_unavailable_all::RolloutMaxUnavailableAll,
    &rollout_recreate_downtime::RolloutRecreateDowntime,
    // (end of family D)

    // Family D/E: pdb-, hpa-, xref-
    // (end of family D/E)

    // Family F
    &api_unknown_field::ApiUnknownField,
    &api_schema_violation::ApiSchemaViolation,
    &api_ambiguous_scalar::ApiAmbiguousScalar,
    &api_no_schema::ApiNoSchema,
    // (end of family F)

    // Family G
    &apiver_removed::ApiverRemoved,
    &apiver_deprecated::ApiverDeprecated,
    &apiver_deprecated_field::ApiverDeprecatedField,
    // (end of family G)
];

/// Metadata of every documented id: input problems first, then object rules.
pub fn all_metas() -> Vec<&'static RuleMeta> {
    input::METAS.iter().copied().chain(RULES.iter().map(|r| r.meta())).collect()
}

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    all_metas().into_iter().find(|m| m.id == id)
}

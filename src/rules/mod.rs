//! The rule engine's vocabulary: `Rule`, `RuleMeta`, `Family`, `Scope`, and the one explicit
//! registry list of every rule. Each rule lives in its own file next to this one; input problems
//! (unreadable files, bad YAML) are documented like rules in `input.rs` but found by the loader.

pub mod context;
pub mod input;
mod selects_nothing;
pub mod stateful;

// Family A: controllers (ctrl-, job-, cronjob-, ds-).
mod cronjob_concurrency_allow;
mod cronjob_no_timezone;
mod cronjob_starting_deadline_missing;
mod cronjob_starting_deadline_too_low;
mod ctrl_bare_pod;
mod ctrl_bare_replicaset;
mod ctrl_exported_runtime_fields;
mod ctrl_overlapping_selectors;
mod ctrl_replicationcontroller;
mod ds_surge_with_host_port;
mod ds_update_ondelete;
mod job_backofflimit_excessive;
mod job_no_deadline;
mod job_onfailure_loses_evidence;
mod job_restart_policy;
mod job_ttl_missing;
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
mod sts_parallel_ordered_init;
mod sts_partition_left_set;
mod sts_pvc_retention_delete;
mod sts_quorum_bootstrap;
mod sts_quorum_replicas;
mod sts_service_name_missing;
mod sts_service_not_found;
mod sts_service_not_headless;
mod sts_service_selector_mismatch;
mod sts_update_ondelete;
// (end of family C modules, service and ordering)

// Family D: rollout safety and availability (rollout-, avail-, image-, probe-, shutdown-).
mod avail_anti_affinity_self_mismatch;
mod avail_single_replica;
mod image_mutable_tag;
mod image_no_digest;
mod image_pull_policy_mismatch;
mod probe_liveness_equals_readiness;
mod probe_liveness_without_readiness;
mod rollout_max_unavailable_all;
mod rollout_no_readiness_gate;
mod rollout_paused;
mod rollout_progress_deadline;
mod rollout_recreate_downtime;
mod rollout_revision_history_zero;
mod shutdown_no_prestop;
mod shutdown_prestop_exceeds_grace;
// (end of family D modules)

// Family D/E: disruption budgets, autoscalers and cross-resource consistency (pdb-, hpa-, xref-).
mod hpa_with_static_replicas;
mod pdb_blocks_eviction;
mod pdb_missing;
mod pdb_unhealthy_eviction_policy;
mod xref_duplicate_object;
mod xref_hpa_missing_resource_requests;
mod xref_hpa_target_missing;
mod xref_ingress_backend_missing;
mod xref_missing_reference;
mod xref_networkpolicy_selects_nothing;
mod xref_pdb_selects_nothing;
mod xref_pod_multiple_pdbs;
mod xref_service_selects_nothing;
mod xref_service_targetport_unresolved;
// (end of family D/E modules)

// Family F: apply-time API errors (api-).
mod api_ambiguous_scalar;
mod api_container_name;
mod api_cronjob_schedule;
mod api_env;
mod api_hpa;
mod api_immutable_field_change;
mod api_job_spec;
mod api_labels_annotations;
mod api_name;
mod api_no_schema;
mod api_object_too_large;
mod api_pdb;
mod api_ports;
mod api_probe;
mod api_quantity;
mod api_rollingupdate_params;
mod api_schema_violation;
mod api_selector_missing;
mod api_selector_template;
mod api_selector_volatile_label;
mod api_strategy_shape;
mod api_template_active_deadline;
mod api_template_restartpolicy;
mod api_unknown_field;
mod api_volume_refs;
// (end of family F modules)

// Family G: API versions (apiver-).
mod apiver_deprecated;
mod apiver_deprecated_field;
mod apiver_removed;
// (end of family G modules)

pub use context::{Files, LintOptions, RuleContext, Violation};

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
    /// `why` in French (empty: not translated yet, the English one is shown).
    pub why_fr: &'static str,
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
    &ctrl_exported_runtime_fields::CtrlExportedRuntimeFields,
    &ctrl_overlapping_selectors::CtrlOverlappingSelectors,
    &job_restart_policy::JobRestartPolicy,
    &job_onfailure_loses_evidence::JobOnFailureLosesEvidence,
    &job_no_deadline::JobNoDeadline,
    &job_backofflimit_excessive::JobBackoffLimitExcessive,
    &job_ttl_missing::JobTtlMissing,
    &cronjob_concurrency_allow::CronJobConcurrencyAllow,
    &cronjob_starting_deadline_too_low::CronJobStartingDeadlineTooLow,
    &cronjob_starting_deadline_missing::CronJobStartingDeadlineMissing,
    &cronjob_no_timezone::CronJobNoTimezone,
    &ds_update_ondelete::DsUpdateOnDelete,
    &ds_surge_with_host_port::DsSurgeWithHostPort,
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
    &sts_service_name_missing::StsServiceNameMissing,
    &sts_service_not_found::StsServiceNotFound,
    &sts_service_not_headless::StsServiceNotHeadless,
    &sts_service_selector_mismatch::StsServiceSelectorMismatch,
    &sts_quorum_bootstrap::StsQuorumBootstrap,
    &sts_parallel_ordered_init::StsParallelOrderedInit,
    &sts_update_ondelete::StsUpdateOnDelete,
    &sts_partition_left_set::StsPartitionLeftSet,
    &sts_pvc_retention_delete::StsPvcRetentionDelete,
    &sts_quorum_replicas::StsQuorumReplicas,
    // (end of family C, service and ordering)

    // Family D
    &rollout_max_unavailable_all::RolloutMaxUnavailableAll,
    &rollout_recreate_downtime::RolloutRecreateDowntime,
    &avail_anti_affinity_self_mismatch::AvailAntiAffinitySelfMismatch,
    &avail_single_replica::AvailSingleReplica,
    &image_mutable_tag::ImageMutableTag,
    &image_no_digest::ImageNoDigest,
    &image_pull_policy_mismatch::ImagePullPolicyMismatch,
    &probe_liveness_equals_readiness::ProbeLivenessEqualsReadiness,
    &probe_liveness_without_readiness::ProbeLivenessWithoutReadiness,
    &rollout_no_readiness_gate::RolloutNoReadinessGate,
    &rollout_paused::RolloutPaused,
    &rollout_progress_deadline::RolloutProgressDeadline,
    &rollout_revision_history_zero::RolloutRevisionHistoryZero,
    &shutdown_no_prestop::ShutdownNoPreStop,
    &shutdown_prestop_exceeds_grace::ShutdownPreStopExceedsGrace,
    // (end of family D)

    // Family D/E: pdb-, hpa-, xref-
    &pdb_missing::PdbMissing,
    &pdb_blocks_eviction::PdbBlocksEviction,
    &pdb_unhealthy_eviction_policy::PdbUnhealthyEvictionPolicy,
    &hpa_with_static_replicas::HpaWithStaticReplicas,
    &xref_service_selects_nothing::XrefServiceSelectsNothing,
    &xref_service_targetport_unresolved::XrefServiceTargetPortUnresolved,
    &xref_pdb_selects_nothing::XrefPdbSelectsNothing,
    &xref_pod_multiple_pdbs::XrefPodMultiplePdbs,
    &xref_networkpolicy_selects_nothing::XrefNetworkPolicySelectsNothing,
    &xref_hpa_target_missing::XrefHpaTargetMissing,
    &xref_hpa_missing_resource_requests::XrefHpaMissingResourceRequests,
    &xref_missing_reference::XrefMissingReference,
    &xref_duplicate_object::XrefDuplicateObject,
    &xref_ingress_backend_missing::XrefIngressBackendMissing,
    // (end of family D/E)

    // Family F
    &api_container_name::ApiContainerName,
    &api_ports::ApiPorts,
    &api_rollingupdate_params::ApiRollingUpdateParams,
    &api_selector_missing::ApiSelectorMissing,
    &api_selector_template::ApiSelectorTemplate,
    &api_selector_volatile_label::ApiSelectorVolatileLabel,
    &api_strategy_shape::ApiStrategyShape,
    &api_template_active_deadline::ApiTemplateActiveDeadline,
    &api_template_restartpolicy::ApiTemplateRestartPolicy,
    &api_volume_refs::ApiVolumeRefs,
    &api_name::ApiName,
    &api_labels_annotations::ApiLabelsAnnotations,
    &api_quantity::ApiQuantity,
    &api_probe::ApiProbe,
    &api_env::ApiEnv,
    &api_cronjob_schedule::ApiCronJobSchedule,
    &api_job_spec::ApiJobSpec,
    &api_hpa::ApiHpa,
    &api_pdb::ApiPdb,
    &api_object_too_large::ApiObjectTooLarge,
    &api_immutable_field_change::ApiImmutableFieldChange,
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

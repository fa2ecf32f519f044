//! The table of deprecated and removed Kubernetes API versions (catalogue §G.1), kept as data in
//! `rules/api-versions.yaml` and embedded: when each `(apiVersion, kind)` was deprecated and
//! removed, what replaces it and what changes besides the apiVersion.

use std::sync::OnceLock;

use crate::source::SourceFile;

const DATA: &str = include_str!("../../rules/api-versions.yaml");

/// One row: an apiVersion of some kinds, deprecated and/or removed.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiVersion {
    pub api_version: String,
    pub kinds: Vec<String>,
    /// First minor release that warns (`1.21`); empty when never tagged.
    pub deprecated: String,
    /// First minor release that no longer serves it; empty when still served.
    pub removed: String,
    /// apiVersion to migrate to; empty when there is no replacement kind.
    pub replacement: String,
    /// First release serving the replacement.
    pub since: String,
    /// What changes besides the apiVersion; empty when nothing does.
    pub changes: String,
}

impl ApiVersion {
    /// Whether Kubernetes `target` (`1.30`) no longer serves this version.
    pub fn removed_in(&self, target: (u32, u32)) -> bool {
        crate::schema::parse_minor(&self.removed).is_some_and(|r| target >= r)
    }

    /// Whether Kubernetes `target` warns about this version.
    pub fn deprecated_in(&self, target: (u32, u32)) -> bool {
        crate::schema::parse_minor(&self.deprecated).is_some_and(|d| target >= d)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    versions: Vec<ApiVersion>,
}

pub fn table() -> &'static [ApiVersion] {
    static TABLE: OnceLock<Vec<ApiVersion>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let file = SourceFile::new("rules/api-versions.yaml", DATA.to_string());
        let (docs, problems) = crate::yaml::load(&file);
        assert!(problems.is_empty(), "embedded api-versions.yaml is valid YAML");
        let table: Table = serde_json::from_value(docs[0].root.to_json())
            .expect("embedded api-versions.yaml matches its schema (tested)");
        table.versions
    })
}

/// The `changes` of a row in the run's language (the table is written in English).
pub fn changes_text(row: &ApiVersion) -> String {
    let fr = match row.changes.as_str() {
        "PodSecurityPolicy is gone since 1.25: use Pod Security Admission (namespace labels) or a policy engine" => {
            "PodSecurityPolicy n'existe plus depuis 1.25 : utilisez Pod Security Admission (labels de namespace) ou un moteur de politiques"
        }
        "a structural schema is required per version (spec.versions[].schema.openAPIV3Schema); scope has no default; spec.version and spec.validation move into spec.versions" => {
            "un schéma structurel est exigé pour chaque version (spec.versions[].schema.openAPIV3Schema) ; scope n'a pas de valeur par défaut ; spec.version et spec.validation passent dans spec.versions"
        }
        "an Endpoints object becomes one or more EndpointSlices (kind: EndpointSlice, addressType, endpoints[].addresses, ports) labelled kubernetes.io/service-name" => {
            "un objet Endpoints devient un ou plusieurs EndpointSlices (kind: EndpointSlice, addressType, endpoints[].addresses, ports) avec le label kubernetes.io/service-name"
        }
        "an empty selector ({}) now selects every Pod in the namespace (it selected none)" => {
            "un sélecteur vide ({}) sélectionne désormais tous les Pods du namespace (il n'en sélectionnait aucun)"
        }
        "an explicit nominalConcurrencyShares of 0 is no longer rewritten to 30" => {
            "un nominalConcurrencyShares explicite de 0 n'est plus réécrit en 30"
        }
        "assuredConcurrencyShares becomes nominalConcurrencyShares" => {
            "assuredConcurrencyShares devient nominalConcurrencyShares"
        }
        "backend.serviceName/servicePort become backend.service.name and backend.service.port.number (or .name); pathType is required; spec.backend becomes spec.defaultBackend" => {
            "backend.serviceName/servicePort deviennent backend.service.name et backend.service.port.number (ou .name) ; pathType est obligatoire ; spec.backend devient spec.defaultBackend"
        }
        "failurePolicy defaults to Fail; sideEffects and admissionReviewVersions are required" => {
            "failurePolicy vaut Fail par défaut ; sideEffects et admissionReviewVersions sont obligatoires"
        }
        "involvedObject becomes regarding, and other field renames" => {
            "involvedObject devient regarding, avec d'autres champs renommés"
        }
        "no replacement kind: use Pod Security Admission (namespace labels) or a policy engine" => {
            "pas de kind de remplacement : utilisez Pod Security Admission (labels de namespace) ou un moteur de politiques"
        }
        "no replacement: query the components' health endpoints" => {
            "pas de remplacement : interrogez les endpoints de santé des composants"
        }
        "per-endpoint topology becomes deprecatedTopology; use nodeName and zone" => {
            "la topologie par endpoint devient deprecatedTopology ; utilisez nodeName et zone"
        }
        "signerName and usages are required" => "signerName et usages sont obligatoires",
        "spec.group becomes spec.groups" => "spec.group devient spec.groups",
        "spec.selector is required and immutable" => "spec.selector est obligatoire et immuable",
        "spec.selector is required and immutable; progressDeadlineSeconds defaults to 600, revisionHistoryLimit to 10, maxSurge/maxUnavailable to 25%; rollbackTo is gone" => {
            "spec.selector est obligatoire et immuable ; progressDeadlineSeconds vaut 600 par défaut, revisionHistoryLimit 10, maxSurge/maxUnavailable 25 % ; rollbackTo n'existe plus"
        }
        "spec.selector is required; StatefulSet updateStrategy defaults to RollingUpdate (was OnDelete); Deployment revisionHistoryLimit defaults to 10 (was 2)" => {
            "spec.selector est obligatoire ; le updateStrategy des StatefulSets vaut RollingUpdate par défaut (c'était OnDelete) ; le revisionHistoryLimit des Deployments vaut 10 par défaut (c'était 2)"
        }
        "spec.selector is required; updateStrategy defaults to RollingUpdate (was OnDelete); templateGeneration is gone" => {
            "spec.selector est obligatoire ; updateStrategy vaut RollingUpdate par défaut (c'était OnDelete) ; templateGeneration n'existe plus"
        }
        "targetAverageUtilization becomes target: {type: Utilization, averageUtilization: N} (and the other metric targets likewise)" => {
            "targetAverageUtilization devient target: {type: Utilization, averageUtilization: N} (et de même pour les autres cibles de métriques)"
        }
        other => other,
    };
    crate::i18n::t(row.changes.as_str(), fr)
}

/// The row for `api_version` and `kind`, if that pair is deprecated or removed.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static ApiVersion> {
    table().iter().find(|v| v.api_version == api_version && v.kinds.iter().any(|k| k == kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_and_is_consistent() {
        assert!(table().len() > 30);
        for row in table() {
            assert!(!row.removed.is_empty() || !row.deprecated.is_empty(), "{}", row.api_version);
            for v in [&row.deprecated, &row.removed, &row.since] {
                assert!(v.is_empty() || crate::schema::parse_minor(v).is_some(), "{v}");
            }
        }
        let cj = lookup("batch/v1beta1", "CronJob").unwrap();
        assert!(cj.removed_in((1, 25)) && !cj.removed_in((1, 24)) && cj.deprecated_in((1, 21)));
        assert!(lookup("apps/v1", "Deployment").is_none());
    }

    /// The table agrees with the embedded schemas: a version removed in R is not served from R
    /// on, and is served by R-1 when R-1 is embedded.
    #[test]
    fn table_agrees_with_the_embedded_schemas() {
        for row in table() {
            let Some(removed) = crate::schema::parse_minor(&row.removed) else { continue };
            for kind in &row.kinds {
                for v in crate::schema::versions() {
                    let minor = crate::schema::parse_minor(v).unwrap();
                    let served = crate::schema::has_builtin(v, &row.api_version, kind);
                    if minor >= removed {
                        assert!(!served, "{} {kind} is served by {v}", row.api_version);
                    } else if minor.1 + 1 == removed.1 {
                        assert!(served, "{} {kind} is not served by {v}", row.api_version);
                    }
                }
            }
        }
    }
}

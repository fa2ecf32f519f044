//! `api-selector-volatile-label`: a controller selector on a label that changes between releases
//! (a version, a chart version, a hash). Selectors are immutable, so the next upgrade is rejected.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;

pub struct ApiSelectorVolatileLabel;

static META: RuleMeta = RuleMeta {
    id: "api-selector-volatile-label",
    family: Family::ApiValidation,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]),
    summary: "Selector on a label that changes with each release (version, chart, hash)",
    why: "A controller's selector is immutable: when the version label in it changes, the next apply fails with `spec.selector: Invalid value: ...: field is immutable`, and the only way out is to delete and recreate the controller.",
    why_fr: "Le sélecteur d'un contrôleur est immuable : quand le label de version qu'il contient change, l'apply suivant échoue avec `spec.selector: Invalid value: ...: field is immutable`, et la seule issue est de supprimer puis recréer le contrôleur.",
    docs: include_str!("../../rules/api-selector-volatile-label.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Keys whose value changes with each release or template.
const VOLATILE_KEYS: &[&str] = &[
    "app.kubernetes.io/version",
    "helm.sh/chart",
    "chart",
    "release-version",
    "pod-template-hash",
    "controller-revision-hash",
];

/// `^v?\d+\.\d+(\.\d+)?([-+].*)?$`: a release version such as `1.2`, `v2.3.1`, `1.0.0-rc1`.
pub fn looks_like_version(value: &str) -> bool {
    let v = value.strip_prefix('v').unwrap_or(value);
    let (core, _) = match v.find(['-', '+']) {
        Some(i) => v.split_at(i),
        None => (v, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    (2..=3).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A git commit id: 7 to 40 hexadecimal digits, with both digits and letters.
pub fn looks_like_sha(value: &str) -> bool {
    (7..=40).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && value.bytes().any(|b| b.is_ascii_digit())
        && value.bytes().any(|b| b.is_ascii_alphabetic())
}

/// The tag of an image reference (`repo:tag`, ignoring a registry port and a digest), when it
/// looks release-specific.
fn image_tag(image: &str) -> Option<&str> {
    let image = image.split('@').next()?;
    let last = image.rsplit('/').next()?;
    // Only tags that change per release (`1.4.2`, `nightly-20260104`), not `stable` or `prod`.
    last.split_once(':').map(|(_, tag)| tag).filter(|t| t.bytes().any(|b| b.is_ascii_digit()))
}

/// Why the label `key: value` is volatile, if it is.
fn volatile(key: &str, value: &str, tags: &[&str]) -> Option<String> {
    let name = key.rsplit('/').next().unwrap_or(key);
    let chart = matches!(key, "helm.sh/chart" | "chart");
    if VOLATILE_KEYS.contains(&key) && !value.is_empty() && (!chart || value.bytes().any(|b| b.is_ascii_digit())) {
        return Some(crate::i18n::t(
            format!("`{key}` changes with each release"),
            format!("`{key}` change à chaque release"),
        ));
    }
    if tags.contains(&value) {
        return Some(crate::i18n::t(
            format!("`{key}: {value}` is the image tag, which changes with each release"),
            format!("`{key}: {value}` est le tag de l'image, qui change à chaque release"),
        ));
    }
    if looks_like_version(value) {
        return Some(crate::i18n::t(
            format!("`{key}: {value}` looks like a release version"),
            format!("`{key}: {value}` ressemble à une version de release"),
        ));
    }
    if looks_like_sha(value) && name != "hash" {
        return Some(crate::i18n::t(
            format!("`{key}: {value}` looks like a commit id"),
            format!("`{key}: {value}` ressemble à un identifiant de commit"),
        ));
    }
    None
}

impl Rule for ApiSelectorVolatileLabel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(match_labels) = obj.spec().and_then(|s| s.get("selector")).and_then(|s| s.get("matchLabels")) else {
            return;
        };
        let Some(entries) = match_labels.as_map() else { return };
        let tags: Vec<&str> = obj
            .pod_spec()
            .map(|s| s.all_containers().filter_map(|c| c.image().and_then(image_tag)).collect())
            .unwrap_or_default();
        let name = obj.name().unwrap_or_default();
        for entry in entries {
            let (Some(key), Some(value)) = (entry.key.text(), entry.value.text()) else { continue };
            // A version in the object's name (`reviews-v1` selecting `version: v1`) is part of its
            // identity: a new version is a new object, not an update of this one.
            if !value.is_empty() && name.contains(value) {
                continue;
            }
            let Some(reason) = volatile(key, value, &tags) else { continue };
            let template_label = obj
                .pod_template()
                .and_then(|t| t.labels())
                .and_then(|l| l.entry(key))
                .map(|e| e.key.span.cover(e.value.span));
            let mut v = Violation::new(
                entry.key.span.cover(entry.value.span),
                ctx.t("changes between releases", "change d'une release à l'autre"),
                ctx.t(format!(
                    "{}: the selector uses a label that changes between releases ({reason}); selectors are immutable, so the next upgrade fails with `spec.selector: Invalid value: ...: field is immutable`",
                    obj.display()
                ), format!("{} : le sélecteur utilise un label qui change d'une release à l'autre ({reason}) ; les sélecteurs sont immuables, la prochaine mise à niveau échoue donc avec `spec.selector: Invalid value: ...: field is immutable`", obj.display())),
                ctx.t(format!("Remove `{key}` from `spec.selector.matchLabels` (keep it on the template labels only)."), format!("Retirez `{key}` de `spec.selector.matchLabels` (gardez-le seulement dans les labels du template).")),
            );
            if let Some(span) = template_label {
                v = v.secondary(span, ctx.t("keep it here only", "gardez-le seulement ici"));
            }
            ctx.report(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_shas() {
        assert!(looks_like_version("1.2"));
        assert!(looks_like_version("v2.3.1"));
        assert!(looks_like_version("1.0.0-rc1"));
        assert!(!looks_like_version("v1"));
        assert!(!looks_like_version("1.2.3.4"));
        assert!(!looks_like_version("web"));
        assert!(looks_like_sha("3f2a9c1"));
        assert!(!looks_like_sha("1234567"));
        assert!(!looks_like_sha("backend"));
        assert_eq!(image_tag("registry:5000/app:1.4.2"), Some("1.4.2"));
        assert_eq!(image_tag("registry:5000/app"), None);
        assert_eq!(image_tag("app@sha256:abc"), None);
        assert_eq!(image_tag("app:stable"), None);
    }
}

//! `image-mutable-tag`: a container image named without a tag or with `:latest` (warning), or
//! with a tag that follows a branch such as `:main` or `:nightly` (info).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::image::{FLOATING_TAGS, ImageRef};
use crate::k8s::{Object, WORKLOAD_KINDS};

pub struct ImageMutableTag;

static META: RuleMeta = RuleMeta {
    id: "image-mutable-tag",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Container image has no tag or uses `:latest`",
    why: "The revision history stores the Pod template, not the image bytes: with a moving tag a rollback re-deploys whatever the tag points to today, and nodes that pulled at different times run different builds.",
    why_fr: "L'historique des révisions stocke le template de Pod, pas le contenu de l'image : avec un tag mobile, un rollback redéploie ce vers quoi le tag pointe aujourd'hui, et des nœuds qui ont tiré l'image à des moments différents exécutent des builds différents.",
    docs: include_str!("../../rules/image-mutable-tag.md"),
    default_enabled: true,
    supersedes: &[],
};

/// The configured floating tags (option `floatingTags`), or the default list.
pub(super) fn floating_tags(ctx: &RuleContext<'_, '_>) -> Vec<String> {
    match ctx.rule_option("floatingTags").and_then(serde_json::Value::as_array) {
        Some(list) => list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        None => FLOATING_TAGS.iter().map(|t| t.to_string()).collect(),
    }
}

impl Rule for ImageMutableTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        let floating = floating_tags(ctx);
        for container in spec.all_containers() {
            let Some(node) = container.node.get("image") else { continue };
            let Some(image) = node.as_str().and_then(ImageRef::parse) else { continue };
            let name = container.name().unwrap_or("?");
            let text = node.as_str().unwrap_or_default();
            let v = if image.is_latest() {
                let (label, how, label_fr, how_fr) = if image.tag.is_some() {
                    ("`latest` tag", "", "tag `latest`", "")
                } else {
                    (
                        "no tag, means `latest`",
                        " (no tag, that is `latest`)",
                        "pas de tag, donc `latest`",
                        " (pas de tag, c'est-à-dire `latest`)",
                    )
                };
                Violation::new(
                    node.span,
                    ctx.t(label, label_fr),
                    ctx.t(
                        format!(
                            "{} runs container `{name}` from `{text}`{how}, a tag that moves with every push",
                            obj.display()
                        ),
                        format!(
                            "{} exécute le conteneur `{name}` depuis `{text}`{how_fr}, un tag qui change à chaque push",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Pin the image to a version tag (e.g. `web:1.8.3`) or a digest (`web@sha256:…`).",
                        "Fixez l'image sur un tag de version (par exemple `web:1.8.3`) ou un digest (`web@sha256:…`).",
                    ),
                )
            } else if let Some(tag) = image.floating_tag().filter(|t| floating.iter().any(|f| f == t)) {
                Violation::new(
                    node.span,
                    ctx.t(format!("`{tag}` follows a branch"), format!("`{tag}` suit une branche")),
                    ctx.t(
                        format!(
                            "{} runs container `{name}` from `{text}`, a tag that usually follows a branch or channel",
                            obj.display()
                        ),
                        format!(
                            "{} exécute le conteneur `{name}` depuis `{text}`, un tag qui suit généralement une branche ou un canal",
                            obj.display()
                        ),
                    ),
                    ctx.t(
                        "Pin the image to a release tag or a digest.",
                        "Fixez l'image sur un tag de version publiée ou un digest.",
                    ),
                )
                .severity(Severity::Info)
            } else {
                continue;
            };
            ctx.report(v);
        }
    }
}

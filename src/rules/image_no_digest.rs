//! `image-no-digest` (off by default): a container image not pinned by digest (`@sha256:…`).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::image::ImageRef;
use crate::k8s::{Object, WORKLOAD_KINDS};

pub struct ImageNoDigest;

static META: RuleMeta = RuleMeta {
    id: "image-no-digest",
    family: Family::RolloutAndAvailability,
    severity: Severity::Info,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Container image is not pinned by digest",
    why: "A tag can be re-pushed; only a digest guarantees that every node, and every rollback, runs the same bytes.",
    why_fr: "",
    docs: include_str!("../../rules/image-no-digest.md"),
    default_enabled: false,
    supersedes: &[],
};

impl Rule for ImageNoDigest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        for container in spec.all_containers() {
            let Some(node) = container.node.get("image") else { continue };
            let Some(image) = node.as_str().and_then(ImageRef::parse) else { continue };
            if image.is_pinned_by_digest() {
                continue;
            }
            ctx.report(Violation::new(
                node.span,
                "no digest",
                format!(
                    "{} runs container `{}` from `{}`, which is not pinned by digest",
                    obj.display(),
                    container.name().unwrap_or("?"),
                    node.as_str().unwrap_or_default()
                ),
                "Append the image digest (`image: web:1.8.3@sha256:…`), e.g. with your CI's image-resolution step.",
            ));
        }
    }
}

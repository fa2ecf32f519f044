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
    why_fr: "Un tag peut être repoussé ; seul un digest garantit que chaque nœud, et chaque rollback, exécute exactement la même image.",
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
            let name = container.name().unwrap_or("?");
            let text = node.as_str().unwrap_or_default();
            let v = Violation::new(
                node.span,
                ctx.t("no digest", "pas de digest"),
                ctx.t(
                    format!("{} runs container `{name}` from `{text}`, which is not pinned by digest", obj.display()),
                    format!("{} exécute le conteneur `{name}` depuis `{text}`, qui n'est pas fixé par digest", obj.display()),
                ),
                ctx.t(
                    "Append the image digest (`image: web:1.8.3@sha256:…`), e.g. with your CI's image-resolution step.",
                    "Ajoutez le digest de l'image (`image: web:1.8.3@sha256:…`), par exemple avec l'étape de résolution des images de votre CI.",
                ),
            );
            ctx.report(v);
        }
    }
}

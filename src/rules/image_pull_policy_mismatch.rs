//! `image-pull-policy-mismatch`: a mutable image tag with `imagePullPolicy: IfNotPresent` or
//! `Never`, so nodes keep running whatever they cached (warning); optionally, a pinned tag with
//! the policy left to defaulting, which is frozen at creation (info, option `reportOmitted`).

use super::image_mutable_tag::floating_tags;
use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::image::ImageRef;
use crate::k8s::{Object, WORKLOAD_KINDS};

pub struct ImagePullPolicyMismatch;

static META: RuleMeta = RuleMeta {
    id: "image-pull-policy-mismatch",
    family: Family::RolloutAndAvailability,
    severity: Severity::Warning,
    scope: Scope::Kinds(&WORKLOAD_KINDS),
    summary: "Mutable image tag with a pull policy that reuses the node's cached image",
    why: "With IfNotPresent (or Never) the kubelet starts a Pod from the image it already has under that tag, so after a re-push nodes run different builds and `kubectl rollout restart` does not pick up the new one.",
    why_fr: "Avec IfNotPresent (ou Never), le kubelet démarre un Pod à partir de l'image qu'il a déjà sous ce tag : après un nouveau push, les nœuds exécutent des builds différents et `kubectl rollout restart` ne récupère pas la nouvelle.",
    docs: include_str!("../../rules/image-pull-policy-mismatch.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for ImagePullPolicyMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(spec) = obj.pod_spec() else { return };
        let floating = floating_tags(ctx);
        let report_omitted = ctx.rule_option("reportOmitted").and_then(serde_json::Value::as_bool).unwrap_or(false);
        for container in spec.all_containers() {
            let Some(image_node) = container.node.get("image") else { continue };
            let Some(text) = image_node.as_str() else { continue };
            let Some(image) = ImageRef::parse(text) else { continue };
            let name = container.name().unwrap_or("?");
            let policy = container.node.get_some("imagePullPolicy");
            match policy.and_then(|p| p.text()) {
                Some(p @ ("IfNotPresent" | "Never")) => {
                    let tag = image.floating_tag().unwrap_or("latest");
                    let severity = if image.is_latest() {
                        Severity::Warning
                    } else if floating.iter().any(|f| f == tag) {
                        Severity::Info
                    } else {
                        continue;
                    };
                    let Some(policy) = policy else { continue };
                    let what = if p == "Never" {
                        ctx.t("never pulls", "ne tire jamais l'image")
                    } else {
                        ctx.t("reuses the cached image", "réutilise l'image en cache")
                    };
                    let secondary = if image.tag.is_none() {
                        ctx.t("no tag, means `latest`", "pas de tag, donc `latest`")
                    } else {
                        ctx.t(format!("moving tag `{tag}`"), format!("tag mobile `{tag}`"))
                    };
                    let v = Violation::new(
                        policy.span,
                        what,
                        ctx.t(
                            format!(
                                "{} runs container `{name}` from `{text}`, a moving tag, with `imagePullPolicy: {p}`: each node keeps the build it pulled first",
                                obj.display()
                            ),
                            format!(
                                "{} exécute le conteneur `{name}` depuis `{text}`, un tag mobile, avec `imagePullPolicy: {p}` : chaque nœud garde le build qu'il a tiré en premier",
                                obj.display()
                            ),
                        ),
                        ctx.t(
                            "Pin the image to a version tag or digest, or set `imagePullPolicy: Always` while the tag moves.",
                            "Fixez l'image sur un tag de version ou un digest, ou définissez `imagePullPolicy: Always` tant que le tag change.",
                        ),
                    )
                    .severity(severity)
                    .secondary(image_node.span, secondary);
                    ctx.report(v);
                }
                None if report_omitted && !image.is_latest() && !image.is_pinned_by_digest() => {
                    let v = Violation::new(
                        image_node.span,
                        ctx.t("pull policy defaulted once", "politique de pull fixée une fois par défaut"),
                        ctx.t(
                            format!(
                                "{} leaves the pull policy of container `{name}` to defaulting: `IfNotPresent` is stored at creation and kept if the tag later changes to `latest`",
                                obj.display()
                            ),
                            format!(
                                "{} laisse la politique de pull du conteneur `{name}` à sa valeur par défaut : `IfNotPresent` est enregistré à la création et conservé si le tag passe ensuite à `latest`",
                                obj.display()
                            ),
                        ),
                        ctx.t("Set `imagePullPolicy` explicitly.", "Définissez `imagePullPolicy` explicitement."),
                    )
                    .severity(Severity::Info);
                    ctx.report(v);
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::lint::{Selection, lint, load_file};
    use crate::rules::LintOptions;
    use crate::source::SourceFile;

    fn run(id: &'static str, yaml: &str, options: Option<serde_json::Value>) -> Vec<(Severity, String)> {
        let files = vec![load_file(0, SourceFile::new("t.yaml", yaml.to_string()))];
        let mut opts = LintOptions::default();
        if let Some(o) = options {
            opts.rule_options.insert(id.to_string(), o);
        }
        lint(&files, &Selection::only(&[id]), &opts).diagnostics.into_iter().map(|d| (d.severity, d.message)).collect()
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: 'web:1.2.3'}\n  - {name: b, image: 'web:snapshot', imagePullPolicy: IfNotPresent}\n";

    #[test]
    fn omitted_policy_only_with_option() {
        let id = "image-pull-policy-mismatch";
        assert!(run(id, POD, None).is_empty());
        let found = run(id, POD, Some(serde_json::json!({"reportOmitted": true})));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Severity::Info);
        assert!(found[0].1.contains("container `a`"));
    }

    #[test]
    fn floating_tags_are_configurable() {
        let tags = || Some(serde_json::json!({"floatingTags": ["snapshot"]}));
        assert!(run("image-pull-policy-mismatch", POD, None).is_empty());
        // Each rule reads the list from its own options.
        for id in ["image-pull-policy-mismatch", "image-mutable-tag"] {
            let found = run(id, POD, tags());
            assert_eq!(found.len(), 1, "{id}");
            assert_eq!(found[0].0, Severity::Info);
            assert!(found[0].1.contains("web:snapshot"));
        }
    }
}

//! `sts-template-invalid`: a StatefulSet pod template that breaks the Pod validation the API
//! server skips for StatefulSets (names, images, ports, volumes, quantities, probes), so no Pod
//! can be created. The checks live in `k8s::podcheck`; unresolved mounts are
//! `sts-volumemount-unresolved`'s.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::podcheck;
use crate::yaml::Node;

pub struct StsTemplateInvalid;

static META: RuleMeta = RuleMeta {
    id: "sts-template-invalid",
    family: Family::StatefulSets,
    severity: Severity::Error,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet pod template that every Pod creation would reject",
    why: "The API server accepts a StatefulSet without validating its pod template, but rejects every Pod the controller creates from it: the StatefulSet runs zero replicas and `kubectl describe` shows FailedCreate events.",
    why_fr: "L'API server accepte un StatefulSet sans valider son template de Pod, mais rejette chaque Pod que le contrôleur crée à partir de lui : le StatefulSet tourne avec zéro réplica et `kubectl describe` montre des événements FailedCreate.",
    docs: include_str!("../../rules/sts-template-invalid.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsTemplateInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        for problem in podcheck::check_pod_spec(&spec) {
            let mut v = Violation::new(
                problem.span,
                problem.label,
                ctx.t(
                    format!("{} template is invalid ({}): {}", obj.display(), problem.check, problem.message),
                    format!("{} : template invalide ({}) : {}", obj.display(), problem.check, problem.message),
                ),
                problem.help,
            );
            if let Some((span, text)) = problem.related {
                v = v.secondary(span, text);
            }
            ctx.report(v);
        }
        // Each claim template becomes a volume of the Pod, named like the template.
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        for name_node in templates.iter().filter_map(|t| t.get("metadata")?.get("name")) {
            let Some(name) = name_node.text().filter(|n| !podcheck::is_dns1123_label(n)) else { continue };
            let v = Violation::new(
                name_node.span,
                ctx.t("not a DNS-1123 label", "pas un label DNS-1123"),
                ctx.t(
                    format!(
                        "{} template is invalid (api-volume-refs): claim template name `{name}` becomes a Pod volume name, which must be a lowercase RFC 1123 label (a-z, 0-9 and `-`, at most 63 characters)",
                        obj.display()
                    ),
                    format!(
                        "{} : template invalide (api-volume-refs) : le nom de template de claim `{name}` devient un nom de volume de Pod, qui doit être un label RFC 1123 en minuscules (a-z, 0-9 et `-`, 63 caractères au plus)",
                        obj.display()
                    ),
                ),
                ctx.t(
                    "Rename the claim template (and its mounts) with lowercase letters, digits and hyphens, at most 63 characters.",
                    "Renommez le template de claim (et ses montages) avec des lettres minuscules, des chiffres et des tirets, 63 caractères au plus.",
                ),
            );
            ctx.report(v);
        }
    }
}

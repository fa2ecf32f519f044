//! `api-env`: container environment variables the API server rejects (no name, `=` in the name,
//! both `value` and `valueFrom`, zero or several sources, a missing key), names older clusters
//! reject (warning), and variables set twice (warning: the last one silently wins).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::names::is_placeholder;
use crate::k8s::{Object, envcheck};
use crate::yaml::Node;

pub struct ApiEnv;

static META: RuleMeta = RuleMeta {
    id: "api-env",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&[
        "Pod",
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "DaemonSet",
        "StatefulSet",
        "Job",
        "CronJob",
    ]),
    summary: "Environment variable the API server rejects, or set twice",
    why: "The API server validates each environment variable of a pod template (a name without `=`, exactly one of `value` or one `valueFrom` source, the key to read) and rejects the object: the apply fails.",
    why_fr: "L'API server valide chaque variable d'environnement d'un template de Pod (un nom sans `=`, exactement une valeur `value` ou une source `valueFrom`, la clé à lire) et rejette l'objet : l'apply échoue.",
    docs: include_str!("../../rules/api-env.md"),
    default_enabled: true,
    supersedes: &[],
};

const STS_WHY: &str = "The API server does not validate a StatefulSet's pod template, but rejects every Pod the controller creates from it: the StatefulSet runs zero replicas and its events show FailedCreate.";
const STS_WHY_FR: &str = "L'API server ne valide pas le template de Pod d'un StatefulSet, mais rejette chaque Pod que le contrôleur en crée : le StatefulSet tourne avec zéro réplica et ses événements montrent FailedCreate.";

impl Rule for ApiEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) {
            return;
        }
        let Some(spec) = obj.pod_spec() else { return };
        let display = obj.display();
        let sts = obj.kind == "StatefulSet";
        let ephemeral = spec.node.get("ephemeralContainers").map_or(&[][..], Node::items);
        let containers: Vec<&Node> = spec.all_containers().map(|c| c.node).chain(ephemeral.iter()).collect();
        for container in containers {
            let name = container.get("name").and_then(Node::text).unwrap_or("?");
            for problem in envcheck::check_env(container, name) {
                let mut v = Violation::new(
                    problem.span,
                    problem.label,
                    ctx.t(format!("{display}: {}", problem.message), format!("{display} : {}", problem.message)),
                    problem.help,
                );
                if let Some((span, text)) = problem.related {
                    v = v.secondary(span, text);
                }
                if sts {
                    v = v.why(ctx.t(STS_WHY, STS_WHY_FR));
                }
                ctx.report(v);
            }
            for var in container.get("env").map_or(&[][..], Node::items) {
                let Some(n) = var.get("name") else { continue };
                let Some(text) = n.text() else { continue };
                if envcheck::is_relaxed_env_name(text) && !envcheck::is_strict_env_name(text) && !is_placeholder(text) {
                    // Relaxed names are on by default from 1.32 (RelaxedEnvironmentVariableValidation
                    // beta): a target before that rejects the name, a later one only older clusters.
                    let minor = ctx.options.target_minor();
                    let (label, message) = if minor < 32 {
                        (
                            ctx.t(format!("rejected by Kubernetes 1.{minor}"), format!("rejeté par Kubernetes 1.{minor}")),
                            ctx.t(
                                format!("{display}: environment variable name `{text}` of container `{name}` is rejected by Kubernetes 1.{minor}, the target version (letters, digits, `_`, `-` and `.`, not starting with a digit)"),
                                format!("{display} : le nom de variable d'environnement `{text}` du conteneur `{name}` est rejeté par Kubernetes 1.{minor}, la version cible (lettres, chiffres, `_`, `-` et `.`, sans chiffre au début)"),
                            ),
                        )
                    } else {
                        (
                            ctx.t("rejected before Kubernetes 1.32", "rejeté avant Kubernetes 1.32"),
                            ctx.t(
                                format!("{display}: environment variable name `{text}` of container `{name}` is rejected by clusters older than 1.32 (letters, digits, `_`, `-` and `.`, not starting with a digit)"),
                                format!("{display} : le nom de variable d'environnement `{text}` du conteneur `{name}` est rejeté par les clusters antérieurs à 1.32 (lettres, chiffres, `_`, `-` et `.`, sans chiffre au début)"),
                            ),
                        )
                    };
                    let v = Violation::new(
                        n.span,
                        label,
                        message,
                        ctx.t(
                            "Use letters, digits and `_` only, starting with a letter or `_`.",
                            "N'utilisez que des lettres, des chiffres et `_`, en commençant par une lettre ou `_`.",
                        ),
                    )
                    .severity(if minor < 32 { Severity::Error } else { Severity::Warning })
                    .why(ctx.t(
                        "Clusters before 1.32 (where relaxed names became the default) reject names outside `[-._a-zA-Z][-._a-zA-Z0-9]*`, and shells cannot read such variables anyway.",
                        "Les clusters antérieurs à 1.32 (où les noms assouplis sont devenus la règle par défaut) rejettent les noms hors de `[-._a-zA-Z][-._a-zA-Z0-9]*`, et les shells ne peuvent de toute façon pas lire de telles variables.",
                    ));
                    ctx.report(v);
                }
            }
            for (later, first, var) in envcheck::duplicates(container) {
                let v = Violation::new(
                    later.span,
                    ctx.t("set again", "définie à nouveau"),
                    ctx.t(
                        format!("{display}: environment variable `{var}` is set twice in container `{name}`; only the last value is used"),
                        format!("{display} : la variable d'environnement `{var}` est définie deux fois dans le conteneur `{name}` ; seule la dernière valeur est utilisée"),
                    ),
                    ctx.t("Remove one of the two entries.", "Supprimez l'une des deux entrées."),
                )
                .secondary(first.span, ctx.t("first set here", "définie une première fois ici"))
                .severity(Severity::Warning)
                .why(ctx.t(
                    "The API server accepts duplicate names (it only warns); the container sees the last value, so the first entry is silently ignored.",
                    "L'API server accepte les noms en double (il ne fait qu'avertir) ; le conteneur voit la dernière valeur, la première entrée est donc ignorée sans bruit.",
                ));
                ctx.report(v);
            }
        }
    }
}

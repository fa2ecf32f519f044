//! `api-name`: a `metadata.name` the API server rejects for the object's kind (DNS subdomain,
//! DNS label, DNS-1035 label for Services, 52 characters for CronJobs, the longest Pod hostname
//! of an Indexed Job).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::names::{is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_placeholder};
use crate::yaml::Node;

pub struct ApiName;

static META: RuleMeta = RuleMeta {
    id: "api-name",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::All,
    summary: "Object name the API server rejects for its kind",
    why: "The API server validates `metadata.name` per kind (a lowercase DNS subdomain for most, a DNS label for Namespaces, a DNS-1035 label for Services, at most 52 characters for CronJobs) and rejects the object: the apply fails and nothing is created.",
    why_fr: "L'API server valide `metadata.name` selon le kind (un sous-domaine DNS en minuscules pour la plupart, un label DNS pour les Namespaces, un label DNS-1035 pour les Services, au plus 52 caractères pour les CronJobs) et rejette l'objet : l'apply échoue et rien n'est créé.",
    docs: include_str!("../../rules/api-name.md"),
    default_enabled: true,
    supersedes: &[],
};

/// Longest CronJob name: the controller appends `-<11-character schedule time>` to Job names.
const CRONJOB_MAX: usize = 52;

/// Groups whose documents are configuration files rather than API objects.
fn is_config_group(group: &str) -> bool {
    group.ends_with("config.k8s.io") || group == "kubeadm.k8s.io" || group.starts_with("kustomize.")
}

#[derive(Clone, Copy, PartialEq)]
enum Syntax {
    Subdomain,
    Label,
    Dns1035,
    PathSegment,
}

fn syntax_of(obj: &Object<'_>) -> Syntax {
    match (obj.group(), obj.declared_kind) {
        ("", "Namespace") => Syntax::Label,
        ("", "Service") => Syntax::Dns1035,
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding") => {
            Syntax::PathSegment
        }
        _ => Syntax::Subdomain,
    }
}

impl Rule for ApiName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        // Argo CD's plugin file has the shape of an object but is read by the plugin sidecar.
        if is_config_group(obj.group()) || obj.declared_kind == "ConfigManagementPlugin" {
            return;
        }
        let Some(name_node) = obj.name_node() else { return };
        let Some(name) = name_node.as_str() else { return };
        if is_placeholder(name) {
            return;
        }
        let display = obj.display();
        let (ok, (what, what_fr), (help, help_fr)) = match syntax_of(obj) {
            Syntax::Subdomain => (
                is_dns1123_subdomain(name),
                (
                    "a lowercase RFC 1123 subdomain (a-z, 0-9, `-` and `.`, alphanumeric at both ends, at most 253 characters)",
                    "un sous-domaine RFC 1123 en minuscules (a-z, 0-9, `-` et `.`, alphanumérique aux deux extrémités, au plus 253 caractères)",
                ),
                (
                    "Use lowercase letters, digits, `-` and `.` only, starting and ending with a letter or digit.",
                    "N'utilisez que des lettres minuscules, des chiffres, `-` et `.`, en commençant et en finissant par une lettre ou un chiffre.",
                ),
            ),
            Syntax::Label => (
                is_dns1123_label(name),
                (
                    "a lowercase RFC 1123 label (a-z, 0-9 and `-`, alphanumeric at both ends, at most 63 characters)",
                    "un label RFC 1123 en minuscules (a-z, 0-9 et `-`, alphanumérique aux deux extrémités, au plus 63 caractères)",
                ),
                (
                    "Use at most 63 lowercase letters, digits and `-`, without dots.",
                    "Utilisez au plus 63 lettres minuscules, chiffres et `-`, sans points.",
                ),
            ),
            Syntax::Dns1035 => (
                is_dns1035_label(name),
                (
                    "a DNS-1035 label (a-z, 0-9 and `-`, starting with a letter, at most 63 characters)",
                    "un label DNS-1035 (a-z, 0-9 et `-`, commençant par une lettre, au plus 63 caractères)",
                ),
                (
                    "Use at most 63 lowercase letters, digits and `-`, starting with a letter and without dots.",
                    "Utilisez au plus 63 lettres minuscules, chiffres et `-`, en commençant par une lettre et sans points.",
                ),
            ),
            Syntax::PathSegment => (
                !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '%']),
                (
                    "a valid path segment (not `.` or `..`, without `/` or `%`)",
                    "un segment de chemin valide (ni `.` ni `..`, sans `/` ni `%`)",
                ),
                ("Remove `/` and `%` from the name.", "Retirez `/` et `%` du nom."),
            ),
        };
        if !ok {
            let v = Violation::new(
                name_node.span,
                ctx.t("invalid name", "nom invalide"),
                ctx.t(
                    format!("{display}: name `{name}` is not {what}"),
                    format!("{display} : le nom `{name}` n'est pas {what_fr}"),
                ),
                ctx.t(help, help_fr),
            );
            ctx.report(v);
            return;
        }
        if obj.is("batch", "CronJob") && name.len() > CRONJOB_MAX {
            let v = Violation::new(
                name_node.span,
                ctx.t(format!("{} characters, at most {CRONJOB_MAX}", name.len()), format!("{} caractères, au plus {CRONJOB_MAX}", name.len())),
                ctx.t(
                    format!("{display}: name is {} characters; CronJob names may have at most {CRONJOB_MAX}", name.len()),
                    format!("{display} : le nom fait {} caractères ; les noms de CronJob en ont au plus {CRONJOB_MAX}", name.len()),
                ),
                ctx.t(
                    "Shorten the name to at most 52 characters (in Helm charts, `fullnameOverride` or `nameOverride`).",
                    "Raccourcissez le nom à au plus 52 caractères (dans les charts Helm, `fullnameOverride` ou `nameOverride`).",
                ),
            )
            .why(ctx.t(
                "The controller names each Job `<cronjob>-<scheduled time>` (11 more characters) and the API server rejects CronJob names longer than 52 characters on create: the apply fails.",
                "Le contrôleur nomme chaque Job `<cronjob>-<heure planifiée>` (11 caractères de plus) et l'API server rejette à la création les noms de CronJob de plus de 52 caractères : l'apply échoue.",
            ));
            ctx.report(v);
        }
        if obj.is("batch", "Job") {
            check_indexed_job(obj, name_node, name, &display, ctx);
        }
    }
}

/// Indexed Jobs name each Pod's hostname `<job>-<index>`, which must be a DNS label.
fn check_indexed_job(obj: &Object<'_>, name_node: &Node, name: &str, display: &str, ctx: &mut RuleContext<'_, '_>) {
    let Some(spec) = obj.spec() else { return };
    if spec.get("completionMode").and_then(Node::as_str) != Some("Indexed") {
        return;
    }
    let Some(completions) = spec.get("completions").and_then(Node::as_i64).filter(|c| *c > 0) else { return };
    let hostname = format!("{name}-{}", completions - 1);
    if !is_dns1123_label(&hostname) {
        let v = Violation::new(
            name_node.span,
            ctx.t("too long or dotted for an Indexed Job", "trop long ou avec des points pour un Job Indexed"),
            ctx.t(
                format!("{display}: the last Pod hostname `{hostname}` of this Indexed Job is not a DNS label (at most 63 characters, no dots)"),
                format!("{display} : le hostname du dernier Pod `{hostname}` de ce Job Indexed n'est pas un label DNS (au plus 63 caractères, sans points)"),
            ),
            ctx.t(
                "Shorten the Job name (without dots) so that `<name>-<completions-1>` fits in 63 characters.",
                "Raccourcissez le nom du Job (sans points) pour que `<name>-<completions-1>` tienne en 63 caractères.",
            ),
        )
        .secondary(
            spec.get("completions").map_or(name_node.span, |c| c.span),
            ctx.t("highest index is completions - 1", "l'index le plus élevé est completions - 1"),
        )
        .why(ctx.t(
            "For Indexed Jobs the API server checks that `<name>-<completions-1>`, the hostname of the last Pod, is a DNS label, and rejects the Job otherwise.",
            "Pour les Jobs Indexed, l'API server vérifie que `<name>-<completions-1>`, le hostname du dernier Pod, est un label DNS, et rejette le Job sinon.",
        ));
        ctx.report(v);
    }
}

//! `sts-service-not-headless`: the Service a StatefulSet names as its governing Service has a
//! cluster IP (or is a NodePort, LoadBalancer or ExternalName Service), so no per-Pod DNS
//! records exist.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::service::{
    self, NotHeadless, governed_statefulsets, headless_node, namesakes, not_headless_reason, service_name_node,
};

pub struct StsServiceNotHeadless;

static META: RuleMeta = RuleMeta {
    id: "sts-service-not-headless",
    family: Family::StatefulSets,
    severity: Severity::Warning,
    scope: Scope::Kinds(&["Service"]),
    summary: "Governing Service of a StatefulSet is not headless: no per-Pod DNS records",
    why: "Cluster DNS publishes per-Pod records (`web-0.web.<namespace>.svc`) only for a headless Service (`clusterIP: None`); with a cluster IP the name resolves to one virtual IP and the StatefulSet's stable network identities do not exist.",
    why_fr: "Le DNS du cluster ne publie des enregistrements par Pod (`web-0.web.<namespace>.svc`) que pour un Service headless (`clusterIP: None`) ; avec une IP de cluster, le nom se résout en une seule IP virtuelle et les identités réseau stables du StatefulSet n'existent pas.",
    docs: include_str!("../../rules/sts-service-not-headless.md"),
    default_enabled: true,
    supersedes: &[],
};

impl Rule for StsServiceNotHeadless {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(reason) = not_headless_reason(obj) else { return };
        // Several Services of this name in the input (apps or overlays linted together): a
        // headless one is the StatefulSet's, as far as the input can tell.
        if namesakes(ctx.index, obj).iter().any(|s| not_headless_reason(s).is_none()) {
            return;
        }
        // A StatefulSet in another file counts only if the Service selects its Pods: a name
        // alone does not tie objects of unrelated files together.
        let selector = service::selector(obj);
        let mut sets: Vec<Object<'_>> = governed_statefulsets(ctx.index, obj)
            .into_iter()
            .filter(|s| s.helm_hook().is_none())
            .filter(|s| {
                ctx.same_file(s)
                    || selector.as_ref().is_some_and(|sel| s.pod_template().is_some_and(|t| sel.matches(t.labels())))
            })
            .collect();
        sets.sort_by_key(|s| !ctx.same_file(s));
        let Some(first) = sets.first() else { return };
        let name = obj.name().unwrap_or_default();
        let what = match reason {
            NotHeadless::Allocated => ctx.t(
                "it gets a cluster IP (no `clusterIP: None`)",
                "il reçoit une IP de cluster (pas de `clusterIP: None`)",
            ),
            NotHeadless::FixedIp => ctx.t("it has a cluster IP", "il a une IP de cluster"),
            NotHeadless::Type => ctx.t(
                "a NodePort or LoadBalancer Service always has a cluster IP",
                "un Service NodePort ou LoadBalancer a toujours une IP de cluster",
            ),
            NotHeadless::ExternalName => {
                ctx.t("an ExternalName Service is only a CNAME", "un Service ExternalName n'est qu'un CNAME")
            }
        };
        let node = headless_node(obj);
        let (span, label) = if std::ptr::eq(node, obj.kind_node()) {
            match obj.root.entry("spec") {
                Some(e) => (e.key.span, ctx.t("no `clusterIP: None`", "pas de `clusterIP: None`")),
                None => (obj.kind_span(), ctx.t("no `clusterIP: None`", "pas de `clusterIP: None`")),
            }
        } else {
            (node.span, ctx.t("not headless", "pas headless"))
        };
        let governed = match sets.len() {
            1 => first.display(),
            n => {
                let plural = if n == 2 { "" } else { "s" };
                ctx.t(
                    format!("{} and {} other StatefulSet{plural}", first.display(), n - 1),
                    format!("{} et {} autre{plural} StatefulSet{plural}", first.display(), n - 1),
                )
            }
        };
        let pod = format!("{}-0.{name}", first.name().unwrap_or("web"));
        let elsewhere = match service_name_node(first) {
            Some(n) if !ctx.same_file(first) => format!(" ({})", ctx.location(first, n.span)),
            _ => String::new(),
        };
        let mut v = Violation::new(
            span,
            label,
            ctx.t(
                format!(
                    "{} is the governing Service of {governed}{elsewhere} but is not headless: {what}, so per-Pod DNS names such as `{pod}` do not exist",
                    obj.display()
                ),
                format!(
                    "{} est le Service de gouvernance de {governed}{elsewhere} mais n'est pas headless : {what}, donc les noms DNS par Pod comme `{pod}` n'existent pas",
                    obj.display()
                ),
            ),
            ctx.t(
                "Set `clusterIP: None` (clusterIP is immutable: recreate the Service) and keep a separate Service for client traffic if needed.",
                "Définissez `clusterIP: None` (clusterIP est immuable : recréez le Service) et gardez au besoin un Service séparé pour le trafic des clients.",
            ),
        );
        for set in sets.iter().filter(|s| ctx.same_file(s)) {
            if let Some(n) = service_name_node(set) {
                v = v.secondary(
                    n.span,
                    ctx.t(
                        format!("{} names this Service", set.display()),
                        format!("{} nomme ce Service", set.display()),
                    ),
                );
            }
        }
        ctx.report(v);
    }
}

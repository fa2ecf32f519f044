//! `sts-claim-template-incomplete`: a StatefulSet claim template without access modes or a
//! storage request (every PVC creation fails), or without a StorageClass (info: the cluster
//! default, if any, is used).

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::{is_builtin, is_fragment};
use crate::k8s::quantity;
use crate::source::Span;
use crate::yaml::Node;

pub struct StsClaimTemplateIncomplete;

static META: RuleMeta = RuleMeta {
    id: "sts-claim-template-incomplete",
    family: Family::StatefulSets,
    severity: Severity::Error,
    scope: Scope::Kinds(&["StatefulSet"]),
    summary: "StatefulSet claim template without access modes or a storage request",
    why: "The controller creates each replica's PersistentVolumeClaim from the template; without access modes or a storage request the API server rejects the claim, so the Pod is never created (older servers accept the StatefulSet itself).",
    why_fr: "Le contrôleur crée la PersistentVolumeClaim de chaque réplica à partir du template ; sans modes d'accès ni demande de stockage, l'API server rejette la claim et le Pod n'est jamais créé (les serveurs plus anciens acceptent le StatefulSet lui-même).",
    docs: include_str!("../../rules/sts-claim-template-incomplete.md"),
    default_enabled: true,
    supersedes: &[],
};

const CLASS_WHY: &str = "The StorageClass decides how each replica's volume is provisioned: without one the claim depends on the cluster's default class, and with none to use it stays Pending, so the Pod is never scheduled.";
const CLASS_WHY_FR: &str = "La StorageClass décide comment le volume de chaque réplica est provisionné : sans elle, la claim dépend de la classe par défaut du cluster, et s'il n'y en a aucune elle reste Pending, et le Pod n'est jamais placé.";

const ACCESS_MODES: [&str; 4] = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

impl Rule for StsClaimTemplateIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) || is_fragment(obj) {
            return;
        }
        let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).map_or(&[][..], Node::items);
        for template in templates {
            let name_node = template.get("metadata").and_then(|m| m.get("name"));
            let name = name_node.and_then(Node::text).unwrap_or("?");
            let what = ctx.t(
                format!("{}: claim template `{name}`", obj.display()),
                format!("{} : template de claim `{name}`", obj.display()),
            );
            let Some(spec_entry) = template.entry("spec").filter(|e| e.value.as_map().is_some()) else {
                let span = name_node.map_or(template.span, |n| n.span);
                ctx.report(Violation::new(
                    span,
                    ctx.t("claim template without spec", "template de claim sans spec"),
                    ctx.t(
                        format!("{what} has no spec: no access modes and no storage request"),
                        format!("{what} n'a pas de spec : aucun mode d'accès et aucune demande de stockage"),
                    ),
                    ctx.t(
                        "Add `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}`.",
                        "Ajoutez `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}`.",
                    ),
                ));
                continue;
            };
            let spec = &spec_entry.value;
            let spec_key = spec_entry.key.span;
            check_access_modes(spec, spec_key, &what, ctx);
            check_storage(spec, spec_key, &what, ctx);
            // Relying on the default StorageClass is normal practice; asking for an explicit
            // class is opt-in (`rules.options.sts-claim-template-incomplete.requireStorageClass`).
            let require_class = ctx.rule_option("requireStorageClass").and_then(|v| v.as_bool()).unwrap_or(false);
            let class_why = ctx.t(CLASS_WHY, CLASS_WHY_FR);
            match spec.get("storageClassName") {
                None if require_class => {
                    let v = Violation::new(
                        spec_key,
                        ctx.t("no storageClassName", "aucun storageClassName"),
                        ctx.t(
                            format!("{what} names no StorageClass: its claims use the cluster's default class, and stay Pending if there is none"),
                            format!("{what} ne nomme aucune StorageClass : ses claims utilisent la classe par défaut du cluster, et restent Pending s'il n'y en a pas"),
                        ),
                        ctx.t(
                            "Set `storageClassName` to the class the data needs, so the claim does not depend on the cluster default.",
                            "Définissez `storageClassName` à la classe dont les données ont besoin, pour que la claim ne dépende pas de la classe par défaut du cluster.",
                        ),
                    )
                    .severity(Severity::Info)
                    .why(class_why);
                    ctx.report(v);
                }
                Some(class) if class.text().is_some_and(str::is_empty) => {
                    let v = Violation::new(
                        class.span,
                        ctx.t("empty class: pre-provisioned volumes only", "classe vide : volumes pré-provisionnés uniquement"),
                        ctx.t(
                            format!("{what} sets `storageClassName: \"\"`: its claims bind only to pre-provisioned PersistentVolumes without a class"),
                            format!("{what} définit `storageClassName: \"\"` : ses claims ne se lient qu'à des PersistentVolumes pré-provisionnés sans classe"),
                        ),
                        ctx.t(
                            "Create the matching PersistentVolumes for every replica, or name a StorageClass that provisions them.",
                            "Créez les PersistentVolumes correspondants pour chaque réplica, ou nommez une StorageClass qui les provisionne.",
                        ),
                    )
                    .severity(Severity::Info)
                    .why(class_why);
                    ctx.report(v);
                }
                _ => {}
            }
        }
    }
}

fn check_access_modes(spec: &Node, spec_key: Span, what: &str, ctx: &mut RuleContext<'_, '_>) {
    let modes = spec.get_some("accessModes");
    let items = modes.map_or(&[][..], Node::items);
    if items.is_empty() {
        let v = Violation::new(
            modes.map_or(spec_key, |m| m.span),
            ctx.t("no accessModes", "aucun accessModes"),
            ctx.t(
                format!("{what} has no accessModes: every claim created from it is rejected"),
                format!("{what} n'a pas d'accessModes : chaque claim créée à partir de lui est rejetée"),
            ),
            ctx.t(
                "Add `accessModes: [ReadWriteOnce]` (or the mode the storage supports).",
                "Ajoutez `accessModes: [ReadWriteOnce]` (ou le mode que le stockage prend en charge).",
            ),
        );
        ctx.report(v);
        return;
    }
    for mode in items {
        let Some(text) = mode.text() else { continue };
        if !ACCESS_MODES.contains(&text) {
            let modes = ACCESS_MODES.join(", ");
            let v = Violation::new(
                mode.span,
                ctx.t("unknown access mode", "mode d'accès inconnu"),
                ctx.t(
                    format!("{what} has access mode `{text}`, which is not one of {modes}"),
                    format!("{what} a le mode d'accès `{text}`, qui ne fait pas partie de {modes}"),
                ),
                ctx.t(
                    "Use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
                    "Utilisez ReadWriteOnce, ReadOnlyMany, ReadWriteMany ou ReadWriteOncePod.",
                ),
            );
            ctx.report(v);
        }
    }
}

fn check_storage(spec: &Node, spec_key: Span, what: &str, ctx: &mut RuleContext<'_, '_>) {
    let resources = spec.entry("resources");
    let requests = resources.and_then(|r| r.value.entry("requests"));
    let Some(storage) = requests.and_then(|r| r.value.get_some("storage")) else {
        let at = requests.or(resources).map_or(spec_key, |e| e.key.span);
        let v = Violation::new(
            at,
            ctx.t("no storage request", "aucune demande de stockage"),
            ctx.t(
                format!("{what} requests no storage size: every claim created from it is rejected"),
                format!("{what} ne demande aucune taille de stockage : chaque claim créée à partir de lui est rejetée"),
            ),
            ctx.t(
                "Add `resources: {requests: {storage: 10Gi}}` with the size each replica needs.",
                "Ajoutez `resources: {requests: {storage: 10Gi}}` avec la taille dont chaque réplica a besoin.",
            ),
        );
        ctx.report(v);
        return;
    };
    let Some(text) = storage.text() else { return };
    match quantity::parse(text) {
        Err(e) => {
            let reason = e.describe();
            let v = Violation::new(
                storage.span,
                ctx.t("not a quantity", "pas une quantité"),
                ctx.t(
                    format!("{what} requests storage `{text}`, which is not a valid quantity: {reason}"),
                    format!("{what} demande le stockage `{text}`, qui n'est pas une quantité valide : {reason}"),
                ),
                ctx.t(
                    "Write the size like `10Gi` or `500Mi` (binary suffixes, no spaces).",
                    "Écrivez la taille comme `10Gi` ou `500Mi` (suffixes binaires, sans espace).",
                ),
            );
            ctx.report(v);
        }
        Ok(q) if q.negative || q.nanos == Some(0) => {
            let v = Violation::new(
                storage.span,
                ctx.t("size must be positive", "la taille doit être positive"),
                ctx.t(
                    format!("{what} requests storage `{text}`; a claim must request more than zero"),
                    format!("{what} demande le stockage `{text}` ; une claim doit demander plus que zéro"),
                ),
                ctx.t(
                    "Request the size each replica needs, such as `10Gi`.",
                    "Demandez la taille dont chaque réplica a besoin, par exemple `10Gi`.",
                ),
            );
            ctx.report(v);
        }
        Ok(_) => {}
    }
}

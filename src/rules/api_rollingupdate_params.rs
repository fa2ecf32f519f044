//! `api-rollingupdate-params`: rolling-update numbers the API server rejects: negative or
//! malformed `maxSurge`/`maxUnavailable`, more than 100%, both zero (Deployment), both non-zero
//! (DaemonSet), `maxUnavailable: 0` or a negative `partition` (StatefulSet), and a Deployment
//! `progressDeadlineSeconds` not above `minReadySeconds`.

use super::{Family, Rule, RuleContext, RuleMeta, Scope, Violation};
use crate::diagnostic::Severity;
use crate::k8s::Object;
use crate::k8s::kinds::is_builtin;
use crate::k8s::strategy::{IntOrStr, Strategy, strategy_of};
use crate::source::Span;
use crate::yaml::Node;

pub struct ApiRollingUpdateParams;

static META: RuleMeta = RuleMeta {
    id: "api-rollingupdate-params",
    family: Family::ApiValidation,
    severity: Severity::Error,
    scope: Scope::Kinds(&["Deployment", "DaemonSet", "StatefulSet"]),
    summary: "Rolling-update maxSurge/maxUnavailable/partition values the API server rejects",
    why: "The API server validates the rolling-update numbers (no negatives, at most 100%, a Deployment must be allowed to make progress, a DaemonSet may surge or go unavailable but not both): the apply fails.",
    why_fr: "L'API server valide les nombres de la mise à jour progressive (pas de valeurs négatives, au plus 100 %, un Deployment doit pouvoir progresser, un DaemonSet peut dépasser le nombre de Pods ou en rendre indisponibles, mais pas les deux) : l'apply échoue.",
    docs: include_str!("../../rules/api-rollingupdate-params.md"),
    default_enabled: true,
    supersedes: &["rollout-max-unavailable-all"],
};

/// Findings of one object, one per node.
struct Findings<'o> {
    obj: &'o Object<'o>,
    field: &'static str,
    out: Vec<Violation>,
    spans: Vec<Span>,
    /// Minor of the target Kubernetes version (`--kubernetes-version`).
    minor: u32,
}

impl Findings<'_> {
    fn push(&mut self, span: Span, v: Violation) {
        if !self.spans.contains(&span) {
            self.spans.push(span);
            self.out.push(v);
        }
    }

    /// Shape checks of one IntOrString field: not negative, a valid percentage, at most 100%.
    fn int_or_percent(&mut self, node: &Node, key: &str, max_100: bool) -> Option<IntOrStr<'static>> {
        let value = IntOrStr::from_node(node)?;
        let text = match value {
            IntOrStr::Str(s) if s.parse::<f64>().is_ok() => format!("\"{s}\""),
            _ => node.text().unwrap_or_default().to_string(),
        };
        let path = format!("spec.{}.rollingUpdate.{key}", self.field);
        let shown = match value {
            IntOrStr::Int(i) => i.to_string(),
            IntOrStr::Str(s) => format!("\"{s}\""),
        };
        if let Some(problem) = value.positive_problem() {
            let (label, help) = match value {
                IntOrStr::Int(_) => (
                    crate::i18n::t("negative", "négatif"),
                    crate::i18n::t(
                        format!("Set `{key}` to 0 or more."),
                        format!("Donnez à `{key}` la valeur 0 ou plus."),
                    ),
                ),
                IntOrStr::Str(s) if s.trim_end_matches('%').parse::<i64>().is_ok() && !s.ends_with('%') => (
                    crate::i18n::t("quoted number", "nombre entre guillemets"),
                    crate::i18n::t(
                        format!("Write `{key}: {s}` unquoted (a number), or as a percentage such as `{s}%`."),
                        format!(
                            "Écrivez `{key}: {s}` sans guillemets (un nombre), ou comme un pourcentage tel que `{s}%`."
                        ),
                    ),
                ),
                IntOrStr::Str(_) => (
                    crate::i18n::t("not an integer or percentage", "ni un entier ni un pourcentage"),
                    crate::i18n::t(
                        format!("Write `{key}` as a whole number or a percentage such as `25%`."),
                        format!("Écrivez `{key}` comme un nombre entier ou un pourcentage tel que `25%`."),
                    ),
                ),
            };
            self.push(
                node.span,
                Violation::new(
                    node.span,
                    label,
                    crate::i18n::t(format!(
                        "{}: `{key}: {text}` is rejected by the API server with `{path}: Invalid value: {shown}: {problem}`",
                        self.obj.display()
                    ), format!("{} : `{key}: {text}` est rejeté par l'API server avec `{path}: Invalid value: {shown}: {problem}`", self.obj.display())),
                    help,
                ),
            );
            return None;
        }
        if max_100 && value.over_100_percent() {
            self.push(
                node.span,
                Violation::new(
                    node.span,
                    crate::i18n::t("more than 100%", "plus de 100 %"),
                    crate::i18n::t(format!(
                        "{}: `{key}: {text}` is rejected by the API server with `{path}: Invalid value: {shown}: must not be greater than 100%`",
                        self.obj.display()
                    ), format!("{} : `{key}: {text}` est rejeté par l'API server avec `{path}: Invalid value: {shown}: must not be greater than 100%`", self.obj.display())),
                    crate::i18n::t(format!("Set `{key}` to at most `100%`."), format!("Donnez à `{key}` au plus la valeur `100%`.")),
                ),
            );
            return None;
        }
        Some(match value {
            IntOrStr::Int(i) => IntOrStr::Int(i),
            IntOrStr::Str(_) => IntOrStr::Int(value.value()),
        })
    }
}

impl Rule for ApiRollingUpdateParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object<'_>, ctx: &mut RuleContext<'_, '_>) {
        if !is_builtin(obj) {
            return;
        }
        let Some(strategy) = strategy_of(obj) else { return };
        let mut f = Findings {
            obj,
            field: strategy.field,
            out: Vec::new(),
            spans: Vec::new(),
            minor: ctx.options.target_minor(),
        };
        if strategy.effective_type == "RollingUpdate" {
            match obj.kind {
                "Deployment" => deployment(&strategy, &mut f),
                "DaemonSet" => daemonset(&strategy, &mut f),
                _ => statefulset(&strategy, &mut f),
            }
        }
        if obj.kind == "Deployment" {
            progress_deadline(obj, &mut f);
        }
        for v in f.out {
            ctx.report(v);
        }
    }
}

fn deployment(strategy: &Strategy<'_>, f: &mut Findings<'_>) {
    let unavailable = strategy.rolling("maxUnavailable");
    let surge = strategy.rolling("maxSurge");
    let u = unavailable.and_then(|n| f.int_or_percent(n, "maxUnavailable", true));
    let s = surge.and_then(|n| f.int_or_percent(n, "maxSurge", false));
    // Absent values default to 25% (1 in extensions/v1beta1): both zero only when both are written.
    if let (Some(un), Some(sn), Some(u), Some(s)) = (unavailable, surge, u, s) {
        if u.value() == 0 && s.value() == 0 {
            let v = Violation::new(
                un.span,
                crate::i18n::t("no progress possible", "aucune progression possible"),
                crate::i18n::t(format!(
                    "{}: `maxUnavailable` and `maxSurge` are both 0, so a rollout could neither remove an old Pod nor add a new one: the API server rejects it with `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0`",
                    f.obj.display()
                ), format!("{} : `maxUnavailable` et `maxSurge` valent tous deux 0, un déploiement ne pourrait donc ni retirer un ancien Pod ni en ajouter un nouveau : l'API server le rejette avec `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0`", f.obj.display())),
                crate::i18n::t("Set `maxSurge: 1` (add a new Pod before removing an old one) or `maxUnavailable: 1`.", "Définissez `maxSurge: 1` (ajouter un nouveau Pod avant de retirer un ancien) ou `maxUnavailable: 1`."),
            )
            .secondary(sn.span, crate::i18n::t("maxSurge is 0 too", "maxSurge vaut aussi 0"));
            f.push(un.span, v);
        }
    }
}

fn daemonset(strategy: &Strategy<'_>, f: &mut Findings<'_>) {
    let unavailable = strategy.rolling("maxUnavailable");
    let surge = strategy.rolling("maxSurge");
    // Defaults: maxUnavailable 1, maxSurge 0.
    let u = match unavailable {
        Some(n) => f.int_or_percent(n, "maxUnavailable", true),
        None => Some(IntOrStr::Int(1)),
    };
    let s = match surge {
        Some(n) => f.int_or_percent(n, "maxSurge", true),
        None => Some(IntOrStr::Int(0)),
    };
    let (Some(u), Some(s)) = (u, s) else { return };
    let has_u = u.value() != 0;
    let has_s = s.value() != 0;
    if has_u && has_s {
        let Some(sn) = surge else { return };
        let (unavailable_text, unavailable_fr) = match unavailable {
            Some(n) => {
                let t = format!("`maxUnavailable: {}`", n.text().unwrap_or_default());
                (t.clone(), t)
            }
            None => (
                "`maxUnavailable`, which defaults to 1,".to_string(),
                "`maxUnavailable`, qui vaut 1 par défaut,".to_string(),
            ),
        };
        let mut v = Violation::new(
            sn.span,
            crate::i18n::t("surge with maxUnavailable non-zero", "maxSurge avec un maxUnavailable non nul"),
            crate::i18n::t(
                format!(
                    "{}: `maxSurge: {}` is set while {unavailable_text} is not 0; a DaemonSet either surges or goes unavailable, not both: the API server rejects it with `spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: ...: may not be set when maxUnavailable is non-zero`",
                    f.obj.display(),
                    sn.text().unwrap_or_default()
                ),
                format!(
                    "{} : `maxSurge: {}` est défini alors que {unavailable_fr} ne vaut pas 0 ; un DaemonSet dépasse le nombre de Pods ou en rend indisponibles, pas les deux : l'API server le rejette avec `spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: ...: may not be set when maxUnavailable is non-zero`",
                    f.obj.display(),
                    sn.text().unwrap_or_default()
                ),
            ),
            crate::i18n::t(
                "Add `maxUnavailable: 0` next to `maxSurge` (surge: start the new Pod before stopping the old one), or remove `maxSurge`.",
                "Ajoutez `maxUnavailable: 0` à côté de `maxSurge` (surge : démarrer le nouveau Pod avant d'arrêter l'ancien), ou supprimez `maxSurge`.",
            ),
        );
        if let Some(un) = unavailable {
            v = v.secondary(un.span, crate::i18n::t("also non-zero", "non nul lui aussi"));
        }
        f.push(sn.span, v);
    } else if !has_u && !has_s {
        let Some(un) = unavailable else { return };
        f.push(
            un.span,
            Violation::new(
                un.span,
                crate::i18n::t("no progress possible", "aucune progression possible"),
                crate::i18n::t(format!(
                    "{}: `maxUnavailable` and `maxSurge` are both 0, so an update could never replace a Pod: the API server rejects it with `spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`",
                    f.obj.display()
                ), format!("{} : `maxUnavailable` et `maxSurge` valent tous deux 0, une mise à jour ne pourrait donc jamais remplacer un Pod : l'API server le rejette avec `spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`", f.obj.display())),
                crate::i18n::t("Set `maxUnavailable: 1`, or `maxSurge: 1` to start each new Pod before stopping the old one.", "Définissez `maxUnavailable: 1`, ou `maxSurge: 1` pour démarrer chaque nouveau Pod avant d'arrêter l'ancien."),
            ),
        );
    }
}

fn statefulset(strategy: &Strategy<'_>, f: &mut Findings<'_>) {
    if let Some(p) = strategy.rolling("partition") {
        if let Some(n) = p.as_i64().filter(|n| *n < 0) {
            f.push(
                p.span,
                Violation::new(
                    p.span,
                    crate::i18n::t("negative", "négatif"),
                    crate::i18n::t(format!(
                        "{}: `partition: {n}` is rejected by the API server with `spec.updateStrategy.rollingUpdate.partition: Invalid value: {n}: must be greater than or equal to 0`",
                        f.obj.display()
                    ), format!("{} : `partition: {n}` est rejeté par l'API server avec `spec.updateStrategy.rollingUpdate.partition: Invalid value: {n}: must be greater than or equal to 0`", f.obj.display())),
                    crate::i18n::t("Set `partition` to 0 (update every Pod) or to the first ordinal to update.", "Donnez à `partition` la valeur 0 (mettre à jour tous les Pods) ou le premier ordinal à mettre à jour."),
                ),
            );
        }
    }
    // StatefulSet `maxUnavailable` is on by default from 1.35 (MaxUnavailableStatefulSet); older
    // API servers drop the field before validating it.
    if f.minor < 35 {
        return;
    }
    let Some(un) = strategy.rolling("maxUnavailable") else { return };
    let Some(u) = f.int_or_percent(un, "maxUnavailable", true) else { return };
    if u.value() == 0 {
        f.push(
            un.span,
            Violation::new(
                un.span,
                crate::i18n::t("must not be 0", "ne doit pas valoir 0"),
                crate::i18n::t(format!(
                    "{}: `maxUnavailable: {}` would never let a Pod be replaced: the API server rejects it with `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0` (Kubernetes 1.35+, where the field is on by default; older clusters drop the field)",
                    f.obj.display(),
                    un.text().unwrap_or_default()
                ), format!("{} : `maxUnavailable: {}` ne laisserait jamais remplacer un Pod : l'API server le rejette avec `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0` (Kubernetes 1.35+, où le champ est actif par défaut ; les clusters plus anciens ignorent le champ)", f.obj.display(), un.text().unwrap_or_default())),
                crate::i18n::t("Remove `maxUnavailable` (default 1) or set it to 1 or more.", "Supprimez `maxUnavailable` (1 par défaut) ou donnez-lui la valeur 1 ou plus."),
            ),
        );
    }
}

fn progress_deadline(obj: &Object<'_>, f: &mut Findings<'_>) {
    let Some(spec) = obj.spec() else { return };
    let min_ready_node = spec.get_some("minReadySeconds");
    let min_ready = min_ready_node.and_then(Node::as_i64).unwrap_or(0);
    let written = spec.get_some("progressDeadlineSeconds");
    // apps/v1 defaults the deadline to 600 seconds; older groups leave it unset.
    let (deadline, node) = match written {
        Some(n) => match n.as_i64() {
            Some(d) => (d, n),
            None => return,
        },
        None if matches!(obj.api_version, "apps/v1" | "apps/v1beta2") => match min_ready_node {
            Some(m) => (600, m),
            None => return,
        },
        None => return,
    };
    if deadline > min_ready {
        return;
    }
    let (detail, detail_fr) = if written.is_some() {
        (
            format!("`progressDeadlineSeconds: {deadline}` is not greater than `minReadySeconds: {min_ready}`"),
            format!("`progressDeadlineSeconds: {deadline}` n'est pas supérieur à `minReadySeconds: {min_ready}`"),
        )
    } else {
        (
            format!("`minReadySeconds: {min_ready}` is not below the default `progressDeadlineSeconds` of 600"),
            format!(
                "`minReadySeconds: {min_ready}` n'est pas inférieur au `progressDeadlineSeconds` par défaut de 600"
            ),
        )
    };
    let mut v = Violation::new(
        node.span,
        crate::i18n::t("deadline not after minReadySeconds", "délai pas supérieur à minReadySeconds"),
        crate::i18n::t(
            format!(
                "{}: {detail}, so no rollout could ever complete in time: the API server rejects it with `spec.progressDeadlineSeconds: Invalid value: {deadline}: must be greater than minReadySeconds`",
                obj.display()
            ),
            format!(
                "{} : {detail_fr}, aucun déploiement ne pourrait donc jamais se terminer à temps : l'API server le rejette avec `spec.progressDeadlineSeconds: Invalid value: {deadline}: must be greater than minReadySeconds`",
                obj.display()
            ),
        ),
        crate::i18n::t(
            "Set `progressDeadlineSeconds` well above `minReadySeconds` (the time a new Pod must stay Ready), or lower `minReadySeconds`.",
            "Donnez à `progressDeadlineSeconds` une valeur bien supérieure à `minReadySeconds` (le temps pendant lequel un nouveau Pod doit rester Ready), ou baissez `minReadySeconds`.",
        ),
    );
    if let (Some(_), Some(m)) = (written, min_ready_node) {
        v = v.secondary(m.span, "minReadySeconds");
    }
    f.push(node.span, v);
}

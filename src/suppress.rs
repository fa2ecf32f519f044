//! Suppressions, applied after the rules ran so unused ones can be reported: the object
//! annotation `kubeadvise.io/ignore` (on the object or its pod template), the per-container
//! annotation `kubeadvise.io/ignore.<container-name>`, and the config's `suppressions`.
//! Reports `suppression-unused` and, in strict mode, `suppression-missing-reason`.

use std::collections::{HashMap, HashSet};

use crate::config::ConfigSuppression;
use crate::diagnostic::Diagnostic;
use crate::k8s::Object;
use crate::lint::{Selection, file_diagnostic};
use crate::rules::context::{IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION};
use crate::rules::{self, input};
use crate::source::Span;
use crate::yaml::Node;

/// One `kubeadvise.io/ignore[.<container>]` annotation value and the rule ids it names.
struct Annotation<'a> {
    value: &'a Node,
    /// The container it is limited to, if any.
    container: Option<&'a str>,
    rules: Vec<&'a str>,
    reason: bool,
}

fn annotations<'a>(object: &Object<'a>) -> Vec<Annotation<'a>> {
    let mut metadata: Vec<&'a Node> = object.metadata().into_iter().collect();
    if let Some(template) = object.pod_template().and_then(|t| t.metadata()) {
        // A bare Pod is its own template: do not read its annotations twice.
        if !metadata.iter().any(|m| std::ptr::eq(*m, template)) {
            metadata.push(template);
        }
    }
    let mut found = Vec::new();
    for meta in metadata {
        let Some(map) = meta.get("annotations").and_then(Node::as_map) else { continue };
        let reason = map.iter().any(|e| {
            e.key.text() == Some(IGNORE_REASON_ANNOTATION) && e.value.text().is_some_and(|r| !r.trim().is_empty())
        });
        for entry in map {
            let Some(key) = entry.key.text() else { continue };
            let container = match key.strip_prefix(IGNORE_ANNOTATION) {
                Some("") => None,
                Some(rest) => match rest.strip_prefix('.') {
                    Some(name) if !name.is_empty() => Some(name),
                    _ => continue,
                },
                None => continue,
            };
            let rules =
                entry.value.text().unwrap_or_default().split(',').map(str::trim).filter(|r| !r.is_empty()).collect();
            found.push(Annotation { value: &entry.value, container, rules, reason });
        }
    }
    found
}

/// The node of container `name` in the object's pod spec.
fn container_node<'a>(object: &Object<'a>, name: &str) -> Option<&'a Node> {
    object.pod_spec()?.all_containers().find(|c| c.name() == Some(name)).map(|c| c.node)
}

fn within(inner: Span, outer: Span) -> bool {
    inner.start() >= outer.start() && inner.end() <= outer.end()
}

/// Whether a config suppression covers a finding; an object without a namespace is in the run's
/// default namespace (`--namespace`, config `namespace`, else `default`).
fn config_matches(s: &ConfigSuppression, d: &Diagnostic, default_namespace: &str) -> bool {
    let Some(obj) = &d.object else { return false };
    config_covers(s, d.rule, &obj.kind, obj.namespace.as_deref().unwrap_or(default_namespace), obj.name.as_deref())
}

/// Whether a config suppression covers `rule` on an object of `kind` in `namespace` (already
/// defaulted) named `name`.
pub fn config_covers(s: &ConfigSuppression, rule: &str, kind: &str, namespace: &str, name: Option<&str>) -> bool {
    s.rule == rule
        && s.kind.as_ref().is_none_or(|g| g.is_match(kind))
        && s.namespace.as_ref().is_none_or(|g| g.is_match(namespace))
        && s.name.as_ref().is_none_or(|g| g.is_match(name.unwrap_or("")))
}

/// Options of the suppression pass.
pub struct Suppressions<'c> {
    pub config: &'c [ConfigSuppression],
    /// The config file's index among the run's files, to point at its suppressions.
    pub config_file: Option<usize>,
    pub strict: bool,
}

/// Drop suppressed findings; add `suppression-unused` and `suppression-missing-reason`.
pub fn apply(
    objects: &[Object<'_>],
    diagnostics: Vec<Diagnostic>,
    selection: &Selection,
    options: &Suppressions<'_>,
    default_namespace: &str,
) -> Vec<Diagnostic> {
    let by_object: HashMap<(usize, usize), &Object<'_>> =
        objects.iter().map(|o| ((o.file, o.root.span.start()), o)).collect();
    let mut used_annotations: HashSet<(usize, usize, String)> = HashSet::new();
    let mut used_config: HashSet<usize> = HashSet::new();
    // Filtered in place: a large run's findings are not held twice.
    let mut kept = diagnostics;
    kept.retain(|d| {
        let object = d.object_span.and_then(|s| by_object.get(&(d.file, s.start())));
        let mut suppressed = false;
        if let Some(object) = object {
            for a in annotations(object) {
                if !a.rules.contains(&d.rule) {
                    continue;
                }
                let applies = match a.container {
                    None => true,
                    Some(name) => {
                        container_node(object, name).is_some_and(|c| d.span.is_some_and(|s| within(s, c.span)))
                    }
                };
                if applies {
                    suppressed = true;
                    used_annotations.insert((d.file, a.value.span.start(), d.rule.to_string()));
                }
            }
        }
        for (i, s) in options.config.iter().enumerate() {
            if config_matches(s, d, default_namespace) {
                suppressed = true;
                used_config.insert(i);
            }
        }
        !suppressed
    });
    for object in objects {
        for a in annotations(object) {
            for rule in &a.rules {
                let unused = !used_annotations.contains(&(object.file, a.value.span.start(), rule.to_string()));
                let known = rules::meta(rule);
                // A rule that is off in this run cannot be judged; one that does not apply to
                // this kind never suppresses anything.
                let judged = known.is_none_or(|m| selection.is_enabled(m.id));
                if unused && judged && selection.is_enabled(input::SUPPRESSION_UNUSED.id) {
                    let (why, why_fr) = if known.is_none() {
                        ("names no rule", "ne nomme aucune règle")
                    } else {
                        ("suppresses nothing", "n'exclut rien")
                    };
                    let mut d = file_diagnostic(
                        &input::SUPPRESSION_UNUSED,
                        object.file,
                        Some(a.value.span),
                        crate::i18n::t(
                            format!("{}: suppression of `{rule}` {why}", object.display()),
                            format!("{} : l'exclusion de `{rule}` {why_fr}", object.display()),
                        ),
                    );
                    d.help = Some(crate::i18n::t(
                        "Remove the rule id from the annotation, so the suppression does not hide a future finding.",
                        "Retirez l'id de règle de l'annotation, pour que l'exclusion ne masque pas un futur diagnostic.",
                    ));
                    kept.push(d);
                }
            }
            if options.strict && !a.reason && selection.is_enabled(input::SUPPRESSION_MISSING_REASON.id) {
                let mut d = file_diagnostic(
                    &input::SUPPRESSION_MISSING_REASON,
                    object.file,
                    Some(a.value.span),
                    crate::i18n::t(
                        format!("{}: suppression without `{IGNORE_REASON_ANNOTATION}`", object.display()),
                        format!("{} : exclusion sans `{IGNORE_REASON_ANNOTATION}`", object.display()),
                    ),
                );
                d.help = Some(crate::i18n::t(
                    format!("Say why in a `{IGNORE_REASON_ANNOTATION}` annotation next to it."),
                    format!("Dites pourquoi dans une annotation `{IGNORE_REASON_ANNOTATION}` à côté."),
                ));
                kept.push(d);
            }
        }
    }
    if let Some(file) = options.config_file {
        for (i, s) in options.config.iter().enumerate() {
            if !used_config.contains(&i)
                && selection.is_enabled(&s.rule)
                && selection.is_enabled(input::SUPPRESSION_UNUSED.id)
            {
                let mut d = file_diagnostic(
                    &input::SUPPRESSION_UNUSED,
                    file,
                    Some(s.span),
                    crate::i18n::t(
                        format!("config suppression of `{}` suppresses nothing", s.rule),
                        format!("l'exclusion de `{}` dans la configuration n'exclut rien", s.rule),
                    ),
                );
                d.help = Some(crate::i18n::t(
                    "Remove it from the config, so it does not hide a future finding.",
                    "Retirez-la de la configuration, pour qu'elle ne masque pas un futur diagnostic.",
                ));
                kept.push(d);
            }
            if options.strict && s.reason.is_none() && selection.is_enabled(input::SUPPRESSION_MISSING_REASON.id) {
                let mut d = file_diagnostic(
                    &input::SUPPRESSION_MISSING_REASON,
                    file,
                    Some(s.span),
                    crate::i18n::t(
                        format!("config suppression of `{}` has no `reason`", s.rule),
                        format!("l'exclusion de `{}` dans la configuration n'a pas de `reason`", s.rule),
                    ),
                );
                d.help = Some(crate::i18n::t("Add `reason:` to the suppression.", "Ajoutez `reason:` à l'exclusion."));
                kept.push(d);
            }
        }
    }
    kept
}

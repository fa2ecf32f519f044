//! The finding of `xref-service-selects-nothing` and `xref-pdb-selects-nothing` once a selector
//! matches no pod template: the closest related workload and what differs (a near miss, at the
//! rule's severity), or, with none close, the assumption that the Pods come from outside the
//! input (open-world severity).

use super::{RuleContext, Violation};
use crate::k8s::selector::Selector;
use crate::k8s::{Object, xref};
use crate::source::Span;

/// The violation for `obj`, whose selector (its key at `key`) selects nothing.
pub(super) fn selects_nothing(
    ctx: &RuleContext<'_, '_>,
    obj: &Object<'_>,
    key: Span,
    selector: &Selector,
    help: String,
) -> Violation {
    let wanted = xref::describe_selector(selector);
    let related: Vec<Object<'_>> = xref::pod_templates(ctx.index, obj).into_iter().filter(|w| ctx.related(w)).collect();
    let Some(miss) = xref::near_miss(&related, selector) else {
        let assumed = if ctx.options.complete {
            String::new()
        } else {
            ctx.t(
                " (assumed they come from outside the input)",
                " (en supposant qu'ils proviennent de l'extérieur de l'entrée)",
            )
        };
        return Violation::new(
            key,
            ctx.t("matches no Pods in the input", "ne sélectionne aucun Pod de l'entrée"),
            ctx.t(
                format!(
                    "{} selects `{wanted}` but no pod template in its namespace has these labels{assumed}",
                    obj.display()
                ),
                format!(
                    "{} sélectionne `{wanted}` mais aucun template de Pod de son namespace n'a ces labels{assumed}",
                    obj.display()
                ),
            ),
            help,
        )
        .severity(ctx.open_world_severity());
    };
    let w = *miss.workload();
    let described = miss.describe();
    let mut message = ctx.t(
        format!("{} selects `{wanted}` but no Pod has these labels: {described}", obj.display()),
        format!("{} sélectionne `{wanted}` mais aucun Pod n'a ces labels : {described}", obj.display()),
    );
    let template_labels = w.pod_template().and_then(|t| t.labels()).unwrap_or(w.kind_node());
    let (labels, text) = match miss.differing_value() {
        Some(value) => (value, ctx.t("differs here", "diffère ici")),
        None => (template_labels, ctx.t("pod template labels", "labels du template de Pod")),
    };
    let label = ctx.t("matches no Pods", "ne sélectionne aucun Pod");
    if ctx.same_file(&w) {
        Violation::new(key, label, message, help).secondary(labels.span, text)
    } else {
        let location = ctx.location(&w, labels.span);
        message.push_str(&ctx.t(format!(" (see {location})"), format!(" (voir {location})")));
        Violation::new(key, label, message, help)
    }
}

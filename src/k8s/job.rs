//! Jobs and CronJobs: the Job spec of a Job or of a CronJob's `jobTemplate`, its pod template,
//! and the Helm-hook test the batch rules share. No rule logic lives here.

use super::Object;
use super::kinds::is_builtin;
use crate::source::Span;
use crate::yaml::Node;

/// The Job spec a batch object runs: a Job's `spec`, or a CronJob's `spec.jobTemplate.spec`.
/// `None` for other kinds, look-alike custom resources, and ill-typed specs.
pub fn job_spec<'a>(obj: &Object<'a>) -> Option<&'a Node> {
    if !is_builtin(obj) {
        return None;
    }
    let spec = match obj.kind {
        "Job" => obj.spec()?,
        "CronJob" => obj.spec()?.path(&["jobTemplate", "spec"])?,
        _ => return None,
    };
    spec.as_map().map(|_| spec)
}

/// Where a finding about a field missing from the Job spec goes: the `spec:` key of the Job,
/// or the `spec:` key under the CronJob's `jobTemplate`.
pub fn job_spec_key(obj: &Object<'_>) -> Option<Span> {
    let parent = match obj.kind {
        "Job" => obj.root,
        "CronJob" => obj.spec()?.get("jobTemplate")?,
        _ => return None,
    };
    Some(parent.entry("spec")?.key.span)
}

/// The CronJob's own `spec:` key, for findings about a field missing from it.
pub fn cronjob_spec_key(obj: &Object<'_>) -> Option<Span> {
    Some(obj.root.entry("spec")?.key.span)
}

/// The pod template of the Job spec (`template`), with its `spec:` key, when it is a mapping.
pub fn pod_template_spec(job_spec: &Node) -> Option<(&Node, Span)> {
    let entry = job_spec.get("template")?.entry("spec")?;
    entry.value.as_map()?;
    Some((&entry.value, entry.key.span))
}

/// A Kustomize patch or other partial Job: its pod template declares no containers, so the
/// rules about required fields stay quiet.
pub fn is_partial(pod_spec: &Node) -> bool {
    pod_spec.get("containers").and_then(Node::as_seq).is_none_or(<[Node]>::is_empty)
}

/// A Helm hook that Helm deletes itself (`helm.sh/hook-delete-policy`): a short-lived object
/// whose lifetime is not governed by the Job's own fields.
pub fn is_self_deleting_hook(obj: &Object<'_>) -> bool {
    obj.helm_hook().is_some() && obj.annotation("helm.sh/hook-delete-policy").is_some_and(|p| !p.trim().is_empty())
}

/// A Helm or Argo CD hook: both delete the previous copy before creating the next one when no
/// delete policy is set (Helm 3's and Argo CD's default `before-hook-creation`), so at most one
/// finished copy stays.
pub fn is_managed_hook(obj: &Object<'_>) -> bool {
    obj.helm_hook().is_some() || obj.annotation("argocd.argoproj.io/hook").is_some()
}

/// `spec.suspend: true` on the Job (or on the CronJob: no run is ever started).
pub fn is_suspended(obj: &Object<'_>) -> bool {
    let own = obj.spec().and_then(|s| s.get("suspend")).and_then(Node::as_bool) == Some(true);
    own || job_spec(obj).and_then(|s| s.get("suspend")).and_then(Node::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn with_object(text: &str, f: impl FnOnce(&Object<'_>)) {
        let (docs, _) = crate::yaml::load(&SourceFile::new("t", text.to_string()));
        let obj = Object::new(0, &docs[0].root).unwrap();
        f(&obj);
    }

    #[test]
    fn job_spec_of_a_cronjob_is_the_job_template_spec() {
        with_object(
            "apiVersion: batch/v1\nkind: CronJob\nspec:\n  suspend: true\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      template:\n        spec:\n          containers: []\n",
            |obj| {
                let spec = job_spec(obj).unwrap();
                assert_eq!(spec.get("backoffLimit").and_then(Node::as_i64), Some(2));
                let (pod, _) = pod_template_spec(spec).unwrap();
                assert!(is_partial(pod));
                assert!(is_suspended(obj));
                assert!(job_spec_key(obj).is_some());
            },
        );
    }

    #[test]
    fn custom_resources_are_not_jobs() {
        with_object("apiVersion: example.com/v1\nkind: Job\nspec: {}\n", |obj| assert!(job_spec(obj).is_none()));
        with_object("apiVersion: batch/v1\nkind: Job\nspec: {}\n", |obj| {
            assert!(job_spec(obj).is_some());
            assert!(!is_suspended(obj));
        });
    }

    #[test]
    fn hooks_deleted_by_helm() {
        with_object(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-succeeded\n",
            |obj| assert!(is_self_deleting_hook(obj)),
        );
        with_object(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n",
            |obj| {
                assert!(!is_self_deleting_hook(obj));
                assert!(is_managed_hook(obj));
            },
        );
    }
}

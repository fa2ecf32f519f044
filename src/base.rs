//! The old version of the manifests (`--base <path>`, e.g. the merge base checked out in CI):
//! its loaded files, and its objects indexed by identity (API group, kind, namespace, name), so
//! rules can compare an object with the version the cluster already has.

use std::collections::HashMap;

use crate::k8s::{Object, objects_of};
use crate::lint::LoadedFile;
use crate::source::Span;

/// Identity of an object: (API group, kind, namespace with the default applied, name).
type Key = (String, String, String, String);

pub struct Base {
    files: Vec<LoadedFile>,
    /// Key → (file, document, object within the document).
    objects: HashMap<Key, (usize, usize, usize)>,
    default_namespace: String,
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Base").field("files", &self.files.len()).field("objects", &self.objects.len()).finish()
    }
}

impl Base {
    /// Index the objects of the base files; with duplicates, the first one wins.
    pub fn new(files: Vec<LoadedFile>, default_namespace: &str) -> Base {
        let mut objects = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            for (d, doc) in file.documents.iter().enumerate() {
                for (k, obj) in objects_of(f, &doc.root).0.iter().enumerate() {
                    let Some(name) = obj.name() else { continue };
                    let key = (
                        obj.group().to_string(),
                        obj.declared_kind.to_string(),
                        obj.namespace_or(default_namespace).to_string(),
                        name.to_string(),
                    );
                    objects.entry(key).or_insert((f, d, k));
                }
            }
        }
        Base { files, objects, default_namespace: default_namespace.to_string() }
    }

    /// The base version of `object` (same group, kind, namespace and name), if any.
    pub fn find(&self, object: &Object<'_>) -> Option<Object<'_>> {
        let key = (
            object.group().to_string(),
            object.declared_kind.to_string(),
            object.namespace_or(&self.default_namespace).to_string(),
            object.name()?.to_string(),
        );
        let (f, d, k) = *self.objects.get(&key)?;
        objects_of(f, &self.files.get(f)?.documents.get(d)?.root).0.get(k).copied()
    }

    /// `path:line:column` of a node of a base object.
    pub fn location(&self, object: &Object<'_>, span: Span) -> String {
        match self.files.get(object.file) {
            Some(file) => {
                let p = file.source.position(span.start());
                format!("{}:{}:{}", file.source.display_name(), p.line, p.column)
            }
            None => "?".to_string(),
        }
    }

    pub fn files(&self) -> &[LoadedFile] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

//! kubeadvise: a linter and advisor for Kubernetes manifests. The library holds the whole
//! pipeline (discover → yaml → k8s objects → index → rules → output); `main.rs` only calls `app`.

pub mod alloc;
pub mod app;
pub mod base;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod explain;
pub mod i18n;
pub mod index;
pub mod k8s;
pub mod lint;
pub mod output;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod yaml;

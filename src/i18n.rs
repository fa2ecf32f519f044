//! The language of the diagnostics for code that has no `RuleContext` at hand (the loader, shared
//! Kubernetes checks, schema messages): one language per process, set by the run before it reads
//! its inputs. Rules use `RuleContext::t`, which reads the run's options.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::explain::Lang;

static FRENCH: AtomicBool = AtomicBool::new(false);

/// Set the language of the diagnostics produced from now on in this process.
pub fn set_lang(lang: Lang) {
    FRENCH.store(lang == Lang::Fr, Ordering::Relaxed);
}

/// The language set by the run.
pub fn lang() -> Lang {
    if FRENCH.load(Ordering::Relaxed) { Lang::Fr } else { Lang::En }
}

/// The English or the French text, as the run's language asks.
pub fn t(en: impl Into<String>, fr: impl Into<String>) -> String {
    if lang() == Lang::Fr { fr.into() } else { en.into() }
}

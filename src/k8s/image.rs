//! Container image references (`[registry/]repository[:tag][@digest]`), parsed as the container
//! runtime reads them, and whether one names a fixed build. No rule logic lives here.

/// A parsed image reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Registry host (`registry.example.com:5000`, `localhost`), when the first path segment
    /// names one; `None` means Docker Hub.
    pub registry: Option<&'a str>,
    /// Repository path without registry, tag or digest (`library/nginx` is written `nginx`).
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    /// `sha256:…` after the `@`.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Parse an image reference. `None` for text that is not one: empty, containing whitespace
    /// or template placeholders (`{{ .Values.image }}`, `${IMAGE}`, `$(IMAGE)`), which are
    /// substituted before the manifest reaches the cluster, and Istio's `auto`, which its
    /// injection webhook replaces with the proxy image.
    pub fn parse(image: &'a str) -> Option<ImageRef<'a>> {
        let image = image.trim();
        if image.is_empty()
            || image == "auto"
            || image.chars().any(|c| c.is_whitespace() || matches!(c, '{' | '}' | '$' | '<' | '>' | '"' | '\''))
        {
            return None;
        }
        let (name, digest) = match image.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (image, None),
        };
        if digest.is_some_and(|d| !d.contains(':')) {
            return None;
        }
        // A tag follows the last `:` after the last `/` (a `:` before it is a registry port).
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
            None => (name, None),
        };
        if path.is_empty() || tag.is_some_and(str::is_empty) || path.starts_with('/') || path.ends_with('/') {
            return None;
        }
        let (registry, repository) = match path.split_once('/') {
            Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => {
                (Some(first), rest)
            }
            _ => (None, path),
        };
        if repository.is_empty() {
            return None;
        }
        Some(ImageRef { registry, repository, tag, digest })
    }

    /// A digest pins the exact bytes, whatever the tag says.
    pub fn is_pinned_by_digest(&self) -> bool {
        self.digest.is_some()
    }

    /// No digest, and no tag or the tag `latest`: the name resolves to whatever was pushed last.
    pub fn is_latest(&self) -> bool {
        self.digest.is_none() && self.tag.is_none_or(|t| t == "latest")
    }

    /// The tag if there is no digest (what the runtime will resolve), for messages.
    pub fn floating_tag(&self) -> Option<&'a str> {
        if self.digest.is_some() { None } else { self.tag }
    }
}

/// Tags that by convention follow a branch or channel: another kind of moving target.
pub const FLOATING_TAGS: [&str; 6] = ["stable", "main", "master", "dev", "edge", "nightly"];

#[cfg(test)]
mod tests {
    use super::*;

    type Parts<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);

    fn parts(image: &str) -> Option<Parts<'_>> {
        ImageRef::parse(image).map(|r| (r.registry, r.repository, r.tag, r.digest))
    }

    #[test]
    fn parses_references() {
        assert_eq!(parts("nginx"), Some((None, "nginx", None, None)));
        assert_eq!(parts("nginx:1.27"), Some((None, "nginx", Some("1.27"), None)));
        assert_eq!(parts("bitnami/redis:7.2"), Some((None, "bitnami/redis", Some("7.2"), None)));
        assert_eq!(
            parts("registry.example.com:5000/team/web"),
            Some((Some("registry.example.com:5000"), "team/web", None, None))
        );
        assert_eq!(
            parts("localhost/web:dev@sha256:abc"),
            Some((Some("localhost"), "web", Some("dev"), Some("sha256:abc")))
        );
        assert_eq!(parts("quay.io/x/y@sha256:abc"), Some((Some("quay.io"), "x/y", None, Some("sha256:abc"))));
    }

    #[test]
    fn rejects_templates_and_junk() {
        for image in ["", "auto", "{{ .Values.image }}", "${IMAGE}", "$(IMAGE)", "web:", "web@abc", "a b", "/web"] {
            assert_eq!(ImageRef::parse(image), None, "{image}");
        }
    }

    #[test]
    fn latest_means_no_tag_or_latest_without_digest() {
        let latest = |i| ImageRef::parse(i).is_some_and(|r| r.is_latest());
        assert!(latest("nginx"));
        assert!(latest("nginx:latest"));
        assert!(latest("registry.example.com:5000/web"));
        assert!(!latest("nginx:1.27"));
        assert!(!latest("nginx:latest@sha256:abc"));
        assert!(!latest("nginx@sha256:abc"));
    }
}

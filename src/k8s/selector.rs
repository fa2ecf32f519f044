//! Label selectors: the `matchLabels` + `matchExpressions` form (Deployments, PDBs,
//! NetworkPolicies) and the plain-map form (Services, ReplicationControllers), matched against a
//! pod template's labels.

use crate::yaml::Node;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed selector. An empty selector matches everything (policy/v1 PDB, NetworkPolicy
/// `podSelector: {}`); callers decide what "absent" means for their kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

impl Selector {
    /// A `LabelSelector` (`matchLabels`, `matchExpressions`). `None` when ill-formed, so a rule
    /// never guesses about a selector the API server would reject.
    pub fn from_label_selector(node: &Node) -> Option<Selector> {
        if node.is_null() {
            return Some(Selector::default());
        }
        node.as_map()?;
        let mut requirements = Vec::new();
        if let Some(labels) = node.get_some("matchLabels") {
            for entry in labels.as_map()? {
                requirements.push(Requirement::Equals(entry.key.text()?.to_string(), entry.value.text()?.to_string()));
            }
        }
        if let Some(exprs) = node.get_some("matchExpressions") {
            for expr in exprs.as_seq()? {
                let key = expr.get("key")?.text()?.to_string();
                let values = || -> Option<Vec<String>> {
                    expr.get("values")?.as_seq()?.iter().map(|v| v.text().map(str::to_string)).collect()
                };
                requirements.push(match expr.get("operator")?.text()? {
                    "In" => Requirement::In(key, values()?),
                    "NotIn" => Requirement::NotIn(key, values()?),
                    "Exists" => Requirement::Exists(key),
                    "DoesNotExist" => Requirement::DoesNotExist(key),
                    _ => return None,
                });
            }
        }
        Some(Selector { requirements })
    }

    /// A plain `key: value` map selector (Service `spec.selector`).
    pub fn from_map(node: &Node) -> Option<Selector> {
        let mut requirements = Vec::new();
        for entry in node.as_map()? {
            requirements.push(Requirement::Equals(entry.key.text()?.to_string(), entry.value.text()?.to_string()));
        }
        Some(Selector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether a set of labels (a mapping node; `None` = no labels) satisfies every requirement.
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        let get = |key: &str| labels.and_then(|l| l.get(key)).and_then(Node::text);
        self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| vs.iter().all(|v| v != x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::yaml::test_node as node;

    #[test]
    fn match_labels_and_expressions() {
        let sel = Selector::from_label_selector(&node(
            "matchLabels: {app: db}\nmatchExpressions:\n- {key: tier, operator: In, values: [a, b]}\n- {key: canary, operator: DoesNotExist}\n",
        ))
        .unwrap();
        assert!(sel.matches(Some(&node("{app: db, tier: a}"))));
        assert!(!sel.matches(Some(&node("{app: db, tier: c}"))));
        assert!(!sel.matches(Some(&node("{app: db, tier: a, canary: 'yes'}"))));
        assert!(!sel.matches(None));
    }

    #[test]
    fn map_selectors_match_subsets() {
        let sel = Selector::from_map(&node("{app: web}")).unwrap();
        assert!(sel.matches(Some(&node("{app: web, version: v2}"))));
        assert!(!sel.matches(Some(&node("{app: api}"))));
    }
}

//! Update strategies of Deployments (`spec.strategy`), DaemonSets and StatefulSets
//! (`spec.updateStrategy`) as the API server sees them after defaulting, and the IntOrString
//! checks of `ValidatePositiveIntOrPercent` / `IsNotMoreThan100Percent` / `getIntOrPercentValue`
//! (`pkg/apis/apps/validation`).

use super::Object;
use crate::yaml::Node;

/// An IntOrString value as decoded (`maxSurge: 1` is an int, `maxSurge: "1"` a string).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrStr<'a> {
    Int(i64),
    Str(&'a str),
}

impl<'a> IntOrStr<'a> {
    /// An int or a string scalar; `None` for anything else (floats, maps: a decode error that
    /// the schema rules report).
    pub fn from_node(node: &'a Node) -> Option<IntOrStr<'a>> {
        if let Some(i) = node.as_i64() {
            return Some(IntOrStr::Int(i));
        }
        node.as_str().map(IntOrStr::Str)
    }

    /// `getPercentValue`: the number of a valid percentage string (`25%`).
    pub fn percent(self) -> Option<i64> {
        match self {
            IntOrStr::Str(s) if is_valid_percent(s) => s[..s.len() - 1].parse::<i64>().ok(),
            _ => None,
        }
    }

    /// `getIntOrPercentValue`: the percentage, or the integer (a non-numeric string counts as 0).
    pub fn value(self) -> i64 {
        match self {
            IntOrStr::Int(i) => i,
            IntOrStr::Str(s) => self.percent().unwrap_or_else(|| s.parse().unwrap_or(0)),
        }
    }

    /// `ValidatePositiveIntOrPercent`: the API server's complaint, if any.
    pub fn positive_problem(self) -> Option<&'static str> {
        match self {
            IntOrStr::Int(i) if i < 0 => Some("must be greater than or equal to 0"),
            IntOrStr::Int(_) => None,
            IntOrStr::Str(s) if is_valid_percent(s) => None,
            IntOrStr::Str(_) => Some("a valid percent string must be a numeric string followed by an ending '%'"),
        }
    }

    /// `IsNotMoreThan100Percent`: a percentage above 100%.
    pub fn over_100_percent(self) -> bool {
        self.percent().is_some_and(|p| p > 100)
    }
}

/// `IsValidPercent`: `^[0-9]+%$`.
pub fn is_valid_percent(s: &str) -> bool {
    s.strip_suffix('%').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// A workload's update strategy.
#[derive(Clone, Copy, Debug)]
pub struct Strategy<'a> {
    /// `strategy` (Deployment) or `updateStrategy` (DaemonSet, StatefulSet).
    pub field: &'static str,
    /// The strategy mapping, when written and not null.
    pub node: Option<&'a Node>,
    /// The `type` value node, when written and not null.
    pub type_node: Option<&'a Node>,
    /// The type after defaulting (the written one when not empty).
    pub effective_type: &'a str,
    /// The `rollingUpdate` key and value, when the value is not null.
    pub rolling_update: Option<&'a crate::yaml::Entry>,
}

impl<'a> Strategy<'a> {
    /// `rollingUpdate.<key>` when written and not null.
    pub fn rolling(&self, key: &str) -> Option<&'a Node> {
        self.rolling_update?.value.get_some(key)
    }
}

/// The type a strategy gets when `type` is absent or empty, per kind and API version.
fn default_type(obj: &Object<'_>) -> &'static str {
    match (obj.kind, obj.api_version) {
        ("DaemonSet", "extensions/v1beta1") | ("StatefulSet", "apps/v1beta1") => "OnDelete",
        _ => "RollingUpdate",
    }
}

/// The update strategy of a Deployment, DaemonSet or StatefulSet; `None` for other kinds, or when
/// `spec` or the strategy is not a mapping.
pub fn strategy_of<'a>(obj: &Object<'a>) -> Option<Strategy<'a>> {
    let field = match obj.kind {
        "Deployment" => "strategy",
        "DaemonSet" | "StatefulSet" => "updateStrategy",
        _ => return None,
    };
    let spec = obj.spec()?;
    spec.as_map()?;
    let node = spec.get_some(field);
    if node.is_some_and(|n| n.as_map().is_none()) {
        return None;
    }
    let type_node = node.and_then(|n| n.get_some("type"));
    let written = type_node.and_then(Node::text).filter(|t| !t.is_empty());
    let rolling_update = node.and_then(|n| n.entry("rollingUpdate")).filter(|e| !e.value.is_null());
    Some(Strategy { field, node, type_node, effective_type: written.unwrap_or(default_type(obj)), rolling_update })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_or_string_like_the_api_server() {
        assert_eq!(IntOrStr::Str("25%").value(), 25);
        assert_eq!(IntOrStr::Str("0%").value(), 0);
        assert_eq!(IntOrStr::Str("abc").value(), 0);
        assert_eq!(IntOrStr::Int(2).value(), 2);
        assert!(IntOrStr::Str("1").positive_problem().is_some());
        assert!(IntOrStr::Str("-5%").positive_problem().is_some());
        assert!(IntOrStr::Str("1.5%").positive_problem().is_some());
        assert!(IntOrStr::Str("25%").positive_problem().is_none());
        assert!(IntOrStr::Int(-1).positive_problem().is_some());
        assert!(IntOrStr::Int(0).positive_problem().is_none());
        assert!(IntOrStr::Str("101%").over_100_percent());
        assert!(!IntOrStr::Str("100%").over_100_percent());
        assert!(!IntOrStr::Int(150).over_100_percent());
        assert!(!IntOrStr::Str("150").over_100_percent());
        assert_eq!(IntOrStr::Str("1").value(), 1);
    }
}

//! IntOrString fields such as `maxSurge` and `maxUnavailable`: an integer or a percentage,
//! resolved against a replica count with the rounding the controllers use.

use crate::yaml::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i64),
    /// Percent value as written (`25%` → 25).
    Percent(i64),
}

/// How a percentage is rounded against the replica count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Down,
    Up,
}

impl IntOrPercent {
    /// Read an integer or a `N%` string; anything else (`"abc"`, `1.5`) is `None`: the schema
    /// rules report it, the rules using the value stay quiet.
    pub fn from_node(node: &Node) -> Option<IntOrPercent> {
        if let Some(i) = node.as_i64() {
            return Some(IntOrPercent::Int(i));
        }
        let text = node.as_str()?.trim();
        let digits = text.strip_suffix('%')?;
        digits.parse::<i64>().ok().map(IntOrPercent::Percent)
    }

    /// The absolute value for `total` replicas (Kubernetes `GetScaledValueFromIntOrPercent`).
    pub fn resolve(self, total: i64, rounding: Rounding) -> i64 {
        match self {
            IntOrPercent::Int(i) => i,
            IntOrPercent::Percent(p) => {
                let scaled = p.saturating_mul(total);
                match rounding {
                    Rounding::Down => scaled.div_euclid(100),
                    Rounding::Up => (scaled + 99).div_euclid(100),
                }
            }
        }
    }

    pub fn is_percent(self) -> bool {
        matches!(self, IntOrPercent::Percent(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_the_deployment_controller() {
        let p = IntOrPercent::Percent(25);
        assert_eq!(p.resolve(1, Rounding::Up), 1);
        assert_eq!(p.resolve(1, Rounding::Down), 0);
        assert_eq!(p.resolve(10, Rounding::Up), 3);
        assert_eq!(p.resolve(10, Rounding::Down), 2);
        assert_eq!(IntOrPercent::Percent(100).resolve(3, Rounding::Down), 3);
        assert_eq!(IntOrPercent::Int(2).resolve(10, Rounding::Up), 2);
    }
}

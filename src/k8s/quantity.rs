//! Resource quantities (`500m`, `1Gi`, `2e3`) parsed as the API server's `resource.ParseQuantity`
//! does, to an exact count of nano-units for comparisons. Only syntax and value; which quantities
//! a field accepts (non-negative, request ≤ limit) is the caller's business.

/// A parsed quantity. `nanos` is `None` when the value is syntactically valid but too large to
/// compare exactly (e.g. `1e40`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub negative: bool,
    /// Absolute value in units of 10⁻⁹, rounded up.
    pub nanos: Option<i128>,
}

/// Why a string is not a quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    Empty,
    /// The number part is not `[+-]digits[.digits]`, or something follows the suffix.
    Format,
    /// The suffix is not one of `Ki Mi Gi Ti Pi Ei`, `n u m k M G T P E` or `e<exponent>`.
    Suffix,
}

impl QuantityError {
    pub fn describe(self) -> &'static str {
        if crate::i18n::lang() == crate::explain::Lang::Fr {
            return match self {
                QuantityError::Empty => "vide",
                QuantityError::Format => "pas un nombre suivi d'un suffixe facultatif (sans espaces)",
                QuantityError::Suffix => {
                    "suffixe inconnu (utilisez Ki, Mi, Gi, Ti, Pi, Ei, ou n, u, m, k, M, G, T, P, E)"
                }
            };
        }
        match self {
            QuantityError::Empty => "empty",
            QuantityError::Format => "not a number with an optional suffix (no spaces)",
            QuantityError::Suffix => "unknown suffix (use Ki, Mi, Gi, Ti, Pi, Ei, or n, u, m, k, M, G, T, P, E)",
        }
    }
}

/// Parse like `resource.ParseQuantity`: `[+-]digits[.digits][suffix]`.
pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
    if text.is_empty() {
        return Err(QuantityError::Empty);
    }
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes[0] {
        b'-' => {
            pos = 1;
            true
        }
        b'+' => {
            pos = 1;
            false
        }
        _ => false,
    };
    let int_start = pos;
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let int_part = &text[int_start..pos];
    let mut frac_part = "";
    if pos < bytes.len() && bytes[pos] == b'.' {
        let start = pos + 1;
        pos = start;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        frac_part = &text[start..pos];
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(QuantityError::Format);
    }
    let suffix = &text[pos..];
    // The suffix is letters from `eEinumkKMGTP`, an optional sign, then digits; anything else
    // (a space, `b`, `B`) is a format error.
    let letters_end = suffix.find(|c: char| !"eEinumkKMGTP".contains(c)).unwrap_or(suffix.len());
    let mut rest = &suffix[letters_end..];
    rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    if !rest.chars().all(|c| c.is_ascii_digit()) {
        return Err(QuantityError::Format);
    }
    let (decimal_exp, binary_exp) = interpret_suffix(suffix).ok_or(QuantityError::Suffix)?;
    Ok(Quantity { negative, nanos: to_nanos(int_part, frac_part, decimal_exp, binary_exp) })
}

/// (power of ten, power of 1024) of a suffix.
fn interpret_suffix(suffix: &str) -> Option<(i32, u32)> {
    let decimal = match suffix {
        "" => Some(0),
        "n" => Some(-9),
        "u" => Some(-6),
        "m" => Some(-3),
        "k" => Some(3),
        "M" => Some(6),
        "G" => Some(9),
        "T" => Some(12),
        "P" => Some(15),
        "E" => Some(18),
        _ => None,
    };
    if let Some(e) = decimal {
        return Some((e, 0));
    }
    let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].iter().position(|s| *s == suffix);
    if let Some(i) = binary {
        return Some((0, i as u32 + 1));
    }
    let exponent = suffix.strip_prefix(['e', 'E'])?;
    if exponent.is_empty() {
        return None;
    }
    exponent.parse::<i32>().ok().map(|e| (e, 0))
}

fn to_nanos(int_part: &str, frac_part: &str, decimal_exp: i32, binary_exp: u32) -> Option<i128> {
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if digits.len() > 30 {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    let scaled = mantissa.checked_mul(1024i128.checked_pow(binary_exp)?)?;
    let exp = 9 + decimal_exp - i32::try_from(frac_part.len()).ok()?;
    if exp >= 0 {
        scaled.checked_mul(10i128.checked_pow(u32::try_from(exp).ok()?)?)
    } else {
        let divisor = 10i128.checked_pow(u32::try_from(-exp).ok()?);
        // Beyond i128 the value is below one nano-unit: it rounds up to 1.
        Some(divisor.map_or(1, |d| (scaled + d - 1) / d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(s: &str) -> Option<i128> {
        parse(s).ok().and_then(|q| q.nanos)
    }

    #[test]
    fn valid_quantities() {
        assert_eq!(nanos("500m"), Some(500_000_000));
        assert_eq!(nanos("0.5"), Some(500_000_000));
        assert_eq!(nanos("1Gi"), Some(1_073_741_824_000_000_000));
        assert_eq!(nanos("1Gi"), nanos("1073741824"));
        assert_eq!(nanos("1k"), nanos("1e3"));
        assert_eq!(nanos("1E"), Some(1_000_000_000_000_000_000_000_000_000));
        assert_eq!(nanos(".5"), nanos("500m"));
        assert_eq!(nanos("5."), nanos("5"));
        assert_eq!(nanos("0"), Some(0));
        assert_eq!(nanos("1n"), Some(1));
        assert!(parse("-1").is_ok_and(|q| q.negative));
        assert_eq!(nanos("1e40"), None);
        assert!(parse("1e40").is_ok());
    }

    #[test]
    fn invalid_quantities() {
        assert_eq!(parse(""), Err(QuantityError::Empty));
        assert_eq!(parse("512mb"), Err(QuantityError::Format));
        assert_eq!(parse("1GB"), Err(QuantityError::Format));
        assert_eq!(parse("2 Gi"), Err(QuantityError::Format));
        assert_eq!(parse("1gi"), Err(QuantityError::Format));
        assert_eq!(parse("1K"), Err(QuantityError::Suffix));
        assert_eq!(parse("1Mb"), Err(QuantityError::Format));
        assert_eq!(parse("."), Err(QuantityError::Format));
        assert_eq!(parse("abc"), Err(QuantityError::Format));
        assert_eq!(parse("1mi"), Err(QuantityError::Suffix));
    }
}

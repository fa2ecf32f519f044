//! CronJob schedules as the CronJob controller parses them (`robfig/cron` v3 `ParseStandard`:
//! five fields, `@yearly`…`@hourly` and `@every <duration>` descriptors), and the time-zone
//! checks of `validateScheduleFormat` / `validateTimeZone`.

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// The first name's value (months start at 1, days at 0).
    names_from: u32,
}

const FIELDS: [Field; 5] = [
    Field { name: "minute", min: 0, max: 59, names: &[], names_from: 0 },
    Field { name: "hour", min: 0, max: 23, names: &[], names_from: 0 },
    Field { name: "day of month", min: 1, max: 31, names: &[], names_from: 0 },
    Field { name: "month", min: 1, max: 12, names: &MONTHS, names_from: 1 },
    Field { name: "day of week", min: 0, max: 6, names: &DAYS, names_from: 0 },
];

/// The French name of a field.
fn field_name_fr(name: &str) -> &'static str {
    match name {
        "minute" => "minute",
        "hour" => "heure",
        "day of month" => "jour du mois",
        "month" => "mois",
        _ => "jour de la semaine",
    }
}

/// Ranges and shape, once every value is known to be a number or a name.
fn schedule_error(schedule: &str) -> Option<String> {
    let trimmed = schedule.trim();
    if trimmed.is_empty() {
        return Some(crate::i18n::t("is empty", "est vide"));
    }
    if let Some(descriptor) = trimmed.strip_prefix('@') {
        if let Some(duration) = descriptor.strip_prefix("every ") {
            return if is_go_duration(duration.trim()) {
                None
            } else {
                Some(crate::i18n::t(
                    format!("has `@every {}`, which is not a duration such as `5m` or `1h30m`", duration.trim()),
                    format!("a `@every {}`, qui n'est pas une durée comme `5m` ou `1h30m`", duration.trim()),
                ))
            };
        }
        return match descriptor {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => None,
            _ => Some(crate::i18n::t(
                format!(
                    "uses the unknown descriptor `@{descriptor}` (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>)"
                ),
                format!(
                    "utilise le descripteur inconnu `@{descriptor}` (connus : @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>)"
                ),
            )),
        };
    }
    let fields: Vec<&str> = trimmed.split_whitespace().collect();
    if fields.len() != 5 {
        let hint = if fields.len() == 6 { " (a seconds field is not supported)" } else { "" };
        let hint_fr = if fields.len() == 6 { " (un champ des secondes n'est pas pris en charge)" } else { "" };
        return Some(crate::i18n::t(
            format!(
                "has {} fields; a schedule has exactly 5 (minute hour day-of-month month day-of-week){hint}",
                fields.len()
            ),
            format!(
                "a {} champs ; un schedule en a exactement 5 (minute heure jour-du-mois mois jour-de-la-semaine){hint_fr}",
                fields.len()
            ),
        ));
    }
    for (text, field) in fields.iter().zip(FIELDS.iter()) {
        if let Some(e) = field_error(text, field) {
            return Some(crate::i18n::t(
                format!("has {} field `{text}`: {e}", field.name),
                format!("a le champ {} `{text}` : {e}", field_name_fr(field.name)),
            ));
        }
    }
    None
}

fn field_error(text: &str, field: &Field) -> Option<String> {
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        let (start, end) = if range == "*" || range == "?" {
            (field.min, field.max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, field)?, value(b, field)?)
        } else {
            let a = value(range, field)?;
            (a, if step.is_some() { field.max } else { a })
        };
        if start < field.min {
            return Some(crate::i18n::t(
                format!("{start} is below the minimum {}", field.min),
                format!("{start} est inférieur au minimum {}", field.min),
            ));
        }
        if end > field.max {
            return Some(crate::i18n::t(
                format!("{end} is above the maximum {}", field.max),
                format!("{end} est supérieur au maximum {}", field.max),
            ));
        }
        if start > end {
            return Some(crate::i18n::t(
                format!("the range starts at {start}, after its end {end}"),
                format!("l'intervalle commence à {start}, après sa fin {end}"),
            ));
        }
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(0) | Err(_) => {
                    return Some(crate::i18n::t(
                        format!("step `{step}` is not a positive number"),
                        format!("le pas `{step}` n'est pas un nombre positif"),
                    ));
                }
                Ok(_) => {}
            }
        }
    }
    None
}

/// A number or a name (`jan`, `sun`); `None` otherwise (reported by `bad_value`).
fn value(text: &str, field: &Field) -> Option<u32> {
    if let Some(i) = field.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Some(i as u32 + field.names_from);
    }
    text.parse::<u32>().ok()
}

/// Like `field_error`, but reports values that are neither numbers nor names.
fn bad_value(text: &str, field: &Field) -> Option<String> {
    for part in text.split(',') {
        let range = part.split_once('/').map_or(part, |(r, _)| r);
        if range == "*" || range == "?" {
            continue;
        }
        for v in range.splitn(2, '-') {
            if value(v, field).is_none() {
                return Some(crate::i18n::t(
                    format!("`{v}` is not a number{}", if field.names.is_empty() { "" } else { " or a name" }),
                    format!("`{v}` n'est pas un nombre{}", if field.names.is_empty() { "" } else { " ni un nom" }),
                ));
            }
        }
    }
    None
}

/// Go's `time.ParseDuration` syntax: one or more `<number><unit>`, units ns us µs ms s m h.
pub fn is_go_duration(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_end == 0 || rest[..num_end] == *"." {
            return false;
        }
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        if !matches!(&rest[..unit_end], "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return false;
        }
        rest = &rest[unit_end..];
    }
    true
}

/// Why a schedule does not parse, or `None`: values that are not numbers or names first, then
/// field count, ranges and steps.
pub fn check(schedule: &str) -> Option<String> {
    let trimmed = schedule.trim();
    if !trimmed.starts_with('@') {
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        if fields.len() == 5 {
            for (text, field) in fields.iter().zip(FIELDS.iter()) {
                if let Some(e) = bad_value(text, field) {
                    return Some(crate::i18n::t(
                        format!("has {} field `{text}`: {e}", field.name),
                        format!("a le champ {} `{text}` : {e}", field_name_fr(field.name)),
                    ));
                }
            }
        }
    }
    schedule_error(schedule)
}

/// Why a `timeZone` is rejected, or `None`: `Local`, malformed names, offsets, and names that are
/// not in the IANA database (`tzdata`).
pub fn time_zone_error(tz: &str) -> Option<String> {
    if tz == "Local" {
        return Some(crate::i18n::t(
            "is not allowed: name an explicit zone (the controller's own zone would apply)",
            "n'est pas autorisé : nommez un fuseau explicite (le fuseau du contrôleur s'appliquerait)",
        ));
    }
    if tz.is_empty() {
        return Some(crate::i18n::t("is empty", "est vide"));
    }
    if tz.starts_with('/') || tz.ends_with('/') || tz.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
        return Some(crate::i18n::t(
            "is not a zone name such as `Europe/Paris` or `UTC`",
            "n'est pas un nom de fuseau comme `Europe/Paris` ou `UTC`",
        ));
    }
    if !tz.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+')) {
        return Some(crate::i18n::t(
            "contains characters no IANA zone name has (use e.g. `Europe/Paris`, `America/New_York`)",
            "contient des caractères qu'aucun nom de fuseau IANA ne contient (utilisez par exemple `Europe/Paris`, `America/New_York`)",
        ));
    }
    // Offsets written as a zone: `UTC+2`, `GMT-05:00` are not names (`Etc/GMT-2` is).
    let upper = tz.to_ascii_uppercase();
    if (upper.starts_with("UTC") || upper.starts_with("GMT"))
        && tz.len() > 3
        && !["UTC0", "GMT0", "GMT+0", "GMT-0"].contains(&upper.as_str())
    {
        let sign = if tz.contains('+') { "-N" } else { "+N" };
        return Some(crate::i18n::t(
            format!("is an offset, not an IANA zone name (use `Etc/GMT{sign}` with the sign inverted, or a city zone)"),
            format!(
                "est un décalage, pas un nom de fuseau IANA (utilisez `Etc/GMT{sign}` avec le signe inversé, ou le fuseau d'une ville)"
            ),
        ));
    }
    if !super::tzdata::is_known_zone(tz) {
        return Some(crate::i18n::t(
            "is not a zone of the IANA time-zone database (names are case-sensitive, e.g. `Europe/Paris`, `America/New_York`, `Etc/UTC`)",
            "n'est pas un fuseau de la base de fuseaux horaires IANA (les noms sont sensibles à la casse, par exemple `Europe/Paris`, `America/New_York`, `Etc/UTC`)",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        for ok in [
            "*/15 * * * *",
            "0 3 * * 1-5",
            "0 0 1 jan,JUL *",
            "@hourly",
            "@every 1h30m",
            "0 0 * * SUN",
            "5/10 * * * *",
            "0 0 ? * *",
            "0  3 * * *",
        ] {
            assert_eq!(check(ok), None, "{ok}");
        }
        for bad in [
            "0 */5 * * * *",
            "* * * *",
            "60 * * * *",
            "0 0 * * 7",
            "0 0 0 * *",
            "*/0 * * * *",
            "@weekdays",
            "@every 5 minutes",
            "every 5 minutes",
            "0 0 * * MON-FRI-SAT",
            "5-1 * * * *",
            "0 0 * 13 *",
        ] {
            assert!(check(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn zones() {
        assert_eq!(time_zone_error("Europe/Paris"), None);
        assert_eq!(time_zone_error("Etc/GMT+2"), None);
        assert_eq!(time_zone_error("UTC"), None);
        assert!(time_zone_error("Local").is_some());
        assert!(time_zone_error("UTC+2").is_some());
        assert!(time_zone_error("Europe/ Paris").is_some());
        assert!(time_zone_error("Europe/Pariss").is_some());
        assert!(time_zone_error("PST").is_some());
    }
}

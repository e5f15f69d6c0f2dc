//! Dates for formats that record one (EPUB `dcterms:modified`, PDF `CreationDate`, zip entry times): from
//! `SOURCE_DATE_EPOCH` when given, else the transcript's date, else a fixed date, never the clock, so the
//! same input always gives the same bytes.

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub(crate) fn is_w3c_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(lens.as_slice(), [4] | [4, 2] | [4, 2, 2])
        && parts.get(1).is_none_or(|m| ("01"..="12").contains(m))
        && parts.get(2).is_none_or(|d| ("01"..="31").contains(d))
}

/// `dcterms:modified`: from `SOURCE_DATE_EPOCH` when given, else the transcript's date, else a fixed date.
pub(crate) fn modified_stamp(epoch: Option<i64>, date: Option<&str>) -> String {
    if let Some(secs) = epoch {
        return format_epoch(secs);
    }
    match date.filter(|d| is_w3c_date(d)) {
        Some(d) if d.len() == 10 => format!("{d}T00:00:00Z"),
        Some(d) if d.len() == 7 => format!("{d}-01T00:00:00Z"),
        Some(d) => format!("{d}-01-01T00:00:00Z"),
        None => "2000-01-01T00:00:00Z".to_string(),
    }
}

/// Seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ` (proleptic Gregorian, UTC).
fn format_epoch(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Days to civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formatting() {
        assert_eq!(format_epoch(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_epoch(1_719_360_000), "2024-06-26T00:00:00Z");
        assert_eq!(format_epoch(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn modified_prefers_source_date_epoch_then_the_date() {
        assert_eq!(modified_stamp(Some(0), Some("2024-06-26")), "1970-01-01T00:00:00Z");
        assert_eq!(modified_stamp(None, Some("2024-06-26")), "2024-06-26T00:00:00Z");
        assert_eq!(modified_stamp(None, Some("June 2024")), "2000-01-01T00:00:00Z");
    }
}

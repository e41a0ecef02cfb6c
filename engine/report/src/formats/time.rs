//! RFC 3339 timestamps (the snapshot's `collected_at`) as what OCSF wants:
//! milliseconds since the Unix epoch.

use pillar_snapshot::Date;

/// Milliseconds since 1970-01-01T00:00:00Z for an RFC 3339 date-time
/// (`2026-11-01T06:00:00Z`, `2026-11-01T06:00:00.5+01:00`); `None` when
/// it is not one.
pub fn epoch_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| num_in(text, r);
    // The date through the snapshot's own calendar (which also refuses
    // the 31st of April).
    let epoch = Date::parse("1970-01-01").ok()?;
    let days = epoch.days_until(Date::parse(text.get(..10)?).ok()?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let first3: String = frac[..digits]
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        millis = first3.parse().ok()?;
        rest = &frac[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (num_in(rest, 1..3)? * 60 + num_in(rest, 4..6)?)
        }
    };
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn num_in(text: &str, r: std::ops::Range<usize>) -> Option<i64> {
    let s = text.get(r)?;
    s.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::epoch_millis;

    #[test]
    fn rfc3339_to_epoch_millis() {
        assert_eq!(epoch_millis("1970-01-01T00:00:00Z"), Some(0));
        // date -d 2026-11-01T06:00:00Z +%s
        assert_eq!(
            epoch_millis("2026-11-01T06:00:00Z"),
            Some(1_793_512_800_000)
        );
        assert_eq!(
            epoch_millis("2026-11-01T07:00:00.250+01:00"),
            Some(1_793_512_800_250)
        );
        assert_eq!(epoch_millis("2000-02-29T12:00:00Z"), Some(951_825_600_000));
        for bad in [
            "",
            "2026-11-01",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-11-01T06:00:00",
            "2026-11-01T06:00:00+0100",
            "yesterday at noon!!",
        ] {
            assert_eq!(epoch_millis(bad), None, "{bad}");
        }
    }
}

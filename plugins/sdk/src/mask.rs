//! Messages never repeat a secret: they show its kind, a short prefix and
//! its length, enough to find it and not enough to use it.

/// `AKIA****************` style: the first `keep` characters, the rest starred
/// (at most 8 stars shown, with the length).
pub fn mask(secret: &str, keep: usize) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let keep = keep.min(chars.len() / 3);
    let head: String = chars[..keep].iter().collect();
    format!("{head}{} ({} chars)", "*".repeat(8), chars.len())
}

/// An IPv4 address with its last two octets hidden: `10.20.x.x`.
pub fn mask_ipv4(ip: &str) -> String {
    let mut parts = ip.split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}.x.x"),
        _ => "x.x.x.x".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_little() {
        let m = mask("AKIAIOSFODNN7EXAMPLE", 4);
        assert_eq!(m, "AKIA******** (20 chars)");
        assert!(!mask("hunter2", 4).contains("hunter"));
        assert_eq!(mask_ipv4("10.20.30.40"), "10.20.x.x");
    }
}

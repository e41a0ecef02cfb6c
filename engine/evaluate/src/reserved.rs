//! Rule ids only built-in packs may use.
//!
//! Reports show a rule by its id and title. A third-party pack that names
//! a rule `PILLAR-EC2-0O1` or `pillar-ec2-001` would print as one of
//! pillar's own findings, with pillar's authority. So the `PILLAR` prefix
//! is reserved for built-in packs, compared the way a reader's eye would:
//! case-insensitively, with `.` and `_` read as `-`, and the digits and
//! letters that pass for one another (`1`, `I`, `l`; `0`, `O`; `4`, `A`)
//! read alike.

/// How a character reads, for comparing ids by eye.
fn reads_as(c: char) -> char {
    match c.to_ascii_uppercase() {
        '1' | 'I' | 'L' | '|' => 'L',
        '0' => 'O',
        '4' => 'A',
        '5' => 'S',
        '.' | '_' => '-',
        other => other,
    }
}

/// Whether `id` would be read as one of pillar's own rule ids.
pub(crate) fn looks_builtin(id: &str) -> bool {
    let mut read = id.chars().map(reads_as);
    "PILLAR"
        .chars()
        .map(reads_as)
        .all(|c| read.next() == Some(c))
}

/// The reason a third-party pack may not use `id`, if it may not.
pub(crate) fn reserved_id(id: &str) -> Option<String> {
    looks_builtin(id).then(|| {
        format!(
            "rule id {id} reads as a built-in rule id: the PILLAR- prefix (in any case or \
             look-alike spelling) is reserved for pillar's own packs; use your team's prefix"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_reserved_in_every_spelling() {
        for id in [
            "PILLAR-EC2-001",
            "PILLAR-EC2-0O1",
            "pillar-ec2-001",
            "Pillar_EC2_001",
            "P1LLAR-EC2-001",
            "PIllAR.S3.001",
            "PILL4R-RDS-002",
            "PILLAR",
        ] {
            assert!(looks_builtin(id), "{id}");
        }
    }

    #[test]
    fn other_prefixes_are_free() {
        for id in [
            "ACME-EC2-001",
            "PIL-001",
            "APILLAR-1",
            "TEST-LOOP-001",
            "PILAR-1",
        ] {
            assert!(!looks_builtin(id), "{id}");
        }
        assert!(reserved_id("ACME-1").is_none());
        assert!(
            reserved_id("pillar-x")
                .is_some_and(|m| m.contains("reserved") && m.contains("pillar-x"))
        );
    }
}

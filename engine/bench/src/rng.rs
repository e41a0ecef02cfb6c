//! A tiny seeded generator (SplitMix64). Workloads must be identical for a
//! given seed on every machine and every version of pillar, which no
//! external RNG crate promises across its own releases.

/// SplitMix64: fast, and good enough to pick shapes of synthetic resources.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `stream` under `seed`: each unit of a workload gets its
    /// own stream, so unit `k` is the same whether or not units before it
    /// were generated (writers walk the units several times).
    pub fn new(seed: u64, stream: u64) -> Rng {
        // Both inputs go through the finaliser: a plain `seed ^ stream * γ`
        // start would make stream k+1 the same sequence as stream k shifted
        // by one step, since SplitMix advances its state by γ.
        Rng(mix(mix(seed) ^ stream.wrapping_add(0x6A09_E667_F3BC_C909)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A hex string of `len` characters, for ids like `sg-0a1b…`.
    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(len);
        s
    }
}

/// The SplitMix64 finaliser: a bijection that scatters nearby inputs.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(7, 1).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::new(7, 1).next_u64(), Rng::new(7, 2).next_u64());
        assert_ne!(Rng::new(7, 1).next_u64(), Rng::new(8, 1).next_u64());
    }

    #[test]
    fn neighbouring_streams_do_not_share_a_sequence() {
        let first: Vec<u64> = {
            let mut r = Rng::new(1, 5);
            (0..64).map(|_| r.next_u64()).collect()
        };
        let mut next = Rng::new(1, 6);
        let second: Vec<u64> = (0..64).map(|_| next.next_u64()).collect();
        assert!(first.iter().all(|v| !second.contains(v)));
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1, 1);
        assert!((0..1000).all(|_| r.below(7) < 7));
        assert_eq!(r.below(0), 0);
    }
}

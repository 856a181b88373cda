//! The seeded noise: splitmix64, one stream per cell of a profile.

use rust_decimal::Decimal;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The splitmix64 output function.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The noise generator: splitmix64 seeded with `mix64(seed ^ mix64(index))`,
/// so each cell of a profile has its own stream.
#[derive(Debug, Clone)]
pub(super) struct SplitMix64(u64);

impl SplitMix64 {
    pub(super) fn for_cell(seed: u64, index: usize) -> SplitMix64 {
        SplitMix64(mix64(seed ^ mix64(index as u64)))
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }
    /// `k` uniform in −10000..=10000: `x mod 20001 − 10000`.
    pub(super) fn next_k(&mut self) -> i64 {
        // 0..=20000 shifted down: cannot overflow.
        ((self.next_u64() % 20_001) as i64).saturating_sub(10_000)
    }
    /// Uniform in [−1, 1] in steps of 0.0001: `k / 10000`.
    pub(super) fn next_unit(&mut self) -> Decimal {
        Decimal::new(self.next_k(), 4)
    }
}

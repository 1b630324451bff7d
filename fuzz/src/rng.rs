//! The deterministic random source: one seed gives one case, so a failure is replayed from
//! its seed alone.
//!
//! Every draw of a case comes from this generator, in the order the case makes them: a new
//! draw anywhere, or two draws swapped, changes every case that reaches it.

/// A small, fast, seedable generator (splitmix64): the same seed gives the same case.
pub struct Rng(u64);

impl Rng {
	/// A generator for `seed`.
	pub fn new(seed: u64) -> Self {
		Rng(seed)
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A number in `0..n` (`n > 0`).
	pub fn below(&mut self, n: u64) -> u64 {
		self.next_u64().checked_rem(n.max(1)).unwrap_or(0)
	}

	/// True with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// One of `items`.
	#[expect(clippy::expect_used, reason = "every caller passes a constant, non-empty slice")]
	pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		let index = self.below(items.len() as u64) as usize;
		items.get(index).or(items.first()).cloned().expect("pick from a non-empty slice")
	}

	/// `len` random bytes.
	pub fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len).map(|_| self.next_u64() as u8).collect()
	}

	/// A 32-byte value.
	pub fn hash(&mut self) -> [u8; 32] {
		let mut out = [0u8; 32];
		out.iter_mut().for_each(|b| *b = self.next_u64() as u8);
		out
	}
}

//! Models: their ids and how workers canonicalize a model's output before hashing it.
//!
//! The [`OutputSpec`] lives here, not in a pallet, so that the runtime and the off-chain
//! worker compile the very same type and can never disagree on how an output is compared.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The id of a registered model (one version of a model family). Ids are never reused.
pub type ModelId = u64;

/// How a worker turns a model's raw output into canonical bytes before hashing it, so that
/// honest workers on different machines produce the same hash.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum OutputSpec {
	/// The output bytes are compared as they are (deterministic models, text generation
	/// with a fixed seed and greedy decoding).
	Exact,
	/// The output is a vector of `f32` (an embedding, logits); each value is rounded to
	/// `decimals` decimal places before hashing, which absorbs floating-point noise
	/// between CPUs and GPUs.
	QuantizedF32 {
		/// Decimal places kept (at most [`OutputSpec::MAX_DECIMALS`]).
		decimals: u8,
	},
	/// The output is a list of class scores; only the indices of the `k` best classes, in
	/// order, are hashed.
	TopK {
		/// How many classes are kept (1 to [`OutputSpec::MAX_TOP_K`]).
		k: u32,
	},
}

impl OutputSpec {
	/// The most decimal places `QuantizedF32` may keep (an `f32` carries about 7).
	pub const MAX_DECIMALS: u8 = 7;
	/// The most classes `TopK` may keep.
	pub const MAX_TOP_K: u32 = 1_000;

	/// Whether the spec's parameters are within their bounds.
	pub fn is_valid(&self) -> bool {
		match *self {
			OutputSpec::Exact => true,
			OutputSpec::QuantizedF32 { decimals } => decimals <= Self::MAX_DECIMALS,
			OutputSpec::TopK { k } => (1..=Self::MAX_TOP_K).contains(&k),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn output_spec_bounds() {
		assert!(OutputSpec::Exact.is_valid());
		assert!(OutputSpec::QuantizedF32 { decimals: 0 }.is_valid());
		assert!(OutputSpec::QuantizedF32 { decimals: 7 }.is_valid());
		assert!(!OutputSpec::QuantizedF32 { decimals: 8 }.is_valid());
		assert!(!OutputSpec::TopK { k: 0 }.is_valid());
		assert!(OutputSpec::TopK { k: 1 }.is_valid());
		assert!(OutputSpec::TopK { k: 1_000 }.is_valid());
		assert!(!OutputSpec::TopK { k: 1_001 }.is_valid());
	}

	#[test]
	fn output_spec_encoding_is_stable() {
		// The worker and the chain exchange this encoding; changing it breaks both.
		assert_eq!(OutputSpec::Exact.encode(), vec![0]);
		assert_eq!(OutputSpec::QuantizedF32 { decimals: 4 }.encode(), vec![1, 4]);
		assert_eq!(OutputSpec::TopK { k: 5 }.encode(), vec![2, 5, 0, 0, 0]);
	}
}

//! Canonical output bytes: how a worker turns a model's raw numeric output into the bytes it
//! hashes, commits to and reveals, as the model's [`OutputSpec`] says.
//!
//! Every honest worker must produce the same bytes for the same job, whatever its CPU, GPU or
//! thread count, so the rules are exact and written once, here, for all workers:
//!
//! - [`OutputSpec::Exact`]: the SCALE encoding of the values as `Vec<f32>` (a compact length,
//!   then each value's IEEE-754 little-endian bytes). Only bit-identical outputs agree.
//! - [`OutputSpec::QuantizedF32`] `{ decimals }`: each value `v` becomes the integer
//!   `round_half_away_from_zero(v × 10^decimals)` computed in `f64` (exact for every `f32`
//!   times a power of ten up to `10^7`, so no double rounding), and the output is the SCALE
//!   encoding of those integers as `Vec<i32>`. A dapp reads value `i` as `q[i] / 10^decimals`.
//!   Values whose scaled magnitude exceeds `i32::MAX` are refused, not clamped.
//! - [`OutputSpec::TopK`] `{ k }`: the indices of the `k` largest values, largest first, ties
//!   broken by the smaller index, as the SCALE encoding of `Vec<u32>`. Fewer than `k` values
//!   are refused.
//!
//! Non-finite values (NaN, ±∞) are refused under every spec: a model that produces them has
//! no canonical output. Only available with the `std` feature: the runtime never
//! canonicalizes, it compares hashes.

use crate::model::OutputSpec;
use alloc::vec::Vec;
use codec::Encode;

/// Why raw output has no canonical form.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CanonicalError {
	/// The value at this index is NaN or infinite.
	NotFinite(usize),
	/// The value at this index, scaled by `10^decimals`, does not fit an `i32`.
	OutOfRange(usize),
	/// `TopK` asked for more classes than the output has: `(k, values)`.
	TooFewValues(u32, usize),
	/// The spec's parameters are out of their bounds ([`OutputSpec::is_valid`]).
	InvalidSpec,
}

impl core::fmt::Display for CanonicalError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			CanonicalError::NotFinite(index) => write!(f, "output value {index} is not finite"),
			CanonicalError::OutOfRange(index) => {
				write!(f, "output value {index} is too large for its decimal places")
			},
			CanonicalError::TooFewValues(k, len) => {
				write!(f, "top-{k} asked of an output with {len} values")
			},
			CanonicalError::InvalidSpec => write!(f, "the output spec is out of its bounds"),
		}
	}
}

impl std::error::Error for CanonicalError {}

/// The canonical bytes of `values` under `spec` (see the module documentation).
pub fn canonicalize_f32(spec: &OutputSpec, values: &[f32]) -> Result<Vec<u8>, CanonicalError> {
	if !spec.is_valid() {
		return Err(CanonicalError::InvalidSpec);
	}
	if let Some(index) = values.iter().position(|value| !value.is_finite()) {
		return Err(CanonicalError::NotFinite(index));
	}
	match *spec {
		OutputSpec::Exact => Ok(values.to_vec().encode()),
		OutputSpec::QuantizedF32 { decimals } => {
			let scale = 10f64.powi(i32::from(decimals));
			let quantized = values
				.iter()
				.enumerate()
				.map(|(index, value)| {
					let scaled = (f64::from(*value) * scale).round();
					if scaled.abs() > f64::from(i32::MAX) {
						return Err(CanonicalError::OutOfRange(index));
					}
					// In range and integral: the conversion is exact.
					#[allow(clippy::cast_possible_truncation)]
					Ok(scaled as i32)
				})
				.collect::<Result<Vec<i32>, _>>()?;
			Ok(quantized.encode())
		},
		OutputSpec::TopK { k } => {
			let wanted = usize::try_from(k).map_err(|_| CanonicalError::InvalidSpec)?;
			if values.len() < wanted {
				return Err(CanonicalError::TooFewValues(k, values.len()));
			}
			let mut order: Vec<usize> = (0..values.len()).collect();
			// Largest first; equal values by index. All values are finite, so total_cmp
			// orders them as numbers (and -0.0 below 0.0, which is fixed and shared).
			order.sort_by(|a, b| {
				let (x, y) = (values.get(*a), values.get(*b));
				y.zip(x)
					.map(|(y, x)| y.total_cmp(x))
					.unwrap_or(core::cmp::Ordering::Equal)
					.then(a.cmp(b))
			});
			let top = order
				.into_iter()
				.take(wanted)
				.map(|index| u32::try_from(index).map_err(|_| CanonicalError::OutOfRange(index)))
				.collect::<Result<Vec<u32>, _>>()?;
			Ok(top.encode())
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;

	#[test]
	fn exact_is_the_scale_encoding_of_the_floats() {
		let bytes = canonicalize_f32(&OutputSpec::Exact, &[1.5, -0.25]).unwrap();
		assert_eq!(Vec::<f32>::decode(&mut &bytes[..]).unwrap(), vec![1.5, -0.25]);
		assert_eq!(bytes.len(), 1 + 8);
	}

	#[test]
	fn quantized_rounds_half_away_from_zero() {
		let spec = OutputSpec::QuantizedF32 { decimals: 2 };
		let bytes = canonicalize_f32(&spec, &[0.125, -0.125, 0.124_9, 1.0, 0.0, -0.0]).unwrap();
		assert_eq!(Vec::<i32>::decode(&mut &bytes[..]).unwrap(), vec![13, -13, 12, 100, 0, 0]);
	}

	#[test]
	fn quantized_absorbs_noise_below_its_precision() {
		let spec = OutputSpec::QuantizedF32 { decimals: 4 };
		let a = canonicalize_f32(&spec, &[0.123_41, -0.5]).unwrap();
		let b = canonicalize_f32(&spec, &[0.123_410_01, -0.500_000_1]).unwrap();
		assert_eq!(a, b);
		let c = canonicalize_f32(&spec, &[0.123_5, -0.5]).unwrap();
		assert_ne!(a, c);
	}

	#[test]
	fn quantized_refuses_values_out_of_range() {
		let spec = OutputSpec::QuantizedF32 { decimals: 7 };
		assert_eq!(canonicalize_f32(&spec, &[1.0, 300.0]), Err(CanonicalError::OutOfRange(1)));
		assert!(canonicalize_f32(&spec, &[214.0]).is_ok());
	}

	#[test]
	fn top_k_orders_by_value_then_index() {
		let spec = OutputSpec::TopK { k: 3 };
		let bytes = canonicalize_f32(&spec, &[0.1, 0.9, 0.5, 0.9, -1.0]).unwrap();
		assert_eq!(Vec::<u32>::decode(&mut &bytes[..]).unwrap(), vec![1, 3, 2]);
		assert_eq!(
			canonicalize_f32(&OutputSpec::TopK { k: 6 }, &[0.0; 5]),
			Err(CanonicalError::TooFewValues(6, 5))
		);
	}

	#[test]
	fn non_finite_values_and_invalid_specs_are_refused() {
		for spec in
			[OutputSpec::Exact, OutputSpec::QuantizedF32 { decimals: 3 }, OutputSpec::TopK { k: 1 }]
		{
			assert_eq!(
				canonicalize_f32(&spec, &[0.0, f32::NAN]),
				Err(CanonicalError::NotFinite(1))
			);
			assert_eq!(
				canonicalize_f32(&spec, &[f32::INFINITY]),
				Err(CanonicalError::NotFinite(0))
			);
		}
		assert_eq!(
			canonicalize_f32(&OutputSpec::QuantizedF32 { decimals: 8 }, &[0.0]),
			Err(CanonicalError::InvalidSpec)
		);
		assert_eq!(
			canonicalize_f32(&OutputSpec::TopK { k: 0 }, &[0.0]),
			Err(CanonicalError::InvalidSpec)
		);
	}
}

//! Models: their ids and how workers canonicalize a model's output before hashing it.
//!
//! The [`OutputSpec`] lives here, not in a pallet, so that the runtime and the off-chain
//! worker compile the very same type and can never disagree on how an output is compared.
//!
//! It also declares what the model registry tells other pallets about a model
//! ([`ModelInspect`], [`ModelInfo`]) and what the registry asks the inference pallet before
//! a model may be removed ([`ModelUsage`]).

use crate::data::DatasetId;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::Perbill;
use scale_info::TypeInfo;

/// The id of a registered model (one version of a model family). Ids are never reused.
pub type ModelId = u64;

/// The blake2-256 hash of a model's artifact (its weights file, byte for byte).
pub type ArtifactHash = [u8; 32];

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

/// What kind of input a model takes; with [`InputSpec::max_len`] it tells dapps what to
/// submit and lets the inference pallet reject inputs the model cannot take.
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
pub enum InputKind {
	/// Opaque bytes, passed to the model as they are.
	Bytes,
	/// UTF-8 text (the model tokenizes it itself).
	Text,
	/// A sequence of token ids, each a little-endian `u32`.
	Tokens,
	/// A tensor of little-endian `f32` values.
	F32Tensor,
	/// An encoded image (PNG, JPEG, ...).
	Image,
	/// Encoded audio (WAV, FLAC, ...).
	Audio,
}

/// The input a model takes: its kind and the largest input, in bytes, it accepts.
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
pub struct InputSpec {
	/// What the input is.
	pub kind: InputKind,
	/// The largest input the model accepts, in bytes (at least 1).
	pub max_len: u32,
}

impl InputSpec {
	/// Whether the spec is usable: a model must accept at least one byte of input.
	pub fn is_valid(&self) -> bool {
		self.max_len > 0
	}

	/// Whether inline `bytes` are a well-formed input of this kind, checked cheaply at
	/// submission: UTF-8 for text, whole little-endian words for tokens and `f32` tensors.
	/// Opaque bytes, images and audio are not parsed on chain (a worker that cannot decode
	/// them answers that the input is unanswerable).
	pub fn accepts(&self, bytes: &[u8]) -> bool {
		match self.kind {
			InputKind::Text => core::str::from_utf8(bytes).is_ok(),
			InputKind::Tokens | InputKind::F32Tensor => bytes.len().is_multiple_of(4),
			InputKind::Bytes | InputKind::Image | InputKind::Audio => true,
		}
	}
}

/// Where a model is in its life.
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
pub enum ModelStatus {
	/// The model may be used.
	Active,
	/// Its owner advises against it (usually because a newer version exists). Final: only a
	/// new version replaces a deprecated one.
	Deprecated,
	/// Governance withdrew it (the reason is kept by the registry); governance may restore it.
	Retired,
}

/// What the model registry tells other pallets about one model.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ModelInfo<AccountId, Balance> {
	/// The account that owns the model and receives its royalty.
	pub owner: AccountId,
	/// The model family: the id of its first version.
	pub family: ModelId,
	/// The model it was fine-tuned from, if any (always an older id).
	pub parent: Option<ModelId>,
	/// Its status.
	pub status: ModelStatus,
	/// The blake2-256 hash of its weights file; workers check it before loading the model.
	pub artifact_hash: ArtifactHash,
	/// The input it takes.
	pub input_spec: InputSpec,
	/// How workers canonicalize its outputs before hashing them.
	pub output_spec: OutputSpec,
	/// The price of one inference, paid to the workers and split as the protocol says.
	pub price: Balance,
	/// The share of an inference fee paid to the owner: the owner's rate, capped by the
	/// maximum governance currently allows.
	pub royalty: Perbill,
}

impl<AccountId, Balance> ModelInfo<AccountId, Balance> {
	/// Whether the model may be used (its status is [`ModelStatus::Active`]).
	pub fn is_active(&self) -> bool {
		self.status == ModelStatus::Active
	}
}

/// Read access to registered models, offered by the model registry to the pallets that refer
/// to models (inference, data rewards). No pallet reads the registry's storage directly.
///
/// Only [`ModelInspect::model_info`], [`ModelInspect::training_datasets`] and
/// [`ModelInspect::latest_active_version`] must be implemented; the other methods derive
/// from them.
pub trait ModelInspect<AccountId, Balance> {
	/// Everything other pallets need to know about `model`, or `None` if it does not exist.
	fn model_info(model: ModelId) -> Option<ModelInfo<AccountId, Balance>>;

	/// The datasets `model` was trained on, with their weights (which sum to 100 %), or an
	/// empty list if the model names no dataset or does not exist.
	fn training_datasets(model: ModelId) -> Vec<(DatasetId, Perbill)>;

	/// The newest active version of the model family `family`, if any.
	fn latest_active_version(family: ModelId) -> Option<ModelId>;

	/// Whether `model` exists (in any status).
	fn model_exists(model: ModelId) -> bool {
		Self::model_info(model).is_some()
	}

	/// Whether `model` exists and is active.
	fn is_active(model: ModelId) -> bool {
		Self::model_info(model).is_some_and(|info| info.is_active())
	}

	/// The owner of `model`.
	fn owner(model: ModelId) -> Option<AccountId> {
		Self::model_info(model).map(|info| info.owner)
	}

	/// The price of one inference of `model`.
	fn price(model: ModelId) -> Option<Balance> {
		Self::model_info(model).map(|info| info.price)
	}

	/// The owner's royalty rate of `model` (already capped by the governance maximum).
	fn royalty(model: ModelId) -> Option<Perbill> {
		Self::model_info(model).map(|info| info.royalty)
	}

	/// How outputs of `model` are canonicalized.
	fn output_spec(model: ModelId) -> Option<OutputSpec> {
		Self::model_info(model).map(|info| info.output_spec)
	}

	/// The artifact hash of `model`.
	fn artifact_hash(model: ModelId) -> Option<ArtifactHash> {
		Self::model_info(model).map(|info| info.artifact_hash)
	}
}

/// No model exists: for mocks and runtimes without a model registry.
impl<AccountId, Balance> ModelInspect<AccountId, Balance> for () {
	fn model_info(_model: ModelId) -> Option<ModelInfo<AccountId, Balance>> {
		None
	}

	fn training_datasets(_model: ModelId) -> Vec<(DatasetId, Perbill)> {
		Vec::new()
	}

	fn latest_active_version(_family: ModelId) -> Option<ModelId> {
		None
	}
}

/// Whether something on the chain still refers to a model, so that it may not be removed.
///
/// The inference pallet implements it: a model is in use while a job that names it is not
/// settled (queued, running, in its challenge window). The registry asks it before removing
/// a model and refunding its deposit.
pub trait ModelUsage {
	/// Whether any unsettled job references `model`.
	fn is_model_in_use(model: ModelId) -> bool;
}

/// Nothing uses any model: until the inference pallet exists, and in mocks. A runtime with
/// an inference pallet must wire that pallet instead, or models could be removed under
/// running jobs.
impl ModelUsage for () {
	fn is_model_in_use(_model: ModelId) -> bool {
		false
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

	#[test]
	fn input_spec_needs_a_length() {
		assert!(!InputSpec { kind: InputKind::Text, max_len: 0 }.is_valid());
		assert!(InputSpec { kind: InputKind::Text, max_len: 1 }.is_valid());
		let text = InputSpec { kind: InputKind::Text, max_len: 8 };
		assert!(text.accepts("héllo".as_bytes()));
		assert!(!text.accepts(&[0xff, 0xfe]));
		let tokens = InputSpec { kind: InputKind::Tokens, max_len: 8 };
		assert!(tokens.accepts(&[1, 0, 0, 0]) && !tokens.accepts(&[1, 0, 0]));
		assert!(InputSpec { kind: InputKind::Bytes, max_len: 8 }.accepts(&[0xff]));
		assert_eq!(InputSpec { kind: InputKind::Tokens, max_len: 2 }.encode(), vec![2, 2, 0, 0, 0]);
	}

	#[test]
	fn unit_implementations_know_no_model() {
		assert!(!<() as ModelInspect<u64, u128>>::model_exists(0));
		assert!(!<() as ModelInspect<u64, u128>>::is_active(0));
		assert_eq!(<() as ModelInspect<u64, u128>>::price(0), None);
		assert!(<() as ModelInspect<u64, u128>>::training_datasets(0).is_empty());
		assert!(!<() as ModelUsage>::is_model_in_use(0));
	}
}

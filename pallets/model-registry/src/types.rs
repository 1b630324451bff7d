//! The types the registry stores and shows: a model is its [`ModelSpec`] (fixed) and its
//! [`ModelTerms`] (the owner's to change) inside the stored [`Model`] record; the record of a
//! retirement; and [`ModelDetails`], the record with what the runtime API adds to it.
//!
//! The checks of user input live in `validation.rs`.

use crate::{validation::uris_bytes, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use deai_primitives::{
	data::DatasetId,
	model::{ArtifactHash, InputSpec, ModelId, ModelStatus, OutputSpec},
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::{BoundedVec, ConstU32},
		traits::fungible::Inspect,
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{Perbill, SaturatedConversion},
};
use scale_info::TypeInfo;

/// The balance type of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// A model's human-readable name (UTF-8).
pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;
/// A model's version label, semver-like (`1.0.2`, `2024-05-rc1`).
pub type VersionOf<T> = BoundedVec<u8, <T as Config>::MaxVersionLen>;
/// One URI the artifact can be fetched from (`ipfs://…`, `https://…`).
pub type UriOf<T> = BoundedVec<u8, <T as Config>::MaxUriLen>;
/// The URIs the artifact can be fetched from: the primary one first, then mirrors.
pub type UrisOf<T> = BoundedVec<UriOf<T>, <T as Config>::MaxUris>;
/// An SPDX license identifier or expression (`Apache-2.0`, `MIT OR Apache-2.0`).
pub type LicenseOf<T> = BoundedVec<u8, <T as Config>::MaxLicenseLen>;
/// The training datasets of a model with their weights.
pub type DatasetsOf<T> = BoundedVec<(DatasetId, Perbill), <T as Config>::MaxDatasets>;
/// The versions of a model family, oldest first.
pub type VersionsOf<T> = BoundedVec<ModelId, <T as Config>::MaxVersionsPerFamily>;
/// Why governance retired a model (UTF-8).
pub type ReasonOf<T> = BoundedVec<u8, <T as Config>::MaxReasonLen>;

/// The longest name of a framework that is not one of the listed ones.
pub const MAX_FRAMEWORK_NAME_LEN: u32 = 32;

/// The file format / runtime a model's artifact is meant for.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Framework {
	/// Hugging Face `safetensors` weights.
	Safetensors,
	/// An ONNX graph.
	Onnx,
	/// A GGUF file (llama.cpp and friends).
	Gguf,
	/// A PyTorch checkpoint.
	PyTorch,
	/// A TensorFlow SavedModel.
	TensorFlow,
	/// Any other format, by name (ASCII, 1 to [`MAX_FRAMEWORK_NAME_LEN`] bytes).
	Other(BoundedVec<u8, ConstU32<MAX_FRAMEWORK_NAME_LEN>>),
}

/// What a model is, fixed for its whole life: its name and version, its artifact, how it is
/// used and where it came from. A different artifact, output spec or lineage is a new
/// version, never an edit.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ModelSpec<T: Config> {
	/// The model's name (UTF-8, not empty, no control characters).
	pub name: NameOf<T>,
	/// Its version label: ASCII letters, digits, `.`, `-` and `+`, starting with a letter or
	/// a digit.
	pub version: VersionOf<T>,
	/// The blake2-256 hash of the artifact (weights file).
	pub artifact_hash: ArtifactHash,
	/// The artifact's format.
	pub framework: Framework,
	/// The SPDX license identifier or expression.
	pub license: LicenseOf<T>,
	/// The input the model takes.
	pub input_spec: InputSpec,
	/// How workers canonicalize its outputs before hashing them.
	pub output_spec: OutputSpec,
	/// The model this one was fine-tuned from (always an older id), if any.
	pub parent: Option<ModelId>,
	/// The training datasets with their weights: empty, or weights summing to exactly 100 %.
	pub datasets: DatasetsOf<T>,
}

impl<T: Config> ModelSpec<T> {
	/// The number of training datasets: a benchmark parameter of `register` and
	/// `publish_version` (each dataset is looked up in the data-rewards pallet).
	pub fn dataset_count(&self) -> u32 {
		self.datasets.len().saturated_into::<u32>()
	}
}

/// What the owner may change while the model lives ([`crate::Pallet::update_metadata`]):
/// where its artifact is served, the price of an inference and the owner's royalty.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ModelTerms<T: Config> {
	/// Where the artifact can be fetched: at least one URI, primary first.
	pub uris: UrisOf<T>,
	/// The price of one inference.
	pub price: BalanceOf<T>,
	/// The share of each inference fee paid to the owner, as the owner set it (capped at
	/// use by the governance maximum).
	pub royalty: Perbill,
}

/// The number of bytes of the variable-length strings a registration carries (name,
/// version, license and every URI): the length benchmarks parameterize `register` and
/// `publish_version` over.
pub fn registration_bytes<T: Config>(spec: &ModelSpec<T>, terms: &ModelTerms<T>) -> u32 {
	let lengths = [
		spec.name.len(),
		spec.version.len(),
		spec.license.len(),
		uris_bytes(terms.uris.as_slice()),
	];
	lengths.into_iter().fold(0u32, |total, len| total.saturating_add(len.saturated_into::<u32>()))
}

/// A registered model: one version of a model family, its spec and terms and the registry's
/// bookkeeping.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Model<T: Config> {
	/// The account that owns the model, pays its deposit and receives its royalty.
	pub owner: T::AccountId,
	/// Its family: the id of the family's first version.
	pub family: ModelId,
	/// The version it succeeds in its family (`None` for a family's first version).
	pub predecessor: Option<ModelId>,
	/// What it is. Never changes.
	pub spec: ModelSpec<T>,
	/// What its owner may change.
	pub terms: ModelTerms<T>,
	/// Its status.
	pub status: ModelStatus,
	/// The block it was registered in.
	pub created_at: BlockNumberFor<T>,
	/// The deposit held from the owner for this record.
	pub deposit: crate::deposits::DepositOf<T>,
}

impl<T: Config> Model<T> {
	/// Builds the record of a new model. The deposit is left unpriced for the caller to
	/// take.
	pub fn new(
		owner: T::AccountId,
		family: ModelId,
		predecessor: Option<ModelId>,
		spec: ModelSpec<T>,
		terms: ModelTerms<T>,
		created_at: BlockNumberFor<T>,
	) -> Self {
		Model {
			owner,
			family,
			predecessor,
			spec,
			terms,
			status: ModelStatus::Active,
			created_at,
			deposit: crate::deposits::DepositOf::<T>::unpriced(),
		}
	}

	/// The number of bytes the record takes in storage, which its deposit pays for. The
	/// deposit field has a fixed size, so its value does not change the result.
	pub fn stored_bytes(&self) -> u32 {
		self.encoded_size().saturated_into::<u32>()
	}
}

/// Why and when governance retired a model, and what to restore it to.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Retirement<T: Config> {
	/// The reason governance gave.
	pub reason: ReasonOf<T>,
	/// The block the model was retired in.
	pub retired_at: BlockNumberFor<T>,
	/// The status the model had before, which `restore` gives it back.
	pub previous_status: ModelStatus,
}

/// Everything the registry knows about one model: what the runtime API returns to dapps and
/// workers. The stored record, and what is derived from it or kept beside it.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct ModelDetails<T: Config> {
	/// The model's id.
	pub id: ModelId,
	/// Its record: owner, family, spec, terms, status, deposit.
	pub model: Model<T>,
	/// The royalty rate actually paid: the owner's rate capped by the governance maximum.
	pub effective_royalty: Perbill,
	/// Why governance retired it, if it is retired.
	pub retirement_reason: Option<ReasonOf<T>>,
	/// The account ownership has been offered to, if any.
	pub pending_owner: Option<T::AccountId>,
}

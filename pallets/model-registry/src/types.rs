//! The types the registry stores and shows: a model's record, its parameters, its framework,
//! the record of a retirement, and the plain view returned by the runtime API.
//!
//! The checks of user input live in `validation.rs`.

use crate::{validation::uris_bytes, Config};
use alloc::vec::Vec;
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

/// What an owner gives when registering a model or publishing a version of it.
///
/// Everything here except `uris`, `price` and `royalty` is fixed for the life of the model:
/// a different artifact, output spec or lineage is a new version.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
pub struct ModelParams<T: Config> {
	/// The model's name (UTF-8, not empty, no control characters).
	pub name: NameOf<T>,
	/// Its version label: ASCII letters, digits, `.`, `-` and `+`, starting with a letter or
	/// a digit.
	pub version: VersionOf<T>,
	/// The blake2-256 hash of the artifact (weights file).
	pub artifact_hash: ArtifactHash,
	/// Where the artifact can be fetched: at least one URI, primary first.
	pub uris: UrisOf<T>,
	/// The artifact's format.
	pub framework: Framework,
	/// The SPDX license identifier or expression.
	pub license: LicenseOf<T>,
	/// The input the model takes.
	pub input_spec: InputSpec,
	/// How workers canonicalize its outputs before hashing them.
	pub output_spec: OutputSpec,
	/// The price of one inference.
	pub price: BalanceOf<T>,
	/// The share of each inference fee paid to the owner (at most the governance maximum).
	pub royalty: Perbill,
	/// The model this one was fine-tuned from, if any.
	pub parent: Option<ModelId>,
	/// The training datasets with their weights: empty, or weights summing to exactly 100 %.
	pub datasets: DatasetsOf<T>,
}

impl<T: Config> ModelParams<T> {
	/// The number of bytes of the variable-length strings (name, version, license and every
	/// URI): the length benchmarks parameterize `register` and `publish_version` over.
	pub fn string_bytes(&self) -> u32 {
		let lengths = [
			self.name.len(),
			self.version.len(),
			self.license.len(),
			uris_bytes(self.uris.as_slice()),
		];
		lengths
			.into_iter()
			.fold(0u32, |total, len| total.saturating_add(len.saturated_into::<u32>()))
	}

	/// The number of training datasets: the other benchmark parameter of `register` and
	/// `publish_version` (each dataset is looked up in the data-rewards pallet).
	pub fn dataset_count(&self) -> u32 {
		self.datasets.len().saturated_into::<u32>()
	}
}

/// A registered model: one version of a model family.
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
	/// The model it was fine-tuned from (always an older id), if any.
	pub parent: Option<ModelId>,
	/// Its name.
	pub name: NameOf<T>,
	/// Its version label.
	pub version: VersionOf<T>,
	/// The blake2-256 hash of its artifact. Never changes.
	pub artifact_hash: ArtifactHash,
	/// Where its artifact can be fetched, primary first. The owner may change it.
	pub uris: UrisOf<T>,
	/// The artifact's format.
	pub framework: Framework,
	/// Its SPDX license.
	pub license: LicenseOf<T>,
	/// The input it takes.
	pub input_spec: InputSpec,
	/// How workers canonicalize its outputs. Never changes.
	pub output_spec: OutputSpec,
	/// The price of one inference. The owner may change it.
	pub price: BalanceOf<T>,
	/// The owner's royalty rate as set by the owner (capped at use by the governance maximum).
	pub royalty: Perbill,
	/// Its training datasets with their weights. Never change.
	pub datasets: DatasetsOf<T>,
	/// Its status.
	pub status: ModelStatus,
	/// The block it was registered in.
	pub created_at: BlockNumberFor<T>,
	/// The deposit held from the owner for this record.
	pub deposit: crate::deposits::DepositOf<T>,
}

impl<T: Config> Model<T> {
	/// Builds the record of a new model from its parameters. The deposit is left at zero for
	/// the caller to price.
	pub fn new(
		owner: T::AccountId,
		family: ModelId,
		predecessor: Option<ModelId>,
		params: ModelParams<T>,
		created_at: BlockNumberFor<T>,
	) -> Self {
		Model {
			owner,
			family,
			predecessor,
			parent: params.parent,
			name: params.name,
			version: params.version,
			artifact_hash: params.artifact_hash,
			uris: params.uris,
			framework: params.framework,
			license: params.license,
			input_spec: params.input_spec,
			output_spec: params.output_spec,
			price: params.price,
			royalty: params.royalty,
			datasets: params.datasets,
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

/// Everything the registry knows about one model, in plain types: what the runtime API
/// returns to dapps and workers.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ModelDetails<AccountId, Balance, BlockNumber> {
	/// The model's id.
	pub id: ModelId,
	/// Its owner.
	pub owner: AccountId,
	/// Its family (the id of the family's first version).
	pub family: ModelId,
	/// The version it succeeds, if any.
	pub predecessor: Option<ModelId>,
	/// The model it was fine-tuned from, if any.
	pub parent: Option<ModelId>,
	/// Its name.
	pub name: Vec<u8>,
	/// Its version label.
	pub version: Vec<u8>,
	/// The blake2-256 hash of its artifact.
	pub artifact_hash: ArtifactHash,
	/// Where its artifact can be fetched, primary first.
	pub uris: Vec<Vec<u8>>,
	/// The artifact's format.
	pub framework: Framework,
	/// Its SPDX license.
	pub license: Vec<u8>,
	/// The input it takes.
	pub input_spec: InputSpec,
	/// How workers canonicalize its outputs.
	pub output_spec: OutputSpec,
	/// The price of one inference.
	pub price: Balance,
	/// The royalty rate the owner set.
	pub royalty: Perbill,
	/// The royalty rate actually paid: the owner's rate capped by the governance maximum.
	pub effective_royalty: Perbill,
	/// Its training datasets with their weights.
	pub datasets: Vec<(DatasetId, Perbill)>,
	/// Its status.
	pub status: ModelStatus,
	/// Why governance retired it, if it is retired.
	pub retirement_reason: Option<Vec<u8>>,
	/// The block it was registered in.
	pub created_at: BlockNumber,
	/// The deposit held from its owner.
	pub deposit: Balance,
	/// The account ownership has been offered to, if any.
	pub pending_owner: Option<AccountId>,
}

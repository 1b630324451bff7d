#![doc = include_str!("../README.md")]
// The crate docs (what the pallet does and, where money moves, why each actor's best
// strategy is honesty) live in the pallet's README.md, shown as the crate's rustdoc.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use deposits::{DepositOf, ModelDepositPrice, ModelDepositReason};
pub use pallet::*;
pub use types::*;
pub use validation::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
pub mod deposits;
#[cfg(test)]
mod mock;
mod models;
mod ownership;
pub mod runtime_api;
mod status;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod validation;
pub mod weights;

use alloc::boxed::Box;
use deai_primitives::{
	data::DatasetInspect,
	model::{ArtifactHash, ModelId, ModelStatus, ModelUsage},
};
use polkadot_sdk::{
	frame_support::{
		self,
		traits::{
			fungible::{Mutate, MutateHold},
			Get,
		},
	},
	frame_system,
	sp_runtime::{Perbill, SaturatedConversion},
};

/// The royalty maximum used when no genesis value is given: 25 % of an inference fee.
pub const DEFAULT_MAX_ROYALTY: Perbill = Perbill::from_percent(25);

// FRAME's pallet macros expand to `expect` calls with proofs (e.g. the runtime always knows
// this pallet's name); this module's own code has none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::traits::{CheckedAdd, CheckedMul, StaticLookup, Zero};

	/// The account lookup source used by `offer_transfer`.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit paying for a model's on-chain record; released when it is removed.
		#[codec(index = 0)]
		ModelDeposit,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Tells whether a dataset exists (the data-rewards pallet).
		type Datasets: DatasetInspect;

		/// Tells whether a job still references a model (the inference pallet); a model in
		/// use cannot be removed.
		type ModelUsage: ModelUsage;

		/// The origin that may retire and restore models (curation).
		type CurationOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The origin that may set the royalty maximum, an economic parameter: kept apart
		/// from [`Config::CurationOrigin`] so that curators cannot move fees.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The fixed part of a model's deposit. It also pays for the index entries a model
		/// adds (owner index, family history, artifact index, fine-tune index).
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// The deposit per byte of a model's encoded record.
		///
		/// `try_state` checks every deposit against the current rates, so changing this or
		/// [`Config::DepositBase`] must come with a migration that re-prices stored deposits.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// The longest model name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The longest version label, in bytes.
		#[pallet::constant]
		type MaxVersionLen: Get<u32>;

		/// The longest artifact URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// The most URIs (primary plus mirrors) a model may list.
		#[pallet::constant]
		type MaxUris: Get<u32>;

		/// The longest license (SPDX identifier or expression), in bytes.
		#[pallet::constant]
		type MaxLicenseLen: Get<u32>;

		/// The most training datasets a model may name.
		#[pallet::constant]
		type MaxDatasets: Get<u32>;

		/// The most versions a model family may hold.
		#[pallet::constant]
		type MaxVersionsPerFamily: Get<u32>;

		/// The longest reason governance may give when retiring a model, in bytes.
		#[pallet::constant]
		type MaxReasonLen: Get<u32>;

		/// The weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates what benchmarks need from other pallets (datasets).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper;
	}

	/// The id the next registered model gets.
	#[pallet::storage]
	pub type NextModelId<T> = StorageValue<_, ModelId, ValueQuery>;

	/// Every registered model, by id.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Twox64Concat, ModelId, Model<T>>;

	/// The versions of each model family, oldest first, keyed by the family id (the id of its
	/// first version). Removed versions leave the list; an empty family is deleted.
	#[pallet::storage]
	pub type Families<T: Config> = StorageMap<_, Twox64Concat, ModelId, VersionsOf<T>>;

	/// The model of each family holding a given artifact: rejects the same artifact twice
	/// in one family.
	#[pallet::storage]
	pub type FamilyArtifacts<T> =
		StorageDoubleMap<_, Twox64Concat, ModelId, Blake2_128Concat, ArtifactHash, ModelId>;

	/// The models each account owns.
	#[pallet::storage]
	pub type OwnedModels<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, ModelId, ()>;

	/// The models fine-tuned from each model: `(parent, child)`. An entry lives as long as
	/// its child: removing the parent leaves it (lineage is history), removing the child
	/// drops it.
	#[pallet::storage]
	pub type FineTunes<T> = StorageDoubleMap<_, Twox64Concat, ModelId, Twox64Concat, ModelId, ()>;

	/// The account each model's ownership has been offered to.
	#[pallet::storage]
	pub type PendingTransfers<T: Config> = StorageMap<_, Twox64Concat, ModelId, T::AccountId>;

	/// Why and when each retired model was retired.
	#[pallet::storage]
	pub type Retirements<T: Config> = StorageMap<_, Twox64Concat, ModelId, Retirement<T>>;

	/// The default of [`MaxRoyalty`]: [`DEFAULT_MAX_ROYALTY`].
	#[pallet::type_value]
	pub fn DefaultMaxRoyalty() -> Perbill {
		DEFAULT_MAX_ROYALTY
	}

	/// The highest royalty rate a model owner may set, chosen by governance.
	#[pallet::storage]
	pub type MaxRoyalty<T> = StorageValue<_, Perbill, ValueQuery, DefaultMaxRoyalty>;

	/// The genesis state.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The highest royalty rate a model owner may set.
		pub max_royalty: Perbill,
		/// Binds the configuration to the runtime.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			GenesisConfig { max_royalty: DEFAULT_MAX_ROYALTY, _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			MaxRoyalty::<T>::put(self.max_royalty);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was registered as the first version of a new family.
		ModelRegistered {
			/// The new model (and family) id.
			model: ModelId,
			/// Its owner.
			owner: T::AccountId,
			/// The blake2-256 hash of its artifact.
			artifact_hash: ArtifactHash,
			/// The deposit held from the owner.
			deposit: BalanceOf<T>,
		},
		/// A new version of a model family was published.
		VersionPublished {
			/// The new model id.
			model: ModelId,
			/// Its family.
			family: ModelId,
			/// The version it succeeds.
			predecessor: ModelId,
			/// Its owner.
			owner: T::AccountId,
			/// The blake2-256 hash of its artifact.
			artifact_hash: ArtifactHash,
			/// The deposit held from the owner.
			deposit: BalanceOf<T>,
		},
		/// A model's URIs, price or royalty rate were updated.
		MetadataUpdated {
			/// The model.
			model: ModelId,
			/// Its price now.
			price: BalanceOf<T>,
			/// Its royalty rate now.
			royalty: Perbill,
			/// Its deposit now (re-priced for the new record size).
			deposit: BalanceOf<T>,
		},
		/// A model was deprecated by its owner.
		ModelDeprecated {
			/// The model.
			model: ModelId,
		},
		/// A model's owner offered its ownership to another account.
		TransferOffered {
			/// The model.
			model: ModelId,
			/// The current owner.
			owner: T::AccountId,
			/// The account that may accept.
			new_owner: T::AccountId,
		},
		/// A pending ownership offer was withdrawn by the owner or declined by its recipient.
		TransferCancelled {
			/// The model.
			model: ModelId,
			/// The account that cancelled it.
			by: T::AccountId,
		},
		/// A model changed owner; the deposit moved from the old owner to the new one.
		OwnershipTransferred {
			/// The model.
			model: ModelId,
			/// The previous owner, whose deposit was released.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
			/// The deposit now held from the new owner.
			deposit: BalanceOf<T>,
		},
		/// A model was removed and its deposit released.
		ModelRemoved {
			/// The model.
			model: ModelId,
			/// Its owner.
			owner: T::AccountId,
			/// The deposit given back.
			deposit: BalanceOf<T>,
		},
		/// Governance retired a model.
		ModelRetired {
			/// The model.
			model: ModelId,
			/// The reason given.
			reason: ReasonOf<T>,
		},
		/// Governance restored a retired model.
		ModelRestored {
			/// The model.
			model: ModelId,
			/// The status it has again.
			status: ModelStatus,
		},
		/// Governance set the highest royalty rate.
		MaxRoyaltySet {
			/// The new maximum.
			max_royalty: Perbill,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The name is empty, not UTF-8 or has control characters: give a readable name.
		InvalidName,
		/// The version label is empty or has characters other than ASCII letters, digits,
		/// `.`, `-` and `+`, or does not start with a letter or digit: use e.g. `1.2.0`.
		InvalidVersion,
		/// The license is empty or not an SPDX identifier or expression: use e.g.
		/// `Apache-2.0` or `LicenseRef-<name>`.
		InvalidLicense,
		/// No artifact URI was given: give at least one.
		NoUri,
		/// A URI is not `scheme://…` in printable ASCII: use e.g. `ipfs://<cid>`.
		InvalidUri,
		/// The same URI is listed twice: list each mirror once.
		DuplicateUri,
		/// The name of an `Other` framework is empty or not printable ASCII.
		InvalidFramework,
		/// The input spec accepts no input: set `max_len` to at least 1.
		InvalidInputSpec,
		/// The output spec's parameters are out of bounds (see `OutputSpec::is_valid`).
		InvalidOutputSpec,
		/// The royalty rate is above the governance maximum: lower it.
		RoyaltyTooHigh,
		/// No model has this id.
		UnknownModel,
		/// Only the model's owner may do this.
		NotOwner,
		/// The parent model does not exist. A parent must already be registered, which is
		/// also why lineage can never contain a cycle.
		UnknownParent,
		/// A training dataset does not exist in the data-rewards pallet: register it first.
		UnknownDataset,
		/// A training dataset is listed twice: merge its weights.
		DuplicateDataset,
		/// A training dataset has a zero weight: drop it or give it a share.
		ZeroDatasetWeight,
		/// The training datasets' weights do not sum to exactly 100 %: fix the weights, or
		/// list no dataset at all.
		LineageWeightsNotHundredPercent,
		/// This family already has a version with this artifact: a new version needs a new
		/// artifact.
		DuplicateArtifact,
		/// The predecessor is not the family's latest version: publish after the latest.
		NotLatestVersion,
		/// The family holds `MaxVersionsPerFamily` versions: remove an old version or start a
		/// new family.
		TooManyVersions,
		/// The deposit cannot be held: the account needs more free balance.
		InsufficientBalance,
		/// `update_metadata` was called without anything to update.
		NothingToUpdate,
		/// The model is already deprecated.
		AlreadyDeprecated,
		/// The model is retired by governance; only governance can restore it.
		ModelRetired,
		/// The model is already retired.
		AlreadyRetired,
		/// The model is not retired, so there is nothing to restore.
		NotRetired,
		/// The retirement reason is empty or not UTF-8: say why the model is retired.
		InvalidReason,
		/// The model cannot be offered to its own owner.
		AlreadyOwner,
		/// The model's ownership is not on offer.
		NoTransferOffer,
		/// The model's ownership is offered to another account.
		NotOfferedToYou,
		/// A job still references the model: wait until its jobs are settled.
		ModelInUse,
		/// The funds this needs are locked by a governance vote: unlock them (remove the vote
		/// once its lock expires) or use other funds.
		FundsFrozen,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxNameLen::get() > 0, "MaxNameLen must allow a name");
			assert!(T::MaxVersionLen::get() > 0, "MaxVersionLen must allow a version label");
			assert!(T::MaxUriLen::get() >= 16, "MaxUriLen must allow a real URI");
			assert!(T::MaxUris::get() > 0, "MaxUris must allow one URI");
			assert!(T::MaxLicenseLen::get() > 0, "MaxLicenseLen must allow a license");
			assert!(T::MaxDatasets::get() > 0, "MaxDatasets must allow one dataset");
			assert!(T::MaxVersionsPerFamily::get() >= 2, "families must allow a second version");
			assert!(T::MaxReasonLen::get() > 0, "MaxReasonLen must allow a reason");
			assert!(
				!T::DepositBase::get().is_zero() || !T::DepositPerByte::get().is_zero(),
				"storage must not be free"
			);
			let largest = Model::<T>::max_encoded_len().saturated_into::<u32>();
			assert!(
				T::DepositPerByte::get()
					.checked_mul(&BalanceOf::<T>::from(largest))
					.and_then(|bytes| bytes.checked_add(&T::DepositBase::get()))
					.is_some(),
				"the deposit of the largest model must not overflow"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a model as the first version of a new family, holding its deposit from
		/// the caller: what it is (`spec`, fixed for its life) and what its owner may change
		/// later (`terms`: URIs, price, royalty).
		///
		/// The model gets the next id, which is also its family's id.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::register(registration_bytes(spec, terms), spec.dataset_count())
		)]
		pub fn register(
			origin: OriginFor<T>,
			spec: Box<ModelSpec<T>>,
			terms: ModelTerms<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register(owner, *spec, terms)
		}

		/// Publishes a new version of a family after its latest version `predecessor`, which
		/// the caller must own. The new version is a full model with its own artifact, output
		/// spec and lineage, and its own deposit.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::publish_version(registration_bytes(spec, terms), spec.dataset_count())
		)]
		pub fn publish_version(
			origin: OriginFor<T>,
			predecessor: ModelId,
			spec: Box<ModelSpec<T>>,
			terms: ModelTerms<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_publish_version(owner, predecessor, *spec, terms)
		}

		/// Updates what may change about a model: its URIs (primary first, then mirrors),
		/// its price and its royalty rate (at most the governance maximum). `None` keeps a
		/// value. The deposit is re-priced for the new record size: the difference is held
		/// or released.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::update_metadata(
			uris.as_ref().map_or(0, |uris| uris_bytes(uris.as_slice()).saturated_into::<u32>())
		))]
		pub fn update_metadata(
			origin: OriginFor<T>,
			model: ModelId,
			uris: Option<UrisOf<T>>,
			price: Option<BalanceOf<T>>,
			royalty: Option<Perbill>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_metadata(who, model, uris, price, royalty)
		}

		/// Deprecates an active model: its owner advises against using it. Deprecation is
		/// final; publish a new version instead.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::deprecate())]
		pub fn deprecate(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deprecate(who, model)
		}

		/// Offers the ownership of a model to `new_owner`, who becomes owner by calling
		/// `accept_transfer`. A new offer replaces the previous one.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::offer_transfer())]
		pub fn offer_transfer(
			origin: OriginFor<T>,
			model: ModelId,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_offer_transfer(who, model, new_owner)
		}

		/// Withdraws (as the owner) or declines (as the recipient) a pending ownership offer.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::cancel_transfer())]
		pub fn cancel_transfer(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_transfer(who, model)
		}

		/// Accepts the ownership of a model offered to the caller. The caller's deposit for
		/// the record is held (at the current rates) and the previous owner's released.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::accept_transfer())]
		pub fn accept_transfer(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_transfer(who, model)
		}

		/// Removes a model and releases its deposit. Refused while a job references the
		/// model. Later versions and fine-tunes keep naming it as their predecessor or parent:
		/// history is not rewritten, and nobody can keep a model alive by naming it.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::remove())]
		pub fn remove(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove(who, model)
		}

		/// Retires a model (governance), recording the reason. An active or deprecated model
		/// may be retired; `restore` gives it back the status it had.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::retire(reason.len().saturated_into::<u32>()))]
		pub fn retire(origin: OriginFor<T>, model: ModelId, reason: ReasonOf<T>) -> DispatchResult {
			T::CurationOrigin::ensure_origin(origin)?;
			Self::do_retire(model, reason)
		}

		/// Restores a retired model (governance) to the status it had before.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::restore())]
		pub fn restore(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			T::CurationOrigin::ensure_origin(origin)?;
			Self::do_restore(model)
		}

		/// Sets the highest royalty rate model owners may set (governance). Models whose rate
		/// is above a lowered maximum are paid the maximum.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_max_royalty())]
		pub fn set_max_royalty(origin: OriginFor<T>, max_royalty: Perbill) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_max_royalty(max_royalty)
		}
	}
}

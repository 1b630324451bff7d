#![doc = include_str!("../README.md")]
// The crate docs (what the pallet does and, where money moves, why each actor's best
// strategy is honesty) live in the pallet's README.md, shown as the crate's rustdoc.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use deposits::{ContributionDepositOf, DatasetDepositOf};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod contributions;
mod datasets;
pub mod deposits;
#[cfg(test)]
mod mock;
mod royalty;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

use polkadot_sdk::{frame_support, frame_system, sp_core, sp_runtime};

/// The most contributors [`Pallet::contributors_page`] returns at once.
pub const MAX_CONTRIBUTORS_PAGE: u32 = 100;

// The code that `#[pallet::pallet]`, `#[pallet::storage]` and `#[pallet::error]` expand to
// calls `expect` on facts `construct_runtime!` guarantees (the pallet's name and index), and
// clippy reports it at those attributes. The pallet's own code uses no `expect`: with this
// allowance removed, every report points at one of those attributes.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use deai_primitives::{data::DatasetId, Balance};
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::{AccountIdConversion, Zero};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered dataset, refunded when it is removed.
		#[codec(index = 0)]
		DatasetDeposit,
		/// The deposit of a contribution waiting for curation, refunded when it is accepted,
		/// rejected or withdrawn.
		#[codec(index = 1)]
		ContributionDeposit,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native token: deposits are held in it and rewards paid in it.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that adds and removes curators (governance; root on the development
		/// chain).
		type CurationOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The id from which the account holding all reward funds is derived.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The base deposit of a dataset.
		#[pallet::constant]
		type DatasetDeposit: Get<Balance>;

		/// The base deposit of a pending contribution.
		#[pallet::constant]
		type ContributionDeposit: Get<Balance>;

		/// The deposit per byte of a dataset's name, URI and license and of a contribution's
		/// URI.
		#[pallet::constant]
		type DepositPerByte: Get<Balance>;

		/// The longest dataset name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The longest URI of a dataset or a contribution, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// The longest license (SPDX id or expression), in bytes.
		#[pallet::constant]
		type MaxLicenseLen: Get<u32>;

		/// The longest reason a curator may give for a rejection, in bytes.
		#[pallet::constant]
		type MaxReasonLen: Get<u32>;

		/// The highest weight a contribution may declare.
		#[pallet::constant]
		type MaxContributionWeight: Get<u32>;

		/// The most contributions one account may have waiting for curation.
		#[pallet::constant]
		type MaxPendingPerAccount: Get<u32>;

		/// The most contributions one dataset may have waiting for curation.
		#[pallet::constant]
		type MaxPendingPerDataset: Get<u32>;

		/// The most accounts that may hold shares in one dataset.
		#[pallet::constant]
		type MaxContributorsPerDataset: Get<u32>;

		/// The most curators.
		#[pallet::constant]
		type MaxCurators: Get<u32>;

		/// The weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next dataset will get.
	#[pallet::storage]
	pub type NextDatasetId<T> = StorageValue<_, DatasetId, ValueQuery>;

	/// The registered datasets.
	#[pallet::storage]
	pub type Datasets<T: Config> = StorageMap<_, Twox64Concat, DatasetId, DatasetInfo<T>>;

	/// The reward pool of each registered dataset.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, DatasetId, RewardPool>;

	/// The id the next contribution will get.
	#[pallet::storage]
	pub type NextContributionId<T> = StorageValue<_, ContributionId, ValueQuery>;

	/// The contributions waiting for curation.
	#[pallet::storage]
	pub type Contributions<T: Config> =
		StorageMap<_, Twox64Concat, ContributionId, Contribution<T>>;

	/// The number of contributions each account has waiting for curation (absent when zero).
	#[pallet::storage]
	pub type PendingByAccount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The contributors of each dataset and their stake in its reward pool.
	#[pallet::storage]
	pub type Contributors<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		DatasetId,
		Blake2_128Concat,
		T::AccountId,
		ContributorInfo,
	>;

	/// The accounts that may accept and reject contributions.
	#[pallet::storage]
	pub type Curators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCurators>, ValueQuery>;

	/// The genesis state: the first curators. The pallet account also receives the
	/// existential deposit at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The curators at genesis (at most [`Config::MaxCurators`], no duplicates).
		pub curators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut curators = self.curators.clone();
			curators.sort();
			curators.dedup();
			assert_eq!(curators.len(), self.curators.len(), "duplicate genesis curators");
			let curators = BoundedVec::<T::AccountId, T::MaxCurators>::try_from(curators)
				.unwrap_or_else(|_| panic!("more genesis curators than MaxCurators"));
			Curators::<T>::put(curators);

			let account = Pallet::<T>::account_id();
			let missing =
				T::Currency::minimum_balance().saturating_sub(T::Currency::balance(&account));
			if !missing.is_zero() {
				assert!(
					T::Currency::mint_into(&account, missing).is_ok(),
					"cannot fund the data-rewards account with the existential deposit"
				);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A dataset was registered.
		DatasetCreated {
			/// The new dataset's id.
			dataset: DatasetId,
			/// Its owner.
			owner: T::AccountId,
			/// The hash of its manifest.
			content_hash: H256,
			/// The deposit held from the owner.
			deposit: Balance,
		},
		/// A dataset's manifest, URI or schema was updated.
		DatasetUpdated {
			/// The dataset.
			dataset: DatasetId,
			/// The hash of its new manifest.
			content_hash: H256,
			/// The hash of its new schema and description.
			schema_hash: H256,
			/// The owner's deposit after the update.
			deposit: Balance,
		},
		/// A dataset was opened or closed to new contributions.
		DatasetStatusChanged {
			/// The dataset.
			dataset: DatasetId,
			/// Its new status.
			status: DatasetStatus,
		},
		/// A dataset was removed and its deposit refunded.
		DatasetRemoved {
			/// The removed dataset.
			dataset: DatasetId,
			/// The deposit returned to the owner.
			refunded: Balance,
		},
		/// A contribution was submitted and waits for curation.
		ContributionSubmitted {
			/// The contribution's id.
			contribution: ContributionId,
			/// The dataset it is for.
			dataset: DatasetId,
			/// Who submitted it.
			contributor: T::AccountId,
			/// The hash of the contributed data.
			content_hash: H256,
			/// Its declared weight.
			weight: u32,
			/// The deposit held from the contributor.
			deposit: Balance,
		},
		/// A contributor withdrew a pending contribution; its deposit was refunded.
		ContributionWithdrawn {
			/// The contribution.
			contribution: ContributionId,
			/// The dataset it was for.
			dataset: DatasetId,
			/// The contributor.
			contributor: T::AccountId,
		},
		/// A curator accepted a contribution: its contributor received shares in the dataset.
		ContributionAccepted {
			/// The contribution.
			contribution: ContributionId,
			/// The dataset.
			dataset: DatasetId,
			/// The contributor, who received the shares.
			contributor: T::AccountId,
			/// The curator who accepted it.
			curator: T::AccountId,
			/// The quality score given (1 to 100).
			quality: u8,
			/// The shares it gave (declared weight × quality).
			shares: u128,
		},
		/// A curator rejected a contribution; its deposit was refunded.
		ContributionRejected {
			/// The contribution.
			contribution: ContributionId,
			/// The dataset it was for.
			dataset: DatasetId,
			/// The contributor.
			contributor: T::AccountId,
			/// The curator who rejected it.
			curator: T::AccountId,
			/// Why it was rejected.
			reason: BoundedVec<u8, T::MaxReasonLen>,
		},
		/// A contributor claimed their rewards from a dataset.
		RewardsClaimed {
			/// The dataset.
			dataset: DatasetId,
			/// The contributor, who received the rewards.
			contributor: T::AccountId,
			/// The amount paid.
			amount: Balance,
		},
		/// A dataset's reward pool was funded directly (a data bounty).
		PoolToppedUp {
			/// The dataset.
			dataset: DatasetId,
			/// Who funded it.
			funder: T::AccountId,
			/// The amount added.
			amount: Balance,
		},
		/// A data royalty was credited to a dataset's reward pool.
		RoyaltyPaid {
			/// The dataset.
			dataset: DatasetId,
			/// The account that paid the royalty.
			payer: T::AccountId,
			/// The amount credited to this dataset.
			amount: Balance,
		},
		/// A curator was added.
		CuratorAdded {
			/// The new curator.
			curator: T::AccountId,
		},
		/// A curator was removed.
		CuratorRemoved {
			/// The former curator.
			curator: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No dataset has this id: check the id (it may have been removed).
		DatasetNotFound,
		/// Only the dataset's owner may do this: sign with the owner's account.
		NotDatasetOwner,
		/// The dataset takes no new contributions: ask its owner to reopen it, or contribute
		/// to another dataset.
		DatasetClosed,
		/// The dataset has contributors holding shares and cannot be removed: close it
		/// instead.
		DatasetHasContributors,
		/// Contributions to the dataset wait for curation: wait until they are curated or
		/// withdrawn, or close the dataset to stop new ones.
		DatasetHasPendingContributions,
		/// The dataset's reward pool holds funds (a bounty) and cannot be removed: keep it
		/// open until contributors are accepted and the funds are distributed.
		DatasetHasFunds,
		/// No pending contribution has this id: it may already have been curated or
		/// withdrawn.
		ContributionNotFound,
		/// Only the contributor may withdraw a contribution: sign with their account.
		NotContributor,
		/// The account has too many contributions waiting for curation: wait until some are
		/// curated or withdraw one.
		TooManyPendingForAccount,
		/// The dataset has too many contributions waiting for curation: try again after the
		/// curators have caught up.
		TooManyPendingForDataset,
		/// The dataset has the most contributors it may have; only its existing contributors
		/// can receive more shares. Reject the contribution or ask for a new dataset.
		TooManyContributors,
		/// The declared weight must be between 1 and `MaxContributionWeight`.
		InvalidWeight,
		/// The quality score must be between 1 and 100; reject the contribution instead of
		/// scoring it 0.
		InvalidQuality,
		/// Only a curator may accept or reject contributions.
		NotCurator,
		/// A curator cannot curate their own contribution: another curator must do it.
		CuratorIsContributor,
		/// The account is already a curator.
		AlreadyCurator,
		/// The curator set is full: remove a curator first.
		TooManyCurators,
		/// The account is not a curator.
		UnknownCurator,
		/// The account has nothing to claim from this dataset (no shares, or no rewards since
		/// its last claim).
		NothingToClaim,
		/// The amount must be greater than zero.
		ZeroAmount,
		/// The lineage weights add up to more than 100 %: fix the model's lineage.
		LineageOverweight,
		/// The funds this needs are locked by a governance vote: unlock them (remove the vote
		/// once its lock expires) or use other funds.
		FundsFrozen,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				<PalletId as AccountIdConversion<T::AccountId>>::try_into_account(
					&T::PalletId::get()
				)
				.is_some(),
				"the account id is too short to hold the pallet id"
			);
			assert!(!T::DatasetDeposit::get().is_zero(), "datasets must pay a deposit");
			assert!(!T::ContributionDeposit::get().is_zero(), "contributions must pay a deposit");
			assert!(T::MaxNameLen::get() > 0, "MaxNameLen must be positive");
			assert!(T::MaxUriLen::get() > 0, "MaxUriLen must be positive");
			assert!(T::MaxLicenseLen::get() > 0, "MaxLicenseLen must be positive");
			assert!(T::MaxContributionWeight::get() > 0, "MaxContributionWeight must be positive");
			assert!(T::MaxPendingPerAccount::get() > 0, "MaxPendingPerAccount must be positive");
			assert!(T::MaxPendingPerDataset::get() > 0, "MaxPendingPerDataset must be positive");
			assert!(
				T::MaxContributorsPerDataset::get() > 0,
				"MaxContributorsPerDataset must be positive"
			);
			assert!(T::MaxCurators::get() > 0, "MaxCurators must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Registers a dataset owned by the signer, holding its deposit.
		///
		/// - `name`: a human-readable name.
		/// - `content_hash`: the blake2-256 hash of the dataset's manifest.
		/// - `uri`: where the manifest can be fetched.
		/// - `license`: the SPDX license id of the data.
		/// - `schema_hash`: the blake2-256 hash of its schema and description.
		#[pallet::call_index(0)]
		pub fn create_dataset(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			content_hash: H256,
			uri: BoundedVec<u8, T::MaxUriLen>,
			license: BoundedVec<u8, T::MaxLicenseLen>,
			schema_hash: H256,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_dataset(owner, name, content_hash, uri, license, schema_hash)
		}

		/// Updates the manifest hash, URI and schema hash of a dataset (owner only); the
		/// deposit follows the new URI length.
		#[pallet::call_index(1)]
		pub fn update_dataset(
			origin: OriginFor<T>,
			dataset: DatasetId,
			content_hash: H256,
			uri: BoundedVec<u8, T::MaxUriLen>,
			schema_hash: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_dataset(who, dataset, content_hash, uri, schema_hash)
		}

		/// Opens or closes a dataset to new contributions (owner only). A closed dataset
		/// still earns royalties and its pending contributions may still be curated.
		#[pallet::call_index(2)]
		pub fn set_dataset_status(
			origin: OriginFor<T>,
			dataset: DatasetId,
			status: DatasetStatus,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_dataset_status(who, dataset, status)
		}

		/// Removes a dataset and refunds its deposit (owner only). Only a dataset without
		/// contributors, pending contributions and funds can be removed.
		#[pallet::call_index(3)]
		pub fn remove_dataset(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_dataset(who, dataset)
		}

		/// Submits a contribution to an open dataset; it waits for curation with its deposit
		/// held.
		///
		/// - `content_hash`: the blake2-256 hash of the contributed data (or its manifest).
		/// - `uri`: where it can be fetched.
		/// - `size`: its size in bytes, for the curators.
		/// - `weight`: its declared weight (e.g. records or tokens), 1 to
		///   `MaxContributionWeight`; an accepted contribution gives `weight × quality` shares.
		#[pallet::call_index(4)]
		pub fn submit_contribution(
			origin: OriginFor<T>,
			dataset: DatasetId,
			content_hash: H256,
			uri: BoundedVec<u8, T::MaxUriLen>,
			size: u64,
			weight: u32,
		) -> DispatchResult {
			let contributor = ensure_signed(origin)?;
			Self::do_submit_contribution(contributor, dataset, content_hash, uri, size, weight)
		}

		/// Withdraws a pending contribution (its contributor only) and refunds its deposit.
		#[pallet::call_index(5)]
		pub fn withdraw_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_contribution(who, contribution)
		}

		/// Accepts a pending contribution with a quality score from 1 to 100 (curators only):
		/// its contributor receives `declared weight × quality` shares in the dataset and the
		/// deposit is refunded.
		#[pallet::call_index(6)]
		pub fn accept_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
			quality: u8,
		) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			Self::do_accept_contribution(curator, contribution, quality)
		}

		/// Rejects a pending contribution with a reason (curators only) and refunds its
		/// deposit.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::reject_contribution(reason.len() as u32))]
		pub fn reject_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
			reason: BoundedVec<u8, T::MaxReasonLen>,
		) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			Self::do_reject_contribution(curator, contribution, reason)
		}

		/// Pays the signer everything they are owed by a dataset's reward pool, in whole
		/// units (a remainder below one unit stays owed and is paid once it adds up). A claim
		/// below the existential deposit into an account that does not exist fails
		/// (`BelowMinimum`): wait until more is owed.
		#[pallet::call_index(8)]
		pub fn claim(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, dataset)
		}

		/// Adds `amount` from the signer to a dataset's reward pool (a data bounty), to be
		/// shared by its contributors like a royalty. The signer is kept alive.
		#[pallet::call_index(9)]
		pub fn top_up(origin: OriginFor<T>, dataset: DatasetId, amount: Balance) -> DispatchResult {
			let funder = ensure_signed(origin)?;
			Self::do_top_up(funder, dataset, amount)
		}

		/// Adds a curator (`CurationOrigin` only).
		#[pallet::call_index(10)]
		pub fn add_curator(origin: OriginFor<T>, curator: T::AccountId) -> DispatchResult {
			T::CurationOrigin::ensure_origin(origin)?;
			Self::do_add_curator(curator)
		}

		/// Removes a curator (`CurationOrigin` only).
		#[pallet::call_index(11)]
		pub fn remove_curator(origin: OriginFor<T>, curator: T::AccountId) -> DispatchResult {
			T::CurationOrigin::ensure_origin(origin)?;
			Self::do_remove_curator(curator)
		}
	}
}

#![doc = include_str!("../README.md")]
// The crate docs (what the pallet does and, where money moves, why each actor's best
// strategy is honesty) live in the pallet's README.md, shown as the crate's rustdoc.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod enactment;
#[cfg(test)]
mod mock;
mod proposals;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod treasury;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
mod voting;
pub mod weights;

use alloc::boxed::Box;
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		self,
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		traits::{
			fungible::{Mutate, MutateFreeze, MutateHold},
			Get,
		},
		weights::Weight,
		PalletId,
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{traits::Dispatchable, SaturatedConversion},
};

/// How deeply nested a stored call may be when it is decoded for enactment.
pub const MAX_CALL_DECODE_DEPTH: u32 = 64;

/// The log target of this pallet.
const LOG_TARGET: &str = "runtime::governance";

// FRAME's pallet macros expand to `expect` calls with proofs (e.g. the runtime always knows
// this pallet's name); this module's own code has none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::{traits::StaticLookup, Perbill};

	/// The account lookup source used by `unlock` and `grant`.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin enacted proposals dispatch with (except on the Runtime track, which
	/// dispatches as root).
	#[pallet::origin]
	#[derive(
		Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
	)]
	pub enum Origin {
		/// A proposal of this track passed and is being enacted.
		Track(TrackKind),
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an open proposal: returned at `close` if it reached the turnout
		/// quorum, sent to the treasury otherwise.
		#[codec(index = 0)]
		ProposalDeposit,
	}

	/// Why the pallet freezes funds.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// Tokens voted with: frozen until every vote using them is unlocked.
		#[codec(index = 0)]
		Vote,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching origin: enacted proposals dispatch with [`Origin`] or root.
		type RuntimeOrigin: From<Origin> + From<frame_system::RawOrigin<Self::AccountId>>;

		/// The overarching call: what proposals carry.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<frame_system::Call<Self>>
			+ frame_support::traits::IsSubType<Call<Self>>;

		/// The currency deposits are held and votes frozen in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>
			+ Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The overarching freeze reason.
		type RuntimeFreezeReason: From<FreezeReason>;

		/// The parameters of each track.
		type Tracks: TracksInfo<BalanceOf<Self>, BlockNumberFor<Self>>;

		/// The origin that may award and cancel grants: the Treasury track
		/// (`EnsureTrack<TreasuryTrack>`, possibly with root).
		type TreasuryOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// The id the treasury account is derived from.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The longest call a proposal may carry, in SCALE-encoded bytes.
		#[pallet::constant]
		type MaxCallLen: Get<u32>;

		/// The heaviest call a proposal may carry; `enact` refuses to dispatch heavier calls.
		/// Keep it well below the block's maximum so an enactment always fits in a block.
		#[pallet::constant]
		type MaxCallWeight: Get<Weight>;

		/// The longest proposal title, in bytes.
		#[pallet::constant]
		type MaxTitleLen: Get<u32>;

		/// The most proposals that may be live at once (voting, or approved and not enacted).
		#[pallet::constant]
		type MaxLiveProposals: Get<u32>;

		/// The most proposals that may be live at once on one track.
		#[pallet::constant]
		type MaxLivePerTrack: Get<u32>;

		/// The most proposals one account may have live at once.
		#[pallet::constant]
		type MaxLivePerProposer: Get<u32>;

		/// The origin that may cancel a live proposal: the Emergency track
		/// (`EnsureTrack<EmergencyTrack>`, possibly with root).
		type CancelOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// The most votes an account may record at once (on open proposals, or still locked).
		#[pallet::constant]
		type MaxVotesPerAccount: Get<u32>;

		/// The unit of conviction locks, in blocks: a vote with conviction stays frozen for
		/// 1, 2 or 4 of these after the voting period.
		#[pallet::constant]
		type VoteLockingPeriod: Get<BlockNumberFor<Self>>;

		/// The most one vote adds to a proposal's turnout, as a share of the total issuance.
		/// Every track's quorum must be above it, so that no single account reaches a quorum.
		#[pallet::constant]
		type MaxTurnoutPerVoter: Get<Perbill>;

		/// The largest single grant.
		#[pallet::constant]
		type MaxGrant: Get<BalanceOf<Self>>;

		/// The most grants that may be open (awarded and not paid out) at once.
		#[pallet::constant]
		type MaxOpenGrants: Get<u32>;

		/// How long a finished proposal's record is kept, in blocks after it finished, before
		/// anyone may prune it ([`Pallet::prune_proposal`]).
		#[pallet::constant]
		type ProposalRetention: Get<BlockNumberFor<Self>>;

		/// The weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The index the next proposal gets.
	#[pallet::storage]
	pub type ProposalCount<T> = StorageValue<_, ProposalIndex, ValueQuery>;

	/// Every proposal not yet pruned, by index. Finished proposals keep a small record of
	/// their outcome and final tally (their call is dropped) for
	/// [`Config::ProposalRetention`] blocks, then anyone may prune it.
	#[pallet::storage]
	pub type Proposals<T: Config> = StorageMap<_, Twox64Concat, ProposalIndex, Proposal<T>>;

	/// The SCALE-encoded call of each live proposal.
	#[pallet::storage]
	pub type ProposalCalls<T: Config> = StorageMap<_, Twox64Concat, ProposalIndex, CallOf<T>>;

	/// The live proposals (ongoing, or approved and not yet enacted), oldest first.
	#[pallet::storage]
	pub type LiveProposals<T: Config> =
		StorageValue<_, BoundedVec<ProposalIndex, T::MaxLiveProposals>, ValueQuery>;

	/// How many live proposals each track has.
	#[pallet::storage]
	pub type LiveOnTrack<T: Config> = StorageMap<_, Twox64Concat, TrackKind, u32, ValueQuery>;

	/// How many live proposals each proposer has.
	#[pallet::storage]
	pub type LiveByProposer<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The approved proposals waiting for enactment with the block their enactment delay
	/// ends, earliest first (ties in approval order). `on_idle` enacts the due ones while the
	/// block has weight to spare; `enact` lets anyone enact a due one at once.
	#[pallet::storage]
	pub type EnactmentQueue<T: Config> = StorageValue<
		_,
		BoundedVec<(BlockNumberFor<T>, ProposalIndex), T::MaxLiveProposals>,
		ValueQuery,
	>;

	/// The votes each account has recorded: on open proposals, or on closed ones and still
	/// locked.
	#[pallet::storage]
	pub type VotingOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, VotesOf<T>, ValueQuery>;

	/// The open grants, by id.
	#[pallet::storage]
	pub type Grants<T: Config> = CountedStorageMap<_, Twox64Concat, GrantId, GrantOf<T>>;

	/// The id the next grant gets.
	#[pallet::storage]
	pub type NextGrantId<T> = StorageValue<_, GrantId, ValueQuery>;

	/// The sum of the open grants: treasury funds new grants cannot use.
	#[pallet::storage]
	pub type Committed<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The genesis state: the treasury account is created with the existential deposit.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Binds the configuration to the runtime.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::create_account()
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A proposal was submitted and is open for voting.
		Proposed {
			/// Its index.
			index: ProposalIndex,
			/// Who proposed it.
			proposer: T::AccountId,
			/// Its track.
			track: TrackKind,
			/// The deposit held from the proposer.
			deposit: BalanceOf<T>,
			/// The first block it can no longer be voted on.
			voting_ends: BlockNumberFor<T>,
		},
		/// An account voted on a proposal.
		Voted {
			/// The proposal.
			index: ProposalIndex,
			/// The voter.
			who: T::AccountId,
			/// The vote.
			vote: VoteOf<T>,
		},
		/// An account changed its vote on a proposal.
		VoteChanged {
			/// The proposal.
			index: ProposalIndex,
			/// The voter.
			who: T::AccountId,
			/// The new vote.
			vote: VoteOf<T>,
		},
		/// An account removed its vote from an open proposal.
		VoteRemoved {
			/// The proposal.
			index: ProposalIndex,
			/// The voter.
			who: T::AccountId,
		},
		/// Expired votes of an account were dropped and its freeze lowered.
		Unlocked {
			/// The account.
			who: T::AccountId,
			/// How many votes were dropped.
			votes: u32,
			/// What stays frozen.
			frozen: BalanceOf<T>,
		},
		/// A proposal reached quorum and approval; it may be enacted from `enact_at`.
		ProposalApproved {
			/// The proposal.
			index: ProposalIndex,
			/// The final tally.
			tally: TallyOf<T>,
			/// The first block it may be enacted in.
			enact_at: BlockNumberFor<T>,
		},
		/// A proposal reached quorum but not approval; its deposit was returned.
		ProposalRejected {
			/// The proposal.
			index: ProposalIndex,
			/// The final tally.
			tally: TallyOf<T>,
		},
		/// A proposal did not reach the turnout quorum; its deposit went to the treasury.
		QuorumMissed {
			/// The proposal.
			index: ProposalIndex,
			/// The final tally.
			tally: TallyOf<T>,
			/// The deposit sent to the treasury.
			slashed: BalanceOf<T>,
		},
		/// An approved proposal's call was dispatched successfully.
		ProposalEnacted {
			/// The proposal.
			index: ProposalIndex,
			/// Its track, whose origin the call was dispatched with.
			track: TrackKind,
		},
		/// An approved proposal's call did not take effect; it will not be retried.
		EnactmentFailed {
			/// The proposal.
			index: ProposalIndex,
			/// Its track.
			track: TrackKind,
			/// Why it did not take effect.
			error: EnactmentError,
		},
		/// The Treasury track awarded a grant.
		GrantAwarded {
			/// The grant.
			id: GrantId,
			/// Who receives it.
			beneficiary: T::AccountId,
			/// How much.
			amount: BalanceOf<T>,
			/// The hash of its purpose.
			purpose_hash: H256,
		},
		/// A grant was paid out of the treasury.
		GrantPaid {
			/// The grant.
			id: GrantId,
			/// Who received it.
			beneficiary: T::AccountId,
			/// How much.
			amount: BalanceOf<T>,
		},
		/// The Treasury track cancelled an open grant.
		GrantCancelled {
			/// The grant.
			id: GrantId,
			/// The amount it no longer commits.
			amount: BalanceOf<T>,
		},
		/// The cancel origin stopped a live proposal; it will not be enacted.
		ProposalCancelled {
			/// The proposal.
			index: ProposalIndex,
			/// The deposit sent to the treasury (if it was still open for voting).
			slashed: BalanceOf<T>,
		},
		/// A finished proposal's record was pruned after its retention.
		ProposalPruned {
			/// The proposal.
			index: ProposalIndex,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No proposal has this index.
		UnknownProposal,
		/// The call encodes to more than `MaxCallLen` bytes: split it, or for a runtime
		/// upgrade propose `authorize_upgrade(code_hash)` instead of the code.
		CallTooLong,
		/// The call weighs more than `MaxCallWeight`: split it into smaller proposals.
		CallTooHeavy,
		/// The title is empty or not UTF-8: give a short readable title.
		InvalidTitle,
		/// `MaxLiveProposals` proposals are live: wait until one is closed or enacted.
		TooManyProposals,
		/// The proposer cannot afford the track's deposit.
		InsufficientBalance,
		/// The proposal is no longer open: it was closed (voting on it is over).
		NotOngoing,
		/// The voting period is over: the proposal can only be closed now.
		VotingEnded,
		/// The voting period is not over yet: close the proposal after `voting_ends`.
		VotingStillOpen,
		/// The account already voted on this proposal: use `change_vote` or `remove_vote`.
		AlreadyVoted,
		/// The account has not voted on this proposal.
		NotVoted,
		/// A vote needs a non-zero balance.
		ZeroVote,
		/// The vote's balance is more than the account's free balance. Held funds (bonds,
		/// escrow, deposits) do not vote: vote with at most the free balance.
		InsufficientFunds,
		/// The account has `MaxVotesPerAccount` votes recorded: `unlock` expired ones or
		/// remove one first.
		TooManyVotes,
		/// The account has no votes recorded.
		NotVoting,
		/// None of the account's votes can be unlocked yet: a vote unlocks once its proposal
		/// is closed and its conviction lock has ended.
		StillLocked,
		/// The proposal is not approved and waiting for enactment.
		NotApproved,
		/// The enactment delay has not passed: enact from `enact_at`.
		EnactmentNotDue,
		/// The stated weight is below the call's weight: state at least the call's weight.
		WeightWitnessTooLow,
		/// The grant is below the existential deposit: grant more.
		GrantBelowMinimum,
		/// The grant is above `MaxGrant`: split it or lower it.
		GrantTooLarge,
		/// `MaxOpenGrants` grants are open: wait until one is paid out or cancelled.
		TooManyGrants,
		/// The treasury cannot cover the grant on top of the open grants.
		InsufficientTreasury,
		/// No open grant has this id.
		UnknownGrant,
		/// The funds this needs are locked by a governance vote: unlock them (remove the vote
		/// once its lock expires) or use other funds.
		FundsFrozen,
		/// The track has `MaxLivePerTrack` live proposals: wait until one is closed or
		/// enacted.
		TrackFull,
		/// The proposer has `MaxLivePerProposer` live proposals: wait until one of them is
		/// closed or enacted.
		TooManyByProposer,
		/// Proposals on the Emergency track may only carry `cancel`.
		NotACancel,
		/// The proposal is not live (not ongoing, nor approved and waiting): nothing to
		/// cancel.
		NotLive,
		/// The proposal has not finished (it is ongoing, or approved and not yet enacted), or
		/// finished less than `ProposalRetention` blocks ago: its record is kept.
		ProposalRetained,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Enacts due approved proposals with the block's spare weight (see
		/// [`Pallet::enact_due`]).
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::enact_due(now, remaining)
		}

		fn integrity_test() {
			Self::do_integrity_test()
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
		/// Proposes `call` on `track`, holding the deposit from the caller: the track's
		/// deposit doubled for every proposal already live on the track. Voting opens now and
		/// lasts the track's voting period. On the Emergency track the call must be `cancel`.
		///
		/// `title` is a short readable title; `description_hash` the hash of the full
		/// description published off-chain.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose(call.encoded_size().saturated_into::<u32>()))]
		pub fn propose(
			origin: OriginFor<T>,
			track: TrackKind,
			call: Box<<T as Config>::RuntimeCall>,
			title: TitleOf<T>,
			description_hash: H256,
		) -> DispatchResult {
			let proposer = ensure_signed(origin)?;
			Self::do_propose(proposer, track, call, title, description_hash)
		}

		/// Votes on an open proposal, freezing the vote's balance (see [`Conviction`] for how
		/// long). One vote per account and proposal.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::vote(T::MaxVotesPerAccount::get()))]
		pub fn vote(
			origin: OriginFor<T>,
			index: ProposalIndex,
			vote: VoteOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_vote(who, index, vote)
		}

		/// Replaces the caller's vote on a proposal that is still open for voting.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::change_vote(T::MaxVotesPerAccount::get()))]
		pub fn change_vote(
			origin: OriginFor<T>,
			index: ProposalIndex,
			vote: VoteOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_change_vote(who, index, vote)
		}

		/// Removes the caller's vote from a proposal that is still open for voting; the
		/// vote's freeze goes with it.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_vote(T::MaxVotesPerAccount::get()))]
		pub fn remove_vote(
			origin: OriginFor<T>,
			index: ProposalIndex,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_remove_vote(who, index)
		}

		/// Drops the votes of `target` whose proposal is closed and whose lock has ended, and
		/// lowers its freeze to the largest remaining vote. Anyone may call it for anyone.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::unlock(T::MaxVotesPerAccount::get()))]
		pub fn unlock(
			origin: OriginFor<T>,
			target: AccountIdLookupOf<T>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_unlock(target)
		}

		/// Closes a proposal whose voting period is over. Anyone may call it.
		///
		/// If the turnout reached the track's quorum the deposit is returned and the proposal
		/// is approved (ayes strictly above the approval threshold of ayes plus nays) or
		/// rejected; otherwise the deposit goes to the treasury.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::close())]
		pub fn close(origin: OriginFor<T>, index: ProposalIndex) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_close(index)
		}

		/// Enacts an approved proposal whose enactment delay has passed: dispatches its call
		/// once with its track's origin. Anyone may call it; `max_weight` must be at least the
		/// call's weight, which the caller pays for (the unused part is refunded).
		///
		/// A call that fails, no longer decodes or became heavier than `MaxCallWeight` is
		/// recorded as `EnactmentFailed` and never retried; `enact` itself still succeeds.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::enact().saturating_add(*max_weight))]
		pub fn enact(
			origin: OriginFor<T>,
			index: ProposalIndex,
			max_weight: Weight,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_enact(index, max_weight)
		}

		/// Awards a grant of `amount` from the treasury to `beneficiary` (Treasury origin).
		/// The funds are committed now and paid by `claim_grant`. `purpose_hash` is the hash
		/// of the funded work's description, published off-chain.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::grant())]
		pub fn grant(
			origin: OriginFor<T>,
			beneficiary: AccountIdLookupOf<T>,
			amount: BalanceOf<T>,
			purpose_hash: H256,
		) -> DispatchResult {
			T::TreasuryOrigin::ensure_origin(origin)?;
			Self::do_grant(beneficiary, amount, purpose_hash)
		}

		/// Pays an open grant out of the treasury to its beneficiary. Anyone may call it; the
		/// funds always go to the beneficiary.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::claim_grant())]
		pub fn claim_grant(origin: OriginFor<T>, id: GrantId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim_grant(id)
		}

		/// Cancels an open grant (Treasury origin), freeing the funds it committed.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::cancel_grant())]
		pub fn cancel_grant(origin: OriginFor<T>, id: GrantId) -> DispatchResult {
			T::TreasuryOrigin::ensure_origin(origin)?;
			Self::do_cancel_grant(id)
		}

		/// Cancels live proposal `index` (ongoing, or approved and not yet enacted): it is
		/// never enacted. Only [`Config::CancelOrigin`] (the Emergency track, or root).
		///
		/// A proposal still open for voting loses its deposit to the treasury: it took an
		/// emergency vote to stop. An approved one got its deposit back at `close`. Votes on a
		/// cancelled proposal unlock as for any closed proposal.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, index: ProposalIndex) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			Self::do_cancel(index)
		}

		/// Prunes the record of proposal `index`, which finished (rejected, missed its quorum,
		/// enacted, failed or cancelled) at least [`Config::ProposalRetention`] blocks ago.
		/// Anyone may call it; it is free when it succeeds. The outcome stays in the events;
		/// votes on it unlock as for any closed proposal.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::prune_proposal())]
		pub fn prune_proposal(
			origin: OriginFor<T>,
			index: ProposalIndex,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_prune_proposal(index)
		}
	}
}

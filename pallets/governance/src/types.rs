//! The types of governance: tracks and their parameters, votes and convictions, tallies,
//! proposals and their life cycle, treasury grants, the origins enacted proposals dispatch
//! with, and the plain views returned by the runtime API.

use crate::{Config, Origin};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::BoundedVec,
		traits::{fungible::Inspect, EnsureOrigin, Get},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::H256,
	sp_runtime::{
		traits::{Saturating, Zero},
		DispatchError, Perbill,
	},
};
use scale_info::TypeInfo;

/// The balance type of the currency deposits are held and votes frozen in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// The index of a proposal, assigned by the chain in submission order.
pub type ProposalIndex = u32;

/// The id of a treasury grant, assigned by the chain in award order.
pub type GrantId = u32;

/// The SCALE-encoded call of a proposal.
pub type CallOf<T> = BoundedVec<u8, <T as Config>::MaxCallLen>;

/// A proposal's short human-readable title (UTF-8).
pub type TitleOf<T> = BoundedVec<u8, <T as Config>::MaxTitleLen>;

/// A vote in the pallet's balance type.
pub type VoteOf<T> = Vote<BalanceOf<T>>;

/// A tally in the pallet's balance type.
pub type TallyOf<T> = Tally<BalanceOf<T>>;

/// A recorded vote with the pallet's types.
pub type VoteRecordOf<T> = VoteRecord<BalanceOf<T>, BlockNumberFor<T>>;

/// The votes an account has recorded, live or still locked.
pub type VotesOf<T> = BoundedVec<VoteRecordOf<T>, <T as Config>::MaxVotesPerAccount>;

/// A proposal status with the pallet's types.
pub type StatusOf<T> = ProposalStatus<BalanceOf<T>, BlockNumberFor<T>>;

/// A track's parameters with the pallet's types.
pub type TrackInfoOf<T> = TrackInfo<BalanceOf<T>, BlockNumberFor<T>>;

/// A grant with the pallet's types.
pub type GrantOf<T> =
	Grant<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// The highest voting-weight multiplier any conviction gives: the bound on how much locking
/// longer can amplify a balance.
pub const MAX_MULTIPLIER: u8 = 4;

/// The kind of a proposal. Each kind is a track with its own voting period, enactment delay,
/// turnout quorum and approval threshold, and its own origin when enacted.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum TrackKind {
	/// Protocol parameters of the DeAI pallets (prices, bounds, rates, slash destinations).
	/// Enacted with `Origin::Track(Parameters)`.
	Parameters,
	/// Curation: retiring and restoring models and datasets, the curator set. Enacted with
	/// `Origin::Track(Curation)`.
	Curation,
	/// Treasury grants to model and dataset builders. Enacted with `Origin::Track(Treasury)`.
	Treasury,
	/// Runtime upgrades and anything else only root may do. Enacted with the root origin,
	/// because `frame_system` accepts code upgrades only from root; its thresholds must be the
	/// strictest of all tracks (`integrity_test` checks it).
	Runtime,
	/// Stopping a live proposal before it is enacted: its proposals may only carry
	/// `Pallet::cancel`. A short voting period and no enactment delay, so that a harmful
	/// approved proposal can be stopped within another track's enactment delay; its quorum
	/// and approval are as strict as the Runtime track's. Enacted with
	/// `Origin::Track(Emergency)`.
	Emergency,
}

impl TrackKind {
	/// Every track, in a fixed order.
	pub const ALL: [TrackKind; 5] = [
		TrackKind::Parameters,
		TrackKind::Curation,
		TrackKind::Treasury,
		TrackKind::Runtime,
		TrackKind::Emergency,
	];
}

/// The parameters of one track, set by the runtime.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct TrackInfo<Balance, BlockNumber> {
	/// The deposit held from the proposer while the proposal is voted on: returned if the
	/// proposal reaches the turnout quorum, sent to the treasury if it does not. At least the
	/// existential deposit.
	pub deposit: Balance,
	/// How long a proposal is open for voting, in blocks, counted from its submission.
	pub voting_period: BlockNumber,
	/// How long an approved proposal waits after it was closed before it may be enacted.
	pub enactment_delay: BlockNumber,
	/// The turnout quorum: the share of the total issuance that must have voted (aye, nay or
	/// abstain; raw tokens, no conviction multiplier, each account counted at most up to
	/// `Config::MaxTurnoutPerVoter`). Must be above `MaxTurnoutPerVoter`, so that one account
	/// can never reach it alone.
	pub min_turnout: Perbill,
	/// The approval threshold: a proposal passes if its conviction-weighted ayes are
	/// strictly more than this share of ayes plus nays. At least 50 %.
	pub approval: Perbill,
}

/// The tracks of a runtime: the parameters of each [`TrackKind`].
pub trait TracksInfo<Balance, BlockNumber> {
	/// The parameters of `track`.
	fn info(track: TrackKind) -> TrackInfo<Balance, BlockNumber>;
}

/// What a vote says.
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
pub enum VoteKind {
	/// For the proposal.
	Aye,
	/// Against the proposal.
	Nay,
	/// Neither: counts toward the turnout quorum only, without conviction.
	Abstain,
}

/// How long a voter keeps the voted tokens frozen after the voting period ends, in return
/// for a bounded multiplier of the vote's weight.
///
/// The lock periods are multiples of `Config::VoteLockingPeriod`, counted from the end of the
/// voting period. The multiplier never exceeds [`MAX_MULTIPLIER`] and never counts toward
/// the turnout quorum.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Conviction {
	/// 1x weight; the tokens are frozen until the voting period ends and the proposal is
	/// closed.
	#[default]
	None,
	/// 2x weight; frozen for one locking period after the voting period.
	Locked2x,
	/// 3x weight; frozen for two locking periods after the voting period.
	Locked3x,
	/// 4x weight ([`MAX_MULTIPLIER`]); frozen for four locking periods after the voting
	/// period.
	Locked4x,
}

impl Conviction {
	/// The multiplier of the vote's weight.
	pub fn multiplier(self) -> u8 {
		match self {
			Conviction::None => 1,
			Conviction::Locked2x => 2,
			Conviction::Locked3x => 3,
			Conviction::Locked4x => MAX_MULTIPLIER,
		}
	}

	/// The number of locking periods the tokens stay frozen after the voting period.
	pub fn lock_periods(self) -> u32 {
		match self {
			Conviction::None => 0,
			Conviction::Locked2x => 1,
			Conviction::Locked3x => 2,
			Conviction::Locked4x => 4,
		}
	}
}

/// A vote: its kind, the tokens it freezes and its conviction.
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
pub struct Vote<Balance> {
	/// Aye, nay or abstain.
	pub kind: VoteKind,
	/// The tokens voted with; they stay frozen until the vote is unlocked. At most the
	/// voter's total balance. One account's votes on different proposals share one freeze of
	/// the largest amount.
	pub balance: Balance,
	/// The conviction; ignored for abstentions (always 1x, no extra lock).
	pub conviction: Conviction,
}

impl<Balance: Saturating + From<u8> + Copy> Vote<Balance> {
	/// The conviction that applies: none for abstentions.
	pub fn effective_conviction(&self) -> Conviction {
		match self.kind {
			VoteKind::Abstain => Conviction::None,
			VoteKind::Aye | VoteKind::Nay => self.conviction,
		}
	}

	/// The weight the vote adds to ayes or nays: its balance times its multiplier.
	pub fn weight(&self) -> Balance {
		self.balance.saturating_mul(Balance::from(self.effective_conviction().multiplier()))
	}
}

/// The running count of a proposal's votes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Tally<Balance> {
	/// The conviction-weighted ayes.
	pub ayes: Balance,
	/// The conviction-weighted nays.
	pub nays: Balance,
	/// The raw tokens of abstentions.
	pub abstentions: Balance,
	/// The turnout: raw tokens of every vote, each capped at the per-voter turnout cap.
	pub turnout: Balance,
	/// The number of accounts that voted.
	pub voters: u32,
}

impl<Balance: Saturating + From<u8> + Copy + Zero + PartialOrd> Tally<Balance> {
	/// Adds a recorded vote.
	pub fn add<BlockNumber>(&mut self, record: &VoteRecord<Balance, BlockNumber>) {
		match record.vote.kind {
			VoteKind::Aye => self.ayes = self.ayes.saturating_add(record.vote.weight()),
			VoteKind::Nay => self.nays = self.nays.saturating_add(record.vote.weight()),
			VoteKind::Abstain => {
				self.abstentions = self.abstentions.saturating_add(record.vote.balance)
			},
		}
		self.turnout = self.turnout.saturating_add(record.turnout);
		self.voters = self.voters.saturating_add(1);
	}

	/// Takes a recorded vote out again.
	pub fn remove<BlockNumber>(&mut self, record: &VoteRecord<Balance, BlockNumber>) {
		match record.vote.kind {
			VoteKind::Aye => self.ayes = self.ayes.saturating_sub(record.vote.weight()),
			VoteKind::Nay => self.nays = self.nays.saturating_sub(record.vote.weight()),
			VoteKind::Abstain => {
				self.abstentions = self.abstentions.saturating_sub(record.vote.balance)
			},
		}
		self.turnout = self.turnout.saturating_sub(record.turnout);
		self.voters = self.voters.saturating_sub(1);
	}

	/// Whether the ayes are strictly more than `approval` of ayes plus nays.
	pub fn is_approved(&self, approval: Perbill) -> bool
	where
		Balance: polkadot_sdk::sp_runtime::traits::AtLeast32BitUnsigned,
	{
		self.ayes > approval.mul_floor(self.ayes.saturating_add(self.nays))
	}
}

/// One vote an account recorded, with what it adds to the turnout and when its freeze ends.
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
pub struct VoteRecord<Balance, BlockNumber> {
	/// The proposal voted on.
	pub proposal: ProposalIndex,
	/// The vote.
	pub vote: Vote<Balance>,
	/// What the vote adds to the turnout: its balance, capped at the per-voter turnout cap of
	/// the total issuance when it was cast.
	pub turnout: Balance,
	/// The first block in which the vote may be unlocked (once its proposal is closed): the
	/// end of the voting period plus the conviction's lock periods.
	pub unlock_at: BlockNumber,
}

/// Why an approved proposal's call did not take effect.
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
pub enum EnactmentError {
	/// The call was dispatched and returned this error (its changes were reverted).
	Dispatch(DispatchError),
	/// The stored call no longer decodes (a runtime upgrade changed the call's pallet).
	Undecodable,
	/// The call now weighs more than `Config::MaxCallWeight` (after a runtime upgrade).
	TooHeavy,
}

/// Where a proposal is in its life cycle.
///
/// `Ongoing` → (close) → `Approved` / `Rejected` / `QuorumMissed`;
/// `Approved` → (enact) → `Enacted` / `EnactmentFailed`. Every status after `Ongoing` keeps
/// the final tally; only `Ongoing` proposals hold a deposit.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum ProposalStatus<Balance, BlockNumber> {
	/// Open for voting until the voting period ends, then waiting for `close`.
	Ongoing {
		/// The votes so far.
		tally: Tally<Balance>,
	},
	/// Reached quorum and approval; waiting for `enact` once `enact_at` is reached. The
	/// deposit was returned.
	Approved {
		/// The final tally.
		tally: Tally<Balance>,
		/// The block it was closed in.
		decided_at: BlockNumber,
		/// The first block it may be enacted in.
		enact_at: BlockNumber,
	},
	/// Reached quorum but not approval. The deposit was returned.
	Rejected {
		/// The final tally.
		tally: Tally<Balance>,
		/// The block it was closed in.
		decided_at: BlockNumber,
	},
	/// Did not reach the turnout quorum: treated as spam, its deposit went to the treasury.
	QuorumMissed {
		/// The final tally.
		tally: Tally<Balance>,
		/// The block it was closed in.
		decided_at: BlockNumber,
		/// The deposit sent to the treasury.
		slashed: Balance,
	},
	/// Its call was dispatched successfully.
	Enacted {
		/// The final tally.
		tally: Tally<Balance>,
		/// The block it was enacted in.
		enacted_at: BlockNumber,
	},
	/// Its call was attempted once and did not take effect; it is never retried.
	EnactmentFailed {
		/// The final tally.
		tally: Tally<Balance>,
		/// The block it was attempted in.
		enacted_at: BlockNumber,
		/// Why it did not take effect.
		error: EnactmentError,
	},
	/// Stopped by the cancel origin (the Emergency track) while live; never enacted.
	Cancelled {
		/// The tally when it was stopped.
		tally: Tally<Balance>,
		/// The block it was cancelled in.
		decided_at: BlockNumber,
		/// The deposit sent to the treasury (a proposal cancelled while voting was open).
		slashed: Balance,
	},
}

impl<Balance: Copy, BlockNumber> ProposalStatus<Balance, BlockNumber> {
	/// The tally, running or final.
	pub fn tally(&self) -> Tally<Balance> {
		match self {
			ProposalStatus::Ongoing { tally }
			| ProposalStatus::Approved { tally, .. }
			| ProposalStatus::Rejected { tally, .. }
			| ProposalStatus::QuorumMissed { tally, .. }
			| ProposalStatus::Enacted { tally, .. }
			| ProposalStatus::EnactmentFailed { tally, .. }
			| ProposalStatus::Cancelled { tally, .. } => *tally,
		}
	}

	/// Whether the proposal is still open (voting or waiting for `close`).
	pub fn is_ongoing(&self) -> bool {
		matches!(self, ProposalStatus::Ongoing { .. })
	}

	/// Whether the proposal is live: ongoing or approved and not yet enacted. Live proposals
	/// keep their call and take a slot of `Config::MaxLiveProposals`.
	pub fn is_live(&self) -> bool {
		matches!(self, ProposalStatus::Ongoing { .. } | ProposalStatus::Approved { .. })
	}

	/// The block a finished proposal finished in (closed without approval, enacted or
	/// attempted, or cancelled); `None` while it is live.
	pub fn finished_at(&self) -> Option<BlockNumber>
	where
		BlockNumber: Copy,
	{
		match self {
			ProposalStatus::Ongoing { .. } | ProposalStatus::Approved { .. } => None,
			ProposalStatus::Rejected { decided_at, .. }
			| ProposalStatus::QuorumMissed { decided_at, .. }
			| ProposalStatus::Cancelled { decided_at, .. } => Some(*decided_at),
			ProposalStatus::Enacted { enacted_at, .. }
			| ProposalStatus::EnactmentFailed { enacted_at, .. } => Some(*enacted_at),
		}
	}
}

/// A proposal: who proposed what on which track, and where it is in its life cycle. Its call
/// is stored apart (in `ProposalCalls`) while it is live.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Proposal<T: Config> {
	/// The account that proposed it and paid the deposit.
	pub proposer: T::AccountId,
	/// Its track.
	pub track: TrackKind,
	/// Its short title (UTF-8).
	pub title: TitleOf<T>,
	/// The hash of its full description, published off-chain (e.g. on IPFS).
	pub description_hash: H256,
	/// The blake2-256 hash of its SCALE-encoded call.
	pub call_hash: H256,
	/// The length of its SCALE-encoded call, in bytes.
	pub call_len: u32,
	/// The deposit the proposer paid (held while `Ongoing`).
	pub deposit: BalanceOf<T>,
	/// The block it was submitted in.
	pub submitted: BlockNumberFor<T>,
	/// The first block in which it can no longer be voted on and may be closed.
	pub voting_ends: BlockNumberFor<T>,
	/// Where it is in its life cycle, with its tally.
	pub status: StatusOf<T>,
}

/// A treasury grant awarded by a Treasury-track proposal and not yet paid out.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Grant<AccountId, Balance, BlockNumber> {
	/// Who receives it.
	pub beneficiary: AccountId,
	/// How much.
	pub amount: Balance,
	/// The hash of the grant's purpose (the model or dataset work it funds), published
	/// off-chain.
	pub purpose_hash: H256,
	/// The block it was awarded in.
	pub awarded_at: BlockNumber,
}

/// A proposal in plain types, with what it needs to pass: what the runtime API returns.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ProposalDetails<AccountId, Balance, BlockNumber> {
	/// Its index.
	pub index: ProposalIndex,
	/// Who proposed it.
	pub proposer: AccountId,
	/// Its track.
	pub track: TrackKind,
	/// Its title (UTF-8).
	pub title: Vec<u8>,
	/// The hash of its off-chain description.
	pub description_hash: H256,
	/// The blake2-256 hash of its SCALE-encoded call.
	pub call_hash: H256,
	/// The length of its SCALE-encoded call.
	pub call_len: u32,
	/// Its deposit.
	pub deposit: Balance,
	/// The block it was submitted in.
	pub submitted: BlockNumber,
	/// The first block it can no longer be voted on.
	pub voting_ends: BlockNumber,
	/// Its status, with the running or final tally.
	pub status: ProposalStatus<Balance, BlockNumber>,
	/// The turnout it needs at the current total issuance.
	pub quorum: Balance,
	/// Its track's approval threshold.
	pub approval: Perbill,
	/// Whether it would pass if it were closed with the current tally and issuance.
	pub passing: bool,
}

/// An account's votes and freeze: what the runtime API returns.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct VoterDetails<Balance, BlockNumber> {
	/// Every recorded vote, live or still locked.
	pub votes: Vec<VoteRecord<Balance, BlockNumber>>,
	/// The balance frozen for voting now (the largest recorded vote).
	pub frozen: Balance,
	/// What would stay frozen after an `unlock` now.
	pub frozen_after_unlock: Balance,
}

/// The treasury: what the runtime API returns.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct TreasuryDetails<AccountId, Balance> {
	/// The treasury account (fees and slashes are paid here).
	pub account: AccountId,
	/// Its total balance.
	pub balance: Balance,
	/// What open grants have committed.
	pub committed: Balance,
	/// What new grants may still commit (the balance above the existential deposit, minus
	/// committed funds).
	pub available: Balance,
}

/// An origin check that passes only for proposals enacted on the track `K` names.
///
/// E.g. `EnsureTrack<ParametersTrack>` for the `ParamsOrigin` of the DeAI pallets. The
/// Runtime track dispatches as root, so use `EnsureRoot` for what it owns.
pub struct EnsureTrack<K>(PhantomData<K>);

impl<O, K> EnsureOrigin<O> for EnsureTrack<K>
where
	O: Into<Result<Origin, O>> + From<Origin>,
	K: Get<TrackKind>,
{
	type Success = ();

	fn try_origin(o: O) -> Result<Self::Success, O> {
		o.into().and_then(|origin| match origin {
			Origin::Track(track) if track == K::get() => Ok(()),
			other => Err(O::from(other)),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::Track(K::get())))
	}
}

/// An origin check that passes for proposals enacted on any non-root track, and returns the
/// track. For simple wiring; combine with `EnsureRoot` to also accept the Runtime track.
pub struct EnsureAnyTrack;

impl<O> EnsureOrigin<O> for EnsureAnyTrack
where
	O: Into<Result<Origin, O>> + From<Origin>,
{
	type Success = TrackKind;

	fn try_origin(o: O) -> Result<Self::Success, O> {
		o.into().map(|Origin::Track(track)| track)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::Track(TrackKind::Parameters)))
	}
}

/// Names the Parameters track, for [`EnsureTrack`].
pub struct ParametersTrack;
impl Get<TrackKind> for ParametersTrack {
	fn get() -> TrackKind {
		TrackKind::Parameters
	}
}

/// Names the Curation track, for [`EnsureTrack`].
pub struct CurationTrack;
impl Get<TrackKind> for CurationTrack {
	fn get() -> TrackKind {
		TrackKind::Curation
	}
}

/// Names the Emergency track, for [`EnsureTrack`] (the runtime's `CancelOrigin`).
pub struct EmergencyTrack;
impl Get<TrackKind> for EmergencyTrack {
	fn get() -> TrackKind {
		TrackKind::Emergency
	}
}

/// Names the Treasury track, for [`EnsureTrack`].
pub struct TreasuryTrack;
impl Get<TrackKind> for TreasuryTrack {
	fn get() -> TrackKind {
		TrackKind::Treasury
	}
}

/// The treasury account, for the runtime to give to the pallets that pay fees and slashes
/// into it.
pub struct TreasuryAccount<T>(PhantomData<T>);
impl<T: Config> Get<T::AccountId> for TreasuryAccount<T> {
	fn get() -> T::AccountId {
		crate::Pallet::<T>::account_id()
	}
}

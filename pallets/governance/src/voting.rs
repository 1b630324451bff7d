//! Voting: who may vote with what, the record a vote leaves (turnout capped per voter, the
//! conviction lock), the freeze that keeps a vote's balance in place, and the quorum a
//! track needs. The calls (`vote`, `change_vote`, `remove_vote`, `unlock`) are in `lib.rs`.

use crate::*;
use polkadot_sdk::{
	frame_support::traits::{
		fungible::{Inspect, MutateFreeze},
		Get,
	},
	frame_system,
	sp_runtime::{
		traits::{Saturating, Zero},
		DispatchError,
	},
};

impl<T: Config> Pallet<T> {
	/// The turnout a proposal of a track with `info` needs at the current total issuance.
	pub fn quorum(info: &TrackInfoOf<T>) -> BalanceOf<T> {
		info.min_turnout.mul_ceil(T::Currency::total_issuance())
	}

	/// The proposal `index` if it is open for voting.
	pub(crate) fn open_proposal(index: ProposalIndex) -> Result<Proposal<T>, DispatchError> {
		let proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		frame_support::ensure!(proposal.status.is_ongoing(), Error::<T>::NotOngoing);
		frame_support::ensure!(
			frame_system::Pallet::<T>::block_number() < proposal.voting_ends,
			Error::<T>::VotingEnded
		);
		Ok(proposal)
	}

	/// The running tally of an ongoing proposal.
	pub(crate) fn ongoing_tally(proposal: &mut Proposal<T>) -> Result<&mut TallyOf<T>, Error<T>> {
		match &mut proposal.status {
			ProposalStatus::Ongoing { tally } => Ok(tally),
			_ => Err(Error::<T>::NotOngoing),
		}
	}

	/// Checks that `who` may vote with `vote`: at most its free balance, so that the vote
	/// freeze never needs held funds (which may leave the account).
	pub(crate) fn ensure_can_vote(who: &T::AccountId, vote: &VoteOf<T>) -> Result<(), Error<T>> {
		frame_support::ensure!(!vote.balance.is_zero(), Error::<T>::ZeroVote);
		frame_support::ensure!(
			vote.balance <= T::Currency::balance(who),
			Error::<T>::InsufficientFunds
		);
		Ok(())
	}

	/// The record of `vote` on `proposal`: its turnout (capped at the per-voter share of the
	/// current issuance) and the end of its lock.
	pub(crate) fn record_for(
		index: ProposalIndex,
		proposal: &Proposal<T>,
		vote: VoteOf<T>,
	) -> VoteRecordOf<T> {
		let cap = T::MaxTurnoutPerVoter::get().mul_floor(T::Currency::total_issuance());
		let lock = T::VoteLockingPeriod::get()
			.saturating_mul(vote.effective_conviction().lock_periods().into());
		VoteRecord {
			proposal: index,
			vote,
			turnout: vote.balance.min(cap),
			unlock_at: proposal.voting_ends.saturating_add(lock),
		}
	}

	/// Whether `record` may be dropped at `now`: its proposal is closed and its lock ended.
	pub(crate) fn is_unlockable(
		record: &VoteRecordOf<T>,
		now: frame_system::pallet_prelude::BlockNumberFor<T>,
	) -> bool {
		now >= record.unlock_at
			&& !Proposals::<T>::get(record.proposal)
				.is_some_and(|proposal| proposal.status.is_ongoing())
	}

	/// The largest balance among `votes`: what the account must keep frozen.
	pub(crate) fn largest_vote(votes: &[VoteRecordOf<T>]) -> BalanceOf<T> {
		votes.iter().map(|record| record.vote.balance).max().unwrap_or_default()
	}

	/// Stores the votes of `who` and sets its freeze to the largest of them (thawing it when
	/// none is left). Returns the number of votes.
	pub(crate) fn store_votes(who: &T::AccountId, votes: VotesOf<T>) -> Result<u32, DispatchError> {
		let frozen = Self::largest_vote(&votes);
		let count = u32::try_from(votes.len()).unwrap_or(u32::MAX);
		let reason = FreezeReason::Vote.into();
		if votes.is_empty() {
			T::Currency::thaw(&reason, who)?;
			VotingOf::<T>::remove(who);
		} else {
			T::Currency::set_freeze(&reason, who, frozen)?;
			VotingOf::<T>::insert(who, votes);
		}
		Ok(count)
	}
}

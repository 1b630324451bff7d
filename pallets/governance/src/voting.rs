//! Voting: who may vote with what, the record a vote leaves (turnout capped per voter, the
//! conviction lock), the freeze that keeps a vote's balance in place, and the quorum a
//! track needs; and the bodies of the calls `vote`, `change_vote`, `remove_vote` and
//! `unlock`.

use crate::*;
use polkadot_sdk::{
	frame_support::{
		dispatch::DispatchResultWithPostInfo,
		ensure,
		traits::{
			fungible::{Inspect, MutateFreeze},
			Get,
		},
	},
	frame_system,
	sp_runtime::{
		traits::{Saturating, StaticLookup, Zero},
		DispatchError, SaturatedConversion,
	},
};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::vote`]: records the first vote of `who` on open proposal
	/// `index`, adds it to the tally and raises the vote freeze if needed.
	pub(crate) fn do_vote(
		who: T::AccountId,
		index: ProposalIndex,
		vote: VoteOf<T>,
	) -> DispatchResultWithPostInfo {
		let mut proposal = Self::open_proposal(index)?;
		Self::ensure_can_vote(&who, &vote)?;
		let mut votes = VotingOf::<T>::get(&who);
		ensure!(!votes.iter().any(|record| record.proposal == index), Error::<T>::AlreadyVoted);
		let record = Self::record_for(index, &proposal, vote);
		votes.try_push(record).map_err(|_| Error::<T>::TooManyVotes)?;
		Self::ongoing_tally(&mut proposal)?.add(&record);
		let count = Self::store_votes(&who, votes)?;
		Proposals::<T>::insert(index, proposal);
		Self::deposit_event(Event::Voted { index, who, vote });
		Ok(Some(T::WeightInfo::vote(count)).into())
	}

	/// The body of [`Pallet::change_vote`]: swaps the vote of `who` on open proposal `index`
	/// for `vote`, in its record, the tally and the freeze.
	pub(crate) fn do_change_vote(
		who: T::AccountId,
		index: ProposalIndex,
		vote: VoteOf<T>,
	) -> DispatchResultWithPostInfo {
		let mut proposal = Self::open_proposal(index)?;
		Self::ensure_can_vote(&who, &vote)?;
		let mut votes = VotingOf::<T>::get(&who);
		let slot =
			votes.iter_mut().find(|record| record.proposal == index).ok_or(Error::<T>::NotVoted)?;
		let record = Self::record_for(index, &proposal, vote);
		let tally = Self::ongoing_tally(&mut proposal)?;
		tally.remove(slot);
		tally.add(&record);
		*slot = record;
		let count = Self::store_votes(&who, votes)?;
		Proposals::<T>::insert(index, proposal);
		Self::deposit_event(Event::VoteChanged { index, who, vote });
		Ok(Some(T::WeightInfo::change_vote(count)).into())
	}

	/// The body of [`Pallet::remove_vote`]: takes the vote of `who` off open proposal `index`
	/// and out of the tally, lowering the freeze to the remaining votes.
	pub(crate) fn do_remove_vote(
		who: T::AccountId,
		index: ProposalIndex,
	) -> DispatchResultWithPostInfo {
		let mut proposal = Self::open_proposal(index)?;
		let mut votes = VotingOf::<T>::get(&who);
		let position =
			votes.iter().position(|record| record.proposal == index).ok_or(Error::<T>::NotVoted)?;
		let record = votes.remove(position);
		Self::ongoing_tally(&mut proposal)?.remove(&record);
		let count = Self::store_votes(&who, votes)?;
		Proposals::<T>::insert(index, proposal);
		Self::deposit_event(Event::VoteRemoved { index, who });
		Ok(Some(T::WeightInfo::remove_vote(count.saturating_add(1))).into())
	}

	/// The body of [`Pallet::unlock`]: drops the votes of `target` that are closed and past
	/// their lock, and lowers its freeze to the largest vote left.
	pub(crate) fn do_unlock(target: AccountIdLookupOf<T>) -> DispatchResultWithPostInfo {
		let who = T::Lookup::lookup(target)?;
		let mut votes = VotingOf::<T>::get(&who);
		ensure!(!votes.is_empty(), Error::<T>::NotVoting);
		let before = votes.len();
		let now = frame_system::Pallet::<T>::block_number();
		votes.retain(|record| !Self::is_unlockable(record, now));
		let dropped = before.saturating_sub(votes.len()).saturated_into::<u32>();
		ensure!(dropped > 0, Error::<T>::StillLocked);
		let frozen = Self::largest_vote(&votes);
		Self::store_votes(&who, votes)?;
		Self::deposit_event(Event::Unlocked { who, votes: dropped, frozen });
		Ok(Some(T::WeightInfo::unlock(before.saturated_into::<u32>())).into())
	}

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
		let count = votes.len().saturated_into::<u32>();
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

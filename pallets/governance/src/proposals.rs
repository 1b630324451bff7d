//! A proposal's lifecycle around its votes: submitting it (`propose`) with the deposit it
//! holds (doubling with the proposals live on its track), deciding it (`close`), stopping it
//! (`cancel`), forfeiting its deposit to the treasury, taking a proposal that stops being live
//! out of the live list, the live counts and the enactment queue, and pruning its record
//! (`prune_proposal`).

use crate::*;
use alloc::boxed::Box;
use codec::Encode;
use deai_primitives::funds::{hold_unfrozen, HoldError};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, GetDispatchInfo, Pays},
		ensure,
		traits::{
			fungible::{Inspect, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
			Get, IsSubType,
		},
	},
	frame_system,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{
		traits::{EnsureAdd, Saturating, Zero},
		DispatchError, DispatchResult, Perbill,
	},
};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::propose`]: checks the title, the call and the live bounds, holds
	/// the deposit from `proposer` and opens the proposal for voting.
	pub(crate) fn do_propose(
		proposer: T::AccountId,
		track: TrackKind,
		call: Box<<T as Config>::RuntimeCall>,
		title: TitleOf<T>,
		description_hash: H256,
	) -> DispatchResult {
		ensure!(
			!title.is_empty() && core::str::from_utf8(&title).is_ok(),
			Error::<T>::InvalidTitle
		);
		let encoded: CallOf<T> = call.encode().try_into().map_err(|_| Error::<T>::CallTooLong)?;
		let call_len = u32::try_from(encoded.len()).map_err(|_| Error::<T>::CallTooLong)?;
		ensure!(
			call.get_dispatch_info().call_weight.all_lte(T::MaxCallWeight::get()),
			Error::<T>::CallTooHeavy
		);

		// The Emergency track exists to stop proposals, so it may carry nothing else.
		ensure!(
			track != TrackKind::Emergency
				|| matches!(
					IsSubType::<Call<T>>::is_sub_type(call.as_ref()),
					Some(Call::<T>::cancel { .. })
				),
			Error::<T>::NotACancel
		);
		let on_track = LiveOnTrack::<T>::get(track);
		ensure!(on_track < T::MaxLivePerTrack::get(), Error::<T>::TrackFull);
		let by_proposer = LiveByProposer::<T>::get(&proposer);
		ensure!(by_proposer < T::MaxLivePerProposer::get(), Error::<T>::TooManyByProposer);

		let index = ProposalCount::<T>::get();
		let next = index.ensure_add(1)?;
		LiveProposals::<T>::try_mutate(|live| live.try_push(index))
			.map_err(|_| Error::<T>::TooManyProposals)?;
		let info = T::Tracks::info(track);
		let deposit = Self::deposit_on(track);
		hold_unfrozen::<T::AccountId, T::Currency>(
			&HoldReason::ProposalDeposit.into(),
			&proposer,
			deposit,
		)
		.map_err(|error| match error {
			HoldError::Insufficient => Error::<T>::InsufficientBalance,
			HoldError::Frozen => Error::<T>::FundsFrozen,
		})?;

		let now = frame_system::Pallet::<T>::block_number();
		let voting_ends = now.saturating_add(info.voting_period);
		ProposalCount::<T>::put(next);
		LiveOnTrack::<T>::insert(track, on_track.saturating_add(1));
		LiveByProposer::<T>::insert(&proposer, by_proposer.saturating_add(1));
		Proposals::<T>::insert(
			index,
			Proposal {
				proposer: proposer.clone(),
				track,
				title,
				description_hash,
				call_hash: H256(blake2_256(&encoded)),
				call_len,
				deposit,
				submitted: now,
				voting_ends,
				status: ProposalStatus::Ongoing { tally: Default::default() },
			},
		);
		ProposalCalls::<T>::insert(index, encoded);
		Self::deposit_event(Event::Proposed { index, proposer, track, deposit, voting_ends });
		Ok(())
	}

	/// The body of [`Pallet::close`]: decides a proposal whose voting period is over. With
	/// the quorum reached the deposit is released and the proposal approved (and scheduled)
	/// or rejected; without it the deposit goes to the treasury.
	pub(crate) fn do_close(index: ProposalIndex) -> DispatchResult {
		let mut proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		let tally = match proposal.status {
			ProposalStatus::Ongoing { tally } => tally,
			_ => return Err(Error::<T>::NotOngoing.into()),
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= proposal.voting_ends, Error::<T>::VotingStillOpen);
		let info = T::Tracks::info(proposal.track);
		let reason = HoldReason::ProposalDeposit.into();

		if tally.turnout >= Self::quorum(&info) {
			T::Currency::release(
				&reason,
				&proposal.proposer,
				proposal.deposit,
				Precision::BestEffort,
			)?;
			if tally.is_approved(info.approval) {
				let enact_at = now.saturating_add(info.enactment_delay);
				Self::schedule(index, enact_at)?;
				proposal.status = ProposalStatus::Approved { tally, decided_at: now, enact_at };
				Self::deposit_event(Event::ProposalApproved { index, tally, enact_at });
			} else {
				proposal.status = ProposalStatus::Rejected { tally, decided_at: now };
				Self::finish(index, &proposal);
				Self::deposit_event(Event::ProposalRejected { index, tally });
			}
		} else {
			let slashed = Self::forfeit_deposit(&proposal)?;
			proposal.status = ProposalStatus::QuorumMissed { tally, decided_at: now, slashed };
			Self::finish(index, &proposal);
			Self::deposit_event(Event::QuorumMissed { index, tally, slashed });
		}
		Proposals::<T>::insert(index, proposal);
		Ok(())
	}

	/// The body of [`Pallet::cancel`]: stops a live proposal so that it is never enacted; one
	/// still open for voting forfeits its deposit to the treasury.
	pub(crate) fn do_cancel(index: ProposalIndex) -> DispatchResult {
		let mut proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(proposal.status.is_live(), Error::<T>::NotLive);
		let slashed = if proposal.status.is_ongoing() {
			Self::forfeit_deposit(&proposal)?
		} else {
			Zero::zero()
		};
		let now = frame_system::Pallet::<T>::block_number();
		let tally = proposal.status.tally();
		proposal.status = ProposalStatus::Cancelled { tally, decided_at: now, slashed };
		Self::finish(index, &proposal);
		Proposals::<T>::insert(index, proposal);
		Self::deposit_event(Event::ProposalCancelled { index, slashed });
		Ok(())
	}

	/// The body of [`Pallet::prune_proposal`]: removes the record of a proposal that finished
	/// at least `ProposalRetention` blocks ago; the caller pays nothing when it succeeds.
	pub(crate) fn do_prune_proposal(index: ProposalIndex) -> DispatchResultWithPostInfo {
		let proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		let now = frame_system::Pallet::<T>::block_number();
		let finished = proposal.status.finished_at().ok_or(Error::<T>::ProposalRetained)?;
		ensure!(
			now >= finished.saturating_add(T::ProposalRetention::get()),
			Error::<T>::ProposalRetained
		);
		Proposals::<T>::remove(index);
		Self::deposit_event(Event::ProposalPruned { index });
		Ok(Pays::No.into())
	}

	/// The deposit a new proposal on `track` holds: the track's deposit, doubled for every
	/// proposal live on the track (see "Jamming" in the pallet docs).
	pub fn deposit_on(track: TrackKind) -> BalanceOf<T> {
		let live = LiveOnTrack::<T>::get(track).min(31);
		T::Tracks::info(track).deposit.saturating_mul(BalanceOf::<T>::from(1u32 << live))
	}

	/// Sends the deposit of an open proposal to the treasury; returns what moved.
	pub(crate) fn forfeit_deposit(proposal: &Proposal<T>) -> Result<BalanceOf<T>, DispatchError> {
		T::Currency::transfer_on_hold(
			&HoldReason::ProposalDeposit.into(),
			&proposal.proposer,
			&Self::account_id(),
			proposal.deposit,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
	}

	/// Takes a proposal that stops being live out of the live list, the enactment queue and
	/// the live counts, and drops its call.
	pub(crate) fn finish(index: ProposalIndex, proposal: &Proposal<T>) {
		LiveOnTrack::<T>::mutate_exists(proposal.track, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});
		LiveByProposer::<T>::mutate_exists(&proposal.proposer, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});
		LiveProposals::<T>::mutate(|live| live.retain(|live_index| *live_index != index));
		EnactmentQueue::<T>::mutate(|queue| queue.retain(|(_, queued)| *queued != index));
		ProposalCalls::<T>::remove(index);
	}

	/// The body of the `integrity_test` hook: checks that the runtime's bounds and tracks make
	/// sense, e.g. that every quorum is out of one account's reach and that the Runtime track,
	/// which dispatches as root, is the strictest.
	pub(crate) fn do_integrity_test() {
		assert!(T::MaxCallLen::get() >= 16, "MaxCallLen must allow a real call");
		assert!(T::MaxTitleLen::get() > 0, "MaxTitleLen must allow a title");
		assert!(T::MaxLiveProposals::get() > 0, "MaxLiveProposals must allow a proposal");
		assert!(T::MaxLivePerTrack::get() > 0, "MaxLivePerTrack must allow a proposal");
		assert!(
			T::MaxLivePerTrack::get() < 32,
			"MaxLivePerTrack must keep the doubling deposit within range"
		);
		assert!(T::MaxLivePerProposer::get() > 0, "MaxLivePerProposer must allow a proposal");
		assert!(T::MaxVotesPerAccount::get() > 0, "MaxVotesPerAccount must allow a vote");
		assert!(T::MaxOpenGrants::get() > 0, "MaxOpenGrants must allow a grant");
		assert!(!T::MaxGrant::get().is_zero(), "MaxGrant must allow a grant");
		assert!(!T::MaxCallWeight::get().is_zero(), "MaxCallWeight must allow a call");
		let cap = T::MaxTurnoutPerVoter::get();
		assert!(!cap.is_zero(), "MaxTurnoutPerVoter must let votes count");
		let runtime = T::Tracks::info(TrackKind::Runtime);
		for track in TrackKind::ALL {
			let info = T::Tracks::info(track);
			assert!(!info.voting_period.is_zero(), "every track needs a voting period");
			assert!(
				info.deposit >= T::Currency::minimum_balance(),
				"every track's deposit must be at least the existential deposit"
			);
			assert!(
				info.approval >= Perbill::from_percent(50),
				"an approval threshold below 50 % lets a minority pass proposals"
			);
			assert!(
				info.min_turnout > cap,
				"every quorum must be above MaxTurnoutPerVoter: one account must never \
				 reach it alone"
			);
			assert!(
				runtime.min_turnout >= info.min_turnout && runtime.approval >= info.approval,
				"the Runtime track dispatches as root: its quorum and approval must be the \
				 strictest"
			);
		}
	}
}

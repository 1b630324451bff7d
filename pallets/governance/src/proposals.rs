//! A proposal's lifecycle around its votes: the deposit it holds (doubling with the
//! proposals live on its track), forfeiting it to the treasury, and taking a proposal that
//! stops being live out of the live list, the live counts and the enactment queue.

use crate::*;
use polkadot_sdk::{
	frame_support::traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
	sp_runtime::{traits::Saturating, DispatchError},
};

impl<T: Config> Pallet<T> {
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
			&Self::treasury_account(),
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
}

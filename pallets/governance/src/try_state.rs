//! The pallet's invariants, checked by `try_state` after every test and by try-runtime.

use crate::*;
use polkadot_sdk::{
	frame_support::traits::fungible::{Inspect, InspectFreeze},
	sp_runtime::{
		traits::{Saturating, Zero},
		DispatchError,
	},
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// 1. Every proposal index is below [`ProposalCount`]; a proposal is in [`LiveProposals`]
	///    and has a call in [`ProposalCalls`] if and only if it is live (ongoing, or approved
	///    and not enacted).
	/// 2. The deposit held from each proposer is exactly the sum of the deposits of its
	///    ongoing proposals: no decided, enacted or failed proposal still holds a deposit.
	/// 3. Every tally of an ongoing proposal equals the sum of the votes recorded on it; every
	///    recorded vote is on an existing (or pruned) proposal, at most one per account and
	///    proposal, and
	///    counts at most its balance toward the turnout.
	/// 4. Each voter's vote freeze equals its largest recorded vote.
	/// 5. [`Committed`] is the sum of the open grants, which the treasury's balance covers;
	///    every grant is below [`Config::MaxGrant`] and its id below [`NextGrantId`].
	/// 6. The [`EnactmentQueue`] holds exactly the approved proposals, once each, with their
	///    enactment block, earliest first.
	pub fn do_try_state() -> Result<(), DispatchError> {
		Self::try_state_proposals()?;
		Self::try_state_enactment_queue()?;
		Self::try_state_votes()?;
		Self::try_state_treasury()?;
		Ok(())
	}

	/// Invariants 1 and 2.
	fn try_state_proposals() -> Result<(), DispatchError> {
		use frame_support::traits::fungible::InspectHold;
		let count = ProposalCount::<T>::get();
		let live = LiveProposals::<T>::get();
		let mut live_seen = 0usize;
		let mut deposits: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> =
			Default::default();
		for (index, proposal) in Proposals::<T>::iter() {
			frame_support::ensure!(index < count, "proposal index at or above ProposalCount");
			let is_live = proposal.status.is_live();
			frame_support::ensure!(
				is_live == live.contains(&index),
				"live list does not match the statuses"
			);
			frame_support::ensure!(
				is_live == ProposalCalls::<T>::contains_key(index),
				"a finished proposal keeps its call, or a live one lost it"
			);
			if is_live {
				live_seen = live_seen.saturating_add(1);
			}
			let total = deposits.entry(proposal.proposer.clone()).or_default();
			if proposal.status.is_ongoing() {
				*total = total.saturating_add(proposal.deposit);
			}
		}
		frame_support::ensure!(live_seen == live.len(), "live list names a missing proposal");
		let (mut on_track, mut by_proposer) =
			(alloc::collections::BTreeMap::new(), alloc::collections::BTreeMap::new());
		for index in live.iter() {
			let proposal =
				Proposals::<T>::get(index).ok_or("live list names a missing proposal")?;
			{
				let count = on_track.entry(proposal.track).or_insert(0u32);
				*count = count.saturating_add(1);
			}
			{
				let count = by_proposer.entry(proposal.proposer).or_insert(0u32);
				*count = count.saturating_add(1);
			}
		}
		frame_support::ensure!(
			LiveOnTrack::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>() == on_track,
			"LiveOnTrack does not count the live proposals of each track"
		);
		frame_support::ensure!(
			LiveByProposer::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>()
				== by_proposer,
			"LiveByProposer does not count the live proposals of each proposer"
		);
		frame_support::ensure!(
			ProposalCalls::<T>::iter_keys().count() == live.len(),
			"a call without a live proposal"
		);
		for (who, total) in deposits {
			frame_support::ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who) == total,
				"held deposit differs from the deposits of the account's ongoing proposals"
			);
		}
		Ok(())
	}

	/// Invariant 6.
	fn try_state_enactment_queue() -> Result<(), DispatchError> {
		let queue = EnactmentQueue::<T>::get();
		frame_support::ensure!(
			queue.windows(2).all(|pair| matches!(pair, [a, b] if a.0 <= b.0)),
			"enactment queue out of order"
		);
		let mut queued = alloc::collections::BTreeSet::new();
		for (due, index) in queue.iter() {
			frame_support::ensure!(queued.insert(*index), "a proposal queued twice");
			let proposal = Proposals::<T>::get(index).ok_or("queued proposal missing")?;
			frame_support::ensure!(
				matches!(proposal.status, ProposalStatus::Approved { enact_at, .. } if enact_at == *due),
				"queued proposal not approved, or queued for another block"
			);
		}
		let approved = Proposals::<T>::iter()
			.filter(|(_, proposal)| matches!(proposal.status, ProposalStatus::Approved { .. }))
			.count();
		frame_support::ensure!(approved == queued.len(), "an approved proposal is not queued");
		Ok(())
	}

	/// Invariants 3 and 4.
	fn try_state_votes() -> Result<(), DispatchError> {
		let mut tallies: alloc::collections::BTreeMap<ProposalIndex, TallyOf<T>> =
			Default::default();
		for (who, votes) in VotingOf::<T>::iter() {
			frame_support::ensure!(!votes.is_empty(), "empty vote list kept");
			let mut seen = alloc::collections::BTreeSet::new();
			for record in votes.iter() {
				frame_support::ensure!(seen.insert(record.proposal), "two votes on one proposal");
				frame_support::ensure!(
					record.turnout <= record.vote.balance,
					"a vote counts more than its balance toward turnout"
				);
				match Proposals::<T>::get(record.proposal) {
					Some(proposal) if proposal.status.is_ongoing() => {
						tallies.entry(record.proposal).or_default().add(record);
					},
					Some(_) => {},
					// A finished proposal may be pruned while votes on it wait for `unlock`.
					None => frame_support::ensure!(
						record.proposal < ProposalCount::<T>::get(),
						"vote on a proposal that never existed"
					),
				}
			}
			frame_support::ensure!(
				T::Currency::balance_frozen(&FreezeReason::Vote.into(), &who)
					== Self::largest_vote(&votes),
				"vote freeze differs from the largest recorded vote"
			);
		}
		for (index, proposal) in Proposals::<T>::iter() {
			if let ProposalStatus::Ongoing { tally } = proposal.status {
				frame_support::ensure!(
					tally == tallies.get(&index).copied().unwrap_or_default(),
					"tally differs from the sum of the recorded votes"
				);
			}
		}
		Ok(())
	}

	/// Invariant 5.
	fn try_state_treasury() -> Result<(), DispatchError> {
		let next = NextGrantId::<T>::get();
		let mut sum = BalanceOf::<T>::zero();
		for (id, grant) in Grants::<T>::iter() {
			frame_support::ensure!(id < next, "grant id at or above NextGrantId");
			frame_support::ensure!(grant.amount <= T::MaxGrant::get(), "grant above MaxGrant");
			sum = sum.saturating_add(grant.amount);
		}
		let committed = Committed::<T>::get();
		frame_support::ensure!(sum == committed, "Committed differs from the open grants");
		frame_support::ensure!(
			committed <= T::Currency::balance(&Self::account_id()),
			"open grants exceed the treasury"
		);
		Ok(())
	}
}

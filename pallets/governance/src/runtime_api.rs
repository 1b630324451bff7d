//! The runtime API through which dapps (`api.call.governanceApi.*` in polkadot-js) read
//! proposals, votes and the treasury without knowing the pallet's storage layout.
//!
//! The runtime implements it by calling the pallet's plain functions:
//!
//! ```ignore
//! impl pallet_governance::runtime_api::GovernanceApi<Block, AccountId, Balance, BlockNumber>
//!     for Runtime
//! {
//!     fn treasury() -> pallet_governance::TreasuryDetails<AccountId, Balance> {
//!         Governance::treasury_details()
//!     }
//!     fn open_grants(
//!     ) -> Vec<(pallet_governance::GrantId, pallet_governance::Grant<AccountId, Balance, BlockNumber>)>
//!     {
//!         Governance::open_grants()
//!     }
//!     fn open_proposals(
//!     ) -> Vec<pallet_governance::ProposalDetails<AccountId, Balance, BlockNumber>> {
//!         Governance::open_proposals()
//!     }
//!     fn proposal(
//!         index: pallet_governance::ProposalIndex,
//!     ) -> Option<pallet_governance::ProposalDetails<AccountId, Balance, BlockNumber>> {
//!         Governance::proposal_details(index)
//!     }
//!     fn votes_of(who: AccountId) -> pallet_governance::VoterDetails<Balance, BlockNumber> {
//!         Governance::voter_details(who)
//!     }
//!     fn tracks(
//!     ) -> Vec<(pallet_governance::TrackKind, pallet_governance::TrackInfo<Balance, BlockNumber>)>
//!     {
//!         Governance::tracks()
//!     }
//! }
//! ```

use crate::types::{
	Grant, GrantId, ProposalDetails, ProposalIndex, TrackInfo, TrackKind, TreasuryDetails,
	VoterDetails,
};
use alloc::vec::Vec;
use codec::Codec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads governance: proposals, votes, tracks and the treasury.
	pub trait GovernanceApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The treasury account, its balance, what open grants commit and what is available
		/// for new grants.
		fn treasury() -> TreasuryDetails<AccountId, Balance>;

		/// The open grants (awarded, not yet paid out), by id.
		fn open_grants() -> Vec<(GrantId, Grant<AccountId, Balance, BlockNumber>)>;

		/// The live proposals (open for voting, or approved and waiting for enactment), oldest
		/// first, with their tallies, timings and what they need to pass.
		fn open_proposals() -> Vec<ProposalDetails<AccountId, Balance, BlockNumber>>;

		/// Proposal `index`, live or finished (with its outcome), or `None` if it never
		/// existed.
		fn proposal(index: ProposalIndex) -> Option<ProposalDetails<AccountId, Balance, BlockNumber>>;

		/// The votes `who` has recorded, its vote freeze now and after an `unlock`.
		fn votes_of(who: AccountId) -> VoterDetails<Balance, BlockNumber>;

		/// The parameters of every track.
		fn tracks() -> Vec<(TrackKind, TrackInfo<Balance, BlockNumber>)>;
	}
}

/// The pallet's answers to the runtime API.
mod views {
	use crate::*;
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::traits::fungible::{Inspect, InspectFreeze},
		frame_system,
		sp_runtime::traits::Saturating,
	};
	impl<T: Config> Pallet<T> {
		/// The parameters of every track (for the runtime API).
		pub fn tracks() -> Vec<(TrackKind, TrackInfoOf<T>)> {
			TrackKind::ALL.into_iter().map(|track| (track, T::Tracks::info(track))).collect()
		}

		/// Everything about proposal `index`, with what it needs to pass (for the runtime API).
		pub fn proposal_details(
			index: ProposalIndex,
		) -> Option<
			ProposalDetails<
				T::AccountId,
				BalanceOf<T>,
				frame_system::pallet_prelude::BlockNumberFor<T>,
			>,
		> {
			let proposal = Proposals::<T>::get(index)?;
			let info = T::Tracks::info(proposal.track);
			let quorum = Self::quorum(&info);
			let tally = proposal.status.tally();
			let passing = tally.turnout >= quorum && tally.is_approved(info.approval);
			Some(ProposalDetails {
				index,
				proposer: proposal.proposer,
				track: proposal.track,
				title: proposal.title.into_inner(),
				description_hash: proposal.description_hash,
				call_hash: proposal.call_hash,
				call_len: proposal.call_len,
				deposit: proposal.deposit,
				submitted: proposal.submitted,
				voting_ends: proposal.voting_ends,
				status: proposal.status,
				quorum,
				approval: info.approval,
				passing,
			})
		}

		/// The live proposals (ongoing, or approved and not enacted), oldest first (for the
		/// runtime API).
		pub fn open_proposals() -> Vec<
			ProposalDetails<
				T::AccountId,
				BalanceOf<T>,
				frame_system::pallet_prelude::BlockNumberFor<T>,
			>,
		> {
			LiveProposals::<T>::get().into_iter().filter_map(Self::proposal_details).collect()
		}

		/// The votes and freeze of `who` (for the runtime API).
		pub fn voter_details(
			who: T::AccountId,
		) -> VoterDetails<BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>> {
			let votes = VotingOf::<T>::get(&who);
			let now = frame_system::Pallet::<T>::block_number();
			let remaining: Vec<_> =
				votes.iter().filter(|record| !Self::is_unlockable(record, now)).copied().collect();
			VoterDetails {
				frozen: T::Currency::balance_frozen(&FreezeReason::Vote.into(), &who),
				frozen_after_unlock: Self::largest_vote(&remaining),
				votes: votes.into_inner(),
			}
		}

		/// The treasury's account, balance and commitments (for the runtime API).
		pub fn treasury_details() -> TreasuryDetails<T::AccountId, BalanceOf<T>> {
			let account = Self::account_id();
			let committed = Committed::<T>::get();
			TreasuryDetails {
				balance: T::Currency::balance(&account),
				account,
				committed,
				available: Self::spendable().saturating_sub(committed),
			}
		}

		/// The open grants (for the runtime API).
		pub fn open_grants() -> Vec<(GrantId, GrantOf<T>)> {
			Grants::<T>::iter().collect()
		}
	}
}

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

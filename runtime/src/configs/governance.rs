//! `pallet_governance`: token-holder proposals on five tracks, conviction voting, enactment
//! and the treasury.
//!
//! | track      | deposit   | voting  | enactment delay | turnout quorum | approval |
//! |------------|-----------|---------|-----------------|----------------|----------|
//! | Parameters | 100 DEAI  | 3 days  | 1 day           | 5 %            | > 50 %   |
//! | Curation   | 50 DEAI   | 2 days  | 6 hours         | 5 %            | > 50 %   |
//! | Treasury   | 100 DEAI  | 5 days  | 1 day           | 8 %            | > 60 %   |
//! | Runtime    | 1000 DEAI | 7 days  | 2 days          | 10 %           | > 66 %   |
//! | Emergency  | 500 DEAI  | 3 hours | none            | 10 %           | > 66 %   |
//!
//! The Emergency track carries only `governance.cancel`: it votes for less time than any
//! other track's enactment delay (a runtime test checks it), so the holders can stop an
//! approved proposal before it takes effect. A track holds at most 8 live proposals, an
//! account at most 4, and each live proposal on a track doubles the next one's deposit
//! there.
//!
//! With the `fast-runtime` feature (local testnets and the end-to-end tests only) every
//! period is counted in blocks instead: 20 blocks of voting (30 on the Runtime track, 3 on
//! the Emergency track), an enactment delay of 2 blocks (3 on the Runtime track, none on the
//! Emergency track) and conviction locks of 10 blocks. Deposits, quorums and thresholds are
//! the same.
//!
//! One vote adds at most 2 % of the total issuance to a proposal's turnout. That is friction,
//! not protection: accounts cost one existential deposit, so a large holder that splits its
//! tokens reaches any quorum alone. What protects the chain from a single large holder is
//! that everyone else can outvote it (approval counts nays, and conviction lets committed
//! holders outweigh a larger uncommitted stake by up to 4x), that nothing takes effect
//! before the enactment delay, during which the Emergency track can cancel it, and that the
//! Runtime track, which dispatches as root, has the strictest thresholds. Conviction locks
//! are multiples of 7 days.
//!
//! The treasury account receives the treasury share and flat fee of inference jobs, the
//! stake slashed from workers and the deposits of proposals that missed their quorum; the
//! Treasury track pays grants of at most 100,000 DEAI each from it.

use crate::{
	Balance, Balances, BlockNumber, Runtime, RuntimeCall, RuntimeFreezeReason, RuntimeHoldReason,
	RuntimeOrigin, DAYS, DEAI, HOURS,
};
use pallet_governance::{TrackInfo, TrackKind, TracksInfo};
use polkadot_sdk::{
	frame_support::{parameter_types, weights::Weight, PalletId},
	sp_runtime::Perbill,
};

parameter_types! {
	/// The treasury account derives from this id.
	pub const GovernancePalletId: PalletId = PalletId(*b"deai/gov");
	/// The longest call a proposal carries (SCALE bytes): room for a batch of parameter
	/// changes; a runtime upgrade goes by code hash (`authorize_upgrade`).
	pub const MaxProposalCallLen: u32 = 4 * 1024;
	/// The heaviest call a proposal may carry: a tenth of a block, so an enactment always fits.
	pub MaxProposalCallWeight: Weight = super::weight_fraction(
		Perbill::from_percent(10),
		super::MAXIMUM_BLOCK_WEIGHT,
	);
	/// The longest proposal title.
	pub const MaxProposalTitleLen: u32 = 128;
	/// The most proposals live at once.
	pub const MaxLiveProposals: u32 = 32;
	/// The most proposals live at once on one track.
	pub const MaxLivePerTrack: u32 = 8;
	/// The most proposals one account has live at once.
	pub const MaxLivePerProposer: u32 = 4;
	/// The most votes one account keeps at once.
	pub const MaxVotesPerAccount: u32 = 32;
	/// The unit of conviction locks.
	pub const VoteLockingPeriod: BlockNumber = if cfg!(feature = "fast-runtime") { 10 } else { 7 * DAYS };
	/// The most one vote adds to a turnout, as a share of the total issuance.
	pub const MaxTurnoutPerVoter: Perbill = Perbill::from_percent(2);
	/// The largest single grant.
	pub const MaxGrant: Balance = 100_000 * DEAI;
	/// The most grants open at once.
	pub const MaxOpenGrants: u32 = 32;
	/// How long a finished proposal's record is kept before anyone may prune it.
	pub const ProposalRetention: BlockNumber =
		if cfg!(feature = "fast-runtime") { 20 } else { 30 * DAYS };
}

/// The parameters of DeAI's five governance tracks (see the module docs).
pub struct DeaiTracks;

impl TracksInfo<Balance, BlockNumber> for DeaiTracks {
	fn info(track: TrackKind) -> TrackInfo<Balance, BlockNumber> {
		let (deposit, voting_period, enactment_delay, turnout, approval) = match track {
			TrackKind::Parameters => (100 * DEAI, 3 * DAYS, DAYS, 5, 50),
			TrackKind::Curation => (50 * DEAI, 2 * DAYS, 6 * HOURS, 5, 50),
			TrackKind::Treasury => (100 * DEAI, 5 * DAYS, DAYS, 8, 60),
			TrackKind::Runtime => (1_000 * DEAI, 7 * DAYS, 2 * DAYS, 10, 66),
			TrackKind::Emergency => (500 * DEAI, 3 * HOURS, 0, 10, 66),
		};
		let (voting_period, enactment_delay) = if cfg!(feature = "fast-runtime") {
			match track {
				TrackKind::Runtime => (30, 3),
				TrackKind::Emergency => (3, 0),
				_ => (20, 2),
			}
		} else {
			(voting_period, enactment_delay)
		};
		TrackInfo {
			deposit,
			voting_period,
			enactment_delay,
			min_turnout: Perbill::from_percent(turnout),
			approval: Perbill::from_percent(approval),
		}
	}
}

impl pallet_governance::Config for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Tracks = DeaiTracks;
	type TreasuryOrigin = super::governance_origin::TreasuryOrigin;
	type PalletId = GovernancePalletId;
	type MaxCallLen = MaxProposalCallLen;
	type MaxCallWeight = MaxProposalCallWeight;
	type MaxTitleLen = MaxProposalTitleLen;
	type MaxLiveProposals = MaxLiveProposals;
	type MaxLivePerTrack = MaxLivePerTrack;
	type MaxLivePerProposer = MaxLivePerProposer;
	type CancelOrigin = super::governance_origin::CancelOrigin;
	type MaxVotesPerAccount = MaxVotesPerAccount;
	type VoteLockingPeriod = VoteLockingPeriod;
	type MaxTurnoutPerVoter = MaxTurnoutPerVoter;
	type MaxGrant = MaxGrant;
	type MaxOpenGrants = MaxOpenGrants;
	type ProposalRetention = ProposalRetention;
	type WeightInfo = pallet_governance::weights::SubstrateWeight<Runtime>;
}

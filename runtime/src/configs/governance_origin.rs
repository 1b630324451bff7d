//! The origins that own the privileged calls of the DeAI pallets.
//!
//! Each is a track of `pallet_governance` (a proposal enacted on that track dispatches with
//! its origin) or root. Root is reached by the Runtime track, which dispatches as root
//! because code upgrades need it, and by the development chain's sudo key; on
//! `local_testnet` and any production chain there is no sudo key, so these calls are
//! reachable only through governance.
//!
//! | origin              | calls                                                          |
//! |---------------------|----------------------------------------------------------------|
//! | [`ParametersOrigin`] | staking and inference parameters, the model royalty cap        |
//! | [`CurationOrigin`]   | the dataset curator set                                       |
//! | [`RegistryOrigin`]   | retiring and restoring models (Curation or Parameters)        |
//! | [`TreasuryOrigin`]   | treasury grants                                               |
//! | [`CancelOrigin`]     | cancelling a live proposal (the Emergency track)              |

use crate::AccountId;
use pallet_governance::{
	CurationTrack, EmergencyTrack, EnsureTrack, ParametersTrack, TreasuryTrack,
};
use polkadot_sdk::{frame_support::traits::EitherOfDiverse, frame_system::EnsureRoot};

/// Root, or a proposal enacted on the Parameters track.
pub type ParametersOrigin = EitherOfDiverse<EnsureRoot<AccountId>, EnsureTrack<ParametersTrack>>;

/// Root, or a proposal enacted on the Curation track.
pub type CurationOrigin = EitherOfDiverse<EnsureRoot<AccountId>, EnsureTrack<CurationTrack>>;

/// Root, or a proposal enacted on the Curation or the Parameters track: the model registry's
/// curation calls (retire, restore). Its royalty cap takes [`ParametersOrigin`].
pub type RegistryOrigin = EitherOfDiverse<ParametersOrigin, EnsureTrack<CurationTrack>>;

/// Root, or a proposal enacted on the Emergency track.
pub type CancelOrigin = EitherOfDiverse<EnsureRoot<AccountId>, EnsureTrack<EmergencyTrack>>;

/// Root, or a proposal enacted on the Treasury track.
pub type TreasuryOrigin = EitherOfDiverse<EnsureRoot<AccountId>, EnsureTrack<TreasuryTrack>>;

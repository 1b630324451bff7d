//! The origin that owns the privileged calls of the DeAI pallets (protocol parameters,
//! retiring models, the curator set).
//!
//! Until the governance pallet is wired it is root, which only the development chain's sudo
//! key can reach; on `local_testnet`, which has no sudo key, these calls are unreachable.
//! Every DeAI pallet names this one alias, so handing the calls to governance is a change of
//! this file only.

use crate::AccountId;
use polkadot_sdk::frame_system::EnsureRoot;

/// The origin of privileged DeAI calls.
pub type GovernanceOrigin = EnsureRoot<AccountId>;

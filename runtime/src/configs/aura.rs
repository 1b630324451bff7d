//! `pallet_aura`: round-robin block authoring among the session's collators.

use crate::{AuraId, Runtime};
use polkadot_sdk::{
	frame_support::traits::{ConstBool, ConstU32},
	pallet_aura,
};

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<100>;
	/// One block per slot: async backing with a 6 s block time.
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Self>;
}

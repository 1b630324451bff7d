//! `pallet_timestamp`: the block's time, set by an inherent.

use crate::{Aura, Runtime, SLOT_DURATION};
use polkadot_sdk::{frame_support::traits::ConstU64, pallet_timestamp};

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

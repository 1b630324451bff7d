//! `pallet_utility`: batches of calls, so dapps can register, stake and submit in one
//! transaction.

use crate::{OriginCaller, Runtime, RuntimeCall};
use polkadot_sdk::pallet_utility;

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

//! `cumulus_pallet_weight_reclaim`: gives the proof size a transaction did not use back to
//! the block, so benchmarked worst cases do not waste block space.

use crate::Runtime;
use polkadot_sdk::cumulus_pallet_weight_reclaim;

impl cumulus_pallet_weight_reclaim::Config for Runtime {
	type WeightInfo = cumulus_pallet_weight_reclaim::weights::SubstrateWeight<Runtime>;
}

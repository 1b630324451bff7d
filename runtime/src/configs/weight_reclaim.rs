//! `cumulus_pallet_weight_reclaim`: gives the proof size a transaction did not use back to
//! the block, so benchmarked worst cases do not waste block space.

use crate::Runtime;
use polkadot_sdk::cumulus_pallet_weight_reclaim;

impl cumulus_pallet_weight_reclaim::Config for Runtime {
	/// The crate exports its benchmarked reference weights through the `()` impl only.
	type WeightInfo = ();
}

//! The configuration of every pallet of the runtime, one module per pallet.
//!
//! Values that several pallets share (block weights and lengths) live here.

pub mod aura;
pub mod authorship;
pub mod balances;
pub mod collator_selection;
pub mod compute_staking;
pub mod data_rewards;
pub mod governance;
pub mod governance_origin;
pub mod inference;
pub mod message_queue;
pub mod model_registry;
pub mod parachain_system;
pub mod randomness;
pub mod session;
#[cfg(feature = "dev-sudo")]
pub mod sudo;
pub mod system;
pub mod timestamp;
pub mod transaction_payment;
pub mod utility;
pub mod weight_reclaim;
pub mod xcm_config;
pub mod xcmp_queue;

use polkadot_sdk::{
	cumulus_primitives_core,
	frame_support::{
		dispatch::DispatchClass,
		parameter_types,
		weights::{
			constants::{BlockExecutionWeight, ExtrinsicBaseWeight, WEIGHT_REF_TIME_PER_SECOND},
			Weight,
		},
	},
	frame_system::limits::{BlockLength, BlockWeights},
	sp_runtime::Perbill,
};

/// About 5 % of a block's weight goes to `on_initialize` hooks; this bounds the weight a
/// single extrinsic may take.
pub const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(5);

/// Normal transactions may fill 75 % of a block; the rest is kept for operational ones.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two seconds of compute per block (async backing) and the relay chain's proof-size limit.
pub const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(
	WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2),
	cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64,
);

/// `ratio` of `weight`, both components rounded down.
pub fn weight_fraction(ratio: Perbill, weight: Weight) -> Weight {
	Weight::from_parts(ratio.mul_floor(weight.ref_time()), ratio.mul_floor(weight.proof_size()))
}

/// The maximum encoded length of a block: 5 MiB.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	/// The block length limits, per dispatch class.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO.mul_floor(MAXIMUM_BLOCK_LENGTH)
		})
		.build();

	/// The block weight limits, per dispatch class.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(weight_fraction(NORMAL_DISPATCH_RATIO, MAXIMUM_BLOCK_WEIGHT));
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			// Operational transactions get the space normal ones may not use.
			weights.reserved = Some(
				MAXIMUM_BLOCK_WEIGHT.saturating_sub(weight_fraction(
					NORMAL_DISPATCH_RATIO,
					MAXIMUM_BLOCK_WEIGHT,
				))
			);
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
}

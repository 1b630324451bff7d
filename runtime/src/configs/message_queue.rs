//! `pallet_message_queue`: queues incoming XCM messages and executes them within a weight
//! budget per block.

use super::{weight_fraction, xcm_config, RuntimeBlockWeights};
use crate::{Runtime, XcmpQueue};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32, weights::Weight},
	pallet_message_queue,
	parachains_common::message_queue::NarrowOriginToSibling,
	sp_runtime::Perbill,
};

parameter_types! {
	/// At most 35 % of a block's weight goes to executing queued messages.
	pub MessageQueueServiceWeight: Weight =
		weight_fraction(Perbill::from_percent(35), RuntimeBlockWeights::get().max_block);
}

impl pallet_message_queue::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type WeightInfo = pallet_message_queue::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type MessageProcessor = pallet_message_queue::mock_helpers::NoopMessageProcessor<
		polkadot_sdk::cumulus_primitives_core::AggregateMessageOrigin,
	>;
	#[cfg(not(feature = "runtime-benchmarks"))]
	type MessageProcessor = xcm_config::MessageProcessor;
	type Size = u32;
	// Only sibling-parachain queues can be paused or change, and XCMP tracks them.
	type QueueChangeHandler = NarrowOriginToSibling<XcmpQueue>;
	type QueuePausedQuery = NarrowOriginToSibling<XcmpQueue>;
	type HeapSize = ConstU32<{ 64 * 1024 }>;
	type MaxStale = ConstU32<8>;
	type ServiceWeight = MessageQueueServiceWeight;
	type IdleMaxServiceWeight = MessageQueueServiceWeight;
}

//! `cumulus_pallet_xcmp_queue`: messages to and from sibling parachains.

use super::xcm_config::XcmOriginToTransactDispatchOrigin;
use crate::{AccountId, MessageQueue, ParachainSystem, Runtime};
use polkadot_sdk::{
	cumulus_pallet_xcmp_queue,
	cumulus_primitives_core::{AggregateMessageOrigin, ParaId},
	frame_support::traits::{ConstU32, TransformOrigin},
	frame_system::EnsureRoot,
	pallet_xcm,
	parachains_common::message_queue::ParaIdToSibling,
	polkadot_runtime_common::xcm_sender::NoPriceForMessageDelivery,
};

impl cumulus_pallet_xcmp_queue::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type ChannelInfo = ParachainSystem;
	type VersionWrapper = pallet_xcm::Pallet<Runtime>;
	// Inbound messages from siblings are queued in the message queue and executed later.
	type XcmpQueue = TransformOrigin<MessageQueue, AggregateMessageOrigin, ParaId, ParaIdToSibling>;
	type MaxInboundSuspended = ConstU32<1_000>;
	type MaxActiveOutboundChannels = ConstU32<128>;
	/// Matches the relay chain's default HRMP message size.
	type MaxPageSize = ConstU32<{ 103 * 1024 }>;
	type ControllerOrigin = EnsureRoot<AccountId>;
	type ControllerOriginConverter = XcmOriginToTransactDispatchOrigin;
	type WeightInfo = cumulus_pallet_xcmp_queue::weights::SubstrateWeight<Runtime>;
	type PriceForSiblingDelivery = NoPriceForMessageDelivery<ParaId>;
}

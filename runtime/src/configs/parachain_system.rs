//! `cumulus_pallet_parachain_system` (the parachain's link to the relay chain),
//! `staging_parachain_info` (the para id) and `cumulus_pallet_aura_ext` (Aura checks in
//! the validation function).

use super::MAXIMUM_BLOCK_WEIGHT;
use crate::{ConsensusHook, MessageQueue, Runtime, XcmpQueue};
use polkadot_sdk::{
	cumulus_pallet_aura_ext, cumulus_pallet_parachain_system,
	cumulus_pallet_parachain_system::RelayNumberMonotonicallyIncreases,
	cumulus_primitives_core::AggregateMessageOrigin,
	frame_support::{
		parameter_types,
		traits::{ConstU32, EnqueueWithOrigin},
		weights::Weight,
	},
	staging_parachain_info,
};

parameter_types! {
	/// Weight kept in each block for messages from the relay chain.
	pub const ReservedDmpWeight: Weight = MAXIMUM_BLOCK_WEIGHT.saturating_div(4);
	/// Weight kept in each block for messages from sibling parachains.
	pub const ReservedXcmpWeight: Weight = MAXIMUM_BLOCK_WEIGHT.saturating_div(4);
	/// The origin of messages that come down from the relay chain.
	pub const RelayOrigin: AggregateMessageOrigin = AggregateMessageOrigin::Parent;
}

impl cumulus_pallet_parachain_system::Config for Runtime {
	type WeightInfo = cumulus_pallet_parachain_system::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = crate::RuntimeEvent;
	/// Keeps the relay parent's VRF output for the draw of workers.
	type OnSystemEvent = super::randomness::NoteRelayRandomness;
	type SelfParaId = staging_parachain_info::Pallet<Runtime>;
	type OutboundXcmpMessageSource = XcmpQueue;
	type DmpQueue = EnqueueWithOrigin<MessageQueue, RelayOrigin>;
	type ReservedDmpWeight = ReservedDmpWeight;
	type XcmpMessageHandler = XcmpQueue;
	type ReservedXcmpWeight = ReservedXcmpWeight;
	/// Async backing builds several parachain blocks on the same relay parent.
	type CheckAssociatedRelayNumber = RelayNumberMonotonicallyIncreases;
	type ConsensusHook = ConsensusHook;
	/// Build on the newest relay parent.
	type RelayParentOffset = ConstU32<0>;
	/// V3 candidate scheduling stays off until the relay chain enables it.
	type SchedulingSignatureVerifier = ();
}

impl staging_parachain_info::Config for Runtime {}

impl cumulus_pallet_aura_ext::Config for Runtime {}

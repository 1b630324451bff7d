//! `frame_system`: accounts, blocks, events and runtime upgrades.

use super::{RuntimeBlockLength, RuntimeBlockWeights};
use crate::{
	AccountId, Balance, Block, Hash, Nonce, PalletInfo, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, RuntimeTask, VERSION,
};
use deai_primitives::currency::SS58_FORMAT;
use polkadot_sdk::{
	cumulus_pallet_parachain_system,
	frame_support::{
		derive_impl, parameter_types, traits::ConstU32, weights::constants::RocksDbWeight,
	},
	frame_system, pallet_balances,
	sp_version::RuntimeVersion,
};

parameter_types! {
	/// The runtime's version, reported to the node.
	pub const Version: RuntimeVersion = VERSION;
	/// The SS58 prefix of addresses.
	pub const SS58Prefix: u16 = SS58_FORMAT;
	/// How many recent block hashes are kept (needed by transaction mortality).
	pub const BlockHashCount: u32 = 4096;
}

#[derive_impl(frame_system::config_preludes::ParaChainDefaultConfig)]
impl frame_system::Config for Runtime {
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type Block = Block;
	type BlockHashCount = BlockHashCount;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type DbWeight = RocksDbWeight;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type SS58Prefix = SS58Prefix;
	/// A runtime upgrade goes through the relay chain's validation-code checks.
	type OnSetCode = cumulus_pallet_parachain_system::ParachainSetCode<Self>;
	type MaxConsumers = ConstU32<16>;
	type SystemWeightInfo = frame_system::weights::SubstrateWeight<Runtime>;
	type ExtensionsWeightInfo = frame_system::SubstrateExtensionsWeight<Runtime>;
}

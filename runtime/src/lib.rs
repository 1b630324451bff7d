//! # The DeAI runtime
//!
//! The state-transition function of the DeAI parachain, compiled to Wasm and run by every
//! collator and by the relay chain's validators.
//!
//! It assembles the system pallets of a Cumulus parachain (async backing, Aura collators
//! chosen by `collator-selection`, XCM) with the DEAI token and, at pallet indexes 50–59,
//! the DeAI pallets: model registry, data rewards, compute staking, inference and governance.
//!
//! Layout:
//! - [`configs`]: one module per pallet's configuration.
//! - [`apis`]: the runtime APIs the node and clients call.
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion.
#![recursion_limit = "256"]
// `#[frame_support::runtime]`, `impl_runtime_apis!` and the Wasm builder generate public
// items without docs; every item written here is documented.
#![allow(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;

// Make the Wasm binary available to the node when compiled natively.
#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(test)]
mod tests;

use polkadot_sdk::{
	frame_executive, frame_support, frame_system, pallet_transaction_payment, sp_runtime,
	sp_version, *,
};

use frame_support::weights::{
	constants::ExtrinsicBaseWeight, WeightToFeeCoefficient, WeightToFeeCoefficients,
	WeightToFeePolynomial,
};
use smallvec::smallvec;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, Perbill};
use sp_version::RuntimeVersion;

pub use deai_primitives::{
	currency::{DEAI, EXISTENTIAL_DEPOSIT, MICRO_DEAI, MILLI_DEAI},
	time::{DAYS, HOURS, MILLISECS_PER_BLOCK, MINUTES, SLOT_DURATION},
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature,
};
pub use polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// The address format of extrinsics: an account id or an index.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// The block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// A block of this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions: the checks every signed transaction passes, in order.
///
/// `StorageWeightReclaim` wraps them all so that unused proof size is given back to the
/// block after each transaction.
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
	Runtime,
	(
		frame_system::AuthorizeCall<Runtime>,
		frame_system::CheckNonZeroSender<Runtime>,
		frame_system::CheckSpecVersion<Runtime>,
		frame_system::CheckTxVersion<Runtime>,
		frame_system::CheckGenesis<Runtime>,
		frame_system::CheckEra<Runtime>,
		frame_system::CheckNonce<Runtime>,
		frame_system::CheckWeight<Runtime>,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
		frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	),
>;

/// A transaction as it travels the network.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// Storage migrations run at the next runtime upgrade (none yet).
pub type Migrations = ();

/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// Converts a transaction's weight to its fee.
///
/// The base weight of an extrinsic costs 0.1 milli-DEAI; the fee grows linearly with the
/// weight. The length fee and the congestion multiplier come on top (see
/// [`configs::transaction_payment`]).
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let fee_of_base_weight = MILLI_DEAI / 10;
		let base_weight = Balance::from(ExtrinsicBaseWeight::get().ref_time()).max(1);
		smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(
				fee_of_base_weight.checked_rem(base_weight).unwrap_or_default(),
				base_weight,
			),
			coeff_integer: fee_of_base_weight.checked_div(base_weight).unwrap_or_default(),
		}]
	}
}

/// Types the node needs without knowing the runtime's transaction format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// The opaque block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// The opaque block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// The opaque block hash.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The session keys of a collator: its Aura block-authoring key.
	pub struct SessionKeys {
		/// The key that signs the blocks this collator authors.
		pub aura: Aura,
	}
}

/// The runtime's version. `spec_version` must be bumped with every runtime upgrade.
#[cfg(not(feature = "upgrade-rehearsal"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("deai"),
	impl_name: alloc::borrow::Cow::Borrowed("deai"),
	authoring_version: 1,
	spec_version: 1,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The same runtime one `spec_version` later (feature `upgrade-rehearsal`): a newer Wasm of
/// this code, for the runtime-upgrade tests to upgrade a chain to. Never deployed.
#[cfg(feature = "upgrade-rehearsal")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("deai"),
	impl_name: alloc::borrow::Cow::Borrowed("deai"),
	authoring_version: 1,
	spec_version: 2,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Async backing: how many parachain blocks may be authored ahead of their inclusion in the
/// relay chain.
pub const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;
/// Async backing: how many parachain blocks the relay chain accepts per relay parent.
pub const BLOCK_PROCESSING_VELOCITY: u32 = 1;
/// The relay chain's slot duration, in milliseconds.
pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6_000;

/// Checks that collators do not author more blocks than the relay chain can back.
pub type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
	Runtime,
	RELAY_CHAIN_SLOT_DURATION_MILLIS,
	BLOCK_PROCESSING_VELOCITY,
	UNINCLUDED_SEGMENT_CAPACITY,
>;

#[frame_support::runtime]
mod runtime {
	/// The DeAI runtime: every pallet, by index. Indexes are grouped by purpose and never
	/// reused: 0–9 system, 10–14 money, 15–19 governance, 20–29 collators, 30–39 XCM,
	/// 40–49 utilities, 50–59 the DeAI pallets.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type ParachainInfo = staging_parachain_info;
	#[runtime::pallet_index(4)]
	pub type WeightReclaim = cumulus_pallet_weight_reclaim;
	#[runtime::pallet_index(5)]
	pub type RandomnessCollectiveFlip = pallet_insecure_randomness_collective_flip;

	// Money.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Governance. Sudo exists only in builds with `dev-sudo` (the node's, for `--dev`), and
	// has a key only on the development chain (see the genesis presets).
	#[cfg(feature = "dev-sudo")]
	#[runtime::pallet_index(15)]
	pub type Sudo = pallet_sudo;

	// Collators. The order of these five matters: authorship and collator selection must
	// run before session, and session before Aura.
	#[runtime::pallet_index(20)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(21)]
	pub type CollatorSelection = pallet_collator_selection;
	#[runtime::pallet_index(22)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(23)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(24)]
	pub type AuraExt = cumulus_pallet_aura_ext;

	// XCM.
	#[runtime::pallet_index(30)]
	pub type XcmpQueue = cumulus_pallet_xcmp_queue;
	#[runtime::pallet_index(31)]
	pub type PolkadotXcm = pallet_xcm;
	#[runtime::pallet_index(32)]
	pub type CumulusXcm = cumulus_pallet_xcm;
	#[runtime::pallet_index(33)]
	pub type MessageQueue = pallet_message_queue;

	// Utilities.
	#[runtime::pallet_index(40)]
	pub type Utility = pallet_utility;

	// 50–59: the DeAI pallets.
	#[runtime::pallet_index(50)]
	pub type ModelRegistry = pallet_model_registry;
	#[runtime::pallet_index(51)]
	pub type DataRewards = pallet_data_rewards;
	#[runtime::pallet_index(52)]
	pub type ComputeStaking = pallet_compute_staking;
	#[runtime::pallet_index(53)]
	pub type Inference = pallet_inference;
	#[runtime::pallet_index(54)]
	pub type Governance = pallet_governance;
}

cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}

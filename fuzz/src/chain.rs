//! The chain: its genesis, the blocks built on it as a collator builds them, and the signed
//! transactions they carry.
//!
//! A block starts with `Executive::initialize_block` at an Aura slot and the parachain-system
//! and timestamp inherents. Each transaction is signed with its sender's next nonce and
//! applied in a storage transaction of its own, kept only if it was valid (a block builder
//! drops the invalid ones), and `Executive::finalize_block` ends the block. A panic at any
//! step is caught and reported as the block's failure, like a broken invariant.

use crate::{
	invariants::{check_block, holds_of_frozen_funds},
	stats::deai_event_name,
	Stats,
};
use codec::Encode;
use cumulus_pallet_parachain_system::parachain_inherent::{
	BasicParachainInherentData, InboundMessagesData,
};
use deai_runtime::{
	AccountId, Balances, BlockNumber, Executive, Header, Runtime, RuntimeCall, System, TxExtension,
	UncheckedExtrinsic, SLOT_DURATION,
};
use polkadot_sdk::{
	cumulus_primitives_core::{relay_chain, PersistedValidationData},
	cumulus_test_relay_sproof_builder::RelayStateSproofBuilder,
	frame_support::storage::with_transaction_unchecked,
	frame_system, pallet_timestamp,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_core::{sr25519, Pair, H256},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::{self, Era},
		traits::Header as _,
		Digest, DigestItem, MultiAddress, MultiSignature, Storage, TransactionOutcome,
	},
};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The accounts that sign: the dev chain's funded well-known keys.
pub const ACCOUNTS: [Sr25519Keyring; 8] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
	Sr25519Keyring::One,
	Sr25519Keyring::Two,
];

/// The chain being built: its state and what the next block needs to know.
pub struct Chain {
	ext: TestExternalities,
	parent: Header,
	slot: u64,
	relay_number: u32,
	keys: Vec<(sr25519::Pair, AccountId)>,
}

/// The genesis state of the development preset (what `deai-node --dev` starts from).
#[expect(
	clippy::expect_used,
	reason = "the preset is the runtime's own; without it nothing can run"
)]
pub fn dev_genesis() -> Storage {
	deai_runtime::genesis_config_presets::preset_storage(
		polkadot_sdk::sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
	.expect("the development preset builds")
}

impl Chain {
	/// A chain at `genesis`.
	pub fn new(genesis: Storage) -> Self {
		let keys = ACCOUNTS.iter().map(|k| (k.pair(), k.to_account_id())).collect();
		let ext = TestExternalities::new(genesis);
		let parent = Header::new(0, H256::zero(), H256::zero(), H256::zero(), Digest::default());
		Chain { ext, parent, slot: 0, relay_number: 0, keys }
	}

	/// Builds one block with `calls` (signer index, call) and checks it; `slots` is how many
	/// slots (of 6 s) pass before it.
	pub fn block(
		&mut self,
		slots: u64,
		calls: &mut dyn FnMut(&mut Self) -> Vec<(usize, RuntimeCall)>,
		stats: &mut Stats,
	) -> Result<(), (BlockNumber, String)> {
		self.slot = self.slot.saturating_add(slots.max(1));
		self.relay_number = self.relay_number.saturating_add(1);
		let number = self.ext.execute_with(System::block_number).saturating_add(1);
		let (slot, relay_number, parent) = (self.slot, self.relay_number, self.parent.clone());
		let issuance_before = self.ext.execute_with(Balances::total_issuance);

		self.ext
			.execute_with(|| {
				catch_unwind(AssertUnwindSafe(|| start_block(number, slot, relay_number, &parent)))
			})
			.map_err(|panic| {
				(number, format!("panic while starting the block: {}", text(&panic)))
			})?;
		let calls = catch_unwind(AssertUnwindSafe(|| calls(self))).map_err(|panic| {
			(number, format!("panic while drawing the calls: {}", text(&panic)))
		})?;
		let keys = &self.keys;
		let mut frozen_held = Vec::new();
		let outcome = self.ext.execute_with(|| {
			catch_unwind(AssertUnwindSafe(|| {
				for (signer, call) in calls {
					let Some((pair, who)) = keys.get(signer.checked_rem(keys.len()).unwrap_or(0))
					else {
						continue;
					};
					let xt = sign(call, pair, who);
					let events_before = System::event_count();
					let result = with_transaction_unchecked(|| {
						let result = Executive::apply_extrinsic(xt);
						if result.is_ok() {
							TransactionOutcome::Commit(result)
						} else {
							TransactionOutcome::Rollback(result)
						}
					});
					match result {
						Ok(dispatched) => {
							stats.applied = stats.applied.saturating_add(1);
							if dispatched.is_ok() {
								stats.succeeded = stats.succeeded.saturating_add(1);
							}
						},
						Err(_) => stats.invalid = stats.invalid.saturating_add(1),
					}
					frozen_held.extend(holds_of_frozen_funds(events_before));
				}
				let length = System::block_size();
				let header = Executive::finalize_block();
				(header, length)
			}))
		});
		let (header, length) =
			outcome.map_err(|panic| (number, format!("panic in the block: {}", text(&panic))))?;
		if let Some(what) = frozen_held.into_iter().next() {
			return Err((number, what));
		}
		self.ext
			.execute_with(|| check_block(number, issuance_before, length))
			.map_err(|what| (number, what))?;
		self.ext.execute_with(|| {
			for record in System::events() {
				if let Some(name) = deai_event_name(&record.event) {
					let count = stats.events.entry(name).or_default();
					*count = count.saturating_add(1);
				}
			}
		});
		self.ext.commit_all().map_err(|e| (number, format!("committing the state: {e}")))?;
		self.parent = header;
		stats.blocks = stats.blocks.saturating_add(1);
		Ok(())
	}

	/// Runs `f` on the chain's state (between blocks).
	pub fn with_state<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}
}

/// The BABE VRF output the fuzzer's relay chain gives relay block `relay_number`.
pub fn relay_vrf_output(relay_number: u32) -> [u8; 32] {
	polkadot_sdk::sp_io::hashing::blake2_256(&(b"deai-fuzz-relay-vrf", relay_number).encode())
}

/// The message of a caught panic.
pub(crate) fn text(panic: &Box<dyn std::any::Any + Send>) -> String {
	panic
		.downcast_ref::<String>()
		.cloned()
		.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
		.unwrap_or_else(|| "(a panic without a message)".into())
}

/// Initializes block `number` at Aura slot `slot` on top of `parent`, and applies the
/// parachain-system and timestamp inherents, as a collator does.
fn start_block(number: BlockNumber, slot: u64, relay_number: u32, parent: &Header) {
	let digest =
		Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())] };
	Executive::initialize_block(&Header::new(
		number,
		H256::zero(),
		H256::zero(),
		parent.hash(),
		digest,
	));
	// The relay chain's slot is the parachain's (both 6 s), and its proof says the parent
	// block is included, so the unincluded segment never fills up.
	let parent_head = relay_chain::HeadData(parent.encode());
	let sproof = RelayStateSproofBuilder {
		para_id: deai_runtime::ParachainInfo::parachain_id(),
		current_slot: relay_chain::Slot::from(slot),
		included_para_head: Some(parent_head.clone()),
		dmq_mqc_head: Some(
			cumulus_pallet_parachain_system::LastDmqMqcHead::<Runtime>::get().head(),
		),
		// A real relay chain's proof carries its block's VRF output, which the draw uses.
		additional_key_values: vec![(
			relay_chain::well_known_keys::CURRENT_BLOCK_RANDOMNESS.to_vec(),
			Some(relay_vrf_output(relay_number)).encode(),
		)],
		..Default::default()
	};
	let (relay_parent_storage_root, relay_chain_state) = sproof.into_state_root_and_proof();
	let validation =
		RuntimeCall::ParachainSystem(cumulus_pallet_parachain_system::Call::set_validation_data {
			data: BasicParachainInherentData {
				validation_data: PersistedValidationData {
					parent_head,
					relay_parent_number: relay_number,
					relay_parent_storage_root,
					max_pov_size: relay_chain::MAX_POV_SIZE,
				},
				relay_chain_state,
				relay_parent_descendants: vec![],
				collator_peer_id: None,
			},
			inbound_messages_data: InboundMessagesData::new(Default::default(), Default::default()),
		});
	let applied = Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(validation));
	assert!(matches!(applied, Ok(Ok(()))), "the parachain inherent failed: {applied:?}");
	let now = slot.saturating_mul(SLOT_DURATION);
	let timestamp = RuntimeCall::Timestamp(pallet_timestamp::Call::set { now });
	let applied = Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(timestamp));
	assert!(matches!(applied, Ok(Ok(()))), "the timestamp inherent failed: {applied:?}");
}

/// `call` signed by `pair` (account `who`) with its next nonce, immortal, no tip.
#[expect(
	clippy::expect_used,
	reason = "the extensions' implicit data is static (genesis hash, versions)"
)]
fn sign(call: RuntimeCall, pair: &sr25519::Pair, who: &AccountId) -> UncheckedExtrinsic {
	let nonce = System::account_nonce(who);
	let extension: TxExtension =
		polkadot_sdk::cumulus_pallet_weight_reclaim::StorageWeightReclaim::new((
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			polkadot_sdk::pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			polkadot_sdk::frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		));
	let payload = generic::SignedPayload::<RuntimeCall, TxExtension>::new(call, extension)
		.expect("the implicit data of every extension is available");
	let signature = payload.using_encoded(|bytes| pair.sign(bytes));
	let (call, extension, _) = payload.deconstruct();
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(who.clone()),
		MultiSignature::Sr25519(signature),
		extension,
	)
}

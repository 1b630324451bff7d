//! A fuzzer for the whole DeAI runtime, executed natively.
//!
//! One *case* is a seed. From it a pseudo-random generator draws a chain's life: up to
//! [`Limits::blocks`] blocks, each either a run of empty blocks (time passing) or a block of
//! up to [`Limits::calls_per_block`] signed transactions from the [`ACCOUNTS`], calling every
//! DeAI pallet and `pallet_balances`. Arguments are drawn from small domains (ids that exist
//! or nearly exist, amounts around the thresholds that matter), and some calls are made
//! *valid on purpose* (a real commitment and a correctly signed reveal for a job the signer
//! is assigned to), so the protocol's deep states are reached and not only its errors.
//!
//! Every block is built as a collator builds it: `Executive::initialize_block` with an Aura
//! slot, the parachain-system and timestamp inherents, each transaction through
//! `Executive::apply_extrinsic` with real signatures and fees (rolled back when invalid, as
//! the block builder does), then `Executive::finalize_block`. After every block the
//! [`check_block`] invariants must hold:
//! - nothing panicked (a panic anywhere in the runtime is a failure);
//! - the block's consumed weight is within the limits of each dispatch class and of the
//!   block, and its length within the maximum;
//! - total issuance changed only by the mint and burn events (`Minted`, `Burned`, `Issued`,
//!   `Rescinded`, and `DustLost`: the runtime drops the dust of reaped accounts), and equals the sum of every account's free and reserved
//!   balance; no account holds more than it has reserved;
//! - every pallet's `try_state` passes (`AllPalletsWithSystem`, `TryStateSelect::All`);
//! - no account gains from a slash of stake it did not own: a slash's payee never receives
//!   more than the slashed worker's own part (`Slashed::to_payee <= from_worker`);
//! - a challenger's payout is bounded: an overturned result pays the re-executors and the
//!   challenger together at most what the loser's own stake sent the inference account;
//! - frozen funds are never held: after every transaction that put funds on hold, the
//!   account's free balance still covers its freezes (a governance vote's lock).
//!
//! Besides random calls, some transactions are attacks ([`attack_call`]): floods of cheap
//! jobs, inputs no worker can answer (and workers answering so), votes that freeze nearly
//! all of an account's balance followed by jobs paid from it, challenges of optimistic
//! results by the other accounts of the worker's operator (every account of the fuzzer is
//! one operator's sybil), and cancel-and-resubmit.
//!
//! A failure names the seed, the block and the invariant; `deai-runtime-fuzz replay <seed>`
//! replays it, and every crash found is kept as a seed in `tests/regressions.rs`.

use codec::Encode;
use deai_primitives::{
	inference::{commitment, content_hash, AttestedResult, Verification},
	model::{InputKind, InputSpec, OutputSpec},
};
use deai_runtime::{
	configs::{RuntimeBlockWeights, MAXIMUM_BLOCK_LENGTH},
	AccountId, AllPalletsWithSystem, Balance, Balances, BlockNumber, Executive, Header, Runtime,
	RuntimeCall, RuntimeEvent, System, TxExtension, UncheckedExtrinsic, DEAI, SLOT_DURATION,
};
use pallet_inference::WorkerDuty;
use polkadot_sdk::{
	cumulus_primitives_core::{relay_chain, PersistedValidationData},
	cumulus_test_relay_sproof_builder::RelayStateSproofBuilder,
	frame_support::{
		dispatch::DispatchClass,
		storage::with_transaction_unchecked,
		traits::{Get, IntegrityTest, TryState, TryStateSelect},
		BoundedVec,
	},
	frame_system, pallet_balances, pallet_timestamp,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_core::{sr25519, Pair, H256},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::{self, Era},
		traits::Header as _,
		Digest, DigestItem, MultiAddress, MultiSignature, Perbill, Storage, TransactionOutcome,
	},
};
use std::panic::{catch_unwind, AssertUnwindSafe};

use cumulus_pallet_parachain_system::parachain_inherent::{
	BasicParachainInherentData, InboundMessagesData,
};

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

/// How big one case may grow.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Block-building steps per case (a step is one block of calls or a run of empty ones).
	pub blocks: u32,
	/// The most transactions in one block.
	pub calls_per_block: u32,
}

impl Default for Limits {
	fn default() -> Self {
		Limits { blocks: 40, calls_per_block: 24 }
	}
}

/// What one case did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
	/// Blocks built and checked.
	pub blocks: u32,
	/// Transactions applied (valid ones, whether their calls succeeded or not).
	pub applied: u32,
	/// Of those, the calls that succeeded.
	pub succeeded: u32,
	/// Transactions refused as invalid (rolled back, as a block builder drops them).
	pub invalid: u32,
	/// How often each event of the DeAI pallets was emitted (`Pallet::Event`): how deep
	/// the case got into the protocol.
	pub events: std::collections::BTreeMap<String, u32>,
}

impl Stats {
	/// Adds `other` to these.
	pub fn add(&mut self, other: &Stats) {
		self.blocks = self.blocks.saturating_add(other.blocks);
		self.applied = self.applied.saturating_add(other.applied);
		self.succeeded = self.succeeded.saturating_add(other.succeeded);
		self.invalid = self.invalid.saturating_add(other.invalid);
		for (name, count) in &other.events {
			let total = self.events.entry(name.clone()).or_default();
			*total = total.saturating_add(*count);
		}
	}
}

/// `Pallet::Event` for an event of a DeAI pallet.
fn deai_event_name(event: &RuntimeEvent) -> Option<String> {
	let pallet = match event {
		RuntimeEvent::ModelRegistry(_) => "ModelRegistry",
		RuntimeEvent::DataRewards(_) => "DataRewards",
		RuntimeEvent::ComputeStaking(_) => "ComputeStaking",
		RuntimeEvent::Inference(_) => "Inference",
		RuntimeEvent::Governance(_) => "Governance",
		_ => return None,
	};
	let text = format!("{event:?}");
	// `Pallet(Event::Name { .. })`
	let name = text.split("Event::").nth(1)?.split([' ', '(', '{', ')']).next()?.to_string();
	Some(format!("{pallet}::{name}"))
}

/// Why a case failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
	/// The case's seed.
	pub seed: u64,
	/// The number of the block that broke an invariant.
	pub block: BlockNumber,
	/// What broke.
	pub what: String,
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "seed {} failed in block #{}: {}", self.seed, self.block, self.what)
	}
}

/// A small, fast, seedable generator (splitmix64): the same seed gives the same case.
pub struct Rng(u64);

impl Rng {
	/// A generator for `seed`.
	pub fn new(seed: u64) -> Self {
		Rng(seed)
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A number in `0..n` (`n > 0`).
	pub fn below(&mut self, n: u64) -> u64 {
		self.next_u64().checked_rem(n.max(1)).unwrap_or(0)
	}

	/// True with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// One of `items`.
	#[expect(clippy::expect_used, reason = "every caller passes a constant, non-empty slice")]
	pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		let index = self.below(items.len() as u64) as usize;
		items.get(index).or(items.first()).cloned().expect("pick from a non-empty slice")
	}

	/// `len` random bytes.
	pub fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len).map(|_| self.next_u64() as u8).collect()
	}

	/// A 32-byte value.
	pub fn hash(&mut self) -> [u8; 32] {
		let mut out = [0u8; 32];
		out.iter_mut().for_each(|b| *b = self.next_u64() as u8);
		out
	}
}

/// A bounded vector of `min..=max` bytes (cut to its bound): mostly printable text, as
/// names, versions and URIs must be, sometimes any bytes.
fn bounded<S: Get<u32>>(rng: &mut Rng, min: u64, max: u64) -> BoundedVec<u8, S> {
	const TEXT: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-./:";
	let len = min.saturating_add(rng.below(max.saturating_sub(min).saturating_add(1)));
	let mut bytes = if rng.chance(90) {
		(0..len).map(|_| rng.pick(TEXT)).collect()
	} else {
		rng.bytes(len as usize)
	};
	bytes.truncate(S::get() as usize);
	BoundedVec::truncate_from(bytes)
}

/// One of `choices` (mostly valid values of a field, and a few invalid ones), as a bounded
/// vector.
fn one_of<S: Get<u32>>(rng: &mut Rng, choices: &[&str]) -> BoundedVec<u8, S> {
	let mut bytes = rng.pick(choices).as_bytes().to_vec();
	bytes.truncate(S::get() as usize);
	BoundedVec::truncate_from(bytes)
}

const VERSIONS: &[&str] = &["1", "1.0.0", "2.1.0-rc.1+b5", "v3", "0.9", "", "no/slash"];
const LICENCES: &[&str] =
	&["Apache-2.0", "MIT", "(MIT OR Apache-2.0)", "CC-BY-4.0", "", "bad/licence"];
const URIS: &[&str] = &[
	"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
	"https://models.deai.example/encoder.safetensors",
	"file://tiny",
	"ar://Zm9vYmFy",
	"",
	"no scheme here",
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
fn text(panic: &Box<dyn std::any::Any + Send>) -> String {
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

/// The accounts a transaction put funds on hold for (its events from `from` on) whose free
/// balance no longer covers their freezes: the hold took frozen funds.
fn holds_of_frozen_funds(from: u32) -> Vec<String> {
	System::events()
		.iter()
		.skip(from as usize)
		.filter_map(|record| match &record.event {
			RuntimeEvent::Balances(pallet_balances::Event::Held { reason, who, amount }) => {
				let account = System::account(who).data;
				(account.free < account.frozen).then(|| {
					format!(
						"{who} put {amount} on hold ({reason:?}) out of frozen funds: free {} < \
						 frozen {}",
						account.free, account.frozen
					)
				})
			},
			_ => None,
		})
		.collect()
}

/// The bounds on who gains from a slash, from the block's events (see the crate docs).
fn check_slash_payouts() -> Result<(), String> {
	let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
	for event in &events {
		if let RuntimeEvent::ComputeStaking(pallet_compute_staking::Event::Slashed {
			worker,
			job,
			from_worker,
			to_payee,
			..
		}) = event
		{
			if to_payee > from_worker {
				return Err(format!(
					"job {job}: the payee of {worker}'s slash got {to_payee}, more than the \
					 {from_worker} of the worker's own stake"
				));
			}
		}
		if let RuntimeEvent::Inference(pallet_inference::Event::ChallengeResolved {
			job,
			confirmed: false,
			loser,
			reexecution_paid,
			rewarded,
			..
		}) = event
		{
			let sent = events
				.iter()
				.find_map(|e| match e {
					RuntimeEvent::ComputeStaking(pallet_compute_staking::Event::Slashed {
						worker,
						job: slashed_job,
						to_payee,
						..
					}) if worker == loser && slashed_job == job => Some(*to_payee),
					_ => None,
				})
				.unwrap_or_default();
			if reexecution_paid.saturating_add(*rewarded) > sent {
				return Err(format!(
					"job {job}: the re-execution ({reexecution_paid}) and the challenger \
					 ({rewarded}) were paid more than the {sent} the loser's stake sent"
				));
			}
		}
	}
	Ok(())
}

/// The invariants that hold after every block (see the crate docs).
pub fn check_block(
	number: BlockNumber,
	issuance_before: Balance,
	length: u32,
) -> Result<(), String> {
	// Weight, per class and for the whole block.
	let limits = RuntimeBlockWeights::get();
	let used = System::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		if let Some(max) = limits.get(class).max_total {
			if !used.get(class).all_lte(max) {
				return Err(format!("{class:?} weight {:?} above {max:?}", used.get(class)));
			}
		}
	}
	if !used.total().all_lte(limits.max_block) {
		return Err(format!("block weight {:?} above {:?}", used.total(), limits.max_block));
	}
	if length > MAXIMUM_BLOCK_LENGTH {
		return Err(format!("block length {length} above {MAXIMUM_BLOCK_LENGTH}"));
	}

	// Issuance: changed only by mint and burn events, and equal to what accounts hold.
	let issuance = Balances::total_issuance();
	let (mut minted, mut burned) = (0u128, 0u128);
	for record in System::events() {
		if let RuntimeEvent::Balances(event) = record.event {
			match event {
				pallet_balances::Event::Minted { amount, .. }
				| pallet_balances::Event::Issued { amount } => minted = minted.saturating_add(amount),
				// Dust of reaped accounts is dropped (`DustRemoval = ()`), which burns it.
				pallet_balances::Event::Burned { amount, .. }
				| pallet_balances::Event::Rescinded { amount }
				| pallet_balances::Event::DustLost { amount, .. } => burned = burned.saturating_add(amount),
				_ => {},
			}
		}
	}
	let expected = issuance_before.saturating_add(minted).saturating_sub(burned);
	if issuance != expected {
		let events: Vec<String> =
			System::events().iter().map(|record| format!("{:?}", record.event)).collect();
		return Err(format!(
			"total issuance {issuance} but {issuance_before} + minted {minted} - burned {burned} = \
			 {expected}; the block's events: {events:#?}"
		));
	}
	let mut held_total = 0u128;
	for (who, account) in frame_system::Account::<Runtime>::iter() {
		held_total =
			held_total.saturating_add(account.data.free).saturating_add(account.data.reserved);
		let holds: Balance = pallet_balances::Holds::<Runtime>::get(&who)
			.iter()
			.fold(0, |sum, hold| sum.saturating_add(hold.amount));
		if holds > account.data.reserved {
			return Err(format!(
				"{who} has {holds} on hold but only {} reserved",
				account.data.reserved
			));
		}
	}
	if held_total != issuance {
		return Err(format!("accounts hold {held_total} in all, total issuance is {issuance}"));
	}

	check_slash_payouts()?;

	// Every pallet's own invariants.
	AllPalletsWithSystem::integrity_test();
	<AllPalletsWithSystem as TryState<BlockNumber>>::try_state(number, TryStateSelect::All)
		.map_err(|e| format!("try_state: {e:?}"))
}

/// Runs the case `seed` from `genesis`.
pub fn run_case(genesis: &Storage, seed: u64, limits: Limits) -> Result<Stats, Failure> {
	let mut rng = Rng::new(seed);
	let mut chain = Chain::new(genesis.clone());
	let mut stats = Stats::default();
	let fail = |(block, what): (BlockNumber, String)| Failure { seed, block, what };
	let steps = rng.below(u64::from(limits.blocks)).saturating_add(1);
	if rng.chance(75) {
		// Most cases start from a working market: a valid model and five workers for it.
		chain.block(1, &mut |chain| chain.with_state(bootstrap), &mut stats).map_err(fail)?;
	}
	for _ in 0..steps {
		if rng.chance(15) {
			// Time passes: a run of empty blocks (deadlines, liveness, unbonding).
			for _ in 0..=rng.below(15) {
				chain.block(1, &mut |_| Vec::new(), &mut stats).map_err(fail)?;
			}
			continue;
		}
		let count = rng.below(u64::from(limits.calls_per_block).saturating_add(1));
		let slots = if rng.chance(10) { rng.below(100).saturating_add(2) } else { 1 };
		let mut calls = |chain: &mut Chain| {
			(0..count)
				.map(|_| {
					let signer = rng.below(ACCOUNTS.len() as u64) as usize;
					let call = chain.with_state(|| random_call(&mut rng, signer));
					(signer, call)
				})
				.collect()
		};
		chain.block(slots, &mut calls, &mut stats).map_err(fail)?;
	}
	Ok(stats)
}

/// Bob registers a valid model (id 0 on a fresh chain) and Charlie to Two register as its
/// workers, each attesting with its own account key.
fn bootstrap() -> Vec<(usize, RuntimeCall)> {
	let mut rng = Rng::new(0);
	let mut params = model_params(&mut rng);
	params.version = BoundedVec::truncate_from(b"1.0.0".to_vec());
	params.license = BoundedVec::truncate_from(b"Apache-2.0".to_vec());
	params.uris =
		BoundedVec::truncate_from(vec![BoundedVec::truncate_from(b"file://tiny".to_vec())]);
	params.name = BoundedVec::truncate_from(b"fuzz-encoder".to_vec());
	params.input_spec = InputSpec { kind: InputKind::Text, max_len: 4096 };
	params.output_spec = OutputSpec::QuantizedF32 { decimals: 4 };
	params.price = DEAI;
	params.royalty = Perbill::from_percent(10);
	params.parent = None;
	params.datasets = BoundedVec::new();
	let mut calls =
		vec![(1, RuntimeCall::ModelRegistry(pallet_model_registry::Call::register { params }))];
	for signer in 2..7 {
		let key =
			ACCOUNTS.get(signer).map(|k| k.public()).unwrap_or(sr25519::Public::from_raw([0; 32]));
		calls.push((
			signer,
			RuntimeCall::ComputeStaking(pallet_compute_staking::Call::register_worker {
				bond: 2_000 * DEAI,
				attestation_key: key,
				metadata: BoundedVec::truncate_from(b"fuzz".to_vec()),
				capabilities: BoundedVec::truncate_from(b"cpu".to_vec()),
				models: BoundedVec::truncate_from(vec![0]),
				commission: Perbill::from_percent(5),
			}),
		));
	}
	calls
}

/// The account of signer `index`.
fn account(index: usize) -> AccountId {
	ACCOUNTS
		.get(index.checked_rem(ACCOUNTS.len()).unwrap_or(0))
		.unwrap_or(&Sr25519Keyring::Alice)
		.to_account_id()
}

/// An amount around the thresholds that matter (existential deposit, minimum bond and
/// delegation, a share of an endowment) or anything at all.
fn amount(rng: &mut Rng) -> Balance {
	match rng.below(8) {
		0 => 0,
		1 => deai_runtime::EXISTENTIAL_DEPOSIT.saturating_sub(1),
		2 => 10 * DEAI,
		3 => 1_000 * DEAI,
		4 => u128::from(rng.below(1_000)).saturating_add(1_000).saturating_mul(DEAI),
		5 => u128::from(rng.below(1_000_000)).saturating_mul(DEAI),
		6 => Balance::MAX,
		_ => rng.next_u64() as u128,
	}
}

/// An id in `0..=next` (mostly existing, sometimes the next one, rarely far away).
fn id(rng: &mut Rng, next: u64) -> u64 {
	if rng.chance(5) {
		rng.next_u64()
	} else {
		rng.below(next.saturating_add(1))
	}
}

fn model_id(rng: &mut Rng) -> u64 {
	id(rng, pallet_model_registry::NextModelId::<Runtime>::get())
}

fn job_id(rng: &mut Rng) -> u64 {
	id(rng, pallet_inference::NextJobId::<Runtime>::get())
}

fn dataset_id(rng: &mut Rng) -> u64 {
	id(rng, pallet_data_rewards::NextDatasetId::<Runtime>::get())
}

fn perbill(rng: &mut Rng) -> Perbill {
	Perbill::from_percent(rng.pick(&[0, 1, 10, 25, 50, 60, 100]))
}

fn lookup(rng: &mut Rng) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(account(rng.below(ACCOUNTS.len() as u64) as usize))
}

/// A call that `signer` sends next, drawn from every DeAI pallet and balances.
pub fn random_call(rng: &mut Rng, signer: usize) -> RuntimeCall {
	// A third of the time, the signer does its duty as a worker, if it has one.
	if rng.chance(35) {
		if let Some(call) = duty_call(rng, signer) {
			return call;
		}
	}
	if rng.chance(12) {
		if let Some(call) = attack_call(rng, signer) {
			return call;
		}
	}
	match rng.below(5) {
		0 => balances_call(rng),
		1 => registry_call(rng),
		2 => data_call(rng),
		3 => staking_call(rng, signer),
		_ => {
			if rng.chance(80) {
				inference_call(rng)
			} else {
				governance_call(rng)
			}
		},
	}
}

fn balances_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_balances::Call;
	let dest = lookup(rng);
	RuntimeCall::Balances(match rng.below(10) {
		0..=5 => Call::transfer_keep_alive { dest, value: amount(rng) },
		6..=8 => Call::transfer_allow_death { dest, value: amount(rng) },
		_ => Call::transfer_all { dest, keep_alive: rng.chance(50) },
	})
}

fn model_params(rng: &mut Rng) -> Box<pallet_model_registry::ModelParams<Runtime>> {
	let dataset = dataset_id(rng);
	Box::new(pallet_model_registry::ModelParams {
		name: bounded(rng, 1, 40),
		version: one_of(rng, VERSIONS),
		artifact_hash: rng.hash(),
		uris: BoundedVec::truncate_from(vec![one_of(rng, URIS)]),
		framework: pallet_model_registry::Framework::Safetensors,
		license: one_of(rng, LICENCES),
		input_spec: InputSpec { kind: InputKind::Text, max_len: rng.pick(&[0, 64, 4096]) },
		output_spec: rng.pick(&[
			OutputSpec::Exact,
			OutputSpec::QuantizedF32 { decimals: 4 },
			OutputSpec::QuantizedF32 { decimals: 9 },
			OutputSpec::TopK { k: 3 },
			OutputSpec::TopK { k: 0 },
		]),
		price: rng.pick(&[0, DEAI, 2 * DEAI, 1_000 * DEAI]),
		royalty: perbill(rng),
		parent: if rng.chance(20) { Some(model_id(rng)) } else { None },
		datasets: if rng.chance(40) {
			BoundedVec::truncate_from(vec![(dataset, perbill(rng))])
		} else {
			BoundedVec::new()
		},
	})
}

fn registry_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_model_registry::Call;
	let model = model_id(rng);
	RuntimeCall::ModelRegistry(match rng.below(11) {
		0..=2 => Call::register { params: model_params(rng) },
		3 => Call::publish_version { predecessor: model, params: model_params(rng) },
		4 => Call::update_metadata {
			model,
			uris: None,
			price: Some(rng.pick(&[0, DEAI, 5 * DEAI])),
			royalty: Some(perbill(rng)),
		},
		5 => Call::deprecate { model },
		6 => Call::offer_transfer { model, new_owner: lookup(rng) },
		7 => Call::cancel_transfer { model },
		8 => Call::accept_transfer { model },
		9 => Call::remove { model },
		_ => match rng.below(3) {
			0 => Call::retire { model, reason: bounded(rng, 8, 8) },
			1 => Call::restore { model },
			_ => Call::set_max_royalty { max_royalty: perbill(rng) },
		},
	})
}

fn data_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_data_rewards::Call;
	let dataset = dataset_id(rng);
	let contribution = id(rng, pallet_data_rewards::NextContributionId::<Runtime>::get());
	RuntimeCall::DataRewards(match rng.below(13) {
		0 | 1 => Call::create_dataset {
			name: bounded(rng, 1, 30),
			content_hash: H256(rng.hash()),
			uri: bounded(rng, 0, 40),
			licence: bounded(rng, 0, 10),
			schema_hash: H256(rng.hash()),
		},
		2 => Call::update_dataset {
			dataset,
			content_hash: H256(rng.hash()),
			uri: bounded(rng, 10, 10),
			schema_hash: H256(rng.hash()),
		},
		3 => Call::set_dataset_status {
			dataset,
			status: rng.pick(&[
				pallet_data_rewards::DatasetStatus::Open,
				pallet_data_rewards::DatasetStatus::Closed,
			]),
		},
		4 => Call::remove_dataset { dataset },
		5 | 6 => Call::submit_contribution {
			dataset,
			content_hash: H256(rng.hash()),
			uri: bounded(rng, 12, 12),
			size: rng.next_u64(),
			weight: rng.pick(&[0, 1, 100, u32::MAX]),
		},
		7 => Call::withdraw_contribution { contribution },
		8 => Call::accept_contribution { contribution, quality: rng.pick(&[0, 1, 50, 100, 255]) },
		9 => Call::reject_contribution { contribution, reason: bounded(rng, 6, 6) },
		10 => Call::claim { dataset },
		11 => Call::top_up { dataset, amount: amount(rng) },
		_ => {
			if rng.chance(50) {
				Call::add_curator { curator: account(rng.below(8) as usize) }
			} else {
				Call::remove_curator { curator: account(rng.below(8) as usize) }
			}
		},
	})
}

fn served_models(
	rng: &mut Rng,
) -> BoundedVec<u64, <Runtime as pallet_compute_staking::Config>::MaxModelsPerWorker> {
	let count = rng.below(4);
	BoundedVec::truncate_from((0..count).map(|_| model_id(rng)).collect())
}

fn staking_call(rng: &mut Rng, signer: usize) -> RuntimeCall {
	use pallet_compute_staking::Call;
	let key = if rng.chance(85) {
		// The worker attests with its own account key, so its reveals can be signed.
		ACCOUNTS.get(signer).map(|k| k.public()).unwrap_or(sr25519::Public::from_raw([0; 32]))
	} else {
		sr25519::Public::from_raw(rng.hash())
	};
	RuntimeCall::ComputeStaking(match rng.below(18) {
		0..=3 => Call::register_worker {
			bond: rng.pick(&[999 * DEAI, 1_000 * DEAI, 2_000 * DEAI, 50_000 * DEAI]),
			attestation_key: key,
			metadata: bounded(rng, 0, 30),
			capabilities: bounded(rng, 0, 10),
			models: served_models(rng),
			commission: perbill(rng),
		},
		4 => Call::bond_extra { amount: amount(rng) },
		5 => Call::unbond { amount: amount(rng) },
		6 => Call::withdraw_unbonded {},
		7 => Call::deregister {},
		8 | 9 => Call::heartbeat {},
		10 => Call::go_idle {},
		11 => Call::resume {},
		12 => Call::rotate_attestation_key { new_key: key },
		13 => Call::set_served_models { models: served_models(rng) },
		14 => Call::set_commission { commission: perbill(rng) },
		15 => Call::delegate { worker: lookup(rng), amount: amount(rng) },
		16 => Call::undelegate { worker: lookup(rng), amount: amount(rng) },
		_ => match rng.below(3) {
			0 => Call::withdraw_undelegated { worker: lookup(rng) },
			1 => Call::take_slot { model: model_id(rng), member: account(rng.below(8) as usize) },
			_ => Call::set_metadata {
				metadata: bounded(rng, 5, 5),
				capabilities: bounded(rng, 5, 5),
			},
		},
	})
}

fn inference_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_inference::Call;
	let job = job_id(rng);
	RuntimeCall::Inference(match rng.below(10) {
		0..=4 => {
			let verification = rng.pick(&[
				Verification::Optimistic,
				Verification::Quorum { replicas: 1, threshold: 1 },
				Verification::Quorum { replicas: 2, threshold: 2 },
				Verification::Quorum { replicas: 3, threshold: 2 },
				Verification::Quorum { replicas: 3, threshold: 4 },
				Verification::Quorum { replicas: 9, threshold: 5 },
			]);
			let now = System::block_number();
			let input = if rng.chance(85) {
				pallet_inference::Payload::Inline(bounded(rng, 0, 64))
			} else {
				pallet_inference::Payload::Reference { uri: bounded(rng, 20, 20), hash: rng.hash() }
			};
			let model = if rng.chance(70) { 0 } else { model_id(rng) };
			let quote = pallet_inference::Pallet::<Runtime>::quote(model, verification);
			let max_fee = match quote {
				Some(quote) if rng.chance(85) => quote.saturating_mul(rng.pick(&[1, 1, 2])),
				_ => rng.pick(&[0, DEAI, 10 * DEAI, 100_000 * DEAI]),
			};
			Call::submit_job {
				model,
				input,
				verification,
				max_fee,
				deadline: now
					.saturating_add(rng.pick(&[0, 5, 25, 40, 60, 100, 100, 1_000, 100_000])),
			}
		},
		5 => Call::cancel_job { job },
		6 => Call::commit_result { job, commitment: rng.hash() },
		7 => Call::challenge_result { job },
		8 => Call::advance { job },
		_ => Call::prune_result { job },
	})
}

/// A deliberate attack on the verification economics by `signer` (see the crate docs), or
/// `None` when the state offers no target for the one drawn.
pub fn attack_call(rng: &mut Rng, signer: usize) -> Option<RuntimeCall> {
	use pallet_inference::{Call, Jobs, Payload, Stage};
	let who = account(signer);
	let now = System::block_number();
	let one = Verification::Quorum { replicas: 1, threshold: 1 };
	Some(match rng.below(5) {
		// A flood of the cheapest valid jobs, to fill the queue.
		0 => RuntimeCall::Inference(Call::submit_job {
			model: 0,
			input: Payload::Inline(BoundedVec::truncate_from(b"flood".to_vec())),
			verification: one,
			max_fee: pallet_inference::Pallet::<Runtime>::quote(0, one)?,
			deadline: now.saturating_add(60),
		}),
		// An input nobody can answer (a reference to nothing).
		1 => {
			let verification = rng.pick(&[Verification::Quorum { replicas: 3, threshold: 2 }, one]);
			RuntimeCall::Inference(Call::submit_job {
				model: 0,
				input: Payload::Reference {
					uri: BoundedVec::truncate_from(b"ipfs://nothing-here".to_vec()),
					hash: rng.hash(),
				},
				verification,
				max_fee: pallet_inference::Pallet::<Runtime>::quote(0, verification)?,
				deadline: now.saturating_add(60),
			})
		},
		// A vote that freezes nearly all of the signer's free balance; a job or a bond paid
		// from it must then fail.
		2 => {
			use pallet_governance::{Conviction, Vote, VoteKind};
			let free = System::account(&who).data.free;
			let index = pallet_governance::Pallet::<Runtime>::open_proposals().first()?.index;
			RuntimeCall::Governance(pallet_governance::Call::vote {
				index,
				vote: Vote {
					kind: VoteKind::Aye,
					balance: free.saturating_sub(rng.pick(&[DEAI, 10 * DEAI, 100 * DEAI])),
					conviction: Conviction::Locked4x,
				},
			})
		},
		// A challenge of an optimistic result by another account of the same operator.
		3 => {
			let job = Jobs::<Runtime>::iter()
				.find(|(_, job)| job.challenge.is_none() && job.stage(now) == Stage::Challengeable)
				.map(|(id, _)| id)?;
			RuntimeCall::Inference(Call::challenge_result { job })
		},
		// Cancel one of its own jobs (to resubmit it and draw again).
		_ => {
			let job =
				Jobs::<Runtime>::iter().find(|(_, job)| job.submitter == who).map(|(id, _)| id)?;
			RuntimeCall::Inference(Call::cancel_job { job })
		},
	})
}

fn governance_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_governance::{Call, Conviction, TrackKind, Vote, VoteKind};
	let index = rng.below(4) as u32;
	let vote = Vote {
		kind: rng.pick(&[VoteKind::Aye, VoteKind::Nay, VoteKind::Abstain]),
		balance: amount(rng),
		conviction: rng.pick(&[Conviction::None, Conviction::Locked2x, Conviction::Locked4x]),
	};
	RuntimeCall::Governance(match rng.below(8) {
		0 | 1 => {
			let (track, call) = match rng.below(4) {
				0 => (
					TrackKind::Parameters,
					RuntimeCall::Inference(pallet_inference::Call::set_params {
						params: pallet_inference::Params::<Runtime>::get(),
					}),
				),
				1 => (
					TrackKind::Treasury,
					RuntimeCall::Governance(Call::grant {
						beneficiary: lookup(rng),
						amount: amount(rng),
						purpose_hash: H256(rng.hash()),
					}),
				),
				2 => (
					TrackKind::Curation,
					RuntimeCall::DataRewards(pallet_data_rewards::Call::add_curator {
						curator: account(rng.below(8) as usize),
					}),
				),
				// An emergency cancellation (sometimes of something else: refused).
				_ => (
					TrackKind::Emergency,
					if rng.chance(80) {
						RuntimeCall::Governance(Call::cancel { index })
					} else {
						RuntimeCall::System(frame_system::Call::remark { remark: Vec::new() })
					},
				),
			};
			Call::propose {
				track,
				call: Box::new(call),
				title: bounded(rng, 1, 20),
				description_hash: H256(rng.hash()),
			}
		},
		2 | 3 => Call::vote { index, vote },
		4 => Call::change_vote { index, vote },
		5 => Call::remove_vote { index },
		6 => match rng.below(3) {
			0 => Call::unlock { target: lookup(rng) },
			1 => Call::close { index },
			_ => {
				Call::enact { index, max_weight: polkadot_sdk::frame_support::weights::Weight::MAX }
			},
		},
		_ => {
			let grant = rng.below(3) as u32;
			if rng.chance(50) {
				Call::claim_grant { id: grant }
			} else {
				Call::cancel_grant { id: grant }
			}
		},
	})
}

/// The output a worker reports for a job: mostly the honest one (the same for every
/// worker), sometimes a dissenting one.
fn output_for(rng: &mut Rng, job: u64) -> Vec<u8> {
	let honest = rng.chance(85);
	let mut output = job.encode();
	output.push(u8::from(!honest));
	output
}

/// The salt worker `signer` uses for `job` (deterministic, so the reveal can match).
fn salt_for(job: u64, signer: usize) -> [u8; 32] {
	polkadot_sdk::sp_io::hashing::blake2_256(&(b"deai-fuzz-salt", job, signer as u64).encode())
}

/// A commit or reveal that is valid for one of `signer`'s assigned jobs, if it has any.
fn duty_call(rng: &mut Rng, signer: usize) -> Option<RuntimeCall> {
	use pallet_inference::Call;
	let who = account(signer);
	let duties: Vec<_> = pallet_inference::Pallet::<Runtime>::worker_jobs(who.clone())
		.into_iter()
		.filter(|d| matches!(d.duty, WorkerDuty::Commit | WorkerDuty::Reveal))
		.collect();
	if duties.is_empty() {
		return None;
	}
	let duty = rng.pick(&duties);
	let input = pallet_inference::Pallet::<Runtime>::job_input(duty.job)?;
	// The output is fixed per (job, signer) so the commitment and the reveal agree. An
	// input by reference is never fetched here: it is unanswerable, and mostly answered so.
	let mut draw = Rng::new(duty.job ^ ((signer as u64) << 32));
	let output = if input.inline.is_none() && draw.chance(80) {
		deai_primitives::inference::UNANSWERABLE_OUTPUT.to_vec()
	} else {
		output_for(&mut draw, duty.job)
	};
	let output_hash = content_hash(&output);
	let salt = salt_for(duty.job, signer);
	Some(RuntimeCall::Inference(match duty.duty {
		WorkerDuty::Commit => Call::commit_result {
			job: duty.job,
			commitment: commitment(duty.job, &who, &output_hash, &salt),
		},
		_ => {
			let attested = AttestedResult {
				genesis_hash: pallet_inference::Pallet::<Runtime>::genesis_hash(),
				job_id: duty.job,
				model_hash: input.model_hash,
				input_hash: input.input_hash,
				output_hash,
				worker: who.clone(),
			};
			let pair = ACCOUNTS.get(signer).map(|k| k.pair())?;
			let signature = pair.sign(&attested.signing_payload());
			Call::reveal_result {
				job: duty.job,
				output: pallet_inference::Payload::Inline(BoundedVec::truncate_from(output)),
				salt,
				signature,
			}
		},
	}))
}

/// Storage as key/value pairs.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// What [`check_snapshot`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotReport {
	/// Storage entries in the snapshot.
	pub keys: usize,
	/// The block number the snapshot was taken at.
	pub number: BlockNumber,
	/// The weight the runtime-upgrade hooks declared.
	pub upgrade_weight: polkadot_sdk::frame_support::weights::Weight,
}

/// The try-runtime checks on a state snapshot (`pairs`: every top-level key and value of a
/// chain at one block, `:code` included), run on this runtime natively:
/// `Executive::try_runtime_upgrade` with every check (each pallet's `pre_upgrade`,
/// `on_runtime_upgrade`, `post_upgrade`, the decoding of the entire state and every
/// pallet's `try_state`), twice, and the second run must not change the state the first
/// left (the migrations are idempotent).
pub fn check_snapshot(pairs: Pairs) -> Result<SnapshotReport, String> {
	use polkadot_sdk::{frame_support::traits::UpgradeCheckSelect, sp_runtime::StateVersion};

	let keys = pairs.len();
	let code = pairs
		.iter()
		.find(|(key, _)| key.as_slice() == b":code")
		.map(|(_, value)| value.clone())
		.ok_or("the snapshot has no :code")?;
	if pairs.iter().any(|(key, _)| key.starts_with(b":child_storage:")) {
		return Err("the snapshot has child tries, which DeAI never writes".into());
	}
	let storage =
		Storage { top: pairs.into_iter().collect(), children_default: Default::default() };
	let mut ext = TestExternalities::new_with_code(&code, storage);
	let number = ext.execute_with(System::block_number);
	let mut upgrade = || -> Result<(H256, polkadot_sdk::frame_support::weights::Weight), String> {
		let weight = ext.execute_with(|| {
			catch_unwind(AssertUnwindSafe(|| {
				Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			}))
			.map_err(|panic| format!("the runtime upgrade panicked: {}", text(&panic)))?
			.map_err(|e| format!("try_runtime_upgrade: {e:?}"))
		})?;
		ext.commit_all().map_err(|e| format!("committing the state: {e}"))?;
		let root = ext.execute_with(|| {
			H256::from_slice(&polkadot_sdk::sp_io::storage::root(StateVersion::V1))
		});
		Ok((root, weight))
	};
	let (first, upgrade_weight) = upgrade()?;
	let (second, _) = upgrade()?;
	if first != second {
		return Err(format!(
			"the migrations are not idempotent: a second run changed the state root from \
			 {first:?} to {second:?}"
		));
	}
	ext.execute_with(|| {
		<AllPalletsWithSystem as TryState<BlockNumber>>::try_state(number, TryStateSelect::All)
			.map_err(|e| format!("try_state: {e:?}"))
	})?;
	Ok(SnapshotReport { keys, number, upgrade_weight })
}

/// Reads a snapshot file written by `e2e/tools/snapshot.js` (`{"pairs": [["0x…", "0x…"],
/// …]}`, every top-level key and value of a chain at one block).
pub fn read_snapshot(path: &std::path::Path) -> Result<Pairs, String> {
	fn hex(text: &str) -> Result<Vec<u8>, String> {
		let digits = text.strip_prefix("0x").unwrap_or(text);
		if !digits.len().is_multiple_of(2) {
			return Err(format!("odd-length hex {text:.20}…"));
		}
		(0..digits.len())
			.step_by(2)
			.map(|i| {
				digits
					.get(i..i.saturating_add(2))
					.and_then(|pair| u8::from_str_radix(pair, 16).ok())
					.ok_or_else(|| format!("not hex: {text:.20}…"))
			})
			.collect()
	}
	let text = std::fs::read_to_string(path)
		.map_err(|e| format!("cannot read the snapshot {}: {e}", path.display()))?;
	let json: serde_json::Value = serde_json::from_str(&text)
		.map_err(|e| format!("the snapshot {} is not JSON: {e}", path.display()))?;
	let pairs = json
		.get("pairs")
		.and_then(|p| p.as_array())
		.ok_or_else(|| format!("the snapshot {} has no \"pairs\" array", path.display()))?;
	pairs
		.iter()
		.map(|pair| match pair.as_array().map(|p| p.as_slice()) {
			Some([key, value]) => match (key.as_str(), value.as_str()) {
				(Some(key), Some(value)) => Ok((hex(key)?, hex(value)?)),
				_ => Err("a snapshot pair is not two hex strings".to_string()),
			},
			_ => Err("a snapshot entry is not a [key, value] pair".to_string()),
		})
		.collect()
}

//! A test runtime: System, Balances and the inference pallet, with models, workers, data
//! royalties and randomness that tests control and whose effects tests can assert on.

// Test code: an overflow panics and fails the test, which is what a test should do.
#![allow(clippy::arithmetic_side_effects)]

use crate as pallet_inference;
use crate::*;
use alloc::collections::{BTreeMap, BTreeSet};
use codec::Encode;
use core::cell::RefCell;
use deai_primitives::{
	data::DatasetId,
	inference::blake2_256,
	model::{InputKind, InputSpec, ModelInfo, ModelStatus, OutputSpec},
	staking::{AttestationKey, SlashOutcome, SlashPayee},
};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{tokens::Preservation, ConstU32, ConstU64, Hooks},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_core::{sr25519, Pair, H256},
	sp_io::TestExternalities,
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{traits::IdentityLookup, BuildStorage, DispatchError},
};

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are `u128`, wide enough to hold a pallet account id.
pub type AccountId = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Inference: pallet_inference,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	// Tests stand in for a governance vote lock with a freeze of their own.
	type FreezeIdentifier = u8;
	type MaxFreezes = ConstU32<1>;
}

/// The freeze id tests use to play a governance vote lock.
pub const VOTE_LOCK: u8 = 1;

/// A worker known to the mock staking.
#[derive(Clone, Debug)]
pub struct MockWorker {
	/// Its attestation key.
	pub key: AttestationKey,
	/// Its stake (slashes reduce it).
	pub stake: u64,
	/// The models it serves.
	pub models: BTreeSet<ModelId>,
	/// Whether it is online and bonded enough.
	pub online: bool,
}

/// A reward paid through the mock staking.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RewardRecord {
	/// The account that paid.
	pub payer: AccountId,
	/// The worker.
	pub worker: AccountId,
	/// The amount.
	pub amount: u64,
	/// The job.
	pub job: JobId,
}

/// A slash made through the mock staking.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SlashRecord {
	/// The worker.
	pub worker: AccountId,
	/// The fraction of its stake.
	pub fraction: Perbill,
	/// Why.
	pub reason: SlashReason,
	/// The job given as evidence.
	pub job: JobId,
	/// The stake the worker was drawn with.
	pub backing: u64,
	/// Who receives part of the slash, with its cost and share.
	pub payee: Option<SlashPayee<AccountId, u64>>,
	/// The amount slashed.
	pub amount: u64,
	/// What the payee received.
	pub to_payee: u64,
}

thread_local! {
	static MODELS: RefCell<BTreeMap<ModelId, ModelInfo<AccountId, u64>>> =
		const { RefCell::new(BTreeMap::new()) };
	static LINEAGE: RefCell<BTreeMap<ModelId, Vec<(DatasetId, Perbill)>>> =
		const { RefCell::new(BTreeMap::new()) };
	static WORKERS: RefCell<BTreeMap<AccountId, MockWorker>> = const { RefCell::new(BTreeMap::new()) };
	static REWARDS: RefCell<Vec<RewardRecord>> = const { RefCell::new(Vec::new()) };
	static SLASHES: RefCell<Vec<SlashRecord>> = const { RefCell::new(Vec::new()) };
	static ROYALTIES: RefCell<Vec<(AccountId, u64)>> = const { RefCell::new(Vec::new()) };
	static ROYALTY_FAILS: RefCell<bool> = const { RefCell::new(false) };
}

/// The registered models.
pub struct MockModels;
impl MockModels {
	/// Registers (or replaces) `model`.
	pub fn insert(
		model: ModelId,
		info: ModelInfo<AccountId, u64>,
		lineage: Vec<(DatasetId, Perbill)>,
	) {
		MODELS.with(|models| models.borrow_mut().insert(model, info));
		LINEAGE.with(|map| map.borrow_mut().insert(model, lineage));
	}

	/// Changes the status of `model`.
	pub fn set_status(model: ModelId, status: ModelStatus) {
		MODELS.with(|models| {
			if let Some(info) = models.borrow_mut().get_mut(&model) {
				info.status = status;
			}
		});
	}
}
impl ModelInspect<AccountId, u64> for MockModels {
	fn model_info(model: ModelId) -> Option<ModelInfo<AccountId, u64>> {
		MODELS.with(|models| models.borrow().get(&model).cloned())
	}
	fn training_datasets(model: ModelId) -> Vec<(DatasetId, Perbill)> {
		LINEAGE.with(|map| map.borrow().get(&model).cloned().unwrap_or_default())
	}
	fn latest_active_version(family: ModelId) -> Option<ModelId> {
		Some(family)
	}
}

/// Compute staking: registered workers, stake-weighted draws, recorded rewards and slashes.
pub struct MockStaking;
impl MockStaking {
	/// Registers `worker` for `model` with `key` and `stake`.
	pub fn register(worker: AccountId, model: ModelId, key: AttestationKey, stake: u64) {
		WORKERS.with(|workers| {
			let mut workers = workers.borrow_mut();
			let entry = workers.entry(worker).or_insert(MockWorker {
				key,
				stake,
				models: BTreeSet::new(),
				online: true,
			});
			entry.key = key;
			entry.stake = stake;
			entry.models.insert(model);
		});
	}

	/// Takes `worker` offline (not eligible) or back online.
	pub fn set_online(worker: AccountId, online: bool) {
		WORKERS.with(|workers| {
			if let Some(entry) = workers.borrow_mut().get_mut(&worker) {
				entry.online = online;
			}
		});
	}

	/// Forgets `worker`'s attestation key (by deregistering it).
	pub fn deregister(worker: AccountId) {
		WORKERS.with(|workers| workers.borrow_mut().remove(&worker));
	}

	/// The rewards paid so far.
	pub fn rewards() -> Vec<RewardRecord> {
		REWARDS.with(|rewards| rewards.borrow().clone())
	}

	/// The slashes made so far.
	pub fn slashes() -> Vec<SlashRecord> {
		SLASHES.with(|slashes| slashes.borrow().clone())
	}

	/// The stake of `worker`.
	pub fn stake(worker: AccountId) -> u64 {
		WORKERS.with(|workers| workers.borrow().get(&worker).map_or(0, |w| w.stake))
	}

	fn eligible(model: ModelId) -> Vec<(AccountId, u64)> {
		WORKERS.with(|workers| {
			workers
				.borrow()
				.iter()
				.filter(|(_, w)| w.online && w.models.contains(&model) && w.stake > 0)
				.map(|(account, w)| (*account, w.stake))
				.collect()
		})
	}
}
impl WorkerStaking<AccountId, u64> for MockStaking {
	fn eligible_count(model: ModelId) -> u32 {
		Self::eligible(model).len() as u32
	}

	fn is_eligible(worker: &AccountId, model: ModelId) -> bool {
		Self::eligible(model).iter().any(|(account, _)| account == worker)
	}

	fn select_workers(
		model: ModelId,
		count: u32,
		seed: &[u8; 32],
		exclude: &[AccountId],
	) -> Result<Vec<AccountId>, DispatchError> {
		let mut candidates: Vec<(AccountId, u64)> =
			Self::eligible(model).into_iter().filter(|(w, _)| !exclude.contains(w)).collect();
		if candidates.len() < count as usize {
			return Err(DispatchError::Other("not enough workers"));
		}
		let mut drawn = Vec::new();
		for i in 0..count {
			let total: u64 = candidates.iter().map(|(_, stake)| stake).sum();
			let random = blake2_256(&(seed, i).encode());
			let mut point = u64::from_le_bytes(random[..8].try_into().unwrap()) % total;
			let index = candidates
				.iter()
				.position(|(_, stake)| {
					if point < *stake {
						true
					} else {
						point -= stake;
						false
					}
				})
				.unwrap();
			drawn.push(candidates.remove(index).0);
		}
		Ok(drawn)
	}

	fn select_workers_weight(_count: u32) -> Weight {
		Weight::zero()
	}

	fn backing(worker: &AccountId) -> u64 {
		WORKERS.with(|workers| {
			workers.borrow().get(worker).filter(|w| w.online).map_or(0, |w| w.stake)
		})
	}

	fn min_bond() -> u64 {
		MIN_BOND
	}

	fn attestation_key(worker: &AccountId) -> Option<AttestationKey> {
		WORKERS.with(|workers| workers.borrow().get(worker).map(|w| w.key))
	}

	fn reward(
		payer: &AccountId,
		worker: &AccountId,
		amount: u64,
		job: JobId,
	) -> Result<u64, DispatchError> {
		<Balances as Mutate<AccountId>>::transfer(payer, worker, amount, Preservation::Expendable)?;
		REWARDS.with(|rewards| {
			rewards.borrow_mut().push(RewardRecord { payer: *payer, worker: *worker, amount, job })
		});
		Ok(amount)
	}

	fn reward_weight() -> Weight {
		Weight::zero()
	}

	/// Like compute staking, without delegators: the penalty is `fraction` of at most
	/// `backing`; a payee's cost and share come out of the same stake, and what the payee
	/// gets is moved from the worker's free balance to it (the mock keeps stake as a number).
	fn slash(
		worker: &AccountId,
		fraction: Perbill,
		backing: u64,
		reason: SlashReason,
		job: JobId,
		payee: Option<SlashPayee<AccountId, u64>>,
	) -> SlashOutcome<u64> {
		let (amount, to_payee) = WORKERS.with(|workers| {
			let mut workers = workers.borrow_mut();
			match workers.get_mut(worker) {
				Some(entry) => {
					let penalty = fraction * backing.min(entry.stake);
					let (cost, share) =
						payee.as_ref().map_or((0, Perbill::zero()), |p| (p.cost, p.share));
					let taken = penalty + cost.min(entry.stake - penalty);
					entry.stake -= taken;
					(taken, (cost + share * penalty).min(taken))
				},
				None => (0, 0),
			}
		});
		if let Some(payee) = &payee {
			if to_payee > 0 {
				<Balances as Mutate<AccountId>>::transfer(
					worker,
					&payee.account,
					to_payee,
					Preservation::Expendable,
				)
				.unwrap();
			}
		}
		SLASHES.with(|slashes| {
			slashes.borrow_mut().push(SlashRecord {
				worker: *worker,
				fraction,
				reason,
				job,
				backing,
				payee: payee.clone(),
				amount,
				to_payee,
			})
		});
		SlashOutcome { amount, from_worker: amount, from_delegators: 0, to_payee }
	}

	fn slash_weight() -> Weight {
		Weight::zero()
	}
}

/// Data royalties: moves what it credits from the payer to [`DATA_POT`] and records it.
pub struct MockRoyalty;
impl MockRoyalty {
	/// The royalties paid so far: `(payer, amount)`.
	pub fn paid() -> Vec<(AccountId, u64)> {
		ROYALTIES.with(|paid| paid.borrow().clone())
	}

	/// Makes the next payments fail.
	pub fn set_failing(failing: bool) {
		ROYALTY_FAILS.with(|fails| *fails.borrow_mut() = failing);
	}
}
impl DataRoyalty<AccountId, u64> for MockRoyalty {
	fn pay_royalty(
		payer: &AccountId,
		lineage: &[(DatasetId, Perbill)],
		amount: u64,
	) -> Result<u64, DispatchError> {
		if ROYALTY_FAILS.with(|fails| *fails.borrow()) {
			return Err(DispatchError::Other("royalty refused"));
		}
		let credited: u64 = lineage.iter().map(|(_, weight)| *weight * amount).sum();
		if credited > 0 {
			<Balances as Mutate<AccountId>>::transfer(
				payer,
				&DATA_POT,
				credited,
				Preservation::Expendable,
			)?;
			ROYALTIES.with(|paid| paid.borrow_mut().push((*payer, credited)));
		}
		Ok(credited)
	}

	fn pay_royalty_weight(_datasets: u32) -> Weight {
		Weight::zero()
	}
}

parameter_types! {
	/// What [`MockRandomness`] says its value is known since; `None`: the current block.
	pub static RandomnessKnownSince: Option<u64> = None;
}

/// Randomness: a hash of the subject, the block number and the parent hash, known since
/// the current block unless a test sets [`RandomnessKnownSince`].
pub struct MockRandomness;
impl Randomness<H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let block = System::block_number();
		let known_since = RandomnessKnownSince::get().unwrap_or(block);
		(H256(blake2_256(&(subject, block, System::parent_hash()).encode())), known_since)
	}
}

/// Creates models and workers for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId, u64> for MockBenchmarkHelper {
	fn create_model(owner: &AccountId, price: u64) -> ModelId {
		let model = 1_000;
		let datasets = <Test as Config>::MaxTrainingDatasets::get();
		let lineage =
			(0..datasets).map(|i| (u64::from(i), Perbill::from_rational(1, datasets))).collect();
		let mut info = model_info(*owner, price);
		info.input_spec.max_len = u32::MAX;
		MockModels::insert(model, info, lineage);
		model
	}

	fn register_worker(worker: &AccountId, model: ModelId, key: AttestationKey) {
		MockStaking::register(*worker, model, key, 1_000);
	}
}

parameter_types! {
	/// The escrow account's id.
	pub const InferencePalletId: PalletId = PalletId(*b"deai/inf");
	/// The treasury.
	pub const Treasury: AccountId = TREASURY;
}

impl pallet_inference::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = MockModels;
	type Staking = MockStaking;
	type DataRoyalty = MockRoyalty;
	type Randomness = MockRandomness;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type TreasuryAccount = Treasury;
	type PalletId = InferencePalletId;
	type JobDepositBase = ConstU64<10>;
	type JobDepositPerByte = ConstU64<1>;
	type QueueFee = ConstU64<2>;
	type MaxQueuedPerAccount = ConstU32<3>;
	type MaxInputLen = ConstU32<64>;
	type MaxOutputLen = ConstU32<64>;
	type MaxUriLen = ConstU32<32>;
	type MaxReplicas = ConstU32<5>;
	type ChallengeReplicas = ConstU32<3>;
	type MaxOpenJobsPerWorker = ConstU32<3>;
	type MaxQueuedJobs = ConstU32<4>;
	type MaxAssignmentsPerBlock = ConstU32<2>;
	type AssignmentDelay = ConstU64<1>;
	type MaxPhasePeriod = ConstU64<50>;
	type MaxJobDuration = ConstU64<100>;
	type ResultRetention = ConstU64<20>;
	type MaxTrainingDatasets = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// The submitter of most jobs.
pub const ALICE: AccountId = 1;
/// Another submitter.
pub const BOB: AccountId = 2;
/// The model owner.
pub const OWNER: AccountId = 3;
/// An account that cannot afford a job.
pub const POOR: AccountId = 4;
/// The treasury.
pub const TREASURY: AccountId = 500;
/// Where the mock data royalty sends its credits.
pub const DATA_POT: AccountId = 999;
/// The workers registered by default, all serving [`MODEL`].
pub const WORKERS_DEFAULT: [AccountId; 5] = [11, 12, 13, 14, 15];
/// The starting balance of the rich accounts.
pub const RICH: u64 = 1_000_000;
/// The starting balance of a worker.
pub const WORKER_BALANCE: u64 = 10_000;
/// The model of most tests: price 100, royalty 20 %, two datasets.
pub const MODEL: ModelId = 7;
/// Its price.
pub const PRICE: u64 = 100;
/// The protocol fee at genesis.
pub const PROTOCOL_FEE: u64 = 5;
/// The minimum worker bond the mock staking reports.
pub const MIN_BOND: u64 = 1_000;

/// The genesis parameters of the tests.
pub fn test_params() -> ParamsOf<Test> {
	ProtocolParams {
		protocol_fee: PROTOCOL_FEE,
		data_share: Perbill::from_percent(10),
		treasury_share: Perbill::from_percent(10),
		commit_period: 5,
		reveal_period: 5,
		challenge_period: 10,
		wrong_result_slash: Perbill::from_percent(10),
		timeout_slash: Perbill::from_percent(5),
		challenge_slash: Perbill::from_percent(20),
		challenge_reward: Perbill::from_percent(50),
	}
}

/// An active text model of `owner` with `price` and a 20 % royalty.
pub fn model_info(owner: AccountId, price: u64) -> ModelInfo<AccountId, u64> {
	ModelInfo {
		owner,
		family: MODEL,
		parent: None,
		status: ModelStatus::Active,
		artifact_hash: [0xAA; 32],
		input_spec: InputSpec { kind: InputKind::Text, max_len: 32 },
		output_spec: OutputSpec::Exact,
		price,
		royalty: Perbill::from_percent(20),
	}
}

/// The attestation key pair of worker `worker` in the tests.
pub fn worker_pair(worker: AccountId) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[worker as u8; 32])
}

/// Registers `worker` for [`MODEL`] with its test key and a stake of 1 000.
pub fn add_worker(worker: AccountId) {
	MockStaking::register(worker, MODEL, worker_pair(worker).public(), 1_000);
}

/// Builds test externalities.
pub struct ExtBuilder {
	workers: Vec<AccountId>,
	params: ParamsOf<Test>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		ExtBuilder { workers: WORKERS_DEFAULT.to_vec(), params: test_params() }
	}
}

impl ExtBuilder {
	/// Registers these workers instead of the default three.
	pub fn workers(mut self, workers: &[AccountId]) -> Self {
		self.workers = workers.to_vec();
		self
	}

	/// Uses these genesis parameters.
	pub fn params(mut self, params: ParamsOf<Test>) -> Self {
		self.params = params;
		self
	}

	/// The externalities, at block 1.
	pub fn build(self) -> TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances = alloc::vec![
			(ALICE, RICH),
			(BOB, RICH),
			(OWNER, 1_000),
			(POOR, 50),
			(TREASURY, 1_000),
			(DATA_POT, 1_000),
		];
		balances.extend((11..=20).map(|worker| (worker, WORKER_BALANCE)));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_inference::GenesisConfig::<Test> { params: self.params }
			.assimilate_storage(&mut storage)
			.unwrap();

		MODELS.with(|models| models.borrow_mut().clear());
		LINEAGE.with(|map| map.borrow_mut().clear());
		WORKERS.with(|workers| workers.borrow_mut().clear());
		REWARDS.with(|rewards| rewards.borrow_mut().clear());
		SLASHES.with(|slashes| slashes.borrow_mut().clear());
		ROYALTIES.with(|paid| paid.borrow_mut().clear());
		ROYALTY_FAILS.with(|fails| *fails.borrow_mut() = false);
		MockModels::insert(
			MODEL,
			model_info(OWNER, PRICE),
			alloc::vec![(1, Perbill::from_percent(60)), (2, Perbill::from_percent(40))],
		);
		for worker in &self.workers {
			add_worker(*worker);
		}

		let mut ext = TestExternalities::new(storage);
		ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Inference::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Moves to block `n`, running the pallet's `on_initialize` in every block on the way.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Inference::on_initialize(next);
	}
}

/// The free balance of `who`.
pub fn free(who: AccountId) -> u64 {
	Balances::free_balance(who)
}

/// Default externalities (for the benchmark tests).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder::default().workers(&[]).build()
}

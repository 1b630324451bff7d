//! A test runtime: System, Balances and the inference pallet, with models, workers, data
//! royalties and randomness that tests control and whose effects tests can assert on. System,
//! Balances, the models and the workers (with the real stake-weighted draw) come from the
//! test kit.

// Test code: an overflow panics and fails the test, which is what a test should do.
#![allow(clippy::arithmetic_side_effects)]

use crate as pallet_inference;
use crate::*;
use codec::Encode;
use core::cell::RefCell;
use deai_primitives::{
	data::DatasetId,
	inference::blake2_256,
	model::{InputKind, InputSpec, ModelInfo, ModelStatus, OutputSpec},
};
use deai_test_kit::prelude::*;
use polkadot_sdk::{
	frame_support::traits::{tokens::Preservation, ConstU64, Hooks},
	sp_core::{sr25519, Pair, H256},
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::DispatchError,
};

/// Accounts are `u128`, wide enough to hold a pallet account id.
pub type AccountId = u128;

deai_test_kit::mock_runtime! {
	runtime: Test,
	account: AccountId,
	balance: u64,
	existential_deposit: polkadot_sdk::frame_support::traits::ConstU64<1>,
	pallets: { Inference: pallet_inference },
}

pub use deai_test_kit::VOTE_LOCK;

/// The models: the test kit's mock registry.
pub type MockModels = deai_test_kit::models::MockModels<AccountId, u64>;
/// Compute staking: the test kit's mock, whose draw is the real stake-weighted draw.
pub type MockStaking = deai_test_kit::staking::MockStaking<AccountId, Balances, MinBond>;
/// A slash recorded by [`MockStaking`].
pub type SlashRecord = deai_test_kit::staking::SlashRecord<AccountId>;

parameter_types! {
	/// The minimum worker bond the mock staking reports.
	pub const MinBond: u64 = MIN_BOND;
}

/// The ref time [`MockRoyalty`] declares for a royalty payment, whatever its lineage.
pub const ROYALTY_BASE_REF_TIME: u64 = 5_000;
/// The ref time [`MockRoyalty`] declares per dataset of the lineage paid over.
pub const ROYALTY_PER_DATASET_REF_TIME: u64 = 3_000;

thread_local! {
	static ROYALTIES: RefCell<Vec<(AccountId, u64)>> = const { RefCell::new(Vec::new()) };
	static ROYALTY_FAILS: RefCell<bool> = const { RefCell::new(false) };
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

	fn pay_royalty_weight(datasets: u32) -> Weight {
		Weight::from_parts(
			ROYALTY_BASE_REF_TIME + ROYALTY_PER_DATASET_REF_TIME * u64::from(datasets),
			0,
		)
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

	fn register_worker(
		worker: &AccountId,
		model: ModelId,
		key: deai_primitives::staking::AttestationKey,
	) {
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
	type ParamsOrigin = EnsureRoot<AccountId>;
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
		let mut balances = alloc::vec![
			(ALICE, RICH),
			(BOB, RICH),
			(OWNER, 1_000),
			(POOR, 50),
			(TREASURY, 1_000),
			(DATA_POT, 1_000),
		];
		balances.extend((11..=20).map(|worker| (worker, WORKER_BALANCE)));
		let mut storage = deai_test_kit::genesis::<Test>(balances);
		pallet_inference::GenesisConfig::<Test> { params: self.params }
			.assimilate_storage(&mut storage)
			.unwrap();

		MockModels::clear();
		MockStaking::clear();
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
		deai_test_kit::execute_and_check(self.build(), test, Inference::do_try_state);
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

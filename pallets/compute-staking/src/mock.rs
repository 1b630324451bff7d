//! A test runtime: System, Balances and compute staking, with models and pending jobs that
//! tests control.

use crate as pallet_compute_staking;
use alloc::collections::{BTreeMap, BTreeSet};
use core::cell::RefCell;
use deai_primitives::{
	data::DatasetId,
	model::{InputKind, InputSpec, ModelId, ModelInfo, ModelInspect, ModelStatus, OutputSpec},
	staking::PendingJobs,
};
use polkadot_sdk::{
	frame_support::{self, derive_impl, parameter_types, traits::ConstU32, PalletId},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, Perbill},
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ComputeStaking: pallet_compute_staking,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
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

thread_local! {
	/// The models that exist, with their status.
	static MODELS: RefCell<BTreeMap<ModelId, ModelStatus>> = const { RefCell::new(BTreeMap::new()) };
	/// The workers with unsettled jobs.
	static PENDING: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
}

/// Models exist when a test (or the benchmark helper) says so.
pub struct MockModels;
impl MockModels {
	/// Makes `model` exist with `status`.
	pub fn set(model: ModelId, status: ModelStatus) {
		MODELS.with(|models| models.borrow_mut().insert(model, status));
	}
}
impl ModelInspect<u64, u64> for MockModels {
	fn model_info(model: ModelId) -> Option<ModelInfo<u64, u64>> {
		let status = MODELS.with(|models| models.borrow().get(&model).copied())?;
		Some(ModelInfo {
			owner: 0,
			family: model,
			parent: None,
			status,
			artifact_hash: [0; 32],
			input_spec: InputSpec { kind: InputKind::Text, max_len: 1 },
			output_spec: OutputSpec::Exact,
			price: 1,
			royalty: Perbill::zero(),
		})
	}

	fn training_datasets(_model: ModelId) -> alloc::vec::Vec<(DatasetId, Perbill)> {
		alloc::vec::Vec::new()
	}

	fn latest_active_version(family: ModelId) -> Option<ModelId> {
		Self::is_active(family).then_some(family)
	}
}

/// Workers have pending jobs when a test says so.
pub struct MockPendingJobs;
impl MockPendingJobs {
	/// Marks `worker` as having unsettled jobs, or not.
	pub fn set(worker: u64, pending: bool) {
		PENDING.with(|set| {
			if pending {
				set.borrow_mut().insert(worker);
			} else {
				set.borrow_mut().remove(&worker);
			}
		});
	}
}
impl PendingJobs<u64> for MockPendingJobs {
	fn has_pending_jobs(worker: &u64) -> bool {
		PENDING.with(|set| set.borrow().contains(worker))
	}
}

/// Makes models `1000..1000 + count` exist and be active, for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper for MockBenchmarkHelper {
	fn active_models(count: u32) -> alloc::vec::Vec<ModelId> {
		(1_000..1_000u64.saturating_add(u64::from(count)))
			.inspect(|id| MockModels::set(*id, ModelStatus::Active))
			.collect()
	}
}

/// The treasury: where slashes without a beneficiary go.
pub const TREASURY: u64 = 99;

parameter_types! {
	/// The id of the delegation pot.
	pub const StakingPalletId: PalletId = PalletId(*b"deai/stk");
	/// The slash destination.
	pub const Treasury: u64 = TREASURY;
}

/// Blocks between two free heartbeats.
pub const HEARTBEAT_INTERVAL: u64 = 10;
/// Blocks without a heartbeat after which a worker is offline.
pub const OFFLINE_AFTER: u64 = 30;
/// Blocks unbonding stake waits.
pub const UNBONDING_PERIOD: u64 = 50;

impl pallet_compute_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = MockModels;
	type PendingJobs = MockPendingJobs;
	type GovernanceOrigin = EnsureRoot<u64>;
	type SlashDestination = Treasury;
	type PalletId = StakingPalletId;
	type MaxModelsPerWorker = ConstU32<3>;
	type MaxMetadataLen = ConstU32<32>;
	type MaxCapabilitiesLen = ConstU32<16>;
	type MaxDelegationsPerPage = ConstU32<4>;
	type MaxUnbondingChunks = ConstU32<3>;
	type MaxWorkersPerModel = ConstU32<8>;
	type MaxOffencesKept = ConstU32<2>;
	type HeartbeatInterval = frame_support::traits::ConstU64<HEARTBEAT_INTERVAL>;
	type OfflineAfter = frame_support::traits::ConstU64<OFFLINE_AFTER>;
	type UnbondingPeriod = frame_support::traits::ConstU64<UNBONDING_PERIOD>;
	type MaxJobLifetime = frame_support::traits::ConstU64<40>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Workers (accounts 1 to 9) and delegators (11 to 19) are rich.
pub const RICH: u64 = 1_000_000;
/// An account that can pay a deposit but not a bond.
pub const POOR: u64 = 20;
/// The inference escrow paying rewards.
pub const ESCROW: u64 = 30;

/// The genesis minimum worker bond.
pub const MIN_BOND: u64 = 100;
/// The genesis minimum delegation.
pub const MIN_DELEGATION: u64 = 10;
/// The genesis registration deposit.
pub const DEPOSIT: u64 = 50;
/// The genesis commission maximum.
pub const MAX_COMMISSION: Perbill = Perbill::from_percent(50);

/// The models that exist at genesis: 1, 2 and 3 are active, 4 is retired.
pub const ACTIVE_MODELS: [ModelId; 3] = [1, 2, 3];
/// A retired model.
pub const RETIRED_MODEL: ModelId = 4;

/// Builds test externalities.
pub struct ExtBuilder {
	parameters: crate::StakingParameters<u64>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		ExtBuilder {
			parameters: crate::StakingParameters {
				min_worker_bond: MIN_BOND,
				min_delegation: MIN_DELEGATION,
				registration_deposit: DEPOSIT,
				max_commission: MAX_COMMISSION,
			},
		}
	}
}

impl ExtBuilder {
	/// Sets the genesis registration deposit.
	pub fn registration_deposit(mut self, deposit: u64) -> Self {
		self.parameters.registration_deposit = deposit;
		self
	}

	/// The externalities, at block 1.
	pub fn build(self) -> TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: alloc::vec::Vec<(u64, u64)> =
			(1..10).chain(11..20).map(|who| (who, RICH)).collect();
		balances.extend([(POOR, 80), (ESCROW, RICH), (TREASURY, 1)]);
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_compute_staking::GenesisConfig::<Test> {
			min_worker_bond: self.parameters.min_worker_bond,
			min_delegation: self.parameters.min_delegation,
			registration_deposit: self.parameters.registration_deposit,
			max_commission: self.parameters.max_commission,
		}
		.assimilate_storage(&mut storage)
		.unwrap();

		MODELS.with(|models| {
			let mut models = models.borrow_mut();
			models.clear();
			models.extend(ACTIVE_MODELS.map(|model| (model, ModelStatus::Active)));
			models.insert(RETIRED_MODEL, ModelStatus::Retired);
		});
		PENDING.with(|set| set.borrow_mut().clear());
		let mut ext = TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			ComputeStaking::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Default externalities (for the benchmark tests).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder::default().build()
}

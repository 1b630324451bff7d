//! A test runtime: System, Balances and compute staking, with models and pending jobs that
//! tests control.

use crate as pallet_compute_staking;
use alloc::collections::BTreeSet;
use core::cell::RefCell;
use deai_primitives::{
	model::{ModelId, ModelStatus},
	staking::PendingJobs,
};
use deai_test_kit::prelude::*;
use polkadot_sdk::frame_support;

deai_test_kit::mock_runtime! {
	runtime: Test,
	account: u64,
	balance: u64,
	existential_deposit: polkadot_sdk::frame_support::traits::ConstU64<1>,
	pallets: { ComputeStaking: pallet_compute_staking },
}

pub use deai_test_kit::VOTE_LOCK;

/// The models: the test kit's mock registry.
pub type MockModels = deai_test_kit::models::MockModels<u64, u64>;

thread_local! {
	/// The workers with unsettled jobs.
	static PENDING: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
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
	type ParamsOrigin = EnsureRoot<u64>;
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
	params: crate::StakingParams<u64>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		ExtBuilder {
			params: crate::StakingParams {
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
		self.params.registration_deposit = deposit;
		self
	}

	/// The externalities, at block 1.
	pub fn build(self) -> TestExternalities {
		let mut balances: alloc::vec::Vec<(u64, u64)> =
			(1..10).chain(11..20).map(|who| (who, RICH)).collect();
		balances.extend([(POOR, 80), (ESCROW, RICH), (TREASURY, 1)]);
		let mut storage = deai_test_kit::genesis::<Test>(balances);
		pallet_compute_staking::GenesisConfig::<Test> {
			min_worker_bond: self.params.min_worker_bond,
			min_delegation: self.params.min_delegation,
			registration_deposit: self.params.registration_deposit,
			max_commission: self.params.max_commission,
		}
		.assimilate_storage(&mut storage)
		.unwrap();

		MockModels::clear();
		for model in ACTIVE_MODELS {
			MockModels::set(model, ModelStatus::Active);
		}
		MockModels::set(RETIRED_MODEL, ModelStatus::Retired);
		PENDING.with(|set| set.borrow_mut().clear());
		deai_test_kit::externalities::<Test>(storage)
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		deai_test_kit::execute_and_check(self.build(), test, ComputeStaking::do_try_state);
	}
}

/// Default externalities (for the benchmark tests).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder::default().build()
}

//! A test runtime: System, Balances and the model registry, with datasets and model usage
//! that tests control.

use crate as pallet_model_registry;
use alloc::collections::BTreeSet;
use core::cell::RefCell;
use deai_primitives::{
	data::{DatasetId, DatasetInspect},
	model::{ModelId, ModelUsage},
};
use deai_test_kit::prelude::*;

deai_test_kit::mock_runtime! {
	runtime: Test,
	account: u64,
	balance: u64,
	existential_deposit: polkadot_sdk::frame_support::traits::ConstU64<1>,
	pallets: { ModelRegistry: pallet_model_registry },
}

pub use deai_test_kit::VOTE_LOCK;

thread_local! {
	/// The datasets that exist.
	static DATASETS: RefCell<BTreeSet<DatasetId>> = const { RefCell::new(BTreeSet::new()) };
	/// The models a job references.
	static MODELS_IN_USE: RefCell<BTreeSet<ModelId>> = const { RefCell::new(BTreeSet::new()) };
}

/// Datasets exist when a test (or the benchmark helper) says so.
pub struct MockDatasets;
impl MockDatasets {
	/// Makes `dataset` exist.
	pub fn add(dataset: DatasetId) {
		DATASETS.with(|set| set.borrow_mut().insert(dataset));
	}
}
impl DatasetInspect for MockDatasets {
	fn dataset_exists(dataset: DatasetId) -> bool {
		DATASETS.with(|set| set.borrow().contains(&dataset))
	}
}

/// Models are in use when a test says so.
pub struct MockUsage;
impl MockUsage {
	/// Marks `model` as referenced by a job, or not.
	pub fn set_in_use(model: ModelId, in_use: bool) {
		MODELS_IN_USE.with(|set| {
			if in_use {
				set.borrow_mut().insert(model);
			} else {
				set.borrow_mut().remove(&model);
			}
		});
	}
}
impl ModelUsage for MockUsage {
	fn is_model_in_use(model: ModelId) -> bool {
		MODELS_IN_USE.with(|set| set.borrow().contains(&model))
	}
}

/// Creates datasets `1000..1000 + count` for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper for MockBenchmarkHelper {
	fn datasets(count: u32) -> alloc::vec::Vec<DatasetId> {
		(1_000..1_000u64.saturating_add(u64::from(count)))
			.inspect(|id| MockDatasets::add(*id))
			.collect()
	}
}

parameter_types! {
	/// The fixed part of a deposit.
	pub const DepositBase: u64 = 100;
	/// The deposit per byte.
	pub const DepositPerByte: u64 = 1;
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = MockDatasets;
	type ModelUsage = MockUsage;
	type CurationOrigin = EnsureRoot<u64>;
	type ParamsOrigin = EnsureRoot<u64>;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxNameLen = ConstU32<32>;
	type MaxVersionLen = ConstU32<16>;
	type MaxUriLen = ConstU32<64>;
	type MaxUris = ConstU32<3>;
	type MaxLicenseLen = ConstU32<32>;
	type MaxDatasets = ConstU32<4>;
	type MaxVersionsPerFamily = ConstU32<3>;
	type MaxReasonLen = ConstU32<32>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Alice, Bob and Charlie are rich; Poor can pay fees but no deposit.
pub const ALICE: u64 = 1;
/// A second owner.
pub const BOB: u64 = 2;
/// A third account.
pub const CHARLIE: u64 = 3;
/// An account that cannot afford a deposit.
pub const POOR: u64 = 4;
/// The starting balance of the rich accounts.
pub const RICH: u64 = 1_000_000;

/// The datasets that exist at genesis.
pub const GENESIS_DATASETS: [DatasetId; 3] = [1, 2, 3];

/// Builds test externalities.
pub struct ExtBuilder {
	max_royalty: Perbill,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		ExtBuilder { max_royalty: crate::DEFAULT_MAX_ROYALTY }
	}
}

impl ExtBuilder {
	/// Sets the genesis royalty maximum.
	pub fn max_royalty(mut self, max_royalty: Perbill) -> Self {
		self.max_royalty = max_royalty;
		self
	}

	/// The externalities, at block 1.
	pub fn build(self) -> TestExternalities {
		let mut storage = deai_test_kit::genesis::<Test>(alloc::vec![
			(ALICE, RICH),
			(BOB, RICH),
			(CHARLIE, RICH),
			(POOR, 120)
		]);
		pallet_model_registry::GenesisConfig::<Test> {
			max_royalty: self.max_royalty,
			_config: Default::default(),
		}
		.assimilate_storage(&mut storage)
		.unwrap();

		DATASETS.with(|set| *set.borrow_mut() = GENESIS_DATASETS.into_iter().collect());
		MODELS_IN_USE.with(|set| set.borrow_mut().clear());
		deai_test_kit::externalities::<Test>(storage)
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		deai_test_kit::execute_and_check(self.build(), test, ModelRegistry::do_try_state);
	}
}

/// Default externalities (for the benchmark tests).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder::default().build()
}

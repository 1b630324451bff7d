//! A test runtime with balances and the data-rewards pallet (System and Balances from the
//! test kit).

use crate as pallet_data_rewards;
use deai_test_kit::prelude::*;
use polkadot_sdk::frame_support::traits::ConstU128;

/// Accounts are `u128` so that the pallet id fits in an account id.
pub type AccountId = u128;
/// Balances, as in the runtime.
pub type Balance = u128;

/// The existential deposit of the mock.
pub const ED: Balance = 10;

deai_test_kit::mock_runtime! {
	runtime: Test,
	account: AccountId,
	balance: Balance,
	existential_deposit: ConstU128<ED>,
	pallets: { DataRewards: pallet_data_rewards },
}

pub use deai_test_kit::VOTE_LOCK;

/// The base deposit of a dataset.
pub const DATASET_DEPOSIT: Balance = 100;
/// The base deposit of a contribution.
pub const CONTRIBUTION_DEPOSIT: Balance = 20;
/// The deposit per byte.
pub const DEPOSIT_PER_BYTE: Balance = 1;
/// The most contributions pending per account.
pub const MAX_PENDING_PER_ACCOUNT: u32 = 3;
/// The most contributions pending per dataset.
pub const MAX_PENDING_PER_DATASET: u32 = 4;
/// The most contributors per dataset.
pub const MAX_CONTRIBUTORS: u32 = 5;
/// The most curators.
pub const MAX_CURATORS: u32 = 3;
/// The highest declared weight.
pub const MAX_WEIGHT: u32 = 1_000_000;

parameter_types! {
	pub const DataRewardsPalletId: PalletId = PalletId(*b"deai/dat");
}

impl pallet_data_rewards::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurationOrigin = EnsureRoot<AccountId>;
	type PalletId = DataRewardsPalletId;
	type DatasetDeposit = ConstU128<DATASET_DEPOSIT>;
	type ContributionDeposit = ConstU128<CONTRIBUTION_DEPOSIT>;
	type DepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type MaxNameLen = ConstU32<16>;
	type MaxUriLen = ConstU32<32>;
	type MaxLicenseLen = ConstU32<16>;
	type MaxReasonLen = ConstU32<32>;
	type MaxContributionWeight = ConstU32<MAX_WEIGHT>;
	type MaxPendingPerAccount = ConstU32<MAX_PENDING_PER_ACCOUNT>;
	type MaxPendingPerDataset = ConstU32<MAX_PENDING_PER_DATASET>;
	type MaxContributorsPerDataset = ConstU32<MAX_CONTRIBUTORS>;
	type MaxCurators = ConstU32<MAX_CURATORS>;
	type WeightInfo = ();
}

/// Dataset owner.
pub const ALICE: AccountId = 1;
/// Contributor.
pub const BOB: AccountId = 2;
/// Contributor.
pub const CHARLIE: AccountId = 3;
/// Contributor.
pub const DAVE: AccountId = 4;
/// Curator at genesis.
pub const CURATOR: AccountId = 10;
/// Pays royalties (stands for the inference pallet).
pub const PAYER: AccountId = 20;
/// An account without funds.
pub const POOR: AccountId = 99;

/// The balance every funded account starts with.
pub const INITIAL: Balance = 1_000_000_000_000;

/// Builds the genesis state of a test.
pub struct ExtBuilder {
	curators: Vec<AccountId>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { curators: vec![CURATOR] }
	}
}

impl ExtBuilder {
	/// Starts without curators.
	pub fn no_curators(mut self) -> Self {
		self.curators.clear();
		self
	}

	/// The test externalities, at block 1.
	pub fn build(self) -> TestExternalities {
		let funded = [ALICE, BOB, CHARLIE, DAVE, CURATOR, PAYER, 5, 6, 7, 8];
		let mut storage =
			deai_test_kit::genesis::<Test>(funded.iter().map(|who| (*who, INITIAL)).collect());
		pallet_data_rewards::GenesisConfig::<Test> { curators: self.curators }
			.assimilate_storage(&mut storage)
			.unwrap();
		deai_test_kit::externalities::<Test>(storage)
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		deai_test_kit::execute_and_check(self.build(), test, DataRewards::do_try_state);
	}
}

/// The externalities the benchmarks run in.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder::default().build()
}

//! A test runtime with balances and the data-rewards pallet.

use crate as pallet_data_rewards;
use polkadot_sdk::{
	frame_support::{
		construct_runtime, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32},
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{traits::IdentityLookup, BuildStorage},
};

/// Accounts are `u128` so that the pallet id fits in an account id.
pub type AccountId = u128;
/// Balances, as in the runtime.
pub type Balance = u128;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		DataRewards: pallet_data_rewards,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

/// The existential deposit of the mock.
pub const ED: Balance = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
	// Tests stand in for a governance vote lock with a freeze of their own.
	type FreezeIdentifier = u8;
	type MaxFreezes = ConstU32<1>;
}

/// The freeze id tests use to play a governance vote lock.
pub const VOTE_LOCK: u8 = 1;

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
	type CuratorOrigin = EnsureRoot<AccountId>;
	type PalletId = DataRewardsPalletId;
	type DatasetDeposit = ConstU128<DATASET_DEPOSIT>;
	type ContributionDeposit = ConstU128<CONTRIBUTION_DEPOSIT>;
	type DepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type MaxNameLen = ConstU32<16>;
	type MaxUriLen = ConstU32<32>;
	type MaxLicenceLen = ConstU32<16>;
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
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let funded = [ALICE, BOB, CHARLIE, DAVE, CURATOR, PAYER, 5, 6, 7, 8];
		pallet_balances::GenesisConfig::<Test> {
			balances: funded.iter().map(|who| (*who, INITIAL)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_data_rewards::GenesisConfig::<Test> { curators: self.curators }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			DataRewards::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// The externalities the benchmarks run in.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder::default().build()
}

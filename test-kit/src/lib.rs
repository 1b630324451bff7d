//! What the DeAI pallets' mock runtimes share, so that each `mock.rs` says only what is
//! particular to its pallet.
//!
//! - [`mock_runtime!`]: the test runtime with System, Balances and the pallets under test,
//!   System and Balances configured alike everywhere (a freeze of the tests' own,
//!   [`VOTE_LOCK`], stands in for a governance vote lock).
//! - [`genesis`], [`externalities`] and [`execute_and_check`]: the externalities builder's
//!   pieces; [`execute_and_check`] runs a test and then the pallet's `try_state` invariants,
//!   so that no test can leave the pallet in a state the chain must never be in.
//! - [`models::MockModels`]: one mock model registry (the `ModelInspect` side) for every
//!   pallet that reads models.
//! - [`staking::MockStaking`]: one mock compute staking (the `WorkerStaking` side) whose
//!   draw is the real stake-weighted draw of `deai_primitives::staking::weighted_draw`.
//!
//! The mocks keep their state in thread-locals that [`externalities`]' callers reset, so
//! tests (one per thread) never see each other's models or workers.

// Test code only: a panic here fails the test that caused it, which is what a test wants.
#![allow(clippy::expect_used, clippy::arithmetic_side_effects)]

pub mod models;
pub mod staking;

pub use polkadot_sdk;

use polkadot_sdk::{
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, Storage, TryRuntimeError},
};

/// What every mock imports: the names [`mock_runtime!`] needs in scope (`derive_impl`,
/// `frame_system`, `pallet_balances`) and the pieces most mocks' configurations and
/// externalities builders use (`use deai_test_kit::prelude::*;`).
pub mod prelude {
	pub use polkadot_sdk::{
		frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId},
		frame_system::{self, EnsureRoot},
		pallet_balances,
		sp_io::TestExternalities,
		sp_runtime::{BuildStorage, Perbill},
	};
}

/// The freeze id tests use to play a governance vote lock.
pub const VOTE_LOCK: u8 = 1;

/// Declares the test runtime `$runtime` with System, Balances and `$pallets` (each a pallet
/// crate or module in scope, by name), and configures
/// System and Balances for it: accounts of type `$account`, balances of type `$balance` with
/// the existential deposit `$ed`. Freezes: by default one per account with a `u8` id (tests
/// stand in for a governance vote lock with [`VOTE_LOCK`]); a pallet that freezes funds
/// itself names `freeze_identifier` (its `RuntimeFreezeReason`) and `max_freezes`.
///
/// The calling module must have `frame_system`, `pallet_balances` and `derive_impl` in scope
/// (`use deai_test_kit::prelude::*;` brings them), and its
/// crate must depend on `scale-info` and have a `std` feature, as every pallet crate does.
#[macro_export]
macro_rules! mock_runtime {
	(
		runtime: $runtime:ident,
		account: $account:ty,
		balance: $balance:ty,
		existential_deposit: $ed:ty,
		pallets: { $($name:ident: $pallet:ident),* $(,)? } $(,)?
	) => {
		$crate::mock_runtime! {
			runtime: $runtime,
			account: $account,
			balance: $balance,
			existential_deposit: $ed,
			freeze_identifier: u8,
			max_freezes: $crate::polkadot_sdk::frame_support::traits::ConstU32<1>,
			pallets: { $($name: $pallet),* },
		}
	};
	(
		runtime: $runtime:ident,
		account: $account:ty,
		balance: $balance:ty,
		existential_deposit: $ed:ty,
		freeze_identifier: $freeze:ty,
		max_freezes: $max_freezes:ty,
		pallets: { $($name:ident: $pallet:ident),* $(,)? } $(,)?
	) => {
		type Block = frame_system::mocking::MockBlock<$runtime>;

		$crate::polkadot_sdk::frame_support::construct_runtime!(
			pub enum $runtime {
				System: frame_system,
				Balances: pallet_balances,
				$($name: $pallet,)*
			}
		);

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
		impl frame_system::Config for $runtime {
			type Block = Block;
			type AccountId = $account;
			type Lookup = $crate::polkadot_sdk::sp_runtime::traits::IdentityLookup<$account>;
			type AccountData = pallet_balances::AccountData<$balance>;
		}

		#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
		impl pallet_balances::Config for $runtime {
			type Balance = $balance;
			type ExistentialDeposit = $ed;
			type AccountStore = System;
			type FreezeIdentifier = $freeze;
			type MaxFreezes = $max_freezes;
		}
	};
}

/// The genesis storage of System and Balances, with `balances` endowed. Pallets add their own
/// genesis to it with `assimilate_storage`.
pub fn genesis<T: pallet_balances::Config>(balances: Vec<(T::AccountId, T::Balance)>) -> Storage {
	let mut storage = frame_system::GenesisConfig::<T>::default()
		.build_storage()
		.expect("the system genesis of a mock builds");
	pallet_balances::GenesisConfig::<T> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.expect("the balances genesis of a mock builds");
	storage
}

/// The externalities of `storage`, at block 1 (events are only kept from block 1 on).
pub fn externalities<T: frame_system::Config>(storage: Storage) -> TestExternalities {
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| frame_system::Pallet::<T>::set_block_number(1u32.into()));
	ext
}

/// Runs `test` in `ext`, then `invariants` (the pallet's `do_try_state`): a test that leaves
/// the pallet in a state its invariants forbid fails, whatever it asserted.
pub fn execute_and_check(
	mut ext: TestExternalities,
	test: impl FnOnce(),
	invariants: impl FnOnce() -> Result<(), TryRuntimeError>,
) {
	ext.execute_with(|| {
		test();
		if let Err(error) = invariants() {
			panic!("the pallet's invariants are broken after the test: {error:?}");
		}
	});
}

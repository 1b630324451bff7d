//! `pallet_balances`: the DEAI token.

use crate::{
	Balance, Runtime, RuntimeFreezeReason, RuntimeHoldReason, System, EXISTENTIAL_DEPOSIT,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	pallet_balances,
};

parameter_types! {
	/// The smallest balance an account may hold; see [`EXISTENTIAL_DEPOSIT`].
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	/// Dust of reaped accounts is burned.
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	/// Holds (stakes, deposits, escrowed fees) are named by the pallets that place them.
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Freezes (governance vote locks) are named by the pallets that place them.
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<8>;
	type DoneSlashHandler = ();
}

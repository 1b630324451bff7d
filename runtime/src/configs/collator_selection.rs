//! `pallet_collator_selection`: invulnerable collators plus bonded candidates.

use super::session::SessionPeriod;
use crate::{AccountId, Balances, Runtime, Session};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32, PalletId},
	frame_system::{self, EnsureRoot},
	pallet_collator_selection,
};

parameter_types! {
	/// The account that collects transaction fees and pays collators.
	pub const PotId: PalletId = PalletId(*b"deai/pot");
}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Currency = Balances;
	/// Root (sudo on the dev chain, governance once it exists) manages the collator set.
	type UpdateOrigin = EnsureRoot<AccountId>;
	type PotId = PotId;
	type MaxCandidates = ConstU32<100>;
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = ConstU32<20>;
	/// A candidate that authored nothing for a whole session is kicked.
	type KickThreshold = SessionPeriod;
	type ValidatorId = <Self as frame_system::Config>::AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = pallet_collator_selection::weights::SubstrateWeight<Runtime>;
}

//! `pallet_session`: collator sessions and their keys.

use crate::{Balances, CollatorSelection, Runtime, SessionKeys, HOURS};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU128},
	frame_system, pallet_collator_selection, pallet_session,
	sp_runtime::traits::OpaqueKeys,
};

parameter_types! {
	/// A session lasts six hours.
	pub const SessionPeriod: u32 = 6 * HOURS;
	/// Sessions start at block 0.
	pub const SessionOffset: u32 = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type ValidatorId = <Self as frame_system::Config>::AccountId;
	/// A collator is its own account (no stash/controller split).
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = CollatorSelection;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Collator candidates already bond through collator selection; keys cost nothing more.
	type KeyDeposit = ConstU128<0>;
}

//! `pallet_sudo`: a superuser for the development chain only.
//!
//! The pallet is present in every build, but only the `development` genesis preset sets a
//! sudo key. On `local_testnet` (and any production spec) the key is empty, so no account
//! can use it: privileged calls belong to governance.

use crate::{Runtime, RuntimeCall};
use polkadot_sdk::pallet_sudo;

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

//! `pallet_sudo`: a superuser for the development chain only.
//!
//! The pallet is compiled in only with the `dev-sudo` feature, which the node's embedded
//! runtime has (its `--dev` chain and the tests need a superuser) and a production Wasm does
//! not. Even where it is compiled in, only the `development` genesis preset sets a key: on
//! `local_testnet` the key is empty, so no account can use it.
//!
//! Why production leaves the pallet out rather than just its key: root may call
//! `sudo.set_key`, so with the pallet present a single Runtime-track proposal could make one
//! account a permanent superuser, outside every later vote. Without the pallet, a superuser
//! could only come back with a whole new runtime, voted on like any other code.

use crate::{Runtime, RuntimeCall};
use polkadot_sdk::pallet_sudo;

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

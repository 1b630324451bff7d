//! The chain specs built into `deai-node`.
//!
//! | `--chain`          | spec                                                          |
//! |--------------------|---------------------------------------------------------------|
//! | `dev` (`--dev`)    | `development` preset: one collator (Alice), sudo Alice        |
//! | `local`            | `local_testnet` preset: collators Alice and Bob, no sudo      |
//! | anything else      | a chain spec JSON file at that path                           |
//!
//! The built-in specs are made from the runtime Wasm compiled into this binary, so they
//! always match it. `scripts/chain-specs.sh` writes them to `chain-specs/`.

use deai_primitives::currency::{SS58_FORMAT, TOKEN_DECIMALS, TOKEN_SYMBOL};
use deai_runtime::genesis_config_presets::PARA_ID;
use polkadot_omni_node_lib::chain_spec::{
	ChainSpec, DiskChainSpecLoader, Extensions, GenericChainSpec, LoadSpec,
};
use polkadot_sdk::{
	sc_chain_spec::{ChainType, Properties},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};

/// The relay chain the built-in specs name (zombienet's local relay chain).
const LOCAL_RELAY_CHAIN: &str = "rococo-local";

/// Loads the built-in DeAI specs by id, and any other spec from a file.
pub struct DeaiChainSpecLoader;

impl LoadSpec for DeaiChainSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		match id {
			"" | "dev" | "development" => Ok(Box::new(development_chain_spec()?)),
			"local" | "local_testnet" => Ok(Box::new(local_testnet_chain_spec()?)),
			path => DiskChainSpecLoader.load_spec(path).map_err(|e| {
				format!(
					"`{path}` is neither a built-in chain (dev, local) nor a readable chain \
					spec file: {e}"
				)
			}),
		}
	}
}

/// The token properties wallets read from the chain spec.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_FORMAT.into());
	properties
}

/// The runtime Wasm compiled into this binary.
fn wasm_binary() -> Result<&'static [u8], String> {
	deai_runtime::WASM_BINARY.ok_or_else(|| {
		"this deai-node was built without the runtime Wasm (SKIP_WASM_BUILD was set); \
		rebuild it without SKIP_WASM_BUILD"
			.to_string()
	})
}

/// The development chain: `deai-node --dev`.
pub fn development_chain_spec() -> Result<GenericChainSpec, String> {
	Ok(GenericChainSpec::builder(
		wasm_binary()?,
		Extensions::new(LOCAL_RELAY_CHAIN.into(), PARA_ID),
	)
	.with_name("DeAI Development")
	.with_id("deai_dev")
	.with_chain_type(ChainType::Development)
	.with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
	.with_properties(properties())
	.build())
}

/// The local testnet: two collators on a local relay chain (zombienet).
pub fn local_testnet_chain_spec() -> Result<GenericChainSpec, String> {
	Ok(GenericChainSpec::builder(
		wasm_binary()?,
		Extensions::new(LOCAL_RELAY_CHAIN.into(), PARA_ID),
	)
	.with_name("DeAI Local Testnet")
	.with_id("deai_local")
	.with_chain_type(ChainType::Local)
	.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
	.with_protocol_id("deai-local")
	.with_properties(properties())
	.build())
}

//! Keeps the committed chain specs in `chain-specs/` in step with the runtime.
//!
//! Each committed spec is compared with the one this node builds from its runtime's
//! genesis presets. Everything must match except the runtime code itself: the Wasm embeds
//! the checkout's source paths, so two checkouts of the same commit build different bytes.
//! For the code, the committed blob must be a DeAI runtime of the same `spec_name` and
//! `spec_version` as the one compiled into the node.
//!
//! When this test fails, run `scripts/chain-specs.sh` and commit the result.

use deai_node::chain_spec::{development_chain_spec, local_testnet_chain_spec};
use polkadot_sdk::{
	sc_chain_spec::ChainSpec, sc_executor::read_embedded_version,
	sc_executor_common::runtime_blob::RuntimeBlob,
};
use serde_json::Value;
use std::path::PathBuf;

/// The storage key of the runtime code (`:code`), hex-encoded as in raw chain specs.
const CODE_KEY: &str = "0x3a636f6465";

/// Where the committed specs live.
fn spec_dir() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs")
}

/// Reads and parses a committed spec.
fn committed(name: &str) -> Result<Value, String> {
	let path = spec_dir().join(name);
	let text = std::fs::read_to_string(&path)
		.map_err(|e| format!("cannot read {}: {e}; run scripts/chain-specs.sh", path.display()))?;
	serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Takes the runtime code out of a spec (plain or raw), leaving a placeholder.
fn take_code(spec: &mut Value) -> Result<String, String> {
	let slot = if let Some(code) = spec.pointer_mut("/genesis/runtimeGenesis/code") {
		code
	} else if let Some(code) = spec.pointer_mut(&format!("/genesis/raw/top/{CODE_KEY}")) {
		code
	} else {
		return Err("the spec carries no runtime code".into());
	};
	let code = slot.as_str().ok_or("the runtime code is not a string")?.to_string();
	*slot = Value::String("<runtime code>".into());
	Ok(code)
}

/// The `(spec_name, spec_version)` embedded in a hex-encoded, possibly compressed, runtime.
fn runtime_version(hex_code: &str) -> Result<(String, u32), String> {
	let bytes = hex_code.strip_prefix("0x").ok_or("the runtime code is not 0x-prefixed")?;
	let bytes = bytes
		.as_bytes()
		.chunks(2)
		.map(|pair| {
			std::str::from_utf8(pair)
				.ok()
				.and_then(|pair| u8::from_str_radix(pair, 16).ok())
				.ok_or_else(|| "the runtime code is not valid hex".to_string())
		})
		.collect::<Result<Vec<u8>, String>>()?;
	let blob = RuntimeBlob::uncompress_if_needed(&bytes).map_err(|e| e.to_string())?;
	let version = read_embedded_version(&blob)
		.map_err(|e| e.to_string())?
		.ok_or("the runtime code embeds no version")?;
	Ok((version.spec_name.to_string(), version.spec_version))
}

/// Compares a committed spec with the one built now.
fn check(name: &str, built: &dyn ChainSpec, raw: bool) -> Result<(), String> {
	let mut expected: Value =
		serde_json::from_str(&built.as_json(raw)?).map_err(|e| e.to_string())?;
	let mut actual = committed(name)?;
	let expected_code = take_code(&mut expected)?;
	let actual_code = take_code(&mut actual)?;
	if expected != actual {
		return Err(format!(
			"chain-specs/{name} no longer matches the runtime's genesis presets; \
			run scripts/chain-specs.sh and commit the result"
		));
	}
	let expected_version = runtime_version(&expected_code)?;
	let actual_version = runtime_version(&actual_code)?;
	if expected_version != actual_version {
		return Err(format!(
			"chain-specs/{name} carries runtime {actual_version:?} but the node has \
			{expected_version:?}; run scripts/chain-specs.sh and commit the result"
		));
	}
	Ok(())
}

#[test]
fn committed_dev_spec_matches_the_runtime() -> Result<(), String> {
	check("dev.json", &development_chain_spec()?, false)
}

#[test]
fn committed_local_spec_matches_the_runtime() -> Result<(), String> {
	check("local.json", &local_testnet_chain_spec()?, false)
}

#[test]
fn committed_raw_local_spec_matches_the_runtime() -> Result<(), String> {
	check("local-raw.json", &local_testnet_chain_spec()?, true)
}

#[test]
fn the_runtime_is_deai() -> Result<(), String> {
	let mut spec: Value = serde_json::from_str(&development_chain_spec()?.as_json(false)?)
		.map_err(|e| e.to_string())?;
	let (name, _) = runtime_version(&take_code(&mut spec)?)?;
	assert_eq!(name, "deai");
	assert_eq!(spec["properties"]["tokenSymbol"], "DEAI");
	assert_eq!(spec["properties"]["tokenDecimals"], 12);
	assert_eq!(spec["properties"]["ss58Format"], 42);
	assert_eq!(spec["para_id"], 2000);
	Ok(())
}

#[test]
fn unknown_chain_names_a_clear_error() {
	use polkadot_omni_node_lib::chain_spec::LoadSpec;
	let result = deai_node::chain_spec::DeaiChainSpecLoader.load_spec("no-such-chain.json");
	let Err(message) = result else { panic!("loading a missing spec file succeeded") };
	assert!(message.contains("no-such-chain.json"), "{message}");
	assert!(message.contains("built-in chain"), "{message}");
}

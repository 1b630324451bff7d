//! The genesis presets of the DeAI runtime.
//!
//! - `development` (`--dev`): one collator (Alice), sudo key Alice (in builds with the
//!   `dev-sudo` feature, which have the sudo pallet), dev accounts funded, Alice curates
//!   datasets.
//! - `local_testnet`: two collators (Alice and Bob) for a local relay chain, no sudo key,
//!   Alice and Bob curate datasets.
//!
//! Both cap model royalties at 25 % and set the compute-staking parameters (a worker bonds at
//! least 1,000 DEAI and deposits 100 DEAI; delegations are at least 10 DEAI; commissions are
//! capped at 50 %). The inference protocol parameters are the pallet's defaults, and the
//! treasury, escrow and collator-pot accounts are given their existential deposit.
//!
//! Both use para id 2000. The node's chain specs and the committed files in
//! `chain-specs/` are generated from these presets.

use crate::{
	AccountId, AuraId, Balance, BalancesConfig, CollatorSelectionConfig, ComputeStakingConfig,
	DataRewardsConfig, ModelRegistryConfig, ParachainInfoConfig, PolkadotXcmConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, DEAI, EXISTENTIAL_DEPOSIT,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	cumulus_primitives_core::ParaId,
	frame_support::build_struct_json_patch,
	sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
	sp_runtime::Perbill,
	staging_xcm::prelude::XCM_VERSION,
};

/// The para id of DeAI on local and development relay chains.
pub const PARA_ID: u32 = 2000;

/// What every development account starts with: one million DEAI.
pub const ENDOWMENT: Balance = 1_000_000 * DEAI;

/// The bond a collator candidate places (16 DEAI; invulnerables need none).
pub const CANDIDACY_BOND: Balance = 16 * DEAI;

/// The well-known development accounts funded at genesis.
fn endowed_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The session keys of a collator.
fn session_keys(aura: AuraId) -> SessionKeys {
	SessionKeys { aura }
}

/// The highest royalty rate a model owner may set at genesis.
pub const MAX_MODEL_ROYALTY: Perbill = Perbill::from_percent(25);

/// The smallest own bond of a compute worker at genesis.
pub const MIN_WORKER_BOND: Balance = 1_000 * DEAI;

/// The smallest delegation behind a worker at genesis.
pub const MIN_DELEGATION: Balance = 10 * DEAI;

/// The deposit a worker's registration holds at genesis (the price of an identity).
pub const WORKER_REGISTRATION_DEPOSIT: Balance = 100 * DEAI;

/// The highest commission a worker may take at genesis.
pub const MAX_WORKER_COMMISSION: Perbill = Perbill::from_percent(50);

/// The collators' pot (`collator-selection`'s account), where fees and tips go.
pub fn collator_pot() -> AccountId {
	use polkadot_sdk::sp_runtime::traits::AccountIdConversion;
	crate::configs::collator_selection::PotId::get().into_account_truncating()
}

/// A genesis config with the given collators, funded accounts, sudo key (set only where the
/// runtime has the sudo pallet) and dataset curators.
fn deai_genesis(
	invulnerables: Vec<(AccountId, AuraId)>,
	endowed: Vec<AccountId>,
	root: Option<AccountId>,
	curators: Vec<AccountId>,
	para_id: ParaId,
) -> serde_json::Value {
	let mut patch = build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed
				.iter()
				.cloned()
				.map(|account| (account, ENDOWMENT))
				// The collators' pot exists from genesis: fees paid into it before it held
				// the existential deposit would be burned (found by the runtime fuzzer).
				.chain(core::iter::once((collator_pot(), EXISTENTIAL_DEPOSIT)))
				.collect(),
		},
		parachain_info: ParachainInfoConfig { parachain_id: para_id },
		collator_selection: CollatorSelectionConfig {
			invulnerables: invulnerables.iter().cloned().map(|(account, _)| account).collect(),
			candidacy_bond: CANDIDACY_BOND,
			desired_candidates: 0,
		},
		session: SessionConfig {
			keys: invulnerables
				.into_iter()
				.map(|(account, aura)| (account.clone(), account, session_keys(aura)))
				.collect(),
		},
		polkadot_xcm: PolkadotXcmConfig { safe_xcm_version: Some(XCM_VERSION) },
		model_registry: ModelRegistryConfig { max_royalty: MAX_MODEL_ROYALTY },
		data_rewards: DataRewardsConfig { curators },
		compute_staking: ComputeStakingConfig {
			min_worker_bond: MIN_WORKER_BOND,
			min_delegation: MIN_DELEGATION,
			registration_deposit: WORKER_REGISTRATION_DEPOSIT,
			max_commission: MAX_WORKER_COMMISSION,
		},
	});
	with_sudo_key(&mut patch, root);
	patch
}

/// Adds the sudo key to a genesis patch (a runtime with the sudo pallet).
#[cfg(feature = "dev-sudo")]
fn with_sudo_key(patch: &mut serde_json::Value, root: Option<AccountId>) {
	let sudo =
		build_struct_json_patch!(RuntimeGenesisConfig { sudo: crate::SudoConfig { key: root } });
	if let (Some(patch), Some(sudo)) = (patch.as_object_mut(), sudo.as_object()) {
		patch.extend(sudo.clone());
	}
}

/// A runtime without the sudo pallet has no key to set.
#[cfg(not(feature = "dev-sudo"))]
fn with_sudo_key(_patch: &mut serde_json::Value, _root: Option<AccountId>) {}

/// One collator (Alice), Alice as sudo: a single-node chain for development.
fn development_genesis() -> serde_json::Value {
	deai_genesis(
		vec![(Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Alice.public().into())],
		endowed_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		vec![Sr25519Keyring::Alice.to_account_id()],
		PARA_ID.into(),
	)
}

/// Two collators (Alice and Bob) and no sudo key: a testnet on a local relay chain.
fn local_testnet_genesis() -> serde_json::Value {
	deai_genesis(
		vec![
			(Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Alice.public().into()),
			(Sr25519Keyring::Bob.to_account_id(), Sr25519Keyring::Bob.public().into()),
		],
		endowed_accounts(),
		None,
		vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()],
		PARA_ID.into(),
	)
}

/// The JSON patch of the preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|json| json.into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}

// Keeps the existential deposit visible to readers of the presets: every endowment is far
// above it.
const _: () = assert!(ENDOWMENT > EXISTENTIAL_DEPOSIT);

/// The genesis storage preset `name` builds, as a node builds it: the preset is merged (RFC
/// 7386) onto the default genesis config. For native tests and the runtime fuzzer.
#[cfg(feature = "std")]
pub fn preset_storage(name: &str) -> Result<polkadot_sdk::sp_runtime::Storage, String> {
	use polkadot_sdk::sp_runtime::BuildStorage;
	use serde_json::Value;

	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					if value.is_null() {
						base.remove(&key);
					} else {
						merge(base.entry(key).or_insert(Value::Null), value);
					}
				}
			},
			(base, patch) => *base = patch,
		}
	}

	let preset = get_preset(&PresetId::from(name)).ok_or_else(|| format!("no preset {name}"))?;
	let patch: Value = serde_json::from_slice(&preset).map_err(|e| e.to_string())?;
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).map_err(|e| e.to_string())?;
	merge(&mut config, patch);
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).map_err(|e| format!("preset {name}: {e}"))?;
	config.build_storage()
}

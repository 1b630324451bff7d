//! Unit tests of the runtime's own configuration.

use crate::{
	genesis_config_presets::{collator_pot, get_preset, preset_names, ENDOWMENT, PARA_ID},
	AllPalletsWithSystem, Balances, WeightToFee, EXISTENTIAL_DEPOSIT, MILLI_DEAI,
};
use polkadot_sdk::{
	frame_support::{
		traits::{PalletInfoAccess, PalletsInfoAccess},
		weights::{constants::ExtrinsicBaseWeight, WeightToFee as _},
	},
	sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
};
use serde_json::Value;

fn preset(name: &str) -> Value {
	let bytes = get_preset(&PresetId::from(name)).expect("preset exists");
	serde_json::from_slice(&bytes).expect("preset is JSON")
}

#[test]
fn base_extrinsic_weight_costs_a_tenth_of_a_milli_deai() {
	let fee = WeightToFee::weight_to_fee(&ExtrinsicBaseWeight::get());
	// The polynomial's integer/fraction split may lose at most one unit.
	assert!(fee.abs_diff(MILLI_DEAI / 10) <= 1, "fee {fee}");
}

/// The pallets that may sit at indexes 50–59, reserved for DeAI's own pallets.
const DEAI_PALLETS: &[&str] =
	&["ModelRegistry", "DataRewards", "ComputeStaking", "Inference", "Governance"];

#[test]
fn indexes_50_to_59_hold_only_deai_pallets() {
	assert_eq!(<Balances as PalletInfoAccess>::index(), 10);
	for info in AllPalletsWithSystem::infos() {
		if info.index >= 50 {
			assert!(
				info.index < 60 && DEAI_PALLETS.contains(&info.name),
				"{} at index {} is not a DeAI pallet in 50..60",
				info.name,
				info.index
			);
		}
	}
}

#[test]
fn presets_are_development_and_local_testnet() {
	let names = preset_names();
	assert_eq!(
		names,
		vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
	);
	assert!(get_preset(&PresetId::from("no_such_preset")).is_none());
}

#[cfg(feature = "dev-sudo")]
#[test]
fn only_the_development_preset_has_a_sudo_key() {
	let alice = Sr25519Keyring::Alice.to_account_id().to_string();
	assert_eq!(preset(DEV_RUNTIME_PRESET)["sudo"]["key"], Value::String(alice));
	assert_eq!(preset(LOCAL_TESTNET_RUNTIME_PRESET)["sudo"]["key"], Value::Null);
}

#[test]
fn presets_fund_the_dev_accounts_and_set_para_id_2000() {
	for name in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		let preset = preset(name);
		assert_eq!(preset["parachainInfo"]["parachainId"], PARA_ID, "{name}");
		let balances = preset["balances"]["balances"].as_array().expect("balances");
		let (pot, accounts): (Vec<_>, Vec<_>) = balances
			.iter()
			.partition(|entry| entry[0] == Value::String(collator_pot().to_string()));
		assert_eq!(accounts.len(), Sr25519Keyring::well_known().count(), "{name}");
		for entry in accounts {
			assert_eq!(entry[1].as_u64().map(u128::from), Some(ENDOWMENT), "{name}");
		}
		// The collators' pot holds the existential deposit, so the first fees are not burned.
		assert_eq!(pot.len(), 1, "{name}");
		assert_eq!(pot[0][1].as_u64().map(u128::from), Some(EXISTENTIAL_DEPOSIT), "{name}");
	}
}

#[test]
fn local_testnet_has_two_collators() {
	let local = preset(LOCAL_TESTNET_RUNTIME_PRESET);
	let invulnerables = local["collatorSelection"]["invulnerables"].as_array().expect("list");
	assert_eq!(invulnerables.len(), 2);
	let keys = local["session"]["keys"].as_array().expect("keys");
	assert_eq!(keys.len(), 2);
	let dev = preset(DEV_RUNTIME_PRESET);
	assert_eq!(dev["collatorSelection"]["invulnerables"].as_array().map(Vec::len), Some(1));
}

/// The state the preset `name` builds at genesis, for tests that dispatch calls on it.
fn genesis_ext(name: &str) -> polkadot_sdk::sp_io::TestExternalities {
	crate::genesis_config_presets::preset_storage(name).expect("genesis builds").into()
}

#[test]
fn presets_seed_the_deai_pallets() {
	use crate::{DataRewards, Runtime};
	use polkadot_sdk::frame_support::traits::fungible::Inspect;

	genesis_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert!(DataRewards::is_curator(&Sr25519Keyring::Alice.to_account_id()));
		assert!(!DataRewards::is_curator(&Sr25519Keyring::Bob.to_account_id()));
		assert_eq!(
			pallet_model_registry::MaxRoyalty::<Runtime>::get(),
			crate::genesis_config_presets::MAX_MODEL_ROYALTY
		);
		// The data-rewards account exists, so small royalties are never lost to the ED.
		assert!(Balances::balance(&DataRewards::account_id()) >= crate::EXISTENTIAL_DEPOSIT);
		// So do the inference escrow and the treasury.
		assert!(Balances::balance(&crate::Inference::account_id()) >= crate::EXISTENTIAL_DEPOSIT);
		assert!(Balances::balance(&crate::Governance::account_id()) >= crate::EXISTENTIAL_DEPOSIT);
		let staking = crate::ComputeStaking::params();
		assert_eq!(staking.min_worker_bond, crate::genesis_config_presets::MIN_WORKER_BOND);
		assert_eq!(staking.min_delegation, crate::genesis_config_presets::MIN_DELEGATION);
		assert_eq!(
			staking.registration_deposit,
			crate::genesis_config_presets::WORKER_REGISTRATION_DEPOSIT
		);
		assert_eq!(staking.max_commission, crate::genesis_config_presets::MAX_WORKER_COMMISSION);
	});
	genesis_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert!(DataRewards::is_curator(&Sr25519Keyring::Alice.to_account_id()));
		assert!(DataRewards::is_curator(&Sr25519Keyring::Bob.to_account_id()));
	});
}

#[test]
fn privileged_deai_calls_refuse_signed_origins_on_local_testnet() {
	use crate::{ComputeStaking, DataRewards, Governance, Inference, ModelRegistry, RuntimeOrigin};
	use polkadot_sdk::{
		sp_core::H256,
		sp_runtime::{DispatchError, Perbill},
	};

	genesis_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let signed = || RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
		let results = [
			ModelRegistry::retire(signed(), 0, Default::default()),
			ModelRegistry::restore(signed(), 0),
			ModelRegistry::set_max_royalty(signed(), Perbill::from_percent(50)),
			DataRewards::add_curator(signed(), Sr25519Keyring::Eve.to_account_id()),
			DataRewards::remove_curator(signed(), Sr25519Keyring::Bob.to_account_id()),
			ComputeStaking::set_params(signed(), ComputeStaking::params()),
			Inference::set_params(signed(), pallet_inference::Params::<crate::Runtime>::get()),
			Governance::grant(
				signed(),
				Sr25519Keyring::Eve.to_account_id().into(),
				crate::DEAI,
				H256::zero(),
			),
			Governance::cancel_grant(signed(), 0),
		];
		for result in results {
			assert_eq!(result, Err(DispatchError::BadOrigin));
		}
	});
}

/// An approved proposal can be cancelled before it takes effect: the Emergency track's vote
/// is shorter than every other track's enactment delay.
#[cfg(not(feature = "fast-runtime"))]
#[test]
fn an_emergency_cancellation_is_faster_than_any_enactment() {
	use pallet_governance::{TrackKind, TracksInfo};
	let emergency = crate::configs::governance::DeaiTracks::info(TrackKind::Emergency);
	assert_eq!(emergency.enactment_delay, 0);
	for track in TrackKind::ALL.into_iter().filter(|t| *t != TrackKind::Emergency) {
		let info = crate::configs::governance::DeaiTracks::info(track);
		assert!(
			emergency.voting_period < info.enactment_delay,
			"{track:?} enacts after {} blocks, before an emergency vote of {} blocks ends",
			info.enactment_delay,
			emergency.voting_period
		);
	}
}

#[test]
fn the_curation_track_cannot_move_the_royalty_cap() {
	use crate::{ModelRegistry, RuntimeOrigin};
	use pallet_governance::{Origin as TrackOrigin, TrackKind};
	use polkadot_sdk::sp_runtime::{DispatchError, Perbill};

	genesis_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let track = |kind| RuntimeOrigin::from(TrackOrigin::Track(kind));
		// Curators retire models; fees are a parameter.
		assert_eq!(
			ModelRegistry::set_max_royalty(track(TrackKind::Curation), Perbill::one()),
			Err(DispatchError::BadOrigin)
		);
		assert!(ModelRegistry::set_max_royalty(
			track(TrackKind::Parameters),
			Perbill::from_percent(40)
		)
		.is_ok());
		assert_eq!(ModelRegistry::max_royalty(), Perbill::from_percent(40));
	});
}

/// The worker's typed chain client is generated from `worker/metadata/deai.scale`; it must be
/// this runtime's V16 metadata, or the worker would encode calls for another runtime.
#[test]
fn the_workers_metadata_is_this_runtimes() {
	// Some constants are read from storage (the parachain id), so the metadata is built on
	// the development chain's genesis state, as the node serves it.
	let runtime = polkadot_sdk::sp_io::TestExternalities::new_empty()
		.execute_with(|| {
			// The preset is a patch over the default genesis config, as the node applies it.
			fn merge(base: &mut Value, patch: Value) {
				match (base, patch) {
					(Value::Object(base), Value::Object(patch)) => {
						for (key, value) in patch {
							merge(base.entry(key).or_insert(Value::Null), value);
						}
					},
					(base, patch) => *base = patch,
				}
			}
			let mut genesis = serde_json::to_value(crate::RuntimeGenesisConfig::default())
				.expect("the default genesis config is JSON");
			merge(&mut genesis, preset(DEV_RUNTIME_PRESET));
			polkadot_sdk::frame_support::genesis_builder_helper::build_state::<
				crate::RuntimeGenesisConfig,
			>(serde_json::to_vec(&genesis).expect("JSON"))
			.expect("the dev genesis builds");
			crate::Runtime::metadata_at_version(16)
		})
		.expect("the runtime has V16 metadata");
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../worker/metadata/deai.scale");
	let file = std::fs::read(path).expect("the worker's metadata file exists");
	assert!(
		file.as_slice() == &runtime[..],
		"{path} is stale ({} bytes, the runtime's are {} bytes): run scripts/refresh-metadata.sh",
		file.len(),
		runtime.len()
	);
}

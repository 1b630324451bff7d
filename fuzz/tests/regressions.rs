//! Fuzz cases kept as tests: a fixed run of seeds, and every seed that once failed.

use codec::Encode;
use deai_runtime::{
	configs::randomness::{AssignmentRandomness, RelayRandomness, RelayRandomnessRecord},
	Balances, Inference, RuntimeCall,
};
use deai_runtime_fuzz::{dev_genesis, relay_vrf_output, run_case, Chain, Limits, Stats};
use polkadot_sdk::{
	frame_support::traits::Randomness, frame_system, pallet_balances, sp_io::hashing::blake2_256,
};

/// Seeds that found a bug, with what it was (see the fuzzer's docs for how to replay).
const REGRESSIONS: &[(u64, &str)] = &[];

#[test]
fn the_regression_seeds_pass() {
	let genesis = dev_genesis();
	for (seed, bug) in REGRESSIONS {
		if let Err(failure) = run_case(&genesis, *seed, Limits::default()) {
			panic!("regression ({bug}): {failure}");
		}
	}
}

#[test]
fn a_fixed_run_of_cases_passes_and_reaches_the_protocol() {
	let genesis = dev_genesis();
	let (mut blocks, mut succeeded) = (0, 0);
	for seed in 1..=8 {
		let stats = run_case(&genesis, seed, Limits::default())
			.unwrap_or_else(|failure| panic!("{failure}"));
		blocks += stats.blocks;
		succeeded += stats.succeeded;
	}
	assert!(blocks >= 8, "every case builds at least one block ({blocks})");
	assert!(succeeded > 0, "some calls succeed, so the cases reach real states");
}

/// Found by the fuzzer (its first run, seed 1): the collators' pot did not exist at genesis,
/// so a first fee below the existential deposit could not be paid into it and was burned,
/// and total issuance dropped without a burn event. The presets now give the pot its
/// existential deposit; `Chain::block` checks issuance after the block.
#[test]
fn a_first_fee_below_the_existential_deposit_is_not_burned() {
	let mut chain = Chain::new(dev_genesis());
	let before = chain.with_state(Balances::total_issuance);
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1, 2, 3] });
	let mut stats = Stats::default();
	chain
		.block(1, &mut |_| vec![(0, remark.clone())], &mut stats)
		.unwrap_or_else(|(block, what)| panic!("block #{block}: {what}"));
	assert_eq!(stats.succeeded, 1, "the remark was applied");
	chain.with_state(|| {
		let burned = frame_system::Pallet::<deai_runtime::Runtime>::events().iter().any(|r| {
			matches!(
				r.event,
				deai_runtime::RuntimeEvent::Balances(pallet_balances::Event::BurnedDebt { .. })
			)
		});
		assert!(!burned, "no fee was burned");
		assert_eq!(Balances::total_issuance(), before);
	});
}

/// The fuzzer runs the runtime as a production chain builds it (without `dev-sudo`): no
/// sudo pallet, so no root call can name a superuser key, and no preset carries one.
#[test]
fn a_production_runtime_has_no_sudo_pallet() {
	use deai_runtime::genesis_config_presets::{get_preset, preset_names};
	use polkadot_sdk::frame_support::traits::PalletsInfoAccess;
	let names: Vec<&str> =
		deai_runtime::AllPalletsWithSystem::infos().iter().map(|info| info.name).collect();
	assert!(names.contains(&"Governance"), "the pallet list is read: {names:?}");
	assert!(!names.contains(&"Sudo"), "no sudo pallet: {names:?}");
	for name in preset_names() {
		let bytes = get_preset(&name).expect("listed presets exist");
		let preset: serde_json::Value = serde_json::from_slice(&bytes).expect("a preset is JSON");
		assert!(preset.get("sudo").is_none(), "preset {name:?} has no sudo key");
	}
}

/// Item 9: on a relay-connected chain workers are drawn from the relay chain's VRF output,
/// not from collective flip, which the previous block's author knows. Each block's relay
/// proof (as a collator builds it) carries the relay parent's output; the runtime keeps it
/// with the block in which it first appeared, and says it is known since that block.
#[test]
fn the_draw_uses_the_relay_chains_randomness_from_the_relay_proof() {
	let mut chain = Chain::new(dev_genesis());
	let mut stats = Stats::default();
	assert_eq!(chain.with_state(RelayRandomness::get), None, "no relay block seen yet");
	for _ in 0..3 {
		chain
			.block(1, &mut |_| Vec::new(), &mut stats)
			.unwrap_or_else(|(block, what)| panic!("block #{block}: {what}"));
	}
	chain.with_state(|| {
		// The fuzzer's relay parent of block n is relay block n.
		let record = RelayRandomness::get().expect("the relay proof's randomness is kept");
		assert_eq!(
			record,
			RelayRandomnessRecord {
				relay_number: 3,
				randomness: relay_vrf_output(3),
				first_seen: 3
			}
		);
		let subject = b"deai/assign";
		let (value, known_since) = AssignmentRandomness::random(subject);
		let expected = blake2_256(
			&(b"deai/relay-randomness".as_slice(), relay_vrf_output(3), 3u32, subject.as_slice())
				.encode(),
		);
		assert_eq!(value.0, expected, "derived from the relay value, not collective flip");
		assert_eq!(known_since, 3);
		assert_eq!(Inference::randomness_known_since(), 3);
		// A second block on the same relay parent changes nothing: the value stays known
		// since the block that first saw it, so a job queued in between waits.
		deai_runtime::configs::randomness::NoteRelayRandomness::note(3, [7; 32], 4);
		assert_eq!(RelayRandomness::get(), Some(record));
	});
}

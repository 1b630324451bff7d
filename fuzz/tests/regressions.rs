//! Fuzz cases kept as tests: a fixed run of seeds, and every seed that once failed.

use deai_runtime::{Balances, RuntimeCall};
use deai_runtime_fuzz::{dev_genesis, run_case, Chain, Limits, Stats};
use polkadot_sdk::{frame_system, pallet_balances};

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

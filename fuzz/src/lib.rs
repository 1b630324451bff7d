//! A fuzzer for the whole DeAI runtime, executed natively.
//!
//! One *case* is a seed. From it a pseudo-random generator draws a chain's life: up to
//! [`Limits::blocks`] blocks, each either a run of empty blocks (time passing) or a block of
//! up to [`Limits::calls_per_block`] signed transactions from the [`ACCOUNTS`], calling every
//! DeAI pallet and `pallet_balances`. Arguments are drawn from small domains (ids that exist
//! or nearly exist, amounts around the thresholds that matter), and some calls are made
//! *valid on purpose* (a real commitment and a correctly signed reveal for a job the signer
//! is assigned to), so the protocol's deep states are reached and not only its errors.
//!
//! Every block is built as a collator builds it: `Executive::initialize_block` with an Aura
//! slot, the parachain-system and timestamp inherents, each transaction through
//! `Executive::apply_extrinsic` with real signatures and fees (rolled back when invalid, as
//! the block builder does), then `Executive::finalize_block`. After every block the
//! [`check_block`] invariants must hold:
//! - nothing panicked (a panic anywhere in the runtime is a failure);
//! - the block's consumed weight is within the limits of each dispatch class and of the
//!   block, and its length within the maximum;
//! - total issuance changed only by the mint and burn events (`Minted`, `Burned`, `Issued`,
//!   `Rescinded`, and `DustLost`: the runtime drops the dust of reaped accounts), and equals the sum of every account's free and reserved
//!   balance; no account holds more than it has reserved;
//! - every pallet's `try_state` passes (`AllPalletsWithSystem`, `TryStateSelect::All`);
//! - no account gains from a slash of stake it did not own: a slash's payee never receives
//!   more than the slashed worker's own part (`Slashed::to_payee <= from_worker`);
//! - a challenger's payout is bounded: an overturned result pays the re-executors and the
//!   challenger together at most what the loser's own stake sent the inference account;
//! - frozen funds are never held: after every transaction that put funds on hold, the
//!   account's free balance still covers its freezes (a governance vote's lock).
//!
//! Besides random calls, some transactions are attacks ([`attack_call`]): floods of cheap
//! jobs, inputs no worker can answer (and workers answering so), votes that freeze nearly
//! all of an account's balance followed by jobs paid from it, challenges of optimistic
//! results by the other accounts of the worker's operator (every account of the fuzzer is
//! one operator's sybil), and cancel-and-resubmit.
//!
//! A failure names the seed, the block and the invariant; `deai-runtime-fuzz replay <seed>`
//! replays it, and every crash found is kept as a seed in `tests/regressions.rs`.
//!
//! The harness's parts, one module each: `rng` (the deterministic random source), `chain`
//! (genesis, blocks and signed transactions), `calls` (the random calls) with `arguments`
//! (the small domains), `duties` (the valid commits and reveals) and `attacks`, `invariants`
//! (the checks after every block), `stats` (what a case did) and `snapshot` (the try-runtime
//! checks on a saved state).

mod arguments;
mod attacks;
mod calls;
mod chain;
mod duties;
mod invariants;
mod rng;
mod snapshot;
mod stats;

pub use attacks::attack_call;
pub use calls::random_call;
pub use chain::{dev_genesis, relay_vrf_output, Chain, ACCOUNTS};
pub use invariants::check_block;
pub use rng::Rng;
pub use snapshot::{check_snapshot, read_snapshot, Pairs, SnapshotReport};
pub use stats::Stats;

use calls::bootstrap;
use deai_runtime::BlockNumber;
use polkadot_sdk::sp_runtime::Storage;

/// How big one case may grow.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Block-building steps per case (a step is one block of calls or a run of empty ones).
	pub blocks: u32,
	/// The most transactions in one block.
	pub calls_per_block: u32,
}

impl Default for Limits {
	fn default() -> Self {
		Limits { blocks: 40, calls_per_block: 24 }
	}
}

/// Why a case failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
	/// The case's seed.
	pub seed: u64,
	/// The number of the block that broke an invariant.
	pub block: BlockNumber,
	/// What broke.
	pub what: String,
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "seed {} failed in block #{}: {}", self.seed, self.block, self.what)
	}
}

/// Runs the case `seed` from `genesis`.
pub fn run_case(genesis: &Storage, seed: u64, limits: Limits) -> Result<Stats, Failure> {
	let mut rng = Rng::new(seed);
	let mut chain = Chain::new(genesis.clone());
	let mut stats = Stats::default();
	let fail = |(block, what): (BlockNumber, String)| Failure { seed, block, what };
	let steps = rng.below(u64::from(limits.blocks)).saturating_add(1);
	if rng.chance(75) {
		// Most cases start from a working market: a valid model and five workers for it.
		chain.block(1, &mut |chain| chain.with_state(bootstrap), &mut stats).map_err(fail)?;
	}
	for _ in 0..steps {
		if rng.chance(15) {
			// Time passes: a run of empty blocks (deadlines, liveness, unbonding).
			for _ in 0..=rng.below(15) {
				chain.block(1, &mut |_| Vec::new(), &mut stats).map_err(fail)?;
			}
			continue;
		}
		let count = rng.below(u64::from(limits.calls_per_block).saturating_add(1));
		let slots = if rng.chance(10) { rng.below(100).saturating_add(2) } else { 1 };
		let mut calls = |chain: &mut Chain| {
			(0..count)
				.map(|_| {
					let signer = rng.below(ACCOUNTS.len() as u64) as usize;
					let call = chain.with_state(|| random_call(&mut rng, signer));
					(signer, call)
				})
				.collect()
		};
		chain.block(slots, &mut calls, &mut stats).map_err(fail)?;
	}
	Ok(stats)
}

//! Compute staking: what the compute-staking pallet offers the inference pallet, and what it
//! asks of it.
//!
//! - [`WorkerStaking`]: draws workers for a job, tells their attestation keys, rewards and
//!   slashes them (with their delegators). Offered by the compute-staking pallet.
//! - [`PendingJobs`]: whether a worker still has unsettled jobs, so that it cannot leave
//!   before they settle. Offered by the inference pallet.
//!
//! Slashing is only ever triggered by protocol evidence: the inference pallet calls
//! [`WorkerStaking::slash`] when a worker lost a quorum, missed a deadline or lost a
//! challenge, naming the job as evidence. No origin can slash directly.

use crate::{inference::JobId, model::ModelId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{DispatchError, Perbill, Weight};
use scale_info::TypeInfo;

/// The public key a worker signs its results with: an sr25519 public key, distinct from the
/// worker's account key so that the account key can stay cold.
pub type AttestationKey = polkadot_sdk::sp_core::sr25519::Public;

/// Why a worker was slashed. Every reason is evidence the protocol produced itself.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum SlashReason {
	/// The worker revealed an output that lost the job's quorum.
	WrongResult,
	/// The worker was assigned but did not commit or reveal before the phase's deadline.
	Timeout,
	/// The worker lost a challenge: either its optimistic result was overturned by the
	/// re-execution, or it challenged a result that the re-execution confirmed.
	LostChallenge,
}

/// The staking side of the inference protocol, offered by the compute-staking pallet.
///
/// Money: [`WorkerStaking::reward`] *transfers* the reward from the free balance of `payer`
/// (the inference pallet's escrow account) to the staking side, then shares it between the
/// worker (commission first) and its delegators pro rata. [`WorkerStaking::slash`] takes
/// stake (of the worker and of its delegators, at most what backed the job) and sends it to
/// the runtime's configured slash destination, except for a bounded part of the worker's
/// *own* slashed stake that may go to a [`SlashPayee`]: no account can ever receive a
/// delegator's slashed stake, so losing a slash on purpose to one's own second account
/// cannot take delegators' money.
pub trait WorkerStaking<AccountId, Balance> {
	/// How many workers are eligible for jobs on `model` now: they serve it, are online, not
	/// idle, and bonded at least the minimum.
	fn eligible_count(model: ModelId) -> u32;

	/// Whether `worker` is eligible for jobs on `model` now.
	fn is_eligible(worker: &AccountId, model: ModelId) -> bool;

	/// Draws `count` distinct eligible workers for `model`, with a probability proportional to
	/// their total stake, deterministically from `seed`, never drawing an account of
	/// `exclude`. Fails, drawing nobody, when fewer than `count` workers qualify.
	fn select_workers(
		model: ModelId,
		count: u32,
		seed: &[u8; 32],
		exclude: &[AccountId],
	) -> Result<Vec<AccountId>, DispatchError>;

	/// The worst-case weight of [`WorkerStaking::select_workers`] drawing `count` workers.
	fn select_workers_weight(count: u32) -> Weight;

	/// The stake `worker` would be drawn with now (its own bonded stake plus its delegators'
	/// bonded stake), or zero when it is not eligible for any draw. The inference pallet
	/// records it when a worker is drawn (or challenges) and slashes at most that much.
	fn backing(worker: &AccountId) -> Balance;

	/// The least bonded stake an eligible worker has (the governance minimum bond).
	fn min_bond() -> Balance;

	/// The key `worker` currently signs results with, if it is a registered worker.
	fn attestation_key(worker: &AccountId) -> Option<AttestationKey>;

	/// Pays `amount` from `payer`'s free balance to `worker` and its delegators (the worker's
	/// commission first, the rest pro rata to stake) for its part in `job`, and counts one
	/// completed job in the worker's reputation. Returns the amount moved. Atomic: on error
	/// nothing moved.
	fn reward(
		payer: &AccountId,
		worker: &AccountId,
		amount: Balance,
		job: JobId,
	) -> Result<Balance, DispatchError>;

	/// The worst-case weight of [`WorkerStaking::reward`].
	fn reward_weight() -> Weight;

	/// Slashes `worker` for `reason`, with `job` as the evidence, and records the offence in
	/// its reputation. Never fails: a worker that no longer exists or has no stake yields an
	/// empty outcome.
	///
	/// - The **penalty** is `fraction` of `min(backing, stake now)`, where `backing` is the
	///   stake the worker was drawn with ([`WorkerStaking::backing`]) and the stake now is its
	///   own stake (bonded and unbonding) plus its delegators' (bonded, then unbonding). It is
	///   taken from the worker's own stake first, then from the delegators'. Stake that was
	///   not behind the worker when it was drawn never raises the penalty.
	/// - With a `payee`, the worker's **own** stake also pays `payee.cost` on top of the
	///   penalty (as far as its own stake reaches), and the payee receives that cost plus
	///   `payee.share` of the penalty's own part, capped by all the worker itself lost
	///   (the cost first: a worker whose penalty took all its stake still pays for the
	///   work it caused). Delegators' stake never goes to a payee.
	/// - Everything else goes to the configured slash destination (the treasury).
	fn slash(
		worker: &AccountId,
		fraction: Perbill,
		backing: Balance,
		reason: SlashReason,
		job: JobId,
		payee: Option<SlashPayee<AccountId, Balance>>,
	) -> SlashOutcome<Balance>;

	/// The worst-case weight of [`WorkerStaking::slash`].
	fn slash_weight() -> Weight;
}

/// Who may receive part of a slash, and how much of it: see [`WorkerStaking::slash`].
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct SlashPayee<AccountId, Balance> {
	/// The account that receives it.
	pub account: AccountId,
	/// What the slashed worker's own stake pays the payee on top of the penalty (e.g. the
	/// re-execution its wrong result made necessary).
	pub cost: Balance,
	/// The share of the penalty's own-stake part the payee receives (a reward).
	pub share: Perbill,
}

/// What a slash took and where it went.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SlashOutcome<Balance> {
	/// Everything taken: `from_worker + from_delegators`.
	pub amount: Balance,
	/// Taken from the worker's own stake (penalty part and cost).
	pub from_worker: Balance,
	/// Taken from its delegators' stake (always sent to the slash destination).
	pub from_delegators: Balance,
	/// Sent to the payee (at most `from_worker`); the rest went to the slash destination.
	pub to_payee: Balance,
}

/// Whether a worker has jobs that are not settled yet (assigned, committed, revealed, or in a
/// challenge window). Offered by the inference pallet; the staking pallet refuses to
/// deregister a worker, or to let it stop serving a model, while this is true.
pub trait PendingJobs<AccountId> {
	/// Whether `worker` is assigned to any unsettled job.
	fn has_pending_jobs(worker: &AccountId) -> bool;
}

/// No job is ever pending: for mocks and runtimes without an inference pallet. A runtime with
/// an inference pallet must wire that pallet instead, or workers could leave mid-job.
impl<AccountId> PendingJobs<AccountId> for () {
	fn has_pending_jobs(_worker: &AccountId) -> bool {
		false
	}
}

/// The `counter`-th random number below `bound` derived from `seed`:
/// `blake2_256(SCALE(seed, counter))` read as a little-endian `u128`, modulo `bound` (0 when
/// `bound` is 0). Anyone can recompute it from the seed, which is what makes a draw auditable.
pub fn random_below(seed: &[u8; 32], counter: u32, bound: u128) -> u128 {
	let hash = crate::inference::blake2_256(&(seed, counter).encode());
	let mut bytes = [0u8; 16];
	for (to, from) in bytes.iter_mut().zip(hash.iter()) {
		*to = *from;
	}
	u128::from_le_bytes(bytes).checked_rem(bound).unwrap_or(0)
}

/// The stake-weighted draw of `count` distinct members of `candidates` (each with its weight)
/// from `seed`: the `i`-th pick is the candidate whose cumulative-weight interval contains
/// `random_below(seed, i, total weight left)`, and a picked candidate leaves the pool.
///
/// `None` when there are fewer candidates than `count`. Candidates of weight zero can only be
/// picked once everyone else is taken; the caller filters them out when that matters.
pub fn weighted_draw<A>(
	mut candidates: Vec<(A, u128)>,
	count: u32,
	seed: &[u8; 32],
) -> Option<Vec<A>> {
	let wanted = usize::try_from(count).unwrap_or(usize::MAX);
	if candidates.len() < wanted {
		return None;
	}
	let mut total = candidates.iter().fold(0u128, |sum, (_, weight)| sum.saturating_add(*weight));
	let mut chosen = Vec::with_capacity(wanted);
	for counter in 0..count {
		let target = random_below(seed, counter, total);
		let mut reached = 0u128;
		let mut index = candidates.len().saturating_sub(1);
		for (position, (_, weight)) in candidates.iter().enumerate() {
			reached = reached.saturating_add(*weight);
			if target < reached {
				index = position;
				break;
			}
		}
		if index < candidates.len() {
			let (who, weight) = candidates.swap_remove(index);
			total = total.saturating_sub(weight);
			chosen.push(who);
		}
	}
	Some(chosen)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn slash_reason_encoding_is_stable() {
		assert_eq!(SlashReason::WrongResult.encode(), vec![0]);
		assert_eq!(SlashReason::Timeout.encode(), vec![1]);
		assert_eq!(SlashReason::LostChallenge.encode(), vec![2]);
	}

	#[test]
	fn random_below_stays_below_its_bound_and_is_deterministic() {
		let seed = [7u8; 32];
		for counter in 0..50 {
			assert!(random_below(&seed, counter, 7) < 7);
		}
		assert_eq!(random_below(&seed, 1, 0), 0);
		assert_eq!(random_below(&seed, 5, 1_000), random_below(&seed, 5, 1_000));
	}

	#[test]
	fn weighted_draw_picks_distinct_candidates_or_none() {
		let seed = [3u8; 32];
		let candidates = vec![(1u64, 10u128), (2, 20), (3, 30)];
		assert_eq!(weighted_draw(candidates.clone(), 4, &seed), None);
		assert_eq!(weighted_draw(candidates.clone(), 0, &seed), Some(vec![]));
		let mut all = weighted_draw(candidates.clone(), 3, &seed).unwrap_or_default();
		all.sort();
		assert_eq!(all, vec![1, 2, 3]);
		// A candidate that holds all the weight wins the first pick.
		let lopsided = vec![(1u64, 0u128), (2, 1_000), (3, 0)];
		assert_eq!(weighted_draw(lopsided, 1, &seed), Some(vec![2]));
	}

	#[test]
	fn weighted_draw_follows_the_weights() {
		// Over many seeds, a candidate with three times the weight is picked about three
		// times as often.
		let (mut light, mut heavy) = (0u32, 0u32);
		for n in 0u32..2_000 {
			let seed = crate::inference::blake2_256(&n.encode());
			match weighted_draw(vec![(1u8, 100u128), (2, 300)], 1, &seed).as_deref() {
				Some([1]) => light = light.saturating_add(1),
				Some([2]) => heavy = heavy.saturating_add(1),
				other => panic!("unexpected draw {other:?}"),
			}
		}
		assert!(light > 350 && light < 650, "light picked {light} times of 2000");
		assert_eq!(light.saturating_add(heavy), 2_000);
	}

	#[test]
	fn nothing_is_pending_without_an_inference_pallet() {
		assert!(!<() as PendingJobs<u64>>::has_pending_jobs(&7));
	}
}

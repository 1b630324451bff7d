//! One mock compute staking: the `WorkerStaking` side of the compute-staking pallet, with
//! workers that tests register, take offline and whose rewards and slashes they read back.
//!
//! Stake is kept as a number per worker (no delegators, no holds), but the draw is the real
//! one: [`deai_primitives::staking::weighted_draw`] over the eligible workers in account
//! order, exactly as the compute-staking pallet draws over a model's worker set. Rewards and
//! a slash's payee share move real balances through `Currency`, so tests see them in the
//! accounts as well as in [`MockStaking::rewards`] and [`MockStaking::slashes`].

use codec::{Decode, Encode};
use core::{cell::RefCell, marker::PhantomData};
use deai_primitives::{
	inference::JobId,
	model::ModelId,
	staking::{
		weighted_draw, AttestationKey, SlashOutcome, SlashPayee, SlashReason, WorkerStaking,
	},
};
use polkadot_sdk::{
	frame_support::{
		traits::{fungible::Mutate, tokens::Preservation, Get},
		weights::Weight,
	},
	sp_runtime::{DispatchError, Perbill},
};
use std::collections::{BTreeMap, BTreeSet};

/// The ref time [`MockStaking`] declares for one reward.
pub const REWARD_REF_TIME: u64 = 7_000;
/// The ref time [`MockStaking`] declares for one slash.
pub const SLASH_REF_TIME: u64 = 11_000;

/// A worker known to the mock staking.
#[derive(Clone, Debug)]
pub struct MockWorker {
	/// Its attestation key.
	pub key: AttestationKey,
	/// Its stake (slashes reduce it).
	pub stake: u64,
	/// The models it serves.
	pub models: BTreeSet<ModelId>,
	/// Whether it is online and bonded enough.
	pub online: bool,
}

/// A reward paid through the mock staking.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub struct RewardRecord<AccountId> {
	/// The account that paid.
	pub payer: AccountId,
	/// The worker.
	pub worker: AccountId,
	/// The amount.
	pub amount: u64,
	/// The job.
	pub job: JobId,
}

/// A slash made through the mock staking.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct SlashRecord<AccountId> {
	/// The worker.
	pub worker: AccountId,
	/// The fraction of its stake.
	pub fraction: Perbill,
	/// Why.
	pub reason: SlashReason,
	/// The job given as evidence.
	pub job: JobId,
	/// The stake the worker was drawn with.
	pub backing: u64,
	/// Who receives part of the slash, with its cost and share.
	pub payee: Option<SlashPayee<AccountId, u64>>,
	/// The amount slashed.
	pub amount: u64,
	/// What the payee received.
	pub to_payee: u64,
}

thread_local! {
	/// The workers, by SCALE-encoded account (one store serves every account type).
	static WORKERS: RefCell<BTreeMap<Vec<u8>, MockWorker>> = const { RefCell::new(BTreeMap::new()) };
	/// The rewards paid, SCALE-encoded [`RewardRecord`]s (one store for every account type).
	static REWARDS: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
	/// The slashes made, SCALE-encoded [`SlashRecord`]s.
	static SLASHES: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Compute staking for a runtime with accounts `AccountId`, balances `u64` held in
/// `Currency`, and a minimum worker bond of `MinBond`.
pub struct MockStaking<AccountId, Currency, MinBond>(PhantomData<(AccountId, Currency, MinBond)>);

impl<AccountId, Currency, MinBond> MockStaking<AccountId, Currency, MinBond>
where
	AccountId: Encode + Decode + Ord + Clone,
	Currency: Mutate<AccountId, Balance = u64>,
	MinBond: Get<u64>,
{
	/// Forgets every worker, reward and slash (each mock's externalities builder calls it).
	pub fn clear() {
		WORKERS.with(|workers| workers.borrow_mut().clear());
		REWARDS.with(|rewards| rewards.borrow_mut().clear());
		SLASHES.with(|slashes| slashes.borrow_mut().clear());
	}

	/// Registers `worker` for `model` with `key` and `stake` (a registered worker gets the
	/// new key and stake and serves one more model), online.
	pub fn register(worker: AccountId, model: ModelId, key: AttestationKey, stake: u64) {
		WORKERS.with(|workers| {
			let mut workers = workers.borrow_mut();
			let entry = workers.entry(worker.encode()).or_insert(MockWorker {
				key,
				stake,
				models: BTreeSet::new(),
				online: true,
			});
			entry.key = key;
			entry.stake = stake;
			entry.models.insert(model);
		});
	}

	/// Takes `worker` offline (not eligible) or back online.
	pub fn set_online(worker: AccountId, online: bool) {
		WORKERS.with(|workers| {
			if let Some(entry) = workers.borrow_mut().get_mut(&worker.encode()) {
				entry.online = online;
			}
		});
	}

	/// Forgets `worker` and its attestation key (by deregistering it).
	pub fn deregister(worker: AccountId) {
		WORKERS.with(|workers| workers.borrow_mut().remove(&worker.encode()));
	}

	/// The rewards paid so far, oldest first.
	pub fn rewards() -> Vec<RewardRecord<AccountId>> {
		REWARDS.with(|rewards| {
			rewards
				.borrow()
				.iter()
				.map(|bytes| {
					RewardRecord::decode(&mut &bytes[..]).expect("a reward record decodes")
				})
				.collect()
		})
	}

	/// The slashes made so far, oldest first.
	pub fn slashes() -> Vec<SlashRecord<AccountId>> {
		SLASHES.with(|slashes| {
			slashes
				.borrow()
				.iter()
				.map(|bytes| SlashRecord::decode(&mut &bytes[..]).expect("a slash record decodes"))
				.collect()
		})
	}

	/// The stake of `worker` (0 if it is not registered).
	pub fn stake(worker: AccountId) -> u64 {
		WORKERS.with(|workers| workers.borrow().get(&worker.encode()).map_or(0, |w| w.stake))
	}

	/// The workers eligible for `model` with their stakes, in account order: online, serving
	/// it, with stake left.
	fn eligible(model: ModelId) -> Vec<(AccountId, u64)> {
		let mut eligible: Vec<(AccountId, u64)> = WORKERS.with(|workers| {
			workers
				.borrow()
				.iter()
				.filter(|(_, w)| w.online && w.models.contains(&model) && w.stake > 0)
				.map(|(account, w)| {
					let account = AccountId::decode(&mut &account[..])
						.expect("a worker's account decodes as the type it was stored with");
					(account, w.stake)
				})
				.collect()
		});
		eligible.sort_by(|(a, _), (b, _)| a.cmp(b));
		eligible
	}
}

impl<AccountId, Currency, MinBond> WorkerStaking<AccountId, u64>
	for MockStaking<AccountId, Currency, MinBond>
where
	AccountId: Encode + Decode + Ord + Clone,
	Currency: Mutate<AccountId, Balance = u64>,
	MinBond: Get<u64>,
{
	fn eligible_count(model: ModelId) -> u32 {
		Self::eligible(model).len() as u32
	}

	fn is_eligible(worker: &AccountId, model: ModelId) -> bool {
		Self::eligible(model).iter().any(|(account, _)| account == worker)
	}

	fn select_workers(
		model: ModelId,
		count: u32,
		seed: &[u8; 32],
		exclude: &[AccountId],
	) -> Result<Vec<AccountId>, DispatchError> {
		let candidates = Self::eligible(model)
			.into_iter()
			.filter(|(worker, _)| !exclude.contains(worker))
			.map(|(worker, stake)| (worker, u128::from(stake)))
			.collect();
		weighted_draw(candidates, count, seed).ok_or(DispatchError::Other("not enough workers"))
	}

	fn select_workers_weight(_count: u32) -> Weight {
		Weight::zero()
	}

	fn backing(worker: &AccountId) -> u64 {
		WORKERS.with(|workers| {
			workers.borrow().get(&worker.encode()).filter(|w| w.online).map_or(0, |w| w.stake)
		})
	}

	fn min_bond() -> u64 {
		MinBond::get()
	}

	fn attestation_key(worker: &AccountId) -> Option<AttestationKey> {
		WORKERS.with(|workers| workers.borrow().get(&worker.encode()).map(|w| w.key))
	}

	fn reward(
		payer: &AccountId,
		worker: &AccountId,
		amount: u64,
		job: JobId,
	) -> Result<u64, DispatchError> {
		Currency::transfer(payer, worker, amount, Preservation::Expendable)?;
		let record = RewardRecord { payer: payer.clone(), worker: worker.clone(), amount, job };
		REWARDS.with(|rewards| rewards.borrow_mut().push(record.encode()));
		Ok(amount)
	}

	/// Distinct from the slash's, so callers can tell what they were charged for.
	fn reward_weight() -> Weight {
		Weight::from_parts(REWARD_REF_TIME, 0)
	}

	/// Like compute staking, without delegators: the penalty is `fraction` of at most
	/// `backing`; a payee's cost and share come out of the same stake, and what the payee
	/// gets is moved from the worker's free balance to it (the mock keeps stake as a number).
	fn slash(
		worker: &AccountId,
		fraction: Perbill,
		backing: u64,
		reason: SlashReason,
		job: JobId,
		payee: Option<SlashPayee<AccountId, u64>>,
	) -> SlashOutcome<u64> {
		let (amount, to_payee) = WORKERS.with(|workers| {
			let mut workers = workers.borrow_mut();
			match workers.get_mut(&worker.encode()) {
				Some(entry) => {
					let penalty = fraction * backing.min(entry.stake);
					let (cost, share) =
						payee.as_ref().map_or((0, Perbill::zero()), |p| (p.cost, p.share));
					let taken = penalty + cost.min(entry.stake - penalty);
					entry.stake -= taken;
					(taken, (cost + share * penalty).min(taken))
				},
				None => (0, 0),
			}
		});
		if let Some(payee) = &payee {
			if to_payee > 0 {
				Currency::transfer(worker, &payee.account, to_payee, Preservation::Expendable)
					.expect("the mock worker can pay its slash's payee from its free balance");
			}
		}
		let record = SlashRecord {
			worker: worker.clone(),
			fraction,
			reason,
			job,
			backing,
			payee,
			amount,
			to_payee,
		};
		SLASHES.with(|slashes| slashes.borrow_mut().push(record.encode()));
		SlashOutcome { amount, from_worker: amount, from_delegators: 0, to_payee }
	}

	/// Distinct from the reward's, so callers can tell what they were charged for.
	fn slash_weight() -> Weight {
		Weight::from_parts(SLASH_REF_TIME, 0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{execute_and_check, externalities, genesis};
	use polkadot_sdk::{
		frame_support::{derive_impl, parameter_types, traits::ConstU64},
		frame_system, pallet_balances,
		sp_core::sr25519,
	};

	crate::mock_runtime! {
		runtime: Test,
		account: u128,
		balance: u64,
		existential_deposit: ConstU64<1>,
		pallets: {},
	}

	parameter_types! {
		pub const MinBond: u64 = 100;
	}

	type Staking = MockStaking<u128, Balances, MinBond>;

	fn key(byte: u8) -> AttestationKey {
		sr25519::Public::from_raw([byte; 32])
	}

	fn run(test: impl FnOnce()) {
		Staking::clear();
		let ext = externalities::<Test>(genesis::<Test>(vec![(1, 1_000), (2, 1_000), (3, 1_000)]));
		execute_and_check(ext, test, || Ok(()));
	}

	#[test]
	fn the_draw_is_the_real_stake_weighted_draw_over_eligible_workers() {
		run(|| {
			for (worker, stake) in [(3u128, 300u64), (1, 100), (2, 200)] {
				Staking::register(worker, 7, key(worker as u8), stake);
			}
			Staking::set_online(2, false);
			assert_eq!(Staking::eligible_count(7), 2);
			assert!(!Staking::is_eligible(&2, 7));
			let seed = [9u8; 32];
			// Workers in account order with their stakes, as compute staking lists them.
			let expected = weighted_draw(vec![(1u128, 100u128), (3, 300)], 2, &seed);
			assert_eq!(Staking::select_workers(7, 2, &seed, &[]).ok(), expected);
			assert_eq!(
				Staking::select_workers(7, 1, &seed, &[1, 3]),
				Err("not enough workers".into())
			);
			assert_eq!(Staking::min_bond(), 100);
			assert_eq!(Staking::backing(&2), 0);
			assert_eq!(Staking::backing(&3), 300);
		});
	}

	#[test]
	fn rewards_and_slashes_move_balances_and_are_recorded() {
		run(|| {
			Staking::register(2, 7, key(2), 500);
			assert_eq!(Staking::reward(&1, &2, 50, 4), Ok(50));
			assert_eq!(Balances::free_balance(2), 1_050);
			assert_eq!(
				Staking::rewards(),
				vec![RewardRecord { payer: 1, worker: 2, amount: 50, job: 4 }]
			);
			let payee = SlashPayee { account: 3, cost: 10, share: Perbill::from_percent(50) };
			let outcome = Staking::slash(
				&2,
				Perbill::from_percent(20),
				500,
				SlashReason::WrongResult,
				4,
				Some(payee.clone()),
			);
			// 20 % of 500 plus the cost of 10; the payee gets the cost and half the penalty.
			assert_eq!(
				outcome,
				SlashOutcome { amount: 110, from_worker: 110, from_delegators: 0, to_payee: 60 }
			);
			assert_eq!(Staking::stake(2), 390);
			assert_eq!(Balances::free_balance(3), 1_060);
			assert_eq!(Staking::slashes().len(), 1);
			assert_eq!(Staking::slashes()[0].payee, Some(payee));
			Staking::deregister(2);
			assert_eq!(Staking::attestation_key(&2), None);
		});
	}
}

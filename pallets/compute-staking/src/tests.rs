//! Tests of compute staking: every call, every error, delegation share accounting, rewards,
//! slashes (during unbonding, after a key rotation, beyond the worker's own stake), selection
//! and value conservation. Every test built with `build_and_execute` ends with `do_try_state`.
//!
//! One module per call, in the order of the call indices, then `genesis`, `integrity_test`,
//! `worker_staking` (what the inference pallet calls), `runtime_api`, `pool_arithmetic` and
//! `scenarios` (whole lives across many calls). The helpers shared by several modules sit at
//! the top.

use crate::{mock::*, *};
use deai_primitives::model::ModelStatus;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::Pays,
		traits::{
			fungible::{Inspect as _, InspectHold, MutateFreeze},
			Hooks,
		},
		BoundedVec,
	},
	sp_runtime::{traits::BadOrigin, DispatchError, DispatchResult},
};

/// Workers.
const W1: u64 = 1;
const W2: u64 = 2;
const W3: u64 = 3;
const W4: u64 = 4;
const W5: u64 = 5;
/// Delegators.
const D1: u64 = 11;
const D2: u64 = 12;
const D3: u64 = 13;

fn key(byte: u8) -> AttestationKey {
	AttestationKey::from_raw([byte; 32])
}

fn served(models: &[ModelId]) -> ModelsOf<Test> {
	BoundedVec::try_from(models.to_vec()).unwrap()
}

fn bytes<S: Get<u32>>(value: &[u8]) -> BoundedVec<u8, S> {
	BoundedVec::try_from(value.to_vec()).unwrap()
}

fn try_register(who: u64, bond: u64, models: &[ModelId]) -> DispatchResult {
	ComputeStaking::register_worker(
		RuntimeOrigin::signed(who),
		bond,
		key(u8::try_from(who).unwrap()),
		bytes(b"https://worker.example"),
		bytes(b"gpu=a100"),
		served(models),
		Perbill::from_percent(10),
	)
}

fn register(who: u64, bond: u64, models: &[ModelId]) {
	assert_ok!(try_register(who, bond, models));
}

fn delegate(who: u64, worker: u64, amount: u64) {
	assert_ok!(ComputeStaking::delegate(RuntimeOrigin::signed(who), worker, amount));
}

fn bond_held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::ComputeStaking(HoldReason::WorkerBond), &who)
}

fn deposit_held(who: u64) -> u64 {
	Balances::balance_on_hold(
		&RuntimeHoldReason::ComputeStaking(HoldReason::RegistrationDeposit),
		&who,
	)
}

/// Freezes `amount` of `who`'s balance, as a governance vote does.
fn vote_lock(who: u64, amount: u64) {
	assert_ok!(<Balances as MutateFreeze<u64>>::set_freeze(&VOTE_LOCK, &who, amount));
}

fn pot() -> u64 {
	ComputeStaking::account_id()
}

fn pot_held() -> u64 {
	Balances::balance_on_hold(
		&RuntimeHoldReason::ComputeStaking(HoldReason::DelegatedStake),
		&pot(),
	)
}

fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

fn worker(who: u64) -> Worker<Test> {
	Workers::<Test>::get(who).unwrap()
}

fn pool(who: u64) -> Pool<u64> {
	Pools::<Test>::get(who).unwrap()
}

fn value_of(worker: u64, delegator: u64) -> u64 {
	ComputeStaking::delegation_details(worker, delegator).map_or(0, |d| d.value)
}

fn unbonding_of(worker: u64, delegator: u64) -> Vec<u64> {
	ComputeStaking::delegation_details(worker, delegator)
		.map(|d| d.unbonding.iter().map(|chunk| chunk.value).collect())
		.unwrap_or_default()
}

fn listed(model: ModelId) -> Vec<u64> {
	ModelWorkers::<Test>::get(model).map(|set| set.into_inner()).unwrap_or_default()
}

fn run_to(block: u64) {
	System::set_block_number(block);
}

/// Slashes `who` by `percent` over all of its stake; a payee, if named, is owed nothing but
/// a half share of the worker's own penalty.
fn slash(who: u64, percent: u32, reason: SlashReason, job: JobId, payee: Option<u64>) -> u64 {
	let payee =
		payee.map(|account| SlashPayee { account, cost: 0, share: Perbill::from_percent(50) });
	slash_with(who, percent, u64::MAX, reason, job, payee).amount
}

fn slash_with(
	who: u64,
	percent: u32,
	backing: u64,
	reason: SlashReason,
	job: JobId,
	payee: Option<SlashPayee<u64, u64>>,
) -> SlashOutcome<u64> {
	<ComputeStaking as WorkerStaking<u64, u64>>::slash(
		&who,
		Perbill::from_percent(percent),
		backing,
		reason,
		job,
		payee,
	)
}

fn backing(who: u64) -> u64 {
	<ComputeStaking as WorkerStaking<u64, u64>>::backing(&who)
}

fn reward(worker: u64, amount: u64, job: JobId) -> Result<u64, DispatchError> {
	<ComputeStaking as WorkerStaking<u64, u64>>::reward(&ESCROW, &worker, amount, job)
}

fn select(
	model: ModelId,
	count: u32,
	seed: u8,
	exclude: &[u64],
) -> Result<Vec<u64>, DispatchError> {
	<ComputeStaking as WorkerStaking<u64, u64>>::select_workers(model, count, &[seed; 32], exclude)
}

fn is_eligible(who: u64, model: ModelId) -> bool {
	<ComputeStaking as WorkerStaking<u64, u64>>::is_eligible(&who, model)
}

fn eligible_count(model: ModelId) -> u32 {
	<ComputeStaking as WorkerStaking<u64, u64>>::eligible_count(model)
}

/// The total balance of the accounts the tests use, the pot and the treasury.
fn tracked_total() -> u64 {
	(1..10)
		.chain(11..20)
		.chain([POOR, ESCROW, TREASURY, pot()])
		.map(|who| Balances::total_balance(&who))
		.sum()
}

mod register_worker {
	use super::*;

	#[test]
	fn holds_bond_and_deposit_and_lists_the_worker() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1, 2]);
			assert_eq!(bond_held(W1), 200);
			assert_eq!(deposit_held(W1), DEPOSIT);
			assert_eq!(free(W1), RICH - 200 - DEPOSIT);
			let record = worker(W1);
			assert_eq!(record.bonded, 200);
			assert_eq!(record.deposit, DEPOSIT);
			assert_eq!(record.status, WorkerStatus::Active);
			assert_eq!(record.last_heartbeat, 1);
			assert_eq!(record.attestation_key, key(1));
			assert_eq!(pool(W1), Pool::default());
			assert_eq!(listed(1), vec![W1]);
			assert_eq!(listed(2), vec![W1]);
			assert!(is_eligible(W1, 1));
			assert!(!is_eligible(W1, 3));
			System::assert_last_event(
				Event::WorkerRegistered {
					worker: W1,
					bond: 200,
					deposit: DEPOSIT,
					attestation_key: key(1),
					models: served(&[1, 2]),
				}
				.into(),
			);
		});
	}

	#[test]
	fn rejects_invalid_input() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(try_register(W1, MIN_BOND - 1, &[1]), Error::<Test>::BondBelowMinimum);
			assert_noop!(try_register(W1, 200, &[1, 1]), Error::<Test>::DuplicateModel);
			assert_noop!(try_register(W1, 200, &[77]), Error::<Test>::ModelNotActive);
			assert_noop!(try_register(W1, 200, &[RETIRED_MODEL]), Error::<Test>::ModelNotActive);
			assert_noop!(
				ComputeStaking::register_worker(
					RuntimeOrigin::signed(W1),
					200,
					key(1),
					bytes(b""),
					bytes(b""),
					served(&[1]),
					Perbill::from_percent(51),
				),
				Error::<Test>::CommissionTooHigh
			);
			// Poor can pay the deposit but not the bond.
			assert_noop!(try_register(POOR, MIN_BOND, &[1]), Error::<Test>::InsufficientBalance);
			register(W1, 200, &[1]);
			assert_noop!(try_register(W1, 200, &[2]), Error::<Test>::AlreadyRegistered);
		});
	}

	#[test]
	fn a_full_worker_set_refuses_new_workers() {
		ExtBuilder::default().build_and_execute(|| {
			for who in 1..9 {
				register(who, 200, &[1]);
			}
			assert_eq!(listed(1).len(), 8);
			assert_noop!(try_register(9, 200, &[1]), Error::<Test>::ModelWorkersFull);
			register(9, 200, &[2]);
		});
	}

	#[test]
	fn a_free_registration_is_possible_when_governance_wants_it() {
		ExtBuilder::default().registration_deposit(0).build_and_execute(|| {
			register(W1, 200, &[1]);
			assert_eq!(deposit_held(W1), 0);
			assert_eq!(worker(W1).deposit, 0);
		});
	}

	/// Audit H-1: stake and deposits never take funds a governance vote freezes.
	#[test]
	fn a_registration_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			// One unit short of the deposit is unfrozen: the deposit, held first, fails.
			vote_lock(W1, RICH - DEPOSIT + 1);
			assert_noop!(try_register(W1, MIN_BOND, &[1]), Error::<Test>::FundsFrozen);

			vote_lock(W1, RICH - MIN_BOND - DEPOSIT);
			register(W1, MIN_BOND, &[1]);
			assert_eq!(deposit_held(W1), DEPOSIT);
			assert_eq!(bond_held(W1), MIN_BOND);
			assert_eq!(free(W1), RICH - MIN_BOND - DEPOSIT);
		});
	}

	/// Audit H-1: stake and deposits never take funds a governance vote freezes.
	#[test]
	fn a_worker_bond_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			// The whole balance is vote-locked: not even the deposit can be held.
			vote_lock(W1, RICH);
			assert_noop!(try_register(W1, MIN_BOND, &[1]), Error::<Test>::FundsFrozen);
			// Enough for the deposit but not for the bond.
			vote_lock(W1, RICH - DEPOSIT - MIN_BOND + 1);
			assert_noop!(try_register(W1, MIN_BOND, &[1]), Error::<Test>::FundsFrozen);
			// A larger bond than the unfrozen funds allow.
			vote_lock(W1, RICH - DEPOSIT - MIN_BOND);
			assert_noop!(try_register(W1, MIN_BOND + 1, &[1]), Error::<Test>::FundsFrozen);
			register(W1, MIN_BOND, &[1]);
			assert_eq!(bond_held(W1), MIN_BOND);
		});
	}
}

mod bond_extra {
	use super::*;

	#[test]
	fn adds_to_the_bond() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), 10),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1]);
			assert_noop!(
				ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), RICH),
				Error::<Test>::InsufficientBalance
			);
			assert_ok!(ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), 50));
			assert_eq!(worker(W1).bonded, 250);
			assert_eq!(bond_held(W1), 250);
			System::assert_last_event(Event::Bonded { worker: W1, amount: 50, bonded: 250 }.into());
		});
	}

	/// Audit H-1: stake and deposits never take funds a governance vote freezes.
	#[test]
	fn cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, MIN_BOND, &[1]);
			let unlocked = free(W1);
			vote_lock(W1, unlocked - 9);
			assert_noop!(
				ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), 10),
				Error::<Test>::FundsFrozen
			);
			assert_ok!(ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), 9));
			assert_eq!(worker(W1).bonded, MIN_BOND + 9);
			assert_eq!(bond_held(W1), MIN_BOND + 9);
			assert_eq!(free(W1), unlocked - 9);
		});
	}
}

mod unbond {
	use super::*;

	#[test]
	fn rejects_invalid_amounts() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::unbond(RuntimeOrigin::signed(W1), 10),
				Error::<Test>::NotRegistered
			);
			assert_noop!(
				ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)),
				Error::<Test>::NotRegistered
			);
			register(W1, 300, &[1]);
			assert_noop!(
				ComputeStaking::unbond(RuntimeOrigin::signed(W1), 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				ComputeStaking::unbond(RuntimeOrigin::signed(W1), 301),
				Error::<Test>::NotEnoughBonded
			);
			assert_noop!(
				ComputeStaking::unbond(RuntimeOrigin::signed(W1), 250),
				Error::<Test>::WouldFallBelowMinimum
			);
			for block in 2..5 {
				run_to(block);
				assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 10));
			}
			run_to(5);
			assert_noop!(
				ComputeStaking::unbond(RuntimeOrigin::signed(W1), 10),
				Error::<Test>::TooManyUnbondingChunks
			);
		});
	}

	#[test]
	fn unbonding_everything_makes_the_worker_idle() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1, 2]);
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 200));
			System::assert_last_event(Event::WentIdle { worker: W1 }.into());
			assert_eq!(worker(W1).status, WorkerStatus::Idle);
			assert!(listed(1).is_empty());
			assert_noop!(
				ComputeStaking::resume(RuntimeOrigin::signed(W1)),
				Error::<Test>::BondBelowMinimum
			);
			assert_ok!(ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), MIN_BOND));
			assert_ok!(ComputeStaking::resume(RuntimeOrigin::signed(W1)));
			assert_eq!(listed(1), vec![W1]);
		});
	}
}

mod withdraw_unbonded {
	use super::*;

	#[test]
	fn unbond_then_withdraw_after_the_period() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 300, &[1]);
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 50));
			// The same block's unbonding merges into one chunk.
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 50));
			System::assert_last_event(
				Event::Unbonded { worker: W1, amount: 50, unlock_at: 1 + UNBONDING_PERIOD }.into(),
			);
			let record = worker(W1);
			assert_eq!(record.bonded, 200);
			assert_eq!(
				WorkerUnbonding::<Test>::get(W1).into_inner(),
				vec![UnbondingChunk { value: 100, unlock_at: 1 + UNBONDING_PERIOD }]
			);
			// Still held, still counted as own stake.
			assert_eq!(bond_held(W1), 300);
			run_to(UNBONDING_PERIOD);
			assert_noop!(
				ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)),
				Error::<Test>::NothingToWithdraw
			);
			run_to(1 + UNBONDING_PERIOD);
			// A job still pending for the worker (say, one nobody advanced) keeps its stake
			// slashable: nothing is withdrawn until it settles.
			MockPendingJobs::set(W1, true);
			assert_noop!(
				ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)),
				Error::<Test>::JobsPending
			);
			MockPendingJobs::set(W1, false);
			let before = free(W1);
			assert_ok!(ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)));
			System::assert_last_event(Event::Withdrawn { worker: W1, amount: 100 }.into());
			assert_eq!(free(W1), before + 100);
			assert_eq!(bond_held(W1), 200);
			assert!(WorkerUnbonding::<Test>::get(W1).is_empty());
		});
	}
}

mod deregister {
	use super::*;

	#[test]
	fn needs_no_stake_and_no_pending_job() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::deregister(RuntimeOrigin::signed(W1)),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1]);
			assert_noop!(
				ComputeStaking::deregister(RuntimeOrigin::signed(W1)),
				Error::<Test>::StillBonded
			);
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 200));
			assert_noop!(
				ComputeStaking::deregister(RuntimeOrigin::signed(W1)),
				Error::<Test>::StillBonded
			);
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)));
			MockPendingJobs::set(W1, true);
			assert_noop!(
				ComputeStaking::deregister(RuntimeOrigin::signed(W1)),
				Error::<Test>::JobsPending
			);
			MockPendingJobs::set(W1, false);
			assert_ok!(ComputeStaking::deregister(RuntimeOrigin::signed(W1)));
			System::assert_last_event(
				Event::WorkerDeregistered { worker: W1, deposit: DEPOSIT }.into(),
			);
			assert_eq!(free(W1), RICH);
			assert_eq!(deposit_held(W1), 0);
			assert!(Workers::<Test>::get(W1).is_none());
			assert!(Pools::<Test>::get(W1).is_none());
			assert!(ComputeStaking::worker_details(W1).is_none());
			// It may register again.
			register(W1, 200, &[1]);
		});
	}

	#[test]
	fn a_deposit_keeps_its_price_when_the_parameter_changes() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			let mut params = ComputeStaking::params();
			params.registration_deposit = 70;
			assert_ok!(ComputeStaking::set_params(RuntimeOrigin::root(), params));
			register(W2, 200, &[1]);
			assert_eq!(deposit_held(W1), DEPOSIT);
			assert_eq!(deposit_held(W2), 70);
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 200));
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)));
			assert_ok!(ComputeStaking::deregister(RuntimeOrigin::signed(W1)));
			assert_eq!(free(W1), RICH);
		});
	}

	/// Reputations and offence logs used to outlive their workers forever, storage nobody paid
	/// for; a worker that leaves now takes them along.
	#[test]
	fn a_deregistered_worker_leaves_no_reputation_or_offences_behind() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			let _ = <ComputeStaking as WorkerStaking<u64, u64>>::slash(
				&W1,
				Perbill::from_percent(10),
				200,
				SlashReason::Timeout,
				7,
				None,
			);
			assert_eq!(ComputeStaking::reputation(&W1).slashes, 1);
			assert_eq!(RecentOffences::<Test>::get(W1).len(), 1);
			let bonded = worker(W1).bonded;
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), bonded));
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)));
			assert_ok!(ComputeStaking::deregister(RuntimeOrigin::signed(W1)));
			assert!(!Reputations::<Test>::contains_key(W1));
			assert!(!RecentOffences::<Test>::contains_key(W1));
		});
	}

	#[test]
	fn delegators_outlive_their_deregistered_worker() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			delegate(D1, W1, 100);
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 200));
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)));
			assert_ok!(ComputeStaking::deregister(RuntimeOrigin::signed(W1)));
			// The pool stays for its delegator; nobody new may join.
			assert_eq!(pool(W1).delegators, 1);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D2), W1, 100),
				Error::<Test>::NotRegistered
			);
			// Slashing a deregistered worker yields nothing.
			assert_eq!(slash(W1, 50, SlashReason::Timeout, 1, None), 0);
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 100));
			run_to(1 + 2 * UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1));
			assert_eq!(free(D1), RICH);
			assert!(Pools::<Test>::get(W1).is_none());
		});
	}
}

mod heartbeat {
	use super::*;

	#[test]
	fn heartbeats_are_free_only_when_on_time() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1]);
			// Early: 5 blocks after registration.
			run_to(6);
			let info = ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)).unwrap();
			assert_eq!(info.pays_fee, Pays::Yes);
			System::assert_last_event(
				Event::HeartbeatReceived { worker: W1, on_time: false }.into(),
			);
			// On time: exactly the interval later.
			run_to(6 + HEARTBEAT_INTERVAL);
			let info = ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)).unwrap();
			assert_eq!(info.pays_fee, Pays::No);
			System::assert_last_event(
				Event::HeartbeatReceived { worker: W1, on_time: true }.into(),
			);
			// On time: the last block before going offline.
			run_to(6 + HEARTBEAT_INTERVAL + OFFLINE_AFTER);
			let info = ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)).unwrap();
			assert_eq!(info.pays_fee, Pays::No);
			// Late: the worker was offline.
			run_to(6 + HEARTBEAT_INTERVAL + 2 * OFFLINE_AFTER + 1);
			let info = ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)).unwrap();
			assert_eq!(info.pays_fee, Pays::Yes);
			assert_eq!(worker(W1).last_heartbeat, 6 + HEARTBEAT_INTERVAL + 2 * OFFLINE_AFTER + 1);
		});
	}

	#[test]
	fn an_offline_worker_is_not_drawn_until_its_next_heartbeat() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			register(W2, 200, &[1]);
			run_to(1 + OFFLINE_AFTER);
			assert_eq!(eligible_count(1), 2);
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(W2)));
			run_to(2 + OFFLINE_AFTER);
			assert!(!is_eligible(W1, 1));
			assert!(is_eligible(W2, 1));
			assert_eq!(eligible_count(1), 1);
			assert!(!ComputeStaking::worker_details(W1).unwrap().online);
			assert_eq!(select(1, 1, 3, &[]).unwrap(), vec![W2]);
			assert_noop!(select(1, 2, 3, &[]), Error::<Test>::NotEnoughWorkers);
			// Still listed: offline is evaluated lazily.
			assert_eq!(listed(1), vec![W1, W2]);
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)));
			assert!(is_eligible(W1, 1));
			assert_eq!(eligible_count(1), 2);
		});
	}
}

mod go_idle {
	use super::*;

	#[test]
	fn go_idle_and_resume() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::go_idle(RuntimeOrigin::signed(W1)),
				Error::<Test>::NotRegistered
			);
			assert_noop!(
				ComputeStaking::resume(RuntimeOrigin::signed(W1)),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1, 2]);
			assert_noop!(ComputeStaking::resume(RuntimeOrigin::signed(W1)), Error::<Test>::NotIdle);
			assert_ok!(ComputeStaking::go_idle(RuntimeOrigin::signed(W1)));
			System::assert_last_event(Event::WentIdle { worker: W1 }.into());
			assert_eq!(worker(W1).status, WorkerStatus::Idle);
			assert!(listed(1).is_empty() && listed(2).is_empty());
			assert!(!is_eligible(W1, 1));
			assert_noop!(
				ComputeStaking::go_idle(RuntimeOrigin::signed(W1)),
				Error::<Test>::AlreadyIdle
			);

			// An idle worker changes its models without being listed.
			assert_ok!(ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[3])));
			assert!(listed(3).is_empty());

			// Resuming after a long pause counts as a sign of life.
			run_to(500);
			assert_ok!(ComputeStaking::resume(RuntimeOrigin::signed(W1)));
			System::assert_last_event(Event::Resumed { worker: W1 }.into());
			assert_eq!(worker(W1).last_heartbeat, 500);
			assert_eq!(listed(3), vec![W1]);
			assert!(is_eligible(W1, 3));
		});
	}
}

mod resume {
	use super::*;

	#[test]
	fn needs_a_slot_and_the_minimum_bond() {
		ExtBuilder::default().build_and_execute(|| {
			register(9, 200, &[1]);
			assert_ok!(ComputeStaking::go_idle(RuntimeOrigin::signed(9)));
			for who in 1..9 {
				register(who, 200, &[1]);
			}
			assert_noop!(
				ComputeStaking::resume(RuntimeOrigin::signed(9)),
				Error::<Test>::ModelWorkersFull
			);

			let mut params = ComputeStaking::params();
			params.min_worker_bond = 250;
			assert_ok!(ComputeStaking::set_params(RuntimeOrigin::root(), params));
			assert_ok!(ComputeStaking::go_idle(RuntimeOrigin::signed(W1)));
			assert_noop!(
				ComputeStaking::resume(RuntimeOrigin::signed(W1)),
				Error::<Test>::BondBelowMinimum
			);
		});
	}
}

mod rotate_attestation_key {
	use super::*;

	#[test]
	fn replaces_the_key() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::rotate_attestation_key(RuntimeOrigin::signed(W1), key(9)),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1]);
			assert_noop!(
				ComputeStaking::rotate_attestation_key(RuntimeOrigin::signed(W1), key(1)),
				Error::<Test>::SameAttestationKey
			);
			assert_ok!(ComputeStaking::rotate_attestation_key(RuntimeOrigin::signed(W1), key(9)));
			assert_eq!(
				<ComputeStaking as WorkerStaking<u64, u64>>::attestation_key(&W1),
				Some(key(9))
			);
			assert_eq!(<ComputeStaking as WorkerStaking<u64, u64>>::attestation_key(&W2), None);
			System::assert_last_event(
				Event::AttestationKeyRotated { worker: W1, old_key: key(1), new_key: key(9) }
					.into(),
			);
		});
	}

	#[test]
	fn slashing_works_after_a_key_rotation() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			assert_ok!(ComputeStaking::rotate_attestation_key(RuntimeOrigin::signed(W1), key(77)));
			assert_eq!(slash(W1, 10, SlashReason::WrongResult, 3, None), 20);
			assert_eq!(worker(W1).bonded, 180);
			assert_eq!(worker(W1).attestation_key, key(77));
			assert_eq!(ComputeStaking::reputation(&W1).slashes, 1);
		});
	}
}

mod set_served_models {
	use super::*;

	#[test]
	fn updates_the_worker_sets() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[1])),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1, 2]);
			assert_noop!(
				ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[3, 3])),
				Error::<Test>::DuplicateModel
			);
			assert_noop!(
				ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[2, 77])),
				Error::<Test>::ModelNotActive
			);
			assert_ok!(ComputeStaking::set_served_models(
				RuntimeOrigin::signed(W1),
				served(&[2, 3])
			));
			assert_eq!(listed(1), Vec::<u64>::new());
			assert_eq!(listed(2), vec![W1]);
			assert_eq!(listed(3), vec![W1]);
			System::assert_last_event(
				Event::ServedModelsSet { worker: W1, models: served(&[2, 3]) }.into(),
			);

			// A model retired since it was added may be kept, not added again.
			MockModels::set(3, ModelStatus::Retired);
			assert_ok!(ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[3])));
			assert_eq!(listed(2), Vec::<u64>::new());
		});
	}

	/// A model's owner may cut its price at any time. Dropping a model used to be refused while
	/// any job was pending, so a busy worker kept being drawn for the cheaper model (it always
	/// had a pending job); now it stops serving it at once.
	#[test]
	fn a_worker_with_pending_jobs_can_stop_serving_a_model_at_once() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			MockPendingJobs::set(W1, true);
			assert_ok!(ComputeStaking::set_served_models(
				RuntimeOrigin::signed(W1),
				served(&[1, 2])
			));
			assert_ok!(ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[2])));
			assert_eq!(worker(W1).models.into_inner(), vec![2]);
			assert_eq!(listed(1), Vec::<u64>::new());
			assert_eq!(listed(2), vec![W1]);
		});
	}

	#[test]
	fn a_full_set_refuses_a_new_model() {
		ExtBuilder::default().build_and_execute(|| {
			for who in 1..9 {
				register(who, 200, &[1]);
			}
			register(9, 200, &[2]);
			assert_noop!(
				ComputeStaking::set_served_models(RuntimeOrigin::signed(9), served(&[2, 1])),
				Error::<Test>::ModelWorkersFull
			);
		});
	}
}

mod set_metadata {
	use super::*;

	#[test]
	fn set_metadata_and_commission() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::set_metadata(RuntimeOrigin::signed(W1), bytes(b"x"), bytes(b"y")),
				Error::<Test>::NotRegistered
			);
			assert_noop!(
				ComputeStaking::set_commission(RuntimeOrigin::signed(W1), Perbill::from_percent(5)),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1]);
			assert_ok!(ComputeStaking::set_metadata(
				RuntimeOrigin::signed(W1),
				bytes(b"https://new.example"),
				bytes(b"cpu=avx512")
			));
			let profile = Profiles::<Test>::get(W1).unwrap();
			assert_eq!(profile.metadata.into_inner(), b"https://new.example".to_vec());
			assert_eq!(profile.capabilities.into_inner(), b"cpu=avx512".to_vec());
			System::assert_last_event(Event::MetadataSet { worker: W1 }.into());

			assert_noop!(
				ComputeStaking::set_commission(
					RuntimeOrigin::signed(W1),
					Perbill::from_percent(60)
				),
				Error::<Test>::CommissionTooHigh
			);
			assert_ok!(ComputeStaking::set_commission(
				RuntimeOrigin::signed(W1),
				Perbill::from_percent(5)
			));
			assert_eq!(worker(W1).commission, Perbill::from_percent(5));
			System::assert_last_event(
				Event::CommissionSet { worker: W1, commission: Perbill::from_percent(5) }.into(),
			);
		});
	}
}

mod set_commission {
	use super::*;

	/// A worker could raise its commission to the maximum right before a reward and take its
	/// delegators' part of a job their stake was drawn for. A raise now waits `UnbondingPeriod`
	/// after its announcement, long enough for every delegator to leave at the old rate.
	#[test]
	fn a_commission_raise_waits_until_delegators_could_leave() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 100, &[1]);
			delegate(D1, W1, 100);
			let raise = Perbill::from_percent(50);
			assert_ok!(ComputeStaking::set_commission(RuntimeOrigin::signed(W1), raise));
			System::assert_last_event(
				Event::CommissionRaiseAnnounced {
					worker: W1,
					commission: raise,
					from: 1 + UNBONDING_PERIOD,
				}
				.into(),
			);
			// Not applied: a reward now still pays the delegators at 10 %.
			assert_eq!(worker(W1).commission, Perbill::from_percent(10));
			assert_noop!(
				ComputeStaking::set_commission(RuntimeOrigin::signed(W1), raise),
				Error::<Test>::CommissionRaiseNotDue
			);
			assert_ok!(reward(W1, 1_000, 1));
			// 100 commission, then 900 split 50/50 by stake.
			assert_eq!(value_of(W1, D1), 100 + 450);
			// The delegator leaves within the notice and is out before the raise.
			let all = value_of(W1, D1);
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, all));
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1));
			assert_ok!(ComputeStaking::set_commission(RuntimeOrigin::signed(W1), raise));
			assert_eq!(worker(W1).commission, raise);
			assert!(!CommissionRaises::<Test>::contains_key(W1));
			// A cut applies at once and drops a pending raise.
			let set = |percent| {
				ComputeStaking::set_commission(
					RuntimeOrigin::signed(W1),
					Perbill::from_percent(percent),
				)
			};
			assert_ok!(set(20));
			assert_eq!(worker(W1).commission, Perbill::from_percent(20));
			assert_ok!(set(40));
			assert!(CommissionRaises::<Test>::contains_key(W1));
			assert_ok!(set(15));
			assert!(!CommissionRaises::<Test>::contains_key(W1));
			assert_eq!(worker(W1).commission, Perbill::from_percent(15));
		});
	}
}

mod delegate {
	use super::*;

	#[test]
	fn mints_shares_and_holds_on_the_pot() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			delegate(D1, W1, 300);
			System::assert_last_event(
				Event::Delegated { worker: W1, delegator: D1, amount: 300, shares: 300 }.into(),
			);
			delegate(D1, W1, 20);
			delegate(D2, W1, 100);
			assert_eq!(free(D1), RICH - 320);
			assert_eq!(pot_held(), 420);
			assert_eq!(
				pool(W1),
				Pool { bonded: 420, shares: 420, delegators: 2, ..Default::default() }
			);
			assert_eq!(value_of(W1, D1), 320);
			assert_eq!(value_of(W1, D2), 100);
			let details = ComputeStaking::worker_details(W1).unwrap();
			assert_eq!(details.delegated, 420);
			assert_eq!(details.delegators, 2);
			// Stake-weight counts delegated stake too.
			assert!(details.eligible);
		});
	}

	#[test]
	fn rejects_invalid_input() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D1), W1, 100),
				Error::<Test>::NotRegistered
			);
			register(W1, 200, &[1]);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(W1), W1, 100),
				Error::<Test>::SelfDelegation
			);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D1), W1, 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D1), W1, MIN_DELEGATION - 1),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(POOR), W1, 100),
				Error::<Test>::InsufficientBalance
			);
			delegate(11, W1, 10);
			// An existing delegator may add below the minimum.
			delegate(11, W1, 1);
		});
	}

	/// Delegator records used to be capped per worker, so a squatter holding every slot with
	/// minimum delegations (64 on the runtime) locked every other delegator out. Nothing caps
	/// them now; each record holds at least the minimum delegation.
	#[test]
	fn minimum_delegations_cannot_squat_a_worker() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			// More squatters than a page (the old cap) holds, then an honest delegator.
			for squatter in 13..19 {
				delegate(squatter, W1, MIN_DELEGATION);
			}
			delegate(D1, W1, 300);
			assert_eq!(pool(W1).delegators, 7);
			assert_eq!(value_of(W1, D1), 300);
			// Pages stay bounded.
			assert_eq!(ComputeStaking::delegations_of(W1, 0, 100).len(), 4);
			assert_eq!(ComputeStaking::delegations_of(W1, 4, 100).len(), 3);
		});
	}

	#[test]
	fn a_deposit_too_small_for_one_share_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 100, &[1]);
			assert_ok!(ComputeStaking::set_commission(RuntimeOrigin::signed(W1), Perbill::zero()));
			delegate(D1, W1, 10);
			// The delegators' part of this reward is 10 * 100_000 / 110 = 9_090.
			assert_ok!(reward(W1, 100_000, 1));
			assert_eq!(value_of(W1, D1), 9_100);
			// 10 * 10 / 9_100 rounds to no share at all.
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D2), W1, 10),
				Error::<Test>::AmountTooSmall
			);
			delegate(D2, W1, 910);
			assert_eq!(pool(W1).shares, 11);
		});
	}

	/// Audit H-1: stake and deposits never take funds a governance vote freezes.
	#[test]
	fn a_delegation_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, MIN_BOND, &[1]);
			// The delegator's vote leaves it 10 unfrozen units.
			vote_lock(D1, RICH - 10);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D1), W1, 11),
				Error::<Test>::FundsFrozen
			);
			delegate(D1, W1, 10);
			assert_eq!(value_of(W1, D1), 10);
			assert_eq!(free(D1), RICH - 10);
			// Beyond the balance itself, the error is still the balance's.
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(D2), W1, RICH),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	/// Audit H-1: stake and deposits never take funds a governance vote freezes.
	#[test]
	fn a_delegator_with_holds_cannot_delegate_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			// W2 is a worker (its bond and deposit are held) and votes with all its free funds.
			// A `Polite` transfer alone would let it move free funds up to what it holds, since
			// the freeze counts held funds too; the vote lock would then rest on its bond.
			register(W1, MIN_BOND, &[1]);
			register(W2, MIN_BOND, &[1]);
			let unlocked = free(W2);
			vote_lock(W2, unlocked);
			assert_noop!(
				ComputeStaking::delegate(RuntimeOrigin::signed(W2), W1, MIN_DELEGATION),
				Error::<Test>::FundsFrozen
			);

			vote_lock(W2, unlocked - MIN_DELEGATION);
			delegate(W2, W1, MIN_DELEGATION);
			assert_eq!(value_of(W1, W2), MIN_DELEGATION);
			assert_eq!(free(W2), unlocked - MIN_DELEGATION);
		});
	}
}

mod undelegate {
	use super::*;

	#[test]
	fn rejects_invalid_input() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 10),
				Error::<Test>::NotDelegator
			);
			assert_noop!(
				ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1),
				Error::<Test>::NotDelegator
			);
			register(W1, 200, &[1]);
			assert_noop!(
				ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 10),
				Error::<Test>::NotDelegator
			);
			assert_noop!(
				ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1),
				Error::<Test>::NotDelegator
			);
			delegate(D1, W1, 100);
			assert_noop!(
				ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 95),
				Error::<Test>::DelegationBelowMinimum
			);
			for block in 2..5 {
				run_to(block);
				assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 10));
			}
			run_to(5);
			assert_noop!(
				ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 10),
				Error::<Test>::TooManyUnbondingChunks
			);
		});
	}
}

mod withdraw_undelegated {
	use super::*;

	#[test]
	fn undelegate_then_withdraw_after_the_period() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			delegate(D1, W1, 300);
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 100));
			System::assert_last_event(
				Event::Undelegated {
					worker: W1,
					delegator: D1,
					amount: 100,
					shares: 100,
					unlock_at: 1 + UNBONDING_PERIOD,
				}
				.into(),
			);
			assert_eq!(value_of(W1, D1), 200);
			assert_eq!(unbonding_of(W1, D1), vec![100]);
			assert_eq!(pool(W1).unbonding, 100);
			// Unbonding stake stays on the pot until withdrawn.
			assert_eq!(pot_held(), 300);
			assert_noop!(
				ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1),
				Error::<Test>::NothingToWithdraw
			);
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1));
			System::assert_last_event(
				Event::DelegationWithdrawn { worker: W1, delegator: D1, amount: 100 }.into(),
			);
			assert_eq!(free(D1), RICH - 200);
			assert_eq!(pot_held(), 200);
			// Undelegating more than the value takes everything; the record ends on withdrawal.
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 1_000));
			assert_eq!(value_of(W1, D1), 0);
			run_to(1 + 2 * UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1));
			assert!(Delegations::<Test>::get(W1, D1).is_none());
			assert_eq!(pool(W1), Pool::default());
			assert_eq!(free(D1), RICH);
		});
	}
}

mod set_params {
	use super::*;

	#[test]
	fn is_governance_only_and_validated() {
		ExtBuilder::default().build_and_execute(|| {
			let mut params = ComputeStaking::params();
			params.min_worker_bond = 300;
			assert_noop!(ComputeStaking::set_params(RuntimeOrigin::signed(W1), params), BadOrigin);
			let mut invalid = params;
			invalid.min_delegation = 0;
			assert_noop!(
				ComputeStaking::set_params(RuntimeOrigin::root(), invalid),
				Error::<Test>::InvalidParams
			);
			assert_ok!(ComputeStaking::set_params(RuntimeOrigin::root(), params));
			assert_eq!(ComputeStaking::params(), params);
			System::assert_last_event(Event::ParamsSet { params }.into());
		});
	}

	#[test]
	fn a_raised_minimum_makes_small_workers_ineligible_lazily() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			register(W2, 400, &[1]);
			let mut params = ComputeStaking::params();
			params.min_worker_bond = 300;
			assert_ok!(ComputeStaking::set_params(RuntimeOrigin::root(), params));
			// Still listed (no scan of all workers), but not drawn.
			assert_eq!(listed(1), vec![W1, W2]);
			assert!(!is_eligible(W1, 1));
			assert!(is_eligible(W2, 1));
			assert_eq!(select(1, 1, 0, &[]).unwrap(), vec![W2]);
			assert_eq!(ComputeStaking::eligible_workers(1), vec![W2]);
			// Bonding up brings it back.
			assert_ok!(ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), 100));
			assert!(is_eligible(W1, 1));
		});
	}

	#[test]
	fn a_lowered_maximum_caps_the_commission() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 100, &[1]);
			// A raise to 50 %, announced and applied after its notice.
			for _ in 0..2 {
				assert_ok!(ComputeStaking::set_commission(
					RuntimeOrigin::signed(W1),
					Perbill::from_percent(50)
				));
				run_to(1 + UNBONDING_PERIOD);
			}
			delegate(D1, W1, 100);
			let mut params = ComputeStaking::params();
			params.max_commission = Perbill::from_percent(20);
			assert_ok!(ComputeStaking::set_params(RuntimeOrigin::root(), params));
			assert_eq!(
				ComputeStaking::worker_details(W1).unwrap().effective_commission,
				Perbill::from_percent(20)
			);
			assert_ok!(reward(W1, 1_000, 1));
			// Commission 200, then 800 split 100 : 100.
			assert_eq!(value_of(W1, D1), 500);
		});
	}
}

mod take_slot {
	use super::*;

	/// Fills the worker set of model 1 with workers 1 to 8 (bond 200 each).
	fn fill_model_one() {
		for who in 1..9 {
			register(who, 200, &[1]);
		}
		assert_eq!(listed(1).len(), 8);
	}

	fn take_slot(who: u64, model: ModelId, member: u64) -> DispatchResult {
		ComputeStaking::take_slot(RuntimeOrigin::signed(who), model, member)
	}

	#[test]
	fn replaces_an_offline_member() {
		ExtBuilder::default().build_and_execute(|| {
			fill_model_one();
			register(9, 200, &[2]);
			// Everyone stops heartbeating except worker 9 and worker 2.
			run_to(1 + OFFLINE_AFTER + 1);
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(9)));
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(W2)));
			// The online member with the same stake keeps its slot.
			assert_noop!(take_slot(9, 1, W2), Error::<Test>::MemberNotWeaker);
			// The offline member with the same stake loses it.
			assert_ok!(take_slot(9, 1, W1));
			System::assert_last_event(Event::SlotTaken { model: 1, worker: 9, evicted: W1 }.into());
			assert!(!listed(1).contains(&W1));
			assert!(listed(1).contains(&9));
			assert_eq!(listed(1).len(), 8);
			assert_eq!(worker(W1).models.into_inner(), Vec::<ModelId>::new());
			assert_eq!(worker(9).models.into_inner(), vec![2, 1]);
			assert!(is_eligible(9, 1));
			// The evicted worker keeps its stake and status; back online, it finds the set full.
			assert_eq!(worker(W1).bonded, 200);
			assert_eq!(worker(W1).status, WorkerStatus::Active);
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(W1)));
			assert_noop!(
				ComputeStaking::set_served_models(RuntimeOrigin::signed(W1), served(&[1])),
				Error::<Test>::ModelWorkersFull
			);
			// It takes a slot back from another offline member.
			assert_ok!(take_slot(W1, 1, W3));
			assert_eq!(worker(W3).models.len(), 0);
		});
	}

	#[test]
	fn replaces_an_under_bonded_member() {
		ExtBuilder::default().build_and_execute(|| {
			fill_model_one();
			register(9, 400, &[2]);
			let mut params = ComputeStaking::params();
			params.min_worker_bond = 300;
			assert_ok!(ComputeStaking::set_params(RuntimeOrigin::root(), params));
			assert_ok!(take_slot(9, 1, W4));
			assert_eq!(worker(W4).models.len(), 0);
			assert!(listed(1).contains(&9));
			// A worker under the new minimum cannot take a slot, even from another one under it.
			assert_noop!(take_slot(W4, 1, W5), Error::<Test>::NotEligible);
		});
	}

	#[test]
	fn replaces_a_lower_staked_member() {
		ExtBuilder::default().build_and_execute(|| {
			fill_model_one();
			register(9, 250, &[2]);
			// Stake counts delegations: 200 own + 100 delegated is more than 250.
			delegate(D1, W1, 100);
			assert_noop!(take_slot(9, 1, W1), Error::<Test>::MemberNotWeaker);
			assert_ok!(take_slot(9, 1, W2));
			System::assert_last_event(Event::SlotTaken { model: 1, worker: 9, evicted: W2 }.into());
			// Equal stake is not enough.
			register(19, 200, &[3]);
			assert_noop!(take_slot(19, 1, W3), Error::<Test>::MemberNotWeaker);
			// Nor is less: worker 2, now outside, cannot take worker 9's slot back.
			assert_noop!(take_slot(W2, 1, 9), Error::<Test>::MemberNotWeaker);
		});
	}

	#[test]
	fn rejects_invalid_requests() {
		ExtBuilder::default().build_and_execute(|| {
			register(9, 300, &[2]);
			// The set has room.
			register(W1, 200, &[1]);
			assert_noop!(take_slot(9, 1, W1), Error::<Test>::WorkerSetNotFull);
			for who in 2..9 {
				register(who, 200, &[1]);
			}
			assert_noop!(take_slot(19, 1, W1), Error::<Test>::NotRegistered);
			assert_noop!(take_slot(9, 1, 9), Error::<Test>::NotInWorkerSet);
			assert_noop!(take_slot(9, 1, 19), Error::<Test>::NotInWorkerSet);
			assert_noop!(take_slot(W1, 1, W2), Error::<Test>::AlreadyServing);
			assert_noop!(take_slot(9, RETIRED_MODEL, W1), Error::<Test>::ModelNotActive);
			assert_noop!(take_slot(9, 77, W1), Error::<Test>::ModelNotActive);
			assert_noop!(
				ComputeStaking::take_slot(RuntimeOrigin::root(), 1, W1),
				DispatchError::BadOrigin
			);
			// An idle or offline caller cannot take a slot.
			assert_ok!(ComputeStaking::go_idle(RuntimeOrigin::signed(9)));
			assert_noop!(take_slot(9, 1, W1), Error::<Test>::NotEligible);
			assert_ok!(ComputeStaking::resume(RuntimeOrigin::signed(9)));
			run_to(1 + OFFLINE_AFTER + 1);
			assert_noop!(take_slot(9, 1, W1), Error::<Test>::NotEligible);
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(9)));
			// A caller that already serves the most models it may.
			MockModels::set(5, ModelStatus::Active);
			assert_ok!(ComputeStaking::set_served_models(
				RuntimeOrigin::signed(9),
				served(&[2, 3, 5])
			));
			assert_noop!(take_slot(9, 1, W1), Error::<Test>::TooManyModels);
		});
	}

	#[test]
	fn an_evicted_worker_stays_slashable_and_keeps_its_jobs_pending() {
		ExtBuilder::default().build_and_execute(|| {
			fill_model_one();
			register(9, 300, &[2]);
			MockPendingJobs::set(W1, true);
			assert_ok!(take_slot(9, 1, W1));
			// Its pending jobs do not stop the eviction, and it is still answerable for them.
			assert_eq!(slash(W1, 50, SlashReason::Timeout, 7, None), 100);
			assert_eq!(worker(W1).bonded, 100);
			assert_eq!(ComputeStaking::reputation(&W1).slashes, 1);
			assert_noop!(
				ComputeStaking::deregister(RuntimeOrigin::signed(W1)),
				Error::<Test>::StillBonded
			);
		});
	}
}

/// The genesis build and the parameters it falls back to.
mod genesis {
	use super::*;

	#[test]
	fn sets_params_and_opens_the_pot() {
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(
				ComputeStaking::params(),
				StakingParams {
					min_worker_bond: MIN_BOND,
					min_delegation: MIN_DELEGATION,
					registration_deposit: DEPOSIT,
					max_commission: MAX_COMMISSION,
				}
			);
			assert_eq!(free(pot()), Balances::minimum_balance());
			assert_eq!(pot_held(), 0);
		});
	}

	#[test]
	fn default_params_are_valid() {
		ExtBuilder::default().build_and_execute(|| {
			let defaults = default_params::<Test>();
			assert!(defaults.is_valid());
			assert_eq!(defaults.min_worker_bond, 1_000_000);
			assert!(!StakingParams::<u64>::default().is_valid());
		});
	}
}

mod integrity_test {
	use super::*;

	#[test]
	fn passes() {
		ExtBuilder::default().build_and_execute(|| {
			<ComputeStaking as Hooks<u64>>::integrity_test();
		});
	}
}

/// The `WorkerStaking` impl the inference pallet uses, one module per function.
mod worker_staking {
	use super::*;

	mod reward {
		use super::*;

		#[test]
		fn pays_commission_then_splits_by_stake() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 100, &[1]);
				delegate(D1, W1, 300);
				let worker_before = free(W1);
				// Commission 10 % of 1 000 = 100; the remaining 900 split 100 : 300.
				assert_eq!(reward(W1, 1_000, 7), Ok(1_000));
				System::assert_last_event(
					Event::Rewarded {
						worker: W1,
						job: 7,
						amount: 1_000,
						commission: 100,
						to_worker: 325,
						to_delegators: 675,
					}
					.into(),
				);
				assert_eq!(free(W1), worker_before + 325);
				assert_eq!(free(ESCROW), RICH - 1_000);
				// Auto-compounded: the delegator's shares appreciated.
				assert_eq!(value_of(W1, D1), 975);
				assert_eq!(pool(W1).shares, 300);
				assert_eq!(pot_held(), 975);
				let reputation = ComputeStaking::reputation(&W1);
				assert_eq!(reputation.jobs_completed, 1);
				assert_eq!(reputation.total_rewarded, 1_000);
			});
		}

		#[test]
		fn rewards_are_shared_pro_rata_between_delegators() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 100, &[1]);
				assert_ok!(ComputeStaking::set_commission(
					RuntimeOrigin::signed(W1),
					Perbill::zero()
				));
				delegate(D1, W1, 100);
				delegate(D2, W1, 300);
				// The delegators' part: 500 * 400 / 500 = 400.
				assert_ok!(reward(W1, 500, 1));
				assert_eq!(value_of(W1, D1), 200);
				assert_eq!(value_of(W1, D2), 600);
				// A later delegator buys shares at the new price and earns from then on only.
				delegate(D3, W1, 200);
				assert_eq!(Delegations::<Test>::get(W1, D3).unwrap().shares, 100);
				assert_ok!(reward(W1, 1_100, 2));
				assert_eq!(value_of(W1, D1), 400);
				assert_eq!(value_of(W1, D2), 1_200);
				assert_eq!(value_of(W1, D3), 400);
			});
		}

		#[test]
		fn failures_move_nothing() {
			ExtBuilder::default().build_and_execute(|| {
				assert_eq!(reward(W1, 10, 1), Err(Error::<Test>::NotRegistered.into()));
				register(W1, 100, &[1]);
				delegate(D1, W1, 100);
				let before = (free(W1), pot_held(), free(POOR));
				// The payer cannot afford it: nothing moves, nothing is counted.
				assert!(<ComputeStaking as WorkerStaking<u64, u64>>::reward(&POOR, &W1, 1_000, 1)
					.is_err());
				assert_eq!((free(W1), pot_held(), free(POOR)), before);
				assert_eq!(ComputeStaking::reputation(&W1).jobs_completed, 0);
			});
		}
	}

	mod slash {
		use super::*;

		#[test]
		fn takes_the_worker_own_stake_first() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 200, &[1]);
				delegate(D1, W1, 300);
				// 20 % of 500 = 100, all from the worker's bond.
				assert_eq!(slash(W1, 20, SlashReason::WrongResult, 42, None), 100);
				System::assert_last_event(
					Event::Slashed {
						worker: W1,
						job: 42,
						reason: SlashReason::WrongResult,
						fraction: Perbill::from_percent(20),
						amount: 100,
						from_worker: 100,
						from_delegators: 0,
						payee: None,
						to_payee: 0,
					}
					.into(),
				);
				assert_eq!(worker(W1).bonded, 100);
				assert_eq!(bond_held(W1), 100);
				assert_eq!(value_of(W1, D1), 300);
				assert_eq!(free(TREASURY), 101);
				let reputation = ComputeStaking::reputation(&W1);
				assert_eq!(
					(reputation.jobs_failed, reputation.slashes, reputation.total_slashed),
					(1, 1, 100)
				);
				assert_eq!(
					RecentOffences::<Test>::get(W1).into_inner(),
					vec![Offence {
						job: 42,
						reason: SlashReason::WrongResult,
						fraction: Perbill::from_percent(20),
						amount: 100,
						at: 1,
					}]
				);
			});
		}

		#[test]
		fn beyond_the_worker_reaches_delegators_bonded_stake_first() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 100, &[1]);
				delegate(D1, W1, 300);
				delegate(D2, W1, 100);
				assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D2), W1, 100));
				let total_before = tracked_total();
				// 50 % of 500 = 250: 100 from the worker, 150 from the delegators' bonded stake
				// (300); the stake already leaving is reached only when the bonded stake cannot
				// cover it.
				assert_eq!(slash(W1, 50, SlashReason::Timeout, 1, None), 250);
				System::assert_has_event(
					Event::Slashed {
						worker: W1,
						job: 1,
						reason: SlashReason::Timeout,
						fraction: Perbill::from_percent(50),
						amount: 250,
						from_worker: 100,
						from_delegators: 150,
						payee: None,
						to_payee: 0,
					}
					.into(),
				);
				assert_eq!(worker(W1).bonded, 0);
				assert_eq!(value_of(W1, D1), 150);
				assert_eq!(unbonding_of(W1, D2), vec![100]);
				assert_eq!(pot_held(), 250);
				assert_eq!(free(TREASURY), 251);
				assert_eq!(tracked_total(), total_before);
				// A worker slashed below the minimum goes idle and frees its slot.
				System::assert_has_event(Event::WentIdle { worker: W1 }.into());
				assert_eq!(worker(W1).status, WorkerStatus::Idle);
				assert!(listed(1).is_empty());
				assert!(!is_eligible(W1, 1));
				// It comes back by bonding up and resuming.
				assert_ok!(ComputeStaking::bond_extra(RuntimeOrigin::signed(W1), MIN_BOND));
				assert_ok!(ComputeStaking::resume(RuntimeOrigin::signed(W1)));
				assert!(is_eligible(W1, 1));
			});
		}

		#[test]
		fn slashing_reaches_stake_that_is_unbonding() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 200, &[1]);
				delegate(D1, W1, 200);
				// Both try to leave before the evidence lands.
				assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 200));
				assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 200));
				run_to(10);
				// 75 % of 400 = 300: the worker's 200 unbonding, then 100 of the delegator's.
				assert_eq!(slash(W1, 75, SlashReason::LostChallenge, 9, None), 300);
				assert!(WorkerUnbonding::<Test>::get(W1).is_empty());
				assert_eq!(bond_held(W1), 0);
				assert_eq!(unbonding_of(W1, D1), vec![100]);
				run_to(1 + UNBONDING_PERIOD);
				assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1));
				assert_eq!(free(D1), RICH - 100);
				assert_noop!(
					ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)),
					Error::<Test>::NothingToWithdraw
				);
				assert_eq!(ComputeStaking::reputation(&W1).challenges_lost, 1);
			});
		}

		#[test]
		fn a_partial_slash_takes_the_newest_unbonding_chunk_first() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 400, &[1]);
				assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 100));
				run_to(2);
				assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), 200));
				// 50 % of 400 = 200: the 100 bonded, then 100 of the newest chunk.
				assert_eq!(slash(W1, 50, SlashReason::Timeout, 1, None), 200);
				let record = worker(W1);
				assert_eq!(record.bonded, 0);
				assert_eq!(
					WorkerUnbonding::<Test>::get(W1)
						.iter()
						.map(|chunk| chunk.value)
						.collect::<Vec<_>>(),
					vec![100, 100]
				);
			});
		}

		#[test]
		fn a_sybil_payee_cannot_profit_from_a_slash_of_delegated_stake() {
			ExtBuilder::default().build_and_execute(|| {
				// The operator owns W1 (100 of its own) and W2, its "challenger"; D1 trusts W1 with
				// 900.
				register(W1, 100, &[1]);
				delegate(D1, W1, 900);
				let operator_before = free(W1) + bond_held(W1) + free(W2);
				let treasury_before = free(TREASURY);
				// 20 % of 1 000 = 200: all 100 of the worker's own, 100 of the delegator's.
				let outcome = slash_with(
					W1,
					20,
					u64::MAX,
					SlashReason::LostChallenge,
					1,
					Some(SlashPayee { account: W2, cost: 40, share: Perbill::from_percent(50) }),
				);
				assert_eq!(
					outcome,
					SlashOutcome {
						amount: 200,
						from_worker: 100,
						from_delegators: 100,
						to_payee: 90
					}
				);
				// The payee's cost and share can only come from the worker's own 100: 40 + 50.
				// Every delegator part goes to the treasury.
				assert_eq!(free(TREASURY), treasury_before + 110);
				assert_eq!(value_of(W1, D1), 800);
				// The operator, counting both of its accounts, ends poorer, never richer.
				assert_eq!(free(W1) + bond_held(W1) + free(W2), operator_before - 10);
				System::assert_has_event(
					Event::Slashed {
						worker: W1,
						job: 1,
						reason: SlashReason::LostChallenge,
						fraction: Perbill::from_percent(20),
						amount: 200,
						from_worker: 100,
						from_delegators: 100,
						payee: Some(W2),
						to_payee: 90,
					}
					.into(),
				);
			});
		}

		#[test]
		fn a_slash_payee_is_owed_its_cost_from_own_stake_on_top_of_the_penalty() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 500, &[1]);
				let before = free(W2);
				// 10 % of 500 = 50 penalty, plus 30 of cost: 80 leave the worker, 30 + 25 reach W2.
				let outcome = slash_with(
					W1,
					10,
					u64::MAX,
					SlashReason::LostChallenge,
					1,
					Some(SlashPayee { account: W2, cost: 30, share: Perbill::from_percent(50) }),
				);
				assert_eq!(
					outcome,
					SlashOutcome { amount: 80, from_worker: 80, from_delegators: 0, to_payee: 55 }
				);
				assert_eq!(free(W2), before + 55);
				assert_eq!(free(TREASURY), 1 + 25);
				assert_eq!(worker(W1).bonded, 420);
				// The cost is paid first, out of all the worker loses: here its penalty (210) and
				// the rest of its stake (210), every unit to the payee.
				let outcome = slash_with(
					W1,
					50,
					u64::MAX,
					SlashReason::LostChallenge,
					2,
					Some(SlashPayee { account: W2, cost: 1_000, share: Perbill::zero() }),
				);
				assert_eq!((outcome.from_worker, outcome.to_payee), (420, 420));
				assert_eq!(worker(W1).bonded, 0);
			});
		}

		#[test]
		fn neither_the_worker_nor_the_pot_can_be_a_slash_payee() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 200, &[1]);
				let payee = |account| SlashPayee { account, cost: 10, share: Perbill::one() };
				let outcome =
					slash_with(W1, 10, u64::MAX, SlashReason::LostChallenge, 1, Some(payee(W1)));
				assert_eq!((outcome.amount, outcome.to_payee), (20, 0));
				assert_eq!(free(TREASURY), 21);
				let pot_free = free(pot());
				let outcome =
					slash_with(W1, 10, u64::MAX, SlashReason::LostChallenge, 2, Some(payee(pot())));
				assert_eq!((outcome.amount, outcome.to_payee), (18, 0));
				assert_eq!(free(pot()), pot_free);
				assert_eq!(free(TREASURY), 39);
				// A zero slash moves nothing; a new account is created by what it receives.
				assert_eq!(slash(W1, 0, SlashReason::Timeout, 4, Some(500)), 0);
				let outcome =
					slash_with(W1, 1, u64::MAX, SlashReason::Timeout, 5, Some(payee(500)));
				assert_eq!(outcome.to_payee, 11);
				assert_eq!(free(500), 11);
			});
		}

		#[test]
		fn stake_unbonding_before_the_draw_is_not_slashed_for_the_job() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 200, &[1]);
				delegate(D1, W1, 200);
				delegate(D2, W1, 200);
				// D2 leaves before the job exists: its stake no longer backs W1's draws.
				assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D2), W1, 200));
				let backed = backing(W1);
				assert_eq!(backed, 400);
				// Even a full slash of the job's backing leaves D2's unbonding stake whole.
				let outcome = slash_with(W1, 100, backed, SlashReason::WrongResult, 1, None);
				assert_eq!((outcome.from_worker, outcome.from_delegators), (200, 200));
				assert_eq!(value_of(W1, D1), 0);
				assert_eq!(unbonding_of(W1, D2), vec![200]);
			});
		}

		#[test]
		fn slashing_an_unknown_worker_yields_nothing() {
			ExtBuilder::default().build_and_execute(|| {
				assert_eq!(slash(W1, 50, SlashReason::Timeout, 1, None), 0);
				assert_eq!(ComputeStaking::reputation(&W1), Reputation::default());
			});
		}

		#[test]
		fn the_offence_log_keeps_the_most_recent() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 1_000, &[1]);
				for job in 1..4 {
					slash(W1, 1, SlashReason::Timeout, job, None);
				}
				let jobs: Vec<JobId> =
					RecentOffences::<Test>::get(W1).iter().map(|o| o.job).collect();
				assert_eq!(jobs, vec![2, 3]);
				assert_eq!(ComputeStaking::reputation(&W1).slashes, 3);
				assert_eq!(ComputeStaking::worker_details(W1).unwrap().recent_offences.len(), 2);
			});
		}

		#[test]
		fn a_full_slash_wipes_the_pool_and_new_delegators_start_fresh() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 100, &[1]);
				delegate(D1, W1, 100);
				delegate(D2, W1, 100);
				assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D2), W1, 100));
				assert_eq!(slash(W1, 100, SlashReason::WrongResult, 1, None), 300);
				let wiped = pool(W1);
				assert_eq!((wiped.bonded, wiped.shares, wiped.generation), (0, 0, 1));
				assert_eq!(
					(wiped.unbonding, wiped.unbonding_points, wiped.unbonding_era),
					(0, 0, 1)
				);
				assert_eq!(value_of(W1, D1), 0);
				assert_eq!(unbonding_of(W1, D2), vec![0]);
				// A new delegator is not diluted by the worthless old shares.
				delegate(D3, W1, 50);
				assert_eq!(value_of(W1, D3), 50);
				// The wiped-out delegator's record is cleared.
				assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 10));
				assert!(Delegations::<Test>::get(W1, D1).is_none());
				// The one with a worthless unbonding chunk gets nothing and leaves.
				run_to(1 + UNBONDING_PERIOD);
				assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D2), W1));
				assert!(Delegations::<Test>::get(W1, D2).is_none());
				assert_eq!(free(D2), RICH - 100);
				assert_eq!(pool(W1).delegators, 1);
			});
		}
	}

	mod backing {
		use super::*;

		#[test]
		fn a_worker_that_cannot_be_drawn_backs_nothing() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 200, &[1]);
				assert_eq!(backing(W1), 200);
				assert_ok!(ComputeStaking::go_idle(RuntimeOrigin::signed(W1)));
				assert_eq!(backing(W1), 0);
				assert_eq!(backing(W2), 0);
				assert_eq!(<ComputeStaking as WorkerStaking<u64, u64>>::min_bond(), MIN_BOND);
			});
		}
	}

	mod select_workers {
		use super::*;

		#[test]
		fn selection_is_deterministic_distinct_and_only_eligible() {
			ExtBuilder::default().build_and_execute(|| {
				for who in [W1, W2, W3, W4, W5] {
					register(who, 200, &[1]);
				}
				register(6, 200, &[2]);
				// W2 idles, W3 goes offline, W4 falls below the minimum.
				assert_ok!(ComputeStaking::go_idle(RuntimeOrigin::signed(W2)));
				assert_eq!(slash(W4, 60, SlashReason::Timeout, 1, None), 120);
				run_to(2 + OFFLINE_AFTER);
				for who in [W1, W4, W5] {
					assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(who)));
				}
				assert_eq!(eligible_count(1), 2);
				assert_eq!(ComputeStaking::eligible_workers(1), vec![W1, W5]);
				for seed in 0..20 {
					let mut chosen = select(1, 2, seed, &[]).unwrap();
					assert_eq!(chosen, select(1, 2, seed, &[]).unwrap());
					chosen.sort();
					assert_eq!(chosen, vec![W1, W5]);
				}
				assert_eq!(select(1, 1, 0, &[W1]).unwrap(), vec![W5]);
				assert_noop!(select(1, 2, 0, &[W1]), Error::<Test>::NotEnoughWorkers);
				assert_noop!(select(1, 3, 0, &[]), Error::<Test>::NotEnoughWorkers);
				assert_noop!(select(3, 1, 0, &[]), Error::<Test>::NotEnoughWorkers);
				assert_eq!(select(1, 0, 0, &[]).unwrap(), Vec::<u64>::new());
			});
		}

		#[test]
		fn different_seeds_give_different_draws() {
			ExtBuilder::default().build_and_execute(|| {
				for who in 1..9 {
					register(who, 200, &[1]);
				}
				let draws: alloc::collections::BTreeSet<Vec<u64>> =
					(0..30).map(|seed| select(1, 3, seed, &[]).unwrap()).collect();
				assert!(draws.len() > 10);
				for draw in draws {
					let distinct: alloc::collections::BTreeSet<u64> =
						draw.iter().copied().collect();
					assert_eq!(distinct.len(), 3);
				}
			});
		}

		#[test]
		fn selection_is_stake_weighted() {
			ExtBuilder::default().build_and_execute(|| {
				register(W1, 100, &[1]);
				register(W2, 100, &[1]);
				// W2 weighs 100 own + 800 delegated: nine times W1.
				delegate(D1, W2, 800);
				let mut heavy = 0u32;
				for counter in 0..1_000u32 {
					let seed = sp_io_hash(counter);
					let chosen = <ComputeStaking as WorkerStaking<u64, u64>>::select_workers(
						1,
						1,
						&seed,
						&[],
					)
					.unwrap();
					if chosen == vec![W2] {
						heavy += 1;
					}
				}
				// Expected 900 of 1 000.
				assert!((850..=950).contains(&heavy), "heavy worker drawn {heavy} times");
				// Drawing both always yields both.
				let mut both = select(1, 2, 1, &[]).unwrap();
				both.sort();
				assert_eq!(both, vec![W1, W2]);
			});
		}

		fn sp_io_hash(counter: u32) -> [u8; 32] {
			polkadot_sdk::sp_io::hashing::blake2_256(&counter.to_le_bytes())
		}

		#[test]
		fn random_numbers_stay_below_the_bound() {
			let seed = [9u8; 32];
			for counter in 0..100 {
				assert!(ComputeStaking::random_below(&seed, counter, 7) < 7);
			}
			assert_eq!(ComputeStaking::random_below(&seed, 1, 0), 0);
			assert_eq!(
				ComputeStaking::random_below(&seed, 5, 1_000),
				ComputeStaking::random_below(&seed, 5, 1_000)
			);
		}
	}
}

/// The views the runtime API answers with.
mod runtime_api {
	use super::*;

	#[test]
	fn views() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1, 2]);
			for delegator in [D1, D2, D3] {
				delegate(delegator, W1, 100);
			}
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D3), W1, 40));
			let details = ComputeStaking::worker_details(W1).unwrap();
			assert_eq!(details.account, W1);
			assert_eq!(details.models, vec![1, 2]);
			assert_eq!(details.bonded, 200);
			assert_eq!(details.delegated, 260);
			assert_eq!(details.delegated_unbonding, 40);
			assert_eq!(details.delegators, 3);
			assert!(details.online && details.eligible);
			assert_eq!(details.metadata, b"https://worker.example".to_vec());

			let page = ComputeStaking::delegations_of(W1, 0, 2);
			assert_eq!(page.len(), 2);
			let rest = ComputeStaking::delegations_of(W1, 2, 10);
			assert_eq!(rest.len(), 1);
			let mut all: Vec<u64> = page.iter().chain(rest.iter()).map(|d| d.delegator).collect();
			all.sort();
			assert_eq!(all, vec![D1, D2, D3]);
			assert!(ComputeStaking::delegations_of(W2, 0, 10).is_empty());
			let d3 = ComputeStaking::delegation_details(W1, D3).unwrap();
			assert_eq!((d3.shares, d3.value), (60, 60));
			assert_eq!(
				d3.unbonding,
				vec![UnbondingChunk { value: 40, unlock_at: 1 + UNBONDING_PERIOD }]
			);
			assert_eq!(ComputeStaking::eligible_workers(2), vec![W1]);
			assert!(ComputeStaking::eligible_workers(3).is_empty());
		});
	}

	#[test]
	fn worker_set_shows_stake_and_drawability() {
		ExtBuilder::default().build_and_execute(|| {
			register(W1, 200, &[1]);
			register(W2, 300, &[1]);
			delegate(D1, W2, 50);
			run_to(1 + OFFLINE_AFTER + 1);
			assert_ok!(ComputeStaking::heartbeat(RuntimeOrigin::signed(W2)));
			assert_eq!(
				ComputeStaking::worker_set(1),
				vec![
					WorkerSlot { account: W1, stake: 200, drawable: false },
					WorkerSlot { account: W2, stake: 350, drawable: true },
				]
			);
			assert!(ComputeStaking::worker_set(2).is_empty());
		});
	}
}

/// The share and point arithmetic of `Pool`, without storage.
mod pool_arithmetic {
	use super::*;

	#[test]
	fn rounding_favours_the_pool_and_the_last_holder_takes_all() {
		let mut pool = Pool::<u64> { bonded: 10, shares: 3, ..Default::default() };
		// One share is worth 3.33: it redeems 3; the remainder stays.
		assert_eq!(pool.value_of_shares(1), 3);
		assert_eq!(pool.redeem(1), 3);
		assert_eq!((pool.bonded, pool.shares), (7, 2));
		// The last shares take everything.
		assert_eq!(pool.redeem(2), 7);
		assert_eq!((pool.bonded, pool.shares), (0, 0));
		// An empty pool mints 1:1.
		assert_eq!(pool.deposit(5), Ok(5));
		// Shares for a value round up, capped by all shares.
		let pool = Pool::<u64> { bonded: 10, shares: 3, ..Default::default() };
		assert_eq!(pool.shares_for_value(4), 2);
		assert_eq!(pool.shares_for_value(100), 3);
		// Points of another era are worthless.
		let mut pool = Pool::<u64> {
			unbonding: 9,
			unbonding_points: 9,
			unbonding_era: 2,
			..Default::default()
		};
		assert_eq!(pool.value_of_points(3, 1), 0);
		assert_eq!(pool.finish_unbonding(3, 1), 0);
		assert_eq!(pool.finish_unbonding(3, 2), 3);
		pool.slash_unbonding(6);
		assert_eq!((pool.unbonding, pool.unbonding_points, pool.unbonding_era), (0, 0, 3));
	}

	#[test]
	fn mul_div_rounds_and_refuses_division_by_zero() {
		use polkadot_sdk::sp_runtime::Rounding;
		assert_eq!(mul_div(10u64, 1, 3, Rounding::Down), Some(3));
		assert_eq!(mul_div(10u64, 1, 3, Rounding::Up), Some(4));
		assert_eq!(mul_div(10u64, 1, 0, Rounding::Down), None);
		assert_eq!(mul_div(u64::MAX, u64::MAX, 1, Rounding::Down), None);
	}
}

/// Whole lives spanning many calls.
mod scenarios {
	use super::*;

	#[test]
	fn value_is_conserved_through_a_whole_life() {
		ExtBuilder::default().build_and_execute(|| {
			let issuance = Balances::total_issuance();
			let total = tracked_total();
			register(W1, 333, &[1, 2]);
			register(W2, 150, &[1]);
			delegate(D1, W1, 101);
			delegate(D2, W1, 77);
			delegate(D3, W2, 59);
			assert_ok!(reward(W1, 1_001, 1));
			assert_ok!(reward(W2, 37, 2));
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D2), W1, 33));
			assert_eq!(slash(W1, 23, SlashReason::WrongResult, 3, Some(W2)), 189);
			slash(W2, 13, SlashReason::Timeout, 4, None);
			assert_ok!(reward(W1, 999, 5));
			assert_ok!(ComputeStaking::undelegate(RuntimeOrigin::signed(D1), W1, 10_000));
			assert_ok!(ComputeStaking::unbond(RuntimeOrigin::signed(W1), worker(W1).bonded));
			run_to(1 + UNBONDING_PERIOD);
			assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D1), W1));
			assert_ok!(ComputeStaking::withdraw_undelegated(RuntimeOrigin::signed(D2), W1));
			assert_ok!(ComputeStaking::withdraw_unbonded(RuntimeOrigin::signed(W1)));
			assert_ok!(ComputeStaking::deregister(RuntimeOrigin::signed(W1)));
			// Nothing minted, nothing burnt, nothing lost.
			assert_eq!(Balances::total_issuance(), issuance);
			assert_eq!(tracked_total(), total);
			// D2 still has a bonded remainder; everything on the pot belongs to W2's pool or D2.
			let left: u64 = Pools::<Test>::iter().map(|(_, pool)| pool.total()).sum();
			assert_eq!(pot_held(), left);
		});
	}
}

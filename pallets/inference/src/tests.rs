//! Tests of the inference pallet: every call, every error, every attack the issue lists, the
//! exact fee split, challenges, deadlines, indexes and the runtime API. Every test built with
//! `build_and_execute` ends with `do_try_state`.

// Test code: an overflow panics and fails the test, which is what a test should do.
#![allow(clippy::arithmetic_side_effects)]

use crate::{mock::*, *};
use deai_primitives::{
	inference::{content_hash, OutputHash},
	model::{ModelStatus, ModelUsage},
	staking::PendingJobs,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{DispatchResultWithPostInfo, Pays},
		traits::{
			fungible::{Inspect, InspectHold},
			Get, Hooks,
		},
		BoundedVec,
	},
	sp_core::Pair,
	sp_runtime::{DispatchError, DispatchResult},
};

/// The storage deposit of a job with the default input: the base 10 and 1 per byte of "hello".
const DEPOSIT: u64 = 15;

const CAT: &[u8] = b"cat";
const DOG: &[u8] = b"dog";

fn inline<S: Get<u32>, U: Get<u32>>(bytes: &[u8]) -> Payload<S, U> {
	Payload::Inline(BoundedVec::try_from(bytes.to_vec()).unwrap())
}

fn input() -> InputOf<Test> {
	inline(b"hello")
}

fn output(bytes: &[u8]) -> OutputOf<Test> {
	inline(bytes)
}

fn quorum(replicas: u8, threshold: u8) -> Verification {
	Verification::Quorum { replicas, threshold }
}

fn now() -> u64 {
	System::block_number()
}

/// Submits a job of ALICE with the default input and a deadline 20 blocks ahead.
fn submit(verification: Verification) -> JobId {
	submit_as(ALICE, verification, now() + 20)
}

fn submit_as(who: AccountId, verification: Verification, deadline: u64) -> JobId {
	let id = NextJobId::<Test>::get();
	assert_ok!(Inference::submit_job(
		RuntimeOrigin::signed(who),
		MODEL,
		input(),
		verification,
		u64::MAX,
		deadline
	));
	id
}

fn try_submit(verification: Verification, deadline: u64) -> DispatchResult {
	Inference::submit_job(
		RuntimeOrigin::signed(ALICE),
		MODEL,
		input(),
		verification,
		10_000,
		deadline,
	)
}

fn job(id: JobId) -> Job<Test> {
	Jobs::<Test>::get(id).unwrap()
}

fn result(id: JobId) -> JobResult<Test> {
	Results::<Test>::get(id).unwrap()
}

fn workers_of(id: JobId) -> Vec<AccountId> {
	job(id).assignees.iter().map(|a| a.worker).collect()
}

/// Submits a job and runs the next block, which assigns it; returns the job and its workers.
fn submit_and_assign(verification: Verification) -> (JobId, Vec<AccountId>) {
	let id = submit(verification);
	run_to_block(now() + 1);
	(id, workers_of(id))
}

fn salt(worker: AccountId) -> Salt {
	[worker as u8; 32]
}

fn commitment_of(id: JobId, worker: AccountId, bytes: &[u8]) -> Commitment {
	commitment(id, &worker, &content_hash(bytes), &salt(worker))
}

fn commit(id: JobId, worker: AccountId, bytes: &[u8]) -> DispatchResultWithPostInfo {
	Inference::commit_result(RuntimeOrigin::signed(worker), id, commitment_of(id, worker, bytes))
}

/// `signer`'s signature of `worker`'s result `output_hash` for job `id`.
fn signature(
	id: JobId,
	worker: AccountId,
	output_hash: OutputHash,
	signer: AccountId,
) -> AttestationSignature {
	let record = Jobs::<Test>::get(id);
	let (model_hash, input_hash) =
		record.map_or(([0xAA; 32], content_hash(b"hello")), |r| (r.model_hash, r.input_hash));
	let attested = AttestedResult {
		genesis_hash: Inference::genesis_hash(),
		job_id: id,
		model_hash,
		input_hash,
		output_hash,
		worker,
	};
	worker_pair(signer).sign(&attested.signing_payload())
}

fn reveal(id: JobId, worker: AccountId, bytes: &[u8]) -> DispatchResultWithPostInfo {
	let sig = signature(id, worker, content_hash(bytes), worker);
	Inference::reveal_result(RuntimeOrigin::signed(worker), id, output(bytes), salt(worker), sig)
}

fn error_of(outcome: DispatchResultWithPostInfo) -> DispatchError {
	let error = outcome.unwrap_err();
	assert_eq!(error.post_info.pays_fee, Pays::Yes, "a failing worker call must pay");
	error.error
}

fn assert_free(outcome: DispatchResultWithPostInfo) {
	assert_eq!(outcome.unwrap().pays_fee, Pays::No, "a valid worker call is free");
}

fn escrow(who: AccountId) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Inference(HoldReason::JobEscrow), &who)
}

fn deposit_held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Inference(HoldReason::JobDeposit), &who)
}

fn bond_held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Inference(HoldReason::ChallengeBond), &who)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Inference(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn completed_split(id: JobId) -> FeeSplit<u64> {
	events()
		.into_iter()
		.find_map(|event| match event {
			Event::JobCompleted { job, split, .. } if job == id => Some(split),
			_ => None,
		})
		.expect("job completed")
}

fn slashes_of(worker: AccountId) -> Vec<SlashRecord> {
	MockStaking::slashes().into_iter().filter(|s| s.worker == worker).collect()
}

fn rewards_of(worker: AccountId) -> u64 {
	MockStaking::rewards().iter().filter(|r| r.worker == worker).map(|r| r.amount).sum()
}

/// The ref time the mock declares for a royalty payment over the model's lineage.
fn royalty_weight() -> u64 {
	let lineage = <Test as Config>::Models::training_datasets(MODEL).len() as u64;
	ROYALTY_BASE_REF_TIME + ROYALTY_PER_DATASET_REF_TIME * lineage
}

/// Every worker of `id` commits its output (given by `outputs`, in assignment order).
fn commit_all(id: JobId, workers: &[AccountId], outputs: &[&[u8]]) {
	for (worker, bytes) in workers.iter().zip(outputs) {
		assert_free(commit(id, *worker, bytes));
	}
}

/// An optimistic job revealed by its worker; returns the job and its worker.
fn revealed_optimistic(bytes: &[u8]) -> (JobId, AccountId) {
	let (id, workers) = submit_and_assign(Verification::Optimistic);
	let worker = workers[0];
	assert_free(commit(id, worker, bytes));
	assert_free(reveal(id, worker, bytes));
	(id, worker)
}

/// Five workers: one answers an optimistic job, another challenges, three re-execute.
fn challenged(bytes: &[u8]) -> (JobId, AccountId, AccountId, Vec<AccountId>) {
	let (id, worker) = revealed_optimistic(bytes);
	let challenger = [11, 12, 13, 14, 15].into_iter().find(|w| *w != worker).unwrap();
	assert_free(Inference::challenge_result(RuntimeOrigin::signed(challenger), id));
	run_to_block(now() + 1);
	let reexecutors = workers_of(id);
	(id, worker, challenger, reexecutors)
}

/// Tests of [`Pallet::submit_job`]: the holds, the queue and every refusal.
mod submit_job {
	use super::*;

	/// The deposit used to be flat, so a 4 KiB input stored as cheaply as a 1-byte one.
	#[test]
	fn the_job_deposit_grows_with_the_input() {
		ExtBuilder::default().build_and_execute(|| {
			let long = vec![b'a'; 32];
			assert_ok!(Inference::submit_job(
				RuntimeOrigin::signed(ALICE),
				MODEL,
				inline(&long),
				Verification::Optimistic,
				u64::MAX,
				now() + 20
			));
			assert_eq!(deposit_held(ALICE), 10 + 32);
			let uri = BoundedVec::try_from(b"ipfs://prompt".to_vec()).unwrap();
			let id = NextJobId::<Test>::get();
			assert_ok!(Inference::submit_job(
				RuntimeOrigin::signed(ALICE),
				MODEL,
				Payload::Reference { uri, hash: [7; 32] },
				quorum(3, 2),
				u64::MAX,
				now() + 20
			));
			// A reference pays for its URI.
			assert_eq!(job(id).deposit, 10 + 13);
			assert_eq!(deposit_held(ALICE), 10 + 32 + 10 + 13);
		});
	}

	#[test]
	fn submit_holds_the_fee_and_deposit_and_queues_the_job() {
		ExtBuilder::default().build_and_execute(|| {
			let before = free(ALICE);
			let id = submit(quorum(3, 2));
			assert_eq!(id, 0);
			assert_eq!(NextJobId::<Test>::get(), 1);
			// 3 replicas * 100 + protocol fee 5.
			assert_eq!(escrow(ALICE), 305);
			// The base 10 and 1 per input byte ("hello").
			assert_eq!(deposit_held(ALICE), 15);
			assert_eq!(free(ALICE), before - 320);
			let record = job(id);
			assert_eq!(record.phase, JobPhase::Queued { since: 1 });
			assert_eq!(record.input_hash, content_hash(b"hello"));
			assert_eq!(record.model_hash, [0xAA; 32]);
			assert_eq!(AssignmentQueue::<Test>::get().into_inner(), vec![id]);
			assert_eq!(Inputs::<Test>::get(id), Some(input()));
			assert_eq!(
				events().last(),
				Some(&Event::JobSubmitted {
					job: id,
					submitter: ALICE,
					model: MODEL,
					verification: quorum(3, 2),
					fee: 305,
					deadline: 21,
				})
			);
			assert_eq!(Inference::quote(MODEL, quorum(3, 2)), Some(305));
			assert_eq!(Inference::quote(MODEL, Verification::Optimistic), Some(105));
			assert_eq!(Inference::quote(99, Verification::Optimistic), None);
		});
	}

	#[test]
	fn reference_input_is_hashed_as_declared() {
		ExtBuilder::default().build_and_execute(|| {
			let reference = Payload::Reference {
				uri: BoundedVec::try_from(b"ipfs://bafyinput".to_vec()).unwrap(),
				hash: [9; 32],
			};
			assert_ok!(Inference::submit_job(
				RuntimeOrigin::signed(ALICE),
				MODEL,
				reference.clone(),
				quorum(3, 2),
				305,
				30
			));
			assert_eq!(job(0).input_hash, [9; 32]);
			assert!(job(0).input_by_reference);
			let view = Inference::job_input(0).unwrap();
			assert_eq!(view.uri, Some(b"ipfs://bafyinput".to_vec()));
			assert_eq!(view.inline, None);
			assert_eq!(view.input_hash, [9; 32]);
		});
	}

	#[test]
	fn submit_rejects_bad_requests() {
		ExtBuilder::default().build_and_execute(|| {
			let deadline = now() + 20;
			let submit_with = |model: ModelId, input: InputOf<Test>| {
				Inference::submit_job(
					RuntimeOrigin::signed(ALICE),
					model,
					input,
					Verification::Optimistic,
					u64::MAX,
					deadline,
				)
			};
			assert_noop!(submit_with(99, input()), Error::<Test>::UnknownModel);
			assert_noop!(submit_with(MODEL, inline(b"")), Error::<Test>::InvalidPayload);
			let spaced = Payload::Reference {
				uri: BoundedVec::try_from(b"ipfs://a b".to_vec()).unwrap(),
				hash: [1; 32],
			};
			assert_noop!(submit_with(MODEL, spaced), Error::<Test>::InvalidPayload);
			// The model takes at most 32 bytes.
			assert_noop!(submit_with(MODEL, inline(&[1u8; 33])), Error::<Test>::InputTooLarge);
			assert_noop!(try_submit(quorum(4, 2), deadline), Error::<Test>::InvalidVerification);
			assert_noop!(try_submit(quorum(6, 4), deadline), Error::<Test>::InvalidVerification);
			assert_noop!(try_submit(quorum(0, 0), deadline), Error::<Test>::InvalidVerification);
			// Text models take UTF-8 only.
			assert_noop!(
				submit_with(MODEL, inline(&[0xff, 0xfe, 0x80])),
				Error::<Test>::InputNotAccepted
			);
			// With three workers left, five replicas cannot be drawn, nor can an optimistic job
			// ever be challenged (the worker, a challenger and three re-executors).
			MockStaking::set_online(14, false);
			MockStaking::set_online(15, false);
			assert_noop!(try_submit(quorum(5, 3), deadline), Error::<Test>::NotEnoughWorkers);
			assert_noop!(submit_with(MODEL, input()), Error::<Test>::NotEnoughWorkers);
			MockStaking::set_online(14, true);
			MockStaking::set_online(15, true);
			assert_noop!(
				Inference::submit_job(
					RuntimeOrigin::signed(ALICE),
					MODEL,
					input(),
					quorum(3, 2),
					304,
					deadline
				),
				Error::<Test>::FeeAboveMax
			);
			// Delay 1 + commit 5 + reveal 5: the earliest deadline is now + 11.
			assert_noop!(try_submit(quorum(3, 2), now() + 10), Error::<Test>::DeadlineOutOfRange);
			assert_noop!(try_submit(quorum(3, 2), now() + 101), Error::<Test>::DeadlineOutOfRange);
			assert_ok!(Inference::submit_job(
				RuntimeOrigin::signed(ALICE),
				MODEL,
				input(),
				quorum(3, 2),
				305,
				now() + 11
			));
			assert_noop!(
				Inference::submit_job(
					RuntimeOrigin::signed(POOR),
					MODEL,
					input(),
					Verification::Optimistic,
					u64::MAX,
					deadline
				),
				Error::<Test>::InsufficientBalance
			);
			MockModels::set_status(MODEL, ModelStatus::Deprecated);
			assert_noop!(submit_with(MODEL, input()), Error::<Test>::ModelNotActive);
		});
	}

	#[test]
	fn the_queue_is_bounded() {
		ExtBuilder::default().build_and_execute(|| {
			for who in [ALICE, ALICE, BOB, BOB] {
				submit_as(who, Verification::Optimistic, now() + 20);
			}
			assert_noop!(
				try_submit(Verification::Optimistic, now() + 20),
				Error::<Test>::QueueFull
			);
		});
	}

	#[test]
	fn an_optimistic_job_needs_an_inline_input() {
		ExtBuilder::default().build_and_execute(|| {
			let before = free(ALICE);
			let reference = Payload::Reference {
				uri: BoundedVec::try_from(b"https://attacker.example/input".to_vec()).unwrap(),
				hash: content_hash(b"hello"),
			};
			assert_noop!(
				Inference::submit_job(
					RuntimeOrigin::signed(ALICE),
					MODEL,
					reference,
					Verification::Optimistic,
					u64::MAX,
					now() + 20
				),
				Error::<Test>::OptimisticNeedsInlineInput
			);
			assert_eq!(free(ALICE), before);
		});
	}

	#[test]
	fn input_that_cannot_be_of_the_model_kind_is_refused_at_submission() {
		ExtBuilder::default().build_and_execute(|| {
			let before = free(ALICE);
			let not_utf8 = inline(&[b'h', 0xc3, 0x28]);
			assert_noop!(
				Inference::submit_job(
					RuntimeOrigin::signed(ALICE),
					MODEL,
					not_utf8,
					quorum(3, 2),
					u64::MAX,
					now() + 20
				),
				Error::<Test>::InputNotAccepted
			);
			assert_eq!(free(ALICE), before);
		});
	}

	#[test]
	fn a_job_cannot_be_paid_from_vote_locked_funds() {
		use polkadot_sdk::frame_support::traits::fungible::MutateFreeze;
		ExtBuilder::default().build_and_execute(|| {
			// ALICE's whole balance but 100 is locked by a vote; the job needs 305 + 10.
			assert_ok!(Balances::set_freeze(&VOTE_LOCK, &ALICE, RICH - 100));
			assert_noop!(
				Inference::submit_job(
					RuntimeOrigin::signed(ALICE),
					MODEL,
					input(),
					quorum(3, 2),
					u64::MAX,
					now() + 20
				),
				Error::<Test>::FundsFrozen
			);
			assert_eq!(escrow(ALICE), 0);
			assert_eq!(deposit_held(ALICE), 0);
			// Unfrozen funds are enough: the job goes in, and the lock is still covered.
			assert_ok!(Balances::set_freeze(&VOTE_LOCK, &ALICE, RICH - 1_000));
			submit(quorum(3, 2));
			assert_eq!(escrow(ALICE), 305);
		});
	}

	#[test]
	fn optimistic_jobs_need_a_price_the_minimum_bond_can_repay() {
		ExtBuilder::default().build_and_execute(|| {
			// Price 200: a re-execution costs 600, twice that is above the 1 000 minimum bond,
			// so a wrong result could not pay for the challenge that overturns it.
			MockModels::insert(8, model_info(OWNER, 200), Vec::new());
			for worker in WORKERS_DEFAULT {
				MockStaking::register(worker, 8, worker_pair(worker).public(), 1_000);
			}
			let submit_on = |model, verification| {
				Inference::submit_job(
					RuntimeOrigin::signed(ALICE),
					model,
					input(),
					verification,
					u64::MAX,
					now() + 20,
				)
			};
			assert_noop!(
				submit_on(8, Verification::Optimistic),
				Error::<Test>::OptimisticPriceTooHigh
			);
			assert_ok!(submit_on(8, quorum(3, 2)));
			assert_ok!(submit_on(MODEL, Verification::Optimistic));
		});
	}
}

/// Tests of [`Pallet::cancel_job`]: only a queued job, only by its submitter.
mod cancel_job {
	use super::*;

	#[test]
	fn cancel_while_queued_refunds_everything_and_a_drawn_job_cannot_be_rerolled() {
		ExtBuilder::default().build_and_execute(|| {
			let before = free(ALICE);
			let queued = submit(quorum(3, 2));
			assert_ok!(Inference::cancel_job(RuntimeOrigin::signed(ALICE), queued));
			// Everything but the queue fee (2) for the slot it held.
			assert_eq!(free(ALICE), before - 2);
			assert!(AssignmentQueue::<Test>::get().is_empty());
			assert!(!Jobs::<Test>::contains_key(queued));
			assert!(!Results::<Test>::contains_key(queued));
			assert_eq!(
				events().last(),
				Some(&Event::JobCancelled {
					job: queued,
					refunded: 305 + DEPOSIT - 2,
					queue_fee: 2
				})
			);

			// Once workers are drawn, cancelling (to draw again until one's own workers hold
			// the quorum) is refused: the drawn workers do the job.
			let (assigned, workers) = submit_and_assign(quorum(3, 2));
			assert_noop!(
				Inference::cancel_job(RuntimeOrigin::signed(ALICE), assigned),
				Error::<Test>::CannotCancel
			);
			for worker in workers {
				assert!(<Inference as PendingJobs<AccountId>>::has_pending_jobs(&worker));
			}
		});
	}

	#[test]
	fn cancel_errors() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				Inference::cancel_job(RuntimeOrigin::signed(ALICE), 9),
				Error::<Test>::UnknownJob
			);
			let (id, workers) = submit_and_assign(quorum(3, 2));
			assert_noop!(
				Inference::cancel_job(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::NotSubmitter
			);
			assert_free(commit(id, workers[0], CAT));
			assert_noop!(
				Inference::cancel_job(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::CannotCancel
			);
			// Nor once the commit phase is over without commitments.
			let (late, _) = submit_and_assign(quorum(3, 2));
			run_to_block(18);
			assert_noop!(
				Inference::cancel_job(RuntimeOrigin::signed(ALICE), late),
				Error::<Test>::CannotCancel
			);
		});
	}
}

/// Tests of [`Pallet::commit_result`], copied commitments included.
mod commit_result {
	use super::*;

	#[test]
	fn the_reveal_phase_starts_when_everyone_committed() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			assert_free(commit(id, workers[0], CAT));
			assert_free(commit(id, workers[1], CAT));
			assert!(matches!(job(id).phase, JobPhase::Commit { .. }));
			assert_eq!(job(id).assignees[0].commitment, Some(commitment_of(id, workers[0], CAT)));
			assert_free(commit(id, workers[2], CAT));
			// min(deadline 21, now 2 + reveal period 5).
			assert_eq!(job(id).phase, JobPhase::Reveal { reveal_until: 7 });
			assert_eq!(
				events().last(),
				Some(&Event::RevealPhaseStarted { job: id, reveal_until: 7 })
			);
		});
	}

	#[test]
	fn commit_errors() {
		ExtBuilder::default().workers(&[11, 12, 13, 14]).build_and_execute(|| {
			assert_eq!(error_of(commit(9, 11, CAT)), Error::<Test>::UnknownJob.into());
			let id = submit(quorum(3, 2));
			// Not assigned yet.
			assert_eq!(error_of(commit(id, 11, CAT)), Error::<Test>::NotCommitPhase.into());
			run_to_block(2);
			let workers = workers_of(id);
			let outsider = [11, 12, 13, 14].into_iter().find(|w| !workers.contains(w)).unwrap();
			assert_eq!(error_of(commit(id, outsider, CAT)), Error::<Test>::NotAssigned.into());
			assert_free(commit(id, workers[0], CAT));
			assert_eq!(
				error_of(commit(id, workers[0], DOG)),
				Error::<Test>::AlreadyCommitted.into()
			);
		});
	}

	#[test]
	fn a_front_run_copy_of_a_commitment_does_not_block_the_victim() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			// The copier sees the victim's commitment in the pool and lands it first.
			let copied = commitment_of(id, workers[0], CAT);
			assert_free(Inference::commit_result(RuntimeOrigin::signed(workers[1]), id, copied));
			// The victim's own commit still goes in, and it reveals.
			assert_free(commit(id, workers[0], CAT));
			assert_free(commit(id, workers[2], CAT));
			assert_free(reveal(id, workers[0], CAT));
			// The copier cannot open a commitment that names another worker.
			assert_eq!(
				error_of(reveal(id, workers[1], CAT)),
				Error::<Test>::CommitmentMismatch.into()
			);
			assert_free(reveal(id, workers[2], CAT));
			// The copier committed and can never reveal: once the reveal deadline passes it is
			// slashed as for a wrong result, and the victim is paid.
			run_to_block(8);
			assert_free(Inference::advance(RuntimeOrigin::signed(BOB), id));
			assert_eq!(slashes_of(workers[1])[0].reason, SlashReason::WrongResult);
			assert!(slashes_of(workers[0]).is_empty());
			assert_eq!(rewards_of(workers[0]), 60);
		});
	}

	#[test]
	fn a_copied_commitment_cannot_be_revealed_either() {
		// Even if a copier's commitment were accepted (e.g. copied from another job), it names
		// the original worker: the copier cannot open it.
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			let foreign = commitment(id, &workers[0], &content_hash(CAT), &salt(workers[1]));
			assert_free(Inference::commit_result(RuntimeOrigin::signed(workers[1]), id, foreign));
			assert_free(commit(id, workers[0], CAT));
			assert_free(commit(id, workers[2], CAT));
			assert_eq!(
				error_of(reveal(id, workers[1], CAT)),
				Error::<Test>::CommitmentMismatch.into()
			);
		});
	}

	#[test]
	fn a_late_commit_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			assert_free(commit(id, workers[0], CAT));
			run_to_block(17);
			assert_eq!(
				error_of(commit(id, workers[1], CAT)),
				Error::<Test>::CommitPeriodOver.into()
			);
			// Past the reveal deadline too.
			run_to_block(22);
			assert_eq!(
				error_of(commit(id, workers[1], CAT)),
				Error::<Test>::CommitPeriodOver.into()
			);
		});
	}
}

/// Tests of [`Pallet::reveal_result`]: its refusals, and the verdict, slashes and fee
/// split of a round its last reveal concludes (unanswerable and referenced inputs included).
mod reveal_result {
	use super::*;

	#[test]
	fn reveal_errors() {
		ExtBuilder::default().workers(&[11, 12, 13, 14]).build_and_execute(|| {
			assert_eq!(error_of(reveal(9, 11, CAT)), Error::<Test>::UnknownJob.into());
			let id = submit(quorum(3, 2));
			assert_eq!(error_of(reveal(id, 11, CAT)), Error::<Test>::NotRevealPhase.into());
			run_to_block(2);
			let workers = workers_of(id);
			assert_free(commit(id, workers[0], CAT));
			// Revealing while others may still commit would expose the answer.
			assert_eq!(error_of(reveal(id, workers[0], CAT)), Error::<Test>::NotRevealPhase.into());
			assert_free(commit(id, workers[1], CAT));
			assert_free(commit(id, workers[2], CAT));
			let outsider = [11, 12, 13, 14].into_iter().find(|w| !workers.contains(w)).unwrap();
			assert_eq!(error_of(reveal(id, outsider, CAT)), Error::<Test>::NotAssigned.into());
			let empty = Inference::reveal_result(
				RuntimeOrigin::signed(workers[0]),
				id,
				output(b""),
				salt(workers[0]),
				signature(id, workers[0], content_hash(b""), workers[0]),
			);
			assert_eq!(error_of(empty), Error::<Test>::InvalidPayload.into());
			MockStaking::deregister(workers[0]);
			assert_eq!(
				error_of(reveal(id, workers[0], CAT)),
				Error::<Test>::NoAttestationKey.into()
			);
		});
	}

	#[test]
	fn reveal_without_commit_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			assert_free(commit(id, workers[0], CAT));
			assert_free(commit(id, workers[1], CAT));
			// The commit phase ends by its deadline: the reveal phase starts lazily.
			run_to_block(17);
			assert_eq!(job(id).stage(now()), Stage::Reveal);
			assert_eq!(error_of(reveal(id, workers[2], CAT)), Error::<Test>::NotCommitted.into());
		});
	}

	#[test]
	fn a_reveal_not_matching_the_commitment_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			// Another output.
			assert_eq!(
				error_of(reveal(id, workers[0], DOG)),
				Error::<Test>::CommitmentMismatch.into()
			);
			// The right output with another salt.
			let sig = signature(id, workers[0], content_hash(CAT), workers[0]);
			let outcome = Inference::reveal_result(
				RuntimeOrigin::signed(workers[0]),
				id,
				output(CAT),
				[0; 32],
				sig,
			);
			assert_eq!(error_of(outcome), Error::<Test>::CommitmentMismatch.into());
		});
	}

	#[test]
	fn bad_signatures_are_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			let reveal_with = |sig: AttestationSignature| {
				Inference::reveal_result(
					RuntimeOrigin::signed(workers[0]),
					id,
					output(CAT),
					salt(workers[0]),
					sig,
				)
			};
			// Garbage.
			let garbage = AttestationSignature::from_raw([1; 64]);
			assert_eq!(error_of(reveal_with(garbage)), Error::<Test>::BadSignature.into());
			// Signed by another worker's key.
			let foreign = signature(id, workers[0], content_hash(CAT), workers[1]);
			assert_eq!(error_of(reveal_with(foreign)), Error::<Test>::BadSignature.into());
			// Signed for another output.
			let other_output = signature(id, workers[0], content_hash(DOG), workers[0]);
			assert_eq!(error_of(reveal_with(other_output)), Error::<Test>::BadSignature.into());
			// Over the bare encoding, without the signing context.
			let record = job(id);
			let attested = AttestedResult {
				genesis_hash: Inference::genesis_hash(),
				job_id: id,
				model_hash: record.model_hash,
				input_hash: record.input_hash,
				output_hash: content_hash(CAT),
				worker: workers[0],
			};
			let bare = worker_pair(workers[0]).sign(&codec::Encode::encode(&attested));
			assert_eq!(error_of(reveal_with(bare)), Error::<Test>::BadSignature.into());
			// Signed for the same job on another chain.
			let other_chain = AttestedResult { genesis_hash: [0x42; 32], ..attested.clone() };
			let elsewhere = worker_pair(workers[0]).sign(&other_chain.signing_payload());
			assert_eq!(error_of(reveal_with(elsewhere)), Error::<Test>::BadSignature.into());
			// The right signature works.
			assert_free(reveal(id, workers[0], CAT));
		});
	}

	#[test]
	fn a_reveal_replayed_for_another_job_is_refused() {
		ExtBuilder::default().workers(&[11, 12, 13]).build_and_execute(|| {
			let first = submit(quorum(3, 2));
			let second = submit(quorum(3, 2));
			run_to_block(2);
			let workers = workers_of(first);
			commit_all(first, &workers, &[CAT, CAT, CAT]);
			let worker = workers[0];
			let replayed = signature(first, worker, content_hash(CAT), worker);
			assert_free(Inference::reveal_result(
				RuntimeOrigin::signed(worker),
				first,
				output(CAT),
				salt(worker),
				replayed,
			));
			// Same worker, same output, same salt on the second job: the commitment matches (it
			// was made for the second job), but the signature of the first job does not.
			commit_all(second, &workers_of(second), &[CAT, CAT, CAT]);
			let outcome = Inference::reveal_result(
				RuntimeOrigin::signed(worker),
				second,
				output(CAT),
				salt(worker),
				replayed,
			);
			assert_eq!(error_of(outcome), Error::<Test>::BadSignature.into());
		});
	}

	#[test]
	fn a_double_reveal_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			assert_free(reveal(id, workers[0], CAT));
			assert_eq!(
				error_of(reveal(id, workers[0], CAT)),
				Error::<Test>::AlreadyRevealed.into()
			);
		});
	}

	#[test]
	fn a_late_reveal_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			assert_free(reveal(id, workers[0], CAT));
			run_to_block(8);
			assert_eq!(
				error_of(reveal(id, workers[1], CAT)),
				Error::<Test>::RevealPeriodOver.into()
			);
		});
	}

	#[test]
	fn a_unanimous_quorum_pays_everyone_exactly() {
		ExtBuilder::default().build_and_execute(|| {
			let issuance = <Balances as Inspect<AccountId>>::total_issuance();
			let alice = free(ALICE);
			let owner = free(OWNER);
			let treasury = free(TREASURY);
			let data = free(DATA_POT);
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			for worker in &workers {
				assert_free(reveal(id, *worker, CAT));
			}
			// work 300: data 10 % = 30, treasury 10 % = 30 + fee 5, owner 20 % = 60,
			// workers 180 in three slots of 60.
			let split = completed_split(id);
			assert_eq!(
				split,
				FeeSplit { workers: 180, owner: 60, data: 30, treasury: 35, refunded: 0 }
			);
			for worker in &workers {
				assert_eq!(rewards_of(*worker), 60);
				assert_eq!(free(*worker), WORKER_BALANCE + 60);
			}
			assert_eq!(free(OWNER), owner + 60);
			assert_eq!(free(TREASURY), treasury + 35);
			assert_eq!(free(DATA_POT), data + 30);
			assert_eq!(free(ALICE), alice - 305 - DEPOSIT);
			assert_eq!(escrow(ALICE), 0);
			assert_eq!(free(Inference::account_id()), 1);
			assert_eq!(<Balances as Inspect<AccountId>>::total_issuance(), issuance);
			assert!(MockStaking::slashes().is_empty());

			let record = result(id);
			assert_eq!(
				record.outcome,
				JobOutcome::Completed { output_hash: content_hash(CAT), overturned: false }
			);
			assert_eq!(record.output, Some(output(CAT)));
			assert_eq!(record.receipts.len(), 3);
			let chain = Inference::genesis_hash();
			assert!(record.receipts.iter().all(|r| r.verify(
				chain,
				id,
				record.model_hash,
				record.input_hash
			)));
			assert!(!Jobs::<Test>::contains_key(id));
			assert!(!Inputs::<Test>::contains_key(id));
			assert_eq!(Outputs::<Test>::iter_prefix(id).count(), 0);
			for worker in &workers {
				assert!(!<Inference as PendingJobs<AccountId>>::has_pending_jobs(worker));
			}
		});
	}

	#[test]
	fn a_settling_reveal_is_charged_for_what_it_did_and_refunded_the_rest() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, DOG, CAT]);
			let reveal_weight = <Test as Config>::WeightInfo::reveal_result(3, CAT.len() as u32);
			let mut charged = Vec::new();
			for (worker, bytes) in workers.iter().zip([CAT, DOG, CAT]) {
				charged.push(reveal(id, *worker, bytes).unwrap().actual_weight.unwrap());
			}
			// Only the last reveal settles; the others pay for themselves alone.
			assert_eq!(charged[0], reveal_weight);
			assert_eq!(charged[1], reveal_weight);
			// The last one did two rewards, one slash and the royalty: exactly that is added.
			assert_eq!(MockStaking::rewards().len(), 2);
			assert_eq!(MockStaking::slashes().len(), 1);
			assert_eq!(MockRoyalty::paid().len(), 1);
			let settled = Weight::from_parts(
				2 * deai_test_kit::staking::REWARD_REF_TIME
					+ deai_test_kit::staking::SLASH_REF_TIME
					+ royalty_weight(),
				0,
			);
			assert_eq!(charged[2], reveal_weight + settled);
			// Less than the worst case the call declared: the rest is refunded to the block.
			let declared = <Test as Config>::WeightInfo::reveal_result(
				<Test as Config>::MaxReplicas::get(),
				CAT.len() as u32,
			) + Inference::resolution_weight();
			assert!(charged[2].all_lt(declared), "{charged:?} < {declared:?}");
		});
	}

	#[test]
	fn a_dissenter_is_slashed_and_its_slot_refunded() {
		ExtBuilder::default().build_and_execute(|| {
			let alice = free(ALICE);
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, DOG, CAT]);
			for (worker, bytes) in workers.iter().zip([CAT, DOG, CAT]) {
				assert_free(reveal(id, *worker, bytes));
			}
			let split = completed_split(id);
			assert_eq!(
				split,
				FeeSplit { workers: 120, owner: 60, data: 30, treasury: 35, refunded: 60 }
			);
			assert_eq!(free(ALICE), alice - 305 - DEPOSIT + 60);
			assert_eq!(rewards_of(workers[1]), 0);
			assert_eq!(
				slashes_of(workers[1]),
				vec![SlashRecord {
					worker: workers[1],
					fraction: Perbill::from_percent(10),
					reason: SlashReason::WrongResult,
					job: id,
					backing: 1_000,
					payee: None,
					amount: 100,
					to_payee: 0,
				}]
			);
			assert_eq!(MockStaking::stake(workers[1]), 900);
			assert!(events().contains(&Event::WorkerSlashed {
				job: id,
				worker: workers[1],
				reason: SlashReason::WrongResult,
				amount: 100
			}));
			// Every receipt is kept, the dissenter's too.
			assert_eq!(result(id).receipts.len(), 3);
		});
	}

	#[test]
	fn a_worker_that_never_commits_is_slashed_for_timeout() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers[..2], &[CAT, CAT]);
			run_to_block(17);
			assert_free(reveal(id, workers[0], CAT));
			// The last committed worker's reveal concludes the round.
			assert_free(reveal(id, workers[1], CAT));
			assert!(Results::<Test>::contains_key(id));
			// Silence in an answerable round costs the (smaller) timeout slash.
			assert_eq!(slashes_of(workers[2])[0].reason, SlashReason::Timeout);
			assert_eq!(slashes_of(workers[2])[0].fraction, Perbill::from_percent(5));
		});
	}

	#[test]
	fn parts_nobody_takes_are_refunded() {
		ExtBuilder::default().build_and_execute(|| {
			// A model without datasets: its data share returns to the submitter.
			MockModels::insert(MODEL, model_info(OWNER, PRICE), Vec::new());
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			for worker in &workers {
				assert_free(reveal(id, *worker, CAT));
			}
			assert_eq!(
				completed_split(id),
				FeeSplit { workers: 180, owner: 60, data: 0, treasury: 35, refunded: 30 }
			);

			// A failing royalty payment too.
			MockModels::insert(
				MODEL,
				model_info(OWNER, PRICE),
				vec![(1, Perbill::from_percent(100))],
			);
			MockRoyalty::set_failing(true);
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			for worker in &workers {
				assert_free(reveal(id, *worker, CAT));
			}
			assert_eq!(completed_split(id).data, 0);
			assert_eq!(completed_split(id).refunded, 30);
			assert_eq!(free(Inference::account_id()), 1);
		});
	}

	#[test]
	fn a_royalty_above_what_the_shares_leave_is_capped() {
		ExtBuilder::default().build_and_execute(|| {
			let mut info = model_info(OWNER, PRICE);
			info.royalty = Perbill::from_percent(95);
			MockModels::insert(MODEL, info, vec![(1, Perbill::from_percent(100))]);
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			for worker in &workers {
				assert_free(reveal(id, *worker, CAT));
			}
			// 300 - 30 data - 30 treasury leaves 240 for the owner; nothing for the workers.
			assert_eq!(
				completed_split(id),
				FeeSplit { workers: 0, owner: 240, data: 30, treasury: 35, refunded: 0 }
			);
		});
	}

	#[test]
	fn outputs_by_reference_are_kept_by_reference() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			let reference: OutputOf<Test> = Payload::Reference {
				uri: BoundedVec::try_from(b"ipfs://bafyout".to_vec()).unwrap(),
				hash: content_hash(b"a large embedding"),
			};
			let hash = reference.hash();
			for worker in &workers {
				let commitment = commitment(id, worker, &hash, &salt(*worker));
				assert_free(Inference::commit_result(
					RuntimeOrigin::signed(*worker),
					id,
					commitment,
				));
			}
			for worker in &workers {
				assert_free(Inference::reveal_result(
					RuntimeOrigin::signed(*worker),
					id,
					reference.clone(),
					salt(*worker),
					signature(id, *worker, hash, *worker),
				));
			}
			assert_eq!(result(id).output, Some(reference));
			assert!(matches!(
				Inference::job_status(id),
				Some(JobStatus::Settled { output: None, output_uri: Some(_), .. })
			));
		});
	}

	/// Item 12: the first revealer's URI used to be the only copy of a reference output, so a
	/// worker that computed the right hash but gave a dead URI made the agreed bytes unreachable.
	/// Every distinct URI of the winning hash is now kept, in reveal order, as a mirror.
	#[test]
	fn a_dead_first_uri_does_not_hide_a_reference_output() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			let hash = content_hash(b"a large embedding");
			let at = |uri: &[u8]| -> OutputOf<Test> {
				Payload::Reference { uri: BoundedVec::try_from(uri.to_vec()).unwrap(), hash }
			};
			let uris: [&[u8]; 3] =
				[b"https://dead.example/x", b"ipfs://bafyout", b"ipfs://bafyout"];
			for worker in &workers {
				let commitment = commitment(id, worker, &hash, &salt(*worker));
				assert_free(Inference::commit_result(
					RuntimeOrigin::signed(*worker),
					id,
					commitment,
				));
			}
			for (worker, uri) in workers.iter().zip(uris) {
				assert_free(Inference::reveal_result(
					RuntimeOrigin::signed(*worker),
					id,
					at(uri),
					salt(*worker),
					signature(id, *worker, hash, *worker),
				));
			}
			let settled = result(id);
			assert_eq!(settled.output, Some(at(uris[0])));
			// The live URI is kept once, though two workers gave it.
			let mirrors: Vec<Vec<u8>> =
				settled.mirrors.into_iter().map(|uri| uri.into_inner()).collect();
			assert_eq!(mirrors, vec![uris[1].to_vec()]);
			assert!(matches!(
				Inference::job_status(id),
				Some(JobStatus::Settled { mirrors, .. }) if mirrors == vec![uris[1].to_vec()]
			));
			assert_eq!(OutputMirrors::<Test>::iter().count(), 0, "nothing is left behind");
		});
	}

	#[test]
	fn an_unanswerable_input_is_an_outcome_that_pays_the_workers_and_slashes_nobody() {
		use deai_primitives::inference::{unanswerable_hash, UNANSWERABLE_OUTPUT};
		ExtBuilder::default().build_and_execute(|| {
			let alice = free(ALICE) + escrow(ALICE);
			// A submitter hopes to get the workers slashed with an input they cannot answer.
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[UNANSWERABLE_OUTPUT; 3]);
			for worker in &workers {
				assert_free(reveal(id, *worker, UNANSWERABLE_OUTPUT));
			}
			let record = result(id);
			assert_eq!(record.outcome, JobOutcome::Unanswerable);
			assert_eq!(record.output, None);
			assert_eq!(record.receipts.len(), 3);
			assert!(record.receipts.iter().all(|r| r.output_hash == unanswerable_hash()));
			// The workers did their part and are paid; the submitter pays as for any answer.
			assert!(MockStaking::slashes().is_empty());
			for worker in &workers {
				assert_eq!(rewards_of(*worker), 60);
			}
			assert_eq!(free(ALICE), alice - 305 - DEPOSIT);
			assert!(events().iter().any(|event| matches!(
				event,
				Event::JobUnanswerable { job, split, .. } if *job == id && split.workers == 180
			)));
		});
	}

	#[test]
	fn a_worker_silent_on_an_input_the_others_called_unanswerable_is_slashed() {
		use deai_primitives::inference::UNANSWERABLE_OUTPUT;
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers[..2], &[UNANSWERABLE_OUTPUT; 2]);
			run_to_block(17);
			assert_free(reveal(id, workers[0], UNANSWERABLE_OUTPUT));
			assert_free(reveal(id, workers[1], UNANSWERABLE_OUTPUT));
			assert_eq!(result(id).outcome, JobOutcome::Unanswerable);
			assert_eq!(slashes_of(workers[2])[0].reason, SlashReason::Timeout);
			assert!(slashes_of(workers[0]).is_empty() && slashes_of(workers[1]).is_empty());
		});
	}

	/// Submits a quorum job of ALICE whose input is a reference, and draws its workers.
	fn submit_reference_and_assign(verification: Verification) -> (JobId, Vec<AccountId>) {
		let id = NextJobId::<Test>::get();
		let reference = Payload::Reference {
			uri: BoundedVec::try_from(b"https://attacker.example/input".to_vec()).unwrap(),
			hash: content_hash(b"hello"),
		};
		assert_ok!(Inference::submit_job(
			RuntimeOrigin::signed(ALICE),
			MODEL,
			reference,
			verification,
			u64::MAX,
			now() + 20
		));
		run_to_block(now() + 1);
		(id, workers_of(id))
	}

	#[test]
	fn a_submitter_serving_its_reference_input_selectively_gets_nobody_slashed() {
		use deai_primitives::inference::UNANSWERABLE_OUTPUT;
		ExtBuilder::default().build_and_execute(|| {
			// The submitter's server gives the bytes to one worker only: the other two cannot
			// fetch them and say so, the victim answers the output alone.
			let (id, workers) = submit_reference_and_assign(quorum(3, 2));
			let answers: [&[u8]; 3] = [CAT, UNANSWERABLE_OUTPUT, UNANSWERABLE_OUTPUT];
			commit_all(id, &workers, &answers);
			for (worker, answer) in workers.iter().zip(answers) {
				assert_free(reveal(id, *worker, answer));
			}
			assert_eq!(result(id).outcome, JobOutcome::Unanswerable);
			assert!(MockStaking::slashes().is_empty(), "the victim is not slashed");
			assert_eq!(rewards_of(workers[0]), 0, "an answer that lost is not paid");
			assert_eq!((rewards_of(workers[1]), rewards_of(workers[2])), (60, 60));

			// The other way round: the bytes go to everyone but the victim.
			let (id, workers) = submit_reference_and_assign(quorum(3, 2));
			let paid_before: Vec<u64> = workers.iter().map(|w| rewards_of(*w)).collect();
			let answers: [&[u8]; 3] = [UNANSWERABLE_OUTPUT, CAT, CAT];
			commit_all(id, &workers, &answers);
			for (worker, answer) in workers.iter().zip(answers) {
				assert_free(reveal(id, *worker, answer));
			}
			assert!(matches!(result(id).outcome, JobOutcome::Completed { .. }));
			assert!(MockStaking::slashes().is_empty(), "the victim is not slashed");
			let paid: Vec<u64> = workers
				.iter()
				.zip(&paid_before)
				.map(|(w, before)| rewards_of(*w) - before)
				.collect();
			assert_eq!(paid, vec![0, 60, 60]);
		});
	}

	#[test]
	fn a_wrong_output_of_a_fetched_reference_input_is_still_slashed() {
		use deai_primitives::inference::UNANSWERABLE_OUTPUT;
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_reference_and_assign(quorum(3, 2));
			let answers: [&[u8]; 3] = [DOG, CAT, CAT];
			commit_all(id, &workers, &answers);
			for (worker, answer) in workers.iter().zip(answers) {
				assert_free(reveal(id, *worker, answer));
			}
			assert_eq!(slashes_of(workers[0])[0].reason, SlashReason::WrongResult);
			assert!(slashes_of(workers[1]).is_empty() && slashes_of(workers[2]).is_empty());

			// And an inline input leaves no room for "I could not fetch it".
			let (id, workers) = submit_and_assign(quorum(3, 2));
			let answers: [&[u8]; 3] = [UNANSWERABLE_OUTPUT, CAT, CAT];
			commit_all(id, &workers, &answers);
			for (worker, answer) in workers.iter().zip(answers) {
				assert_free(reveal(id, *worker, answer));
			}
			assert_eq!(slashes_of(workers[0])[0].reason, SlashReason::WrongResult);
		});
	}
}

/// Tests of [`Pallet::challenge_result`] and of how the re-execution resolves a challenge.
mod challenge_result {
	use super::*;

	#[test]
	fn a_challenge_queues_a_reexecution_by_fresh_workers() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let (id, worker) = revealed_optimistic(CAT);
			let challenger = [11, 12, 13, 14, 15].into_iter().find(|w| *w != worker).unwrap();
			let before = free(challenger);
			assert_free(Inference::challenge_result(RuntimeOrigin::signed(challenger), id));
			// Bond: price 100 * 3 re-executors.
			assert_eq!(bond_held(challenger), 300);
			assert_eq!(free(challenger), before - 300);
			assert_eq!(job(id).phase, JobPhase::Queued { since: 2 });
			assert!(job(id).assignees.is_empty());
			assert!(events().contains(&Event::ResultChallenged { job: id, challenger, bond: 300 }));
			assert!(<Inference as PendingJobs<AccountId>>::has_pending_jobs(&challenger));
			assert!(<Inference as PendingJobs<AccountId>>::has_pending_jobs(&worker));

			run_to_block(3);
			let reexecutors = workers_of(id);
			assert_eq!(reexecutors.len(), 3);
			assert!(!reexecutors.contains(&worker) && !reexecutors.contains(&challenger));
			assert_eq!(job(id).phase, JobPhase::Commit { commit_until: 8, reveal_until: 13 });
			assert!(matches!(events().last(), Some(Event::JobAssigned { reexecution: true, .. })));
			// The submitter can no longer cancel.
			assert_noop!(
				Inference::cancel_job(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::CannotCancel
			);
		});
	}

	#[test]
	fn a_confirmed_result_slashes_the_challenger() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let issuance = <Balances as Inspect<AccountId>>::total_issuance();
			let (id, worker, challenger, reexecutors) = challenged(CAT);
			let challenger_before = free(challenger) + bond_held(challenger);
			commit_all(id, &reexecutors, &[CAT, CAT, DOG]);
			for (w, bytes) in reexecutors.iter().zip([CAT, CAT, DOG]) {
				assert_free(reveal(id, *w, bytes));
			}
			// The challenger lost: slashed for the original worker.
			let slash = slashes_of(challenger);
			assert_eq!(slash.len(), 1);
			assert_eq!(slash[0].reason, SlashReason::LostChallenge);
			assert_eq!(slash[0].payee.as_ref().map(|p| p.account), Some(worker));
			assert_eq!(slash[0].fraction, Perbill::from_percent(20));
			// 20 % of its 1 000 backing; half of it compensates the worker it accused.
			assert_eq!((slash[0].amount, slash[0].to_payee), (200, 100));
			// The dissenting re-executor is slashed too.
			assert_eq!(slashes_of(reexecutors[2])[0].reason, SlashReason::WrongResult);
			// The bond paid the two winning re-executors 100 each; 100 returns.
			assert_eq!(rewards_of(reexecutors[0]), 100);
			assert_eq!(rewards_of(reexecutors[1]), 100);
			assert_eq!(bond_held(challenger), 0);
			// The bond paid for the re-execution; the slash's payee part left its balance too.
			assert_eq!(free(challenger), challenger_before - 200 - 100);
			// The original worker is paid its slot.
			assert_eq!(rewards_of(worker), 60);
			assert_eq!(
				result(id).outcome,
				JobOutcome::Completed { output_hash: content_hash(CAT), overturned: false }
			);
			assert_eq!(result(id).receipts.len(), 4);
			assert!(events().contains(&Event::ChallengeResolved {
				job: id,
				confirmed: true,
				loser: challenger,
				slashed: 200,
				reexecution_paid: 200,
				rewarded: 100,
			}));
			assert_eq!(<Balances as Inspect<AccountId>>::total_issuance(), issuance);
			assert!(!<Inference as PendingJobs<AccountId>>::has_pending_jobs(&challenger));
		});
	}

	#[test]
	fn an_overturned_result_slashes_the_original_worker() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let alice = free(ALICE) + escrow(ALICE);
			let (id, worker, challenger, reexecutors) = challenged(CAT);
			let challenger_before = free(challenger) + bond_held(challenger);
			commit_all(id, &reexecutors, &[DOG, DOG, DOG]);
			for w in &reexecutors {
				assert_free(reveal(id, *w, DOG));
			}
			let slash = slashes_of(worker);
			assert_eq!(slash[0].reason, SlashReason::LostChallenge);
			// The loser pays the re-execution (3 * 100) on top of its 200 penalty, half of
			// which rewards the challenger.
			assert_eq!(slash[0].payee.as_ref().map(|p| p.account), Some(Inference::account_id()));
			assert_eq!((slash[0].amount, slash[0].to_payee), (500, 400));
			assert!(slashes_of(challenger).is_empty());
			assert_eq!(rewards_of(worker), 0);
			assert_eq!(bond_held(challenger), 0);
			for w in &reexecutors {
				assert_eq!(rewards_of(*w), 100);
			}
			// The correct challenger got its whole bond back and 100 on top.
			assert_eq!(free(challenger), challenger_before + 100);
			assert!(events().contains(&Event::ChallengeResolved {
				job: id,
				confirmed: false,
				loser: worker,
				slashed: 500,
				reexecution_paid: 300,
				rewarded: 100,
			}));
			let record = result(id);
			assert_eq!(
				record.outcome,
				JobOutcome::Completed { output_hash: content_hash(DOG), overturned: true }
			);
			assert_eq!(record.output, Some(output(DOG)));
			// The job's worker slot is refunded; owner, data and treasury are paid.
			assert_eq!(
				completed_split(id),
				FeeSplit { workers: 0, owner: 20, data: 10, treasury: 15, refunded: 60 }
			);
			assert_eq!(free(ALICE), alice - 105 - DEPOSIT + 60);
		});
	}

	#[test]
	fn an_undecided_challenge_is_drawn_again_and_cannot_erase_the_result() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let (id, worker, challenger, reexecutors) = challenged(CAT);
			let retry_until = job(id).challenge.unwrap().retry_until;
			assert_eq!(retry_until, 12);
			// Two fresh workers reveal distinct outputs; the third commits and withholds.
			commit_all(id, &reexecutors, &[CAT, DOG, CAT]);
			assert_free(reveal(id, reexecutors[0], CAT));
			assert_free(reveal(id, reexecutors[1], DOG));
			run_to_block(9);
			assert_free(Inference::advance(RuntimeOrigin::signed(BOB), id));
			// No verdict: the re-execution is queued again, the original result kept.
			assert!(events().contains(&Event::ChallengeRequeued { job: id, retry_until }));
			assert!(!Results::<Test>::contains_key(id));
			assert_eq!(job(id).phase, JobPhase::Queued { since: 9 });
			assert_eq!(ChallengeQueue::<Test>::get().into_inner(), vec![id]);
			assert_eq!(Outputs::<Test>::get(id, content_hash(CAT)), Some(output(CAT)));
			assert_eq!(Outputs::<Test>::get(id, content_hash(DOG)), None);
			assert_eq!(bond_held(challenger), 300);
			// The withheld reveal is slashed as a wrong result; the revealers are not.
			assert_eq!(slashes_of(reexecutors[2])[0].reason, SlashReason::WrongResult);
			assert!(slashes_of(reexecutors[0]).is_empty() && slashes_of(reexecutors[1]).is_empty());
			for fresh in &reexecutors {
				assert!(!WorkerJobs::<Test>::get(fresh).contains(&id));
			}
			// Drawn afresh next block.
			run_to_block(10);
			assert!(matches!(job(id).phase, JobPhase::Commit { .. }));
			assert_eq!(workers_of(id).len(), 3);
			assert!(!workers_of(id).contains(&worker) && !workers_of(id).contains(&challenger));
		});
	}

	#[test]
	fn a_challenge_undecided_until_its_window_closes_lets_the_original_result_stand() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let alice = free(ALICE) + escrow(ALICE);
			let (id, worker, challenger, reexecutors) = challenged(CAT);
			let challenger_free = free(challenger);
			// Nobody answers, round after round, until the retry window has closed.
			let _ = reexecutors;
			for block in 4..40 {
				run_to_block(block);
				if Results::<Test>::contains_key(id) {
					break;
				}
				let _ = Inference::advance(RuntimeOrigin::signed(BOB), id);
			}
			assert_eq!(
				result(id).outcome,
				JobOutcome::Completed { output_hash: content_hash(CAT), overturned: false }
			);
			assert!(result(id).settled_at >= 12);
			// The submitter pays for the answer it received; the worker is paid; the challenger
			// is neither rewarded nor slashed; the silent re-executors are not slashed either.
			assert_eq!(rewards_of(worker), 60);
			assert_eq!(free(ALICE), alice - 105 - DEPOSIT);
			assert_eq!(free(challenger), challenger_free + 300);
			assert!(slashes_of(challenger).is_empty() && slashes_of(worker).is_empty());
			assert!(MockStaking::slashes().is_empty());
		});
	}

	#[test]
	fn a_challenge_needs_enough_fresh_workers() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, worker) = revealed_optimistic(CAT);
			let challenger = WORKERS_DEFAULT.into_iter().find(|w| *w != worker).unwrap();
			let gone =
				WORKERS_DEFAULT.into_iter().find(|w| *w != worker && *w != challenger).unwrap();
			MockStaking::set_online(gone, false);
			let bond_before = bond_held(challenger);
			// Four eligible workers: besides the original and the challenger only two, fewer
			// than the three a re-execution needs.
			assert_eq!(
				error_of(Inference::challenge_result(RuntimeOrigin::signed(challenger), id)),
				Error::<Test>::NotEnoughWorkers.into()
			);
			assert_eq!(bond_held(challenger), bond_before);
			assert!(Jobs::<Test>::get(id).unwrap().challenge.is_none());
		});
	}

	/// With workers 11 to 15: an optimistic result challenged by another of them, after
	/// which every fresh worker goes offline before the re-execution is drawn. Returns the
	/// job, its original worker and the challenger.
	fn challenged_with_no_fresh_workers() -> (JobId, AccountId, AccountId) {
		let (id, worker) = revealed_optimistic(CAT);
		let challenger = [11, 12, 13, 14, 15].into_iter().find(|w| *w != worker).unwrap();
		assert_free(Inference::challenge_result(RuntimeOrigin::signed(challenger), id));
		for fresh in [11, 12, 13, 14, 15].into_iter().filter(|w| *w != worker && *w != challenger) {
			MockStaking::set_online(fresh, false);
		}
		(id, worker, challenger)
	}

	#[test]
	fn a_challenge_whose_fresh_workers_vanish_lets_the_original_result_stand() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let (id, worker, challenger) = challenged_with_no_fresh_workers();
			run_to_block(3);
			// The draw fails: retried every block until the window closes, then the original
			// result is paid.
			assert!(events().contains(&Event::ChallengeRequeued { job: id, retry_until: 12 }));
			assert!(!Results::<Test>::contains_key(id));
			run_to_block(12);
			assert_eq!(
				result(id).outcome,
				JobOutcome::Completed { output_hash: content_hash(CAT), overturned: false }
			);
			assert_eq!(rewards_of(worker), 60);
			assert_eq!(bond_held(challenger), 0);
			assert_eq!(free(challenger), WORKER_BALANCE);
		});
	}

	#[test]
	fn the_block_that_lets_an_undecided_original_stand_is_charged_for_its_settlement() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let (id, worker, _) = challenged_with_no_fresh_workers();
			run_to_block(10);
			// Block 11: the draw fails and the re-execution is queued again (no settlement).
			System::set_block_number(11);
			let requeued = Inference::on_initialize(11);
			assert!(!Results::<Test>::contains_key(id));
			// Block 12: the window is over, the original result is paid by the hook: one
			// reward and the royalty, charged to the block on top of the same assignment.
			System::set_block_number(12);
			let settled = Inference::on_initialize(12);
			assert!(Results::<Test>::contains_key(id));
			assert_eq!(rewards_of(worker), 60);
			assert_eq!(
				settled,
				requeued
					+ Weight::from_parts(
						deai_test_kit::staking::REWARD_REF_TIME + royalty_weight(),
						0
					)
			);
		});
	}

	#[test]
	fn challenge_errors() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15]).build_and_execute(|| {
			let challenge = |who: AccountId, id: JobId| {
				Inference::challenge_result(RuntimeOrigin::signed(who), id)
			};
			assert_eq!(error_of(challenge(11, 9)), Error::<Test>::UnknownJob.into());
			// A quorum job is never challengeable.
			let quorum_job = submit(quorum(3, 2));
			assert_eq!(error_of(challenge(11, quorum_job)), Error::<Test>::NotChallengeable.into());
			let (id, worker) = revealed_optimistic(CAT);
			let rival = [11, 12, 13, 14, 15].into_iter().find(|w| *w != worker).unwrap();
			// The assignee of the job itself.
			assert_eq!(error_of(challenge(worker, id)), Error::<Test>::ChallengerIsAssignee.into());
			// Not a worker of the model.
			assert_eq!(error_of(challenge(BOB, id)), Error::<Test>::ChallengerNotEligible.into());
			// A worker that cannot afford the bond.
			MockStaking::register(POOR, MODEL, worker_pair(POOR).public(), 1_000);
			assert_eq!(error_of(challenge(POOR, id)), Error::<Test>::InsufficientBalance.into());
			// After the window.
			run_to_block(13);
			assert_eq!(error_of(challenge(rival, id)), Error::<Test>::ChallengePeriodOver.into());
		});
	}

	#[test]
	fn a_busy_challenger_is_refused() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, worker) = revealed_optimistic(CAT);
			let rival = WORKERS_DEFAULT.into_iter().find(|w| *w != worker).unwrap();
			// Fill the rival's index with three jobs of its own.
			for other in WORKERS_DEFAULT.into_iter().filter(|w| *w != rival) {
				MockStaking::set_online(other, false);
			}
			for _ in 0..3 {
				submit(quorum(1, 1));
			}
			run_to_block(5);
			assert_eq!(WorkerJobs::<Test>::get(rival).len(), 3);
			for other in WORKERS_DEFAULT {
				MockStaking::set_online(other, true);
			}
			assert_eq!(
				error_of(Inference::challenge_result(RuntimeOrigin::signed(rival), id)),
				Error::<Test>::TooManyOpenJobs.into()
			);
		});
	}

	#[test]
	fn a_challenge_bond_cannot_use_vote_locked_funds() {
		use polkadot_sdk::frame_support::traits::fungible::MutateFreeze;
		ExtBuilder::default().build_and_execute(|| {
			let (id, worker) = revealed_optimistic(CAT);
			let challenger = WORKERS_DEFAULT.into_iter().find(|w| *w != worker).unwrap();
			assert_ok!(Balances::set_freeze(&VOTE_LOCK, &challenger, WORKER_BALANCE - 200));
			assert_eq!(
				error_of(Inference::challenge_result(RuntimeOrigin::signed(challenger), id)),
				Error::<Test>::FundsFrozen.into()
			);
			assert_eq!(bond_held(challenger), 0);
			assert!(job(id).challenge.is_none());
		});
	}
}

/// Tests of [`Pallet::advance`]: rounds and challenge windows that a deadline ended.
mod advance {
	use super::*;

	#[test]
	fn an_optimistic_result_is_final_after_the_challenge_window() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, worker) = revealed_optimistic(CAT);
			assert_eq!(job(id).phase, JobPhase::Challengeable { until: 12 });
			assert!(events().contains(&Event::ChallengeWindowOpened {
				job: id,
				worker,
				output_hash: content_hash(CAT),
				until: 12
			}));
			assert_eq!(
				error_of(Inference::advance(RuntimeOrigin::signed(BOB), id)),
				Error::<Test>::NothingToAdvance.into()
			);
			run_to_block(13);
			assert_free(Inference::advance(RuntimeOrigin::signed(worker), id));
			// work 100: data 10, treasury 10 + 5, owner 20, one slot of 60.
			assert_eq!(
				completed_split(id),
				FeeSplit { workers: 60, owner: 20, data: 10, treasury: 15, refunded: 0 }
			);
			assert_eq!(rewards_of(worker), 60);
			assert_eq!(result(id).receipts.len(), 1);
		});
	}

	#[test]
	fn an_optimistic_job_its_worker_never_answers_is_refunded() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(Verification::Optimistic);
			run_to_block(22);
			assert_free(Inference::advance(RuntimeOrigin::signed(BOB), id));
			assert_eq!(result(id).outcome, JobOutcome::Failed(FailureReason::NoResult));
			assert!(slashes_of(workers[0]).is_empty());
			assert_eq!(escrow(ALICE), 0);
		});
	}

	#[test]
	fn a_committed_worker_that_withholds_its_reveal_is_slashed_as_for_a_wrong_result() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			assert_free(reveal(id, workers[0], CAT));
			assert_free(reveal(id, workers[1], CAT));
			assert_eq!(
				error_of(Inference::advance(RuntimeOrigin::signed(BOB), id)),
				Error::<Test>::NothingToAdvance.into()
			);
			run_to_block(8);
			assert_free(Inference::advance(RuntimeOrigin::signed(BOB), id));
			// Seeing it lost, it kept quiet: that costs what a wrong reveal costs, not the
			// smaller timeout slash.
			let slashed = slashes_of(workers[2]);
			assert_eq!(slashed.len(), 1);
			assert_eq!(slashed[0].reason, SlashReason::WrongResult);
			assert_eq!(slashed[0].fraction, Params::<Test>::get().wrong_result_slash);
			assert_eq!(completed_split(id).workers, 120);
			assert_eq!(completed_split(id).refunded, 60);
		});
	}

	#[test]
	fn no_quorum_fails_the_job_pays_the_revealers_and_slashes_only_the_committed_silent() {
		ExtBuilder::default().build_and_execute(|| {
			let alice = free(ALICE);
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, DOG, CAT]);
			assert_free(reveal(id, workers[0], CAT));
			assert_free(reveal(id, workers[1], DOG));
			run_to_block(8);
			assert_free(Inference::advance(RuntimeOrigin::signed(BOB), id));
			assert_eq!(result(id).outcome, JobOutcome::Failed(FailureReason::NoQuorum));
			// The submitter holds two revealed outputs: it pays their two slots.
			assert_eq!(free(ALICE), alice - DEPOSIT - 200);
			assert!(slashes_of(workers[0]).is_empty());
			assert!(slashes_of(workers[1]).is_empty());
			// The third committed and then withheld its reveal: slashed as for a wrong result.
			assert_eq!(slashes_of(workers[2])[0].reason, SlashReason::WrongResult);
			assert_eq!(rewards_of(workers[0]), 100);
			assert_eq!(rewards_of(workers[1]), 100);
			assert_eq!(result(id).receipts.len(), 2);
			assert!(events().contains(&Event::JobFailed {
				job: id,
				reason: FailureReason::NoQuorum,
				refunded: 105,
				paid: 200,
				queue_fee: 0,
			}));
		});
	}

	#[test]
	fn a_job_nobody_answers_fails_and_slashes_nobody() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			// Nobody committed by the commit deadline: the round is over at once.
			run_to_block(17);
			assert_eq!(job(id).stage(now()), Stage::RoundOver);
			assert_free(Inference::advance(RuntimeOrigin::signed(BOB), id));
			assert_eq!(result(id).outcome, JobOutcome::Failed(FailureReason::NoResult));
			// Nobody could tell an unanswerable round from a lazy one: nobody is slashed (an
			// honest worker that cannot answer says so and is paid, see the unanswerable tests).
			let _ = workers;
			assert!(MockStaking::slashes().is_empty());
			assert_eq!(escrow(ALICE), 0);
		});
	}

	#[test]
	fn advance_errors() {
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(
				error_of(Inference::advance(RuntimeOrigin::signed(BOB), 9)),
				Error::<Test>::UnknownJob.into()
			);
			let id = submit(quorum(3, 2));
			assert_eq!(
				error_of(Inference::advance(RuntimeOrigin::signed(BOB), id)),
				Error::<Test>::NothingToAdvance.into()
			);
		});
	}
}

/// Tests of [`Pallet::prune_result`].
mod prune_result {
	use super::*;

	#[test]
	fn results_are_pruned_after_their_retention() {
		ExtBuilder::default().workers(&[11, 12, 13]).build_and_execute(|| {
			let id = submit(quorum(3, 2));
			MockStaking::set_online(11, false);
			run_to_block(2);
			assert_eq!(result(id).settled_at, 2);
			// Failed before its draw: the queue fee (2) left the deposit.
			assert_eq!(deposit_held(ALICE), 13);
			assert_noop!(
				Inference::prune_result(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::ResultRetained
			);
			run_to_block(22);
			assert_ok!(Inference::prune_result(RuntimeOrigin::signed(BOB), id));
			assert_eq!(deposit_held(ALICE), 0);
			assert_eq!(
				events().last(),
				Some(&Event::ResultPruned { job: id, submitter: ALICE, deposit: 13 })
			);
			assert_noop!(
				Inference::prune_result(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::UnknownResult
			);
			assert_eq!(Inference::job_status(id), None);
		});
	}
}

/// Tests of [`Pallet::set_params`].
mod set_params {
	use super::*;

	#[test]
	fn governance_sets_params_within_bounds() {
		ExtBuilder::default().build_and_execute(|| {
			let mut params = test_params();
			params.protocol_fee = 7;
			assert_noop!(
				Inference::set_params(RuntimeOrigin::signed(ALICE), params.clone()),
				DispatchError::BadOrigin
			);
			assert_ok!(Inference::set_params(RuntimeOrigin::root(), params.clone()));
			assert_eq!(Params::<Test>::get(), params);
			assert_eq!(events().last(), Some(&Event::ParamsSet { params: params.clone() }));
			assert_eq!(Inference::quote(MODEL, Verification::Optimistic), Some(107));

			let invalid = [
				ProtocolParams { commit_period: 0, ..params.clone() },
				ProtocolParams { reveal_period: 51, ..params.clone() },
				ProtocolParams { challenge_period: 0, ..params.clone() },
				ProtocolParams { commit_period: 50, reveal_period: 50, ..params.clone() },
				ProtocolParams {
					data_share: Perbill::from_percent(60),
					treasury_share: Perbill::from_percent(41),
					..params.clone()
				},
				ProtocolParams { timeout_slash: Perbill::from_percent(11), ..params.clone() },
			];
			for bad in invalid {
				assert_noop!(
					Inference::set_params(RuntimeOrigin::root(), bad),
					Error::<Test>::InvalidParams
				);
			}
		});
	}

	#[test]
	fn open_jobs_keep_their_fee_when_params_change() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			let params = ProtocolParams { protocol_fee: 50, ..test_params() };
			assert_ok!(Inference::set_params(RuntimeOrigin::root(), params));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			for worker in &workers {
				assert_free(reveal(id, *worker, CAT));
			}
			assert_eq!(completed_split(id).treasury, 35);
		});
	}
}

/// Tests of `on_initialize`: the assignment queue and the draw of the workers.
mod on_initialize {
	use super::*;

	#[test]
	fn workers_are_drawn_in_a_later_block() {
		ExtBuilder::default().workers(&[11, 12, 13]).build_and_execute(|| {
			let id = submit(quorum(3, 2));
			// The submission's own block draws nobody.
			Inference::on_initialize(now());
			assert_eq!(job(id).phase, JobPhase::Queued { since: 1 });
			assert!(job(id).assignees.is_empty());

			run_to_block(2);
			let record = job(id);
			// Commit until deadline - reveal period, reveal until the deadline.
			assert_eq!(record.phase, JobPhase::Commit { commit_until: 16, reveal_until: 21 });
			let mut workers = workers_of(id);
			workers.sort();
			assert_eq!(workers, vec![11, 12, 13]);
			assert!(AssignmentQueue::<Test>::get().is_empty());
			for worker in &workers {
				assert_eq!(WorkerJobs::<Test>::get(worker).into_inner(), vec![id]);
				assert!(<Inference as PendingJobs<AccountId>>::has_pending_jobs(worker));
			}
			assert!(matches!(
				events().last(),
				Some(Event::JobAssigned {
					job: 0,
					commit_until: 16,
					reveal_until: 21,
					reexecution: false,
					..
				})
			));
		});
	}

	/// Item 9: a job is drawn only with randomness that became known after it was queued. On a
	/// relay chain, blocks built on the same relay parent see the same VRF output; a job queued
	/// in such a block waits for a block with a newer relay parent instead of being drawn from
	/// a value its submitter could already read.
	#[test]
	fn a_job_waits_for_randomness_newer_than_its_submission() {
		ExtBuilder::default().workers(&[11, 12, 13]).build_and_execute(|| {
			// The randomness has been known since block 1, the block the job is queued in.
			RandomnessKnownSince::set(Some(1));
			let id = submit(quorum(3, 2));
			let behind = submit(quorum(3, 2));
			run_to_block(4);
			assert_eq!(job(id).phase, JobPhase::Queued { since: 1 });
			assert_eq!(job(behind).phase, JobPhase::Queued { since: 1 });
			assert_eq!(AssignmentQueue::<Test>::get().into_inner(), vec![id, behind]);
			assert_eq!(Inference::randomness_known_since(), 1);
			// Randomness known since block 5 (a newer relay parent): both jobs are drawn.
			RandomnessKnownSince::set(Some(5));
			run_to_block(5);
			assert!(matches!(job(id).phase, JobPhase::Commit { .. }));
			assert!(matches!(job(behind).phase, JobPhase::Commit { .. }));
			assert!(AssignmentQueue::<Test>::get().is_empty());
		});
	}

	#[test]
	fn draws_are_stake_weighted_and_seeded_by_job() {
		ExtBuilder::default().workers(&[11, 12, 13, 14, 15, 16]).build_and_execute(|| {
			// Different jobs in one block get different seeds.
			assert_ne!(Inference::assignment_seed(0, 0, 0), Inference::assignment_seed(1, 0, 0));
			assert_ne!(Inference::assignment_seed(0, 0, 0), Inference::assignment_seed(0, 1, 0));
			// A worker with all the stake that matters is always drawn.
			MockStaking::register(16, MODEL, worker_pair(16).public(), 1_000_000_000);
			let first = submit(Verification::Optimistic);
			let second = submit(Verification::Optimistic);
			run_to_block(2);
			assert_eq!(workers_of(first), vec![16]);
			assert_eq!(workers_of(second), vec![16]);
		});
	}

	#[test]
	fn assignment_is_bounded_per_block() {
		ExtBuilder::default().build_and_execute(|| {
			let ids: Vec<_> = (0..3).map(|_| submit(Verification::Optimistic)).collect();
			run_to_block(2);
			assert!(matches!(job(ids[0]).phase, JobPhase::Commit { .. }));
			assert!(matches!(job(ids[1]).phase, JobPhase::Commit { .. }));
			assert_eq!(job(ids[2]).phase, JobPhase::Queued { since: 1 });
			assert_eq!(AssignmentQueue::<Test>::get().into_inner(), vec![ids[2]]);
			run_to_block(3);
			assert!(matches!(job(ids[2]).phase, JobPhase::Commit { .. }));
		});
	}

	#[test]
	fn a_job_that_waited_too_long_expires() {
		ExtBuilder::default().build_and_execute(|| {
			// The tightest deadline: assigned at block 2 it just fits; at block 3 it cannot.
			let ids: Vec<_> =
				(0..3).map(|_| submit_as(ALICE, Verification::Optimistic, now() + 11)).collect();
			run_to_block(3);
			assert!(Jobs::<Test>::contains_key(ids[0]));
			assert_eq!(result(ids[2]).outcome, JobOutcome::Failed(FailureReason::Expired));
			assert_eq!(escrow(ALICE), 2 * 105);
			assert!(events().contains(&Event::JobFailed {
				job: ids[2],
				reason: FailureReason::Expired,
				refunded: 105,
				paid: 0,
				queue_fee: 2,
			}));
		});
	}

	/// An assignment that failed used to drop the job from the queue and leave it open with its
	/// escrow held, settled by nothing (`try_state`: "queued job not in the queue once"). Now the
	/// job ends as with no workers, or, when that fails too, is queued again.
	#[test]
	fn a_failing_assignment_never_orphans_its_job() {
		use polkadot_sdk::frame_support::traits::{fungible::MutateHold, tokens::Precision};
		ExtBuilder::default().workers(&[11, 12, 13]).build_and_execute(|| {
			let id = submit(quorum(3, 2));
			MockStaking::set_online(12, false);
			// A defect: the escrow is no longer held, so ending the job fails as well.
			let fee = job(id).fee;
			let escrow_reason = HoldReason::JobEscrow.into();
			assert_ok!(Balances::release(&escrow_reason, &ALICE, fee, Precision::Exact));
			run_to_block(2);
			assert_eq!(job(id).phase, JobPhase::Queued { since: 1 });
			assert_eq!(AssignmentQueue::<Test>::get().into_inner(), vec![id]);
			assert!(events().iter().any(|event| matches!(
				event,
				Event::AssignmentFailed { job, requeued: true, .. } if *job == id
			)));
			// Still the submitter's to cancel, and tried again every block: once the escrow is
			// back the job ends as a job without workers does.
			assert_ok!(Balances::hold(&escrow_reason, &ALICE, fee));
			run_to_block(3);
			assert_eq!(result(id).outcome, JobOutcome::Failed(FailureReason::NoWorkers));
			assert!(AssignmentQueue::<Test>::get().is_empty());
			assert_eq!(escrow(ALICE), 0);
		});
	}

	#[test]
	fn a_job_without_workers_fails_and_is_refunded() {
		ExtBuilder::default().workers(&[11, 12, 13]).build_and_execute(|| {
			let before = free(ALICE);
			let id = submit(quorum(3, 2));
			MockStaking::set_online(12, false);
			run_to_block(2);
			assert_eq!(result(id).outcome, JobOutcome::Failed(FailureReason::NoWorkers));
			assert_eq!(escrow(ALICE), 0);
			// Only the deposit stays held, for the record.
			assert_eq!(free(ALICE), before - DEPOSIT);
			assert!(!<Inference as ModelUsage>::is_model_in_use(MODEL));
		});
	}

	#[test]
	fn full_workers_are_not_drawn() {
		ExtBuilder::default().workers(&[11, 12]).build_and_execute(|| {
			MockStaking::set_online(12, false);
			for _ in 0..3 {
				submit(quorum(1, 1));
			}
			run_to_block(3);
			assert_eq!(WorkerJobs::<Test>::get(11).len(), 3);
			MockStaking::set_online(12, true);
			let id = submit(quorum(1, 1));
			run_to_block(4);
			assert_eq!(workers_of(id), vec![12]);
			// With both full, nobody can take a job.
			for _ in 0..2 {
				submit(quorum(1, 1));
			}
			run_to_block(5);
			let last = submit(quorum(1, 1));
			run_to_block(6);
			assert_eq!(result(last).outcome, JobOutcome::Failed(FailureReason::NoWorkers));
		});
	}
}

/// Tests of `integrity_test`.
mod integrity_test {
	use super::*;

	#[test]
	fn integrity_test_accepts_the_mock() {
		ExtBuilder::default().build_and_execute(|| {
			<Inference as Hooks<u64>>::integrity_test();
		});
	}
}

/// Tests of the genesis build and the default parameters.
mod genesis_build {
	use super::*;

	#[test]
	fn genesis_sets_params_and_funds_the_escrow_account() {
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(Params::<Test>::get(), test_params());
			assert_eq!(free(Inference::account_id()), 1);
		});
	}

	#[test]
	fn default_params_are_valid() {
		ExtBuilder::default().params(default_params()).build_and_execute(|| {
			assert_eq!(Params::<Test>::get(), default_params::<u64, u64>());
			assert_ok!(Inference::ensure_valid_params(&default_params()));
		});
	}
}

/// Tests of [`MaxJobLifetime`], the bound the runtime gives compute staking.
mod max_job_lifetime {
	use super::*;

	#[test]
	fn max_job_lifetime_covers_the_longest_job() {
		ExtBuilder::default().build_and_execute(|| {
			// MaxJobDuration 100 + 4 * MaxPhasePeriod 50 + 2 * (AssignmentDelay 1 + queue wait
			// (4 queued / 2 per block + 1)): the job's own round, then a challenge window and
			// re-executions retried for as long as the window lasts.
			assert_eq!(MaxJobLifetime::<Test>::get(), 100 + 200 + 2 * (1 + 3));
		});
	}
}

/// Tests of the [`ModelUsage`] and [`PendingJobs`] impls other pallets ask.
mod model_usage_and_pending_jobs {
	use super::*;

	#[test]
	fn models_and_workers_are_in_use_while_jobs_are_open() {
		ExtBuilder::default().build_and_execute(|| {
			assert!(!<Inference as ModelUsage>::is_model_in_use(MODEL));
			let (id, workers) = submit_and_assign(quorum(3, 2));
			assert!(<Inference as ModelUsage>::is_model_in_use(MODEL));
			assert_eq!(ModelJobs::<Test>::get(MODEL), 1);
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			for worker in &workers {
				assert!(<Inference as PendingJobs<AccountId>>::has_pending_jobs(worker));
				assert_free(reveal(id, *worker, CAT));
			}
			assert!(!<Inference as ModelUsage>::is_model_in_use(MODEL));
			for worker in &workers {
				assert!(!<Inference as PendingJobs<AccountId>>::has_pending_jobs(worker));
			}
		});
	}
}

/// Tests of the views the runtime API answers with.
mod runtime_api {
	use super::*;

	#[test]
	fn the_runtime_api_follows_a_job() {
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(Inference::job_status(0), None);
			assert_eq!(Inference::job_receipts(0), None);
			let id = submit(quorum(3, 2));
			assert!(matches!(
				Inference::job_status(id),
				Some(JobStatus::Open { stage: Stage::Queued, fee: 305, .. })
			));
			let view = Inference::job_input(id).unwrap();
			assert_eq!(view.inline, Some(b"hello".to_vec()));
			assert_eq!(view.model, MODEL);
			run_to_block(2);
			let workers = workers_of(id);
			let duties = |worker: AccountId| {
				Inference::worker_jobs(worker).into_iter().map(|j| j.duty).collect::<Vec<_>>()
			};
			assert_eq!(duties(workers[0]), vec![WorkerDuty::Commit]);
			assert_free(commit(id, workers[0], CAT));
			assert_eq!(duties(workers[0]), vec![WorkerDuty::AwaitReveal]);
			assert_free(commit(id, workers[1], CAT));
			assert_free(commit(id, workers[2], DOG));
			assert_eq!(duties(workers[0]), vec![WorkerDuty::Reveal]);
			assert_free(reveal(id, workers[0], CAT));
			assert_eq!(duties(workers[0]), vec![WorkerDuty::Done]);
			let open = Inference::job_receipts(id).unwrap();
			assert_eq!(open.receipts.len(), 1);
			assert_free(reveal(id, workers[1], CAT));
			assert_free(reveal(id, workers[2], DOG));
			assert!(duties(workers[0]).is_empty());

			assert_eq!(
				Inference::job_status(id),
				Some(JobStatus::Settled {
					submitter: ALICE,
					model: MODEL,
					outcome: JobOutcome::Completed {
						output_hash: content_hash(CAT),
						overturned: false
					},
					output: Some(CAT.to_vec()),
					output_uri: None,
					mirrors: Vec::new(),
					settled_at: 2,
				})
			);
			// Third parties verify every receipt off chain.
			let receipts = Inference::job_receipts(id).unwrap();
			assert_eq!(receipts.receipts.len(), 3);
			for receipt in &receipts.receipts {
				assert!(receipt.verify(
					receipts.genesis_hash,
					receipts.job_id,
					receipts.model_hash,
					receipts.input_hash
				));
				assert_eq!(receipt.key, worker_pair(receipt.worker).public());
			}
			assert_eq!(Inference::job_input(id), None);
		});
	}
}

/// Tests that span several calls and the hook: queue economics, a flood against a
/// challenge, a split fixed at submission, and a sybil challenger.
mod scenarios {
	use super::*;

	/// A flood of queued jobs used to be free: cancelled or failed before their draw they were
	/// refunded in full, and one account could hold every slot. Now one account holds at most
	/// `MaxQueuedPerAccount` (3) and every undrawn job pays the queue fee (2) to the treasury.
	#[test]
	fn queue_slots_are_priced_and_bounded_per_account() {
		ExtBuilder::default().build_and_execute(|| {
			let treasury = free(TREASURY);
			let ids: Vec<_> = (0..3).map(|_| submit(quorum(1, 1))).collect();
			assert_eq!(QueuedJobsOf::<Test>::get(ALICE), 3);
			assert_noop!(try_submit(quorum(1, 1), now() + 20), Error::<Test>::TooManyQueuedJobs);
			// Cancelling frees the slot and pays for it.
			assert_ok!(Inference::cancel_job(RuntimeOrigin::signed(ALICE), ids[0]));
			assert_eq!(QueuedJobsOf::<Test>::get(ALICE), 2);
			assert_eq!(free(TREASURY), treasury + 2);
			assert_ok!(try_submit(quorum(1, 1), now() + 20));
			// A drawn job leaves the count and pays no queue fee.
			run_to_block(2);
			assert_eq!(QueuedJobsOf::<Test>::get(ALICE), 1);
			run_to_block(3);
			assert!(!QueuedJobsOf::<Test>::contains_key(ALICE));
			assert_eq!(free(TREASURY), treasury + 2);
		});
	}

	#[test]
	fn a_flood_of_jobs_cannot_crowd_out_a_challenge() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, worker) = revealed_optimistic(CAT);
			let challenger = WORKERS_DEFAULT.into_iter().find(|w| *w != worker).unwrap();
			// The attacker fills the job queue to its bound, from two accounts (one may queue 3).
			let flood: Vec<_> = [BOB, BOB, ALICE, ALICE]
				.into_iter()
				.map(|who| submit_as(who, quorum(1, 1), now() + 40))
				.collect();
			assert_eq!(AssignmentQueue::<Test>::get().len(), 4);
			assert_noop!(try_submit(quorum(1, 1), now() + 20), Error::<Test>::QueueFull);
			// The challenge has its own queue, and is drawn before the flood.
			assert_free(Inference::challenge_result(RuntimeOrigin::signed(challenger), id));
			assert_eq!(ChallengeQueue::<Test>::get().into_inner(), vec![id]);
			run_to_block(now() + 1);
			assert!(matches!(job(id).phase, JobPhase::Commit { .. }));
			assert_eq!(workers_of(id).len(), 3);
			assert!(ChallengeQueue::<Test>::get().is_empty());
			// Two draws per block: the challenge took one, one flood job the other.
			assert_eq!(AssignmentQueue::<Test>::get().len(), 3);
			let _ = flood;
		});
	}

	/// The split used to be read at settlement, so an owner raising its royalty (or governance
	/// changing the shares) after the draw took it from workers that had already done the job.
	#[test]
	fn the_fee_split_is_fixed_when_the_job_is_submitted() {
		ExtBuilder::default().build_and_execute(|| {
			let (id, workers) = submit_and_assign(quorum(3, 2));
			commit_all(id, &workers, &[CAT, CAT, CAT]);
			let mut info = model_info(OWNER, PRICE);
			info.royalty = Perbill::from_percent(95);
			MockModels::insert(MODEL, info, vec![(1, Perbill::from_percent(100))]);
			let mut params = test_params();
			params.data_share = Perbill::from_percent(50);
			params.treasury_share = Perbill::from_percent(40);
			assert_ok!(Inference::set_params(RuntimeOrigin::root(), params));
			for worker in &workers {
				assert_free(reveal(id, *worker, CAT));
			}
			// As at submission: data 10 %, treasury 10 % (+ fee 5), owner 20 %, workers 3 x 60.
			assert_eq!(
				completed_split(id),
				FeeSplit { workers: 180, owner: 60, data: 30, treasury: 35, refunded: 0 }
			);
		});
	}

	#[test]
	fn a_challenger_that_loses_to_its_own_sybil_worker_gains_nothing() {
		ExtBuilder::default().build_and_execute(|| {
			// One operator runs the worker and the challenger and loses on purpose, hoping the
			// slash of the challenger lands on the worker.
			let (id, worker, challenger, reexecutors) = challenged(CAT);
			let before = free(worker) + free(challenger) + bond_held(challenger);
			let stakes = MockStaking::stake(worker) + MockStaking::stake(challenger);
			commit_all(id, &reexecutors, &[CAT, CAT, CAT]);
			for w in &reexecutors {
				assert_free(reveal(id, *w, CAT));
			}
			let worker_fee = rewards_of(worker);
			let after = free(worker) + free(challenger);
			let stakes_after = MockStaking::stake(worker) + MockStaking::stake(challenger);
			// Counting both accounts and their stake, the operator ends poorer by the
			// re-execution it paid (300) and the slash (200). The mock keeps stake as a number
			// and moves the worker's share (100) between the two free balances, so here it nets
			// out; compute staking pays it out of the slash itself, and the loss is 400.
			let gained = after + stakes_after - worker_fee;
			assert!(
				gained < before + stakes,
				"the operator profited: {gained} vs {}",
				before + stakes
			);
			assert_eq!(before + stakes - gained, 300 + 200);
			assert_eq!(slashes_of(challenger)[0].to_payee, 100);
		});
	}
}

/// Tests that the invariants catch what they state.
mod try_state {
	use super::*;

	#[test]
	fn try_state_detects_broken_escrow_and_phases() {
		use polkadot_sdk::frame_support::traits::fungible::MutateHold;
		ExtBuilder::default().build().execute_with(|| {
			let id = submit(quorum(3, 2));
			assert_ok!(Inference::do_try_state());
			// Escrow held beyond what the open jobs justify.
			assert_ok!(<Balances as MutateHold<AccountId>>::hold(
				&RuntimeHoldReason::Inference(HoldReason::JobEscrow),
				&ALICE,
				7
			));
			assert!(Inference::do_try_state().is_err());
			assert_ok!(<Balances as MutateHold<AccountId>>::release(
				&RuntimeHoldReason::Inference(HoldReason::JobEscrow),
				&ALICE,
				7,
				polkadot_sdk::frame_support::traits::tokens::Precision::Exact
			));
			assert_ok!(Inference::do_try_state());
			// A queued job missing from the queue.
			AssignmentQueue::<Test>::kill();
			assert!(Inference::do_try_state().is_err());
			AssignmentQueue::<Test>::put(BoundedVec::truncate_from(vec![id]));
			// An assigned job with too few workers.
			run_to_block(2);
			Jobs::<Test>::mutate(id, |job| {
				job.as_mut().unwrap().assignees.pop();
			});
			assert!(Inference::do_try_state().is_err());
		});
	}
}

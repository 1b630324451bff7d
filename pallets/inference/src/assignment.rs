//! Assignment: the queue of jobs waiting for workers and the draw of the workers.
//!
//! `on_initialize` takes the oldest queued re-executions of challenged results, then the
//! oldest queued jobs (at most `MaxAssignmentsPerBlock` in all) whose `AssignmentDelay` has
//! passed and that were queued before this block's randomness could be known (the block
//! number [`Config::Randomness`] returns), and draws their workers through
//! [`WorkerStaking::select_workers`] from a seed nobody could know when the job was
//! submitted (see the pallet docs). A drawn worker that is already involved in
//! `MaxOpenJobsPerWorker` open jobs is excluded and the draw is repeated once.
//!
//! An assignment that fails (it should not: every step is checked before) is rolled back
//! and the job ends as if no workers could be drawn; if even that fails the job is queued
//! again at the end, still cancellable, so that no job is ever left open outside a queue
//! with its escrow held ([`Event::AssignmentFailed`]).
//!
//! Challenges have a queue of their own ([`ChallengeQueue`]) that is served first: a flood
//! of jobs, however cheap, can delay other jobs but never a challenge, so a wrong optimistic
//! result cannot be shielded from its challenge window by filling the job queue.

use crate::*;
use codec::Encode;
use deai_primitives::inference::blake2_256;
use polkadot_sdk::{
	frame_support::storage::{with_storage_layer, StorageValue},
	sp_runtime::{DispatchError, DispatchResult, SaturatedConversion},
};

/// How many draws an assignment may take (the first, and one without full workers).
pub const MAX_DRAWS: u32 = 2;

impl<T: Config> Pallet<T> {
	/// Assigns the due re-executions and then the due jobs at the heads of the two queues,
	/// at most `MaxAssignmentsPerBlock` in all, and returns the weight used.
	pub(crate) fn assign_due_jobs(now: BlockNumberFor<T>) -> Weight {
		let max = T::MaxAssignmentsPerBlock::get().saturated_into::<usize>();
		// A job can end here (expired, no workers, a re-execution that lets the original
		// result stand): what its settlement did is counted like a round's.
		let mut cost = SettlementCost::default();
		let challenges = Self::assign_from::<ChallengeQueue<T>>(now, max, &mut cost);
		let jobs =
			Self::assign_from::<AssignmentQueue<T>>(now, max.saturating_sub(challenges), &mut cost);
		let count = challenges.saturating_add(jobs).saturated_into::<u32>();
		let draws = u64::from(count.saturating_mul(MAX_DRAWS));
		// Each queue may consult the randomness once for its freshness, even if it assigns
		// nothing.
		T::WeightInfo::assign_jobs(count)
			.saturating_add(
				T::Staking::select_workers_weight(T::MaxReplicas::get()).saturating_mul(draws),
			)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(cost.weight::<T>())
	}

	/// Assigns at most `max` due entries at the head of `Queue`; returns how many it took.
	/// An entry queued again while being assigned (an undecided re-execution) is kept at the
	/// queue's end.
	fn assign_from<Queue>(now: BlockNumberFor<T>, max: usize, cost: &mut SettlementCost) -> usize
	where
		Queue: StorageValue<
			BoundedVec<JobId, T::MaxQueuedJobs>,
			Query = BoundedVec<JobId, T::MaxQueuedJobs>,
		>,
	{
		let queue = Queue::get();
		let delay = T::AssignmentDelay::get();
		let mut taken = 0usize;
		let mut retry = Vec::new();
		let mut known_since = None;
		for job_id in queue.iter().copied() {
			if taken >= max {
				break;
			}
			let job = Jobs::<T>::get(job_id);
			if let Some(Job { phase: JobPhase::Queued { since }, .. }) = &job {
				if now < since.saturating_add(delay) {
					// First in, first out: every later job is due later.
					break;
				}
				// The seed must have been unknowable when the job was queued; a job queued
				// no earlier than the randomness became known waits (and so does every
				// later one) for a newer value.
				let fresh_since = *known_since.get_or_insert_with(Self::randomness_known_since);
				if fresh_since <= *since {
					break;
				}
			}
			taken = taken.saturating_add(1);
			let Some(job) = job else { continue };
			if !matches!(job.phase, JobPhase::Queued { .. }) {
				continue;
			}
			let outcome = with_storage_layer(|| Self::assign_job(job_id, job.clone(), now, cost));
			let requeued = match outcome {
				Ok(()) => false,
				Err(error) => {
					Self::recover_failed_assignment(job_id, job.clone(), now, error, cost)
				},
			};
			if requeued {
				retry.push(job_id);
			} else {
				Self::leave_queue(&job);
			}
		}
		if taken > 0 {
			// Entries appended while assigning (re-queued re-executions) follow the rest, and
			// jobs whose assignment and its fallback both failed come last.
			let appended = Queue::get().into_iter().skip(queue.len());
			let rest: Vec<JobId> =
				queue.iter().skip(taken).copied().chain(appended).chain(retry).collect();
			Queue::put(BoundedVec::truncate_from(rest));
		}
		taken
	}

	/// Handles an assignment that failed (its changes are already rolled back), so that no
	/// job is ever left open outside a queue with its escrow and bond held: the job ends
	/// as if no workers could be drawn (a job is refunded, a re-execution lets the original
	/// result stand). Returns whether that failed as well, in which case the job must stay
	/// queued (and cancellable) to be tried again.
	fn recover_failed_assignment(
		job_id: JobId,
		job: Job<T>,
		now: BlockNumberFor<T>,
		error: DispatchError,
		cost: &mut SettlementCost,
	) -> bool {
		log::error!(target: LOG_TARGET, "assigning job {job_id} failed: {error:?}");
		let fallback = with_storage_layer(|| Self::end_without_workers(job_id, job, now, cost));
		let requeued = fallback.is_err();
		if let Err(fallback) = fallback {
			log::error!(
				target: LOG_TARGET,
				"ending job {job_id} without workers failed too, it stays queued: {fallback:?}"
			);
		}
		Self::deposit_event(Event::AssignmentFailed { job: job_id, error, requeued });
		requeued
	}

	/// Ends a queued job for which no workers can be drawn: a job fails (its submitter is
	/// refunded), a re-execution decides nothing (see `resolve_challenge`).
	fn end_without_workers(
		job_id: JobId,
		job: Job<T>,
		now: BlockNumberFor<T>,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		match job.challenge.clone() {
			Some(challenge) => Self::resolve_challenge(job_id, job, challenge, None, now, cost),
			None => Self::fail(job_id, job, FailureReason::NoWorkers, cost),
		}
	}

	/// Draws the workers of a queued job and opens its commit phase, or ends the job when it
	/// can no longer meet its deadline or too few workers are left.
	fn assign_job(
		job_id: JobId,
		mut job: Job<T>,
		now: BlockNumberFor<T>,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		let params = Params::<T>::get();
		let (commit_until, reveal_until) = match &job.challenge {
			Some(_) => {
				let commit_until = now.saturating_add(params.commit_period);
				(commit_until, commit_until.saturating_add(params.reveal_period))
			},
			None => {
				let commit_until = job.deadline.saturating_sub(params.reveal_period);
				if now.saturating_add(params.commit_period) > commit_until {
					return Self::fail(job_id, job, FailureReason::Expired, cost);
				}
				(commit_until, job.deadline)
			},
		};
		let exclude: Vec<T::AccountId> = match &job.challenge {
			Some(challenge) => {
				alloc::vec![challenge.original.worker.clone(), challenge.challenger.clone()]
			},
			None => Vec::new(),
		};
		let round = u8::from(job.is_reexecution());
		let drawn = Self::draw_workers(job_id, job.model, job.round_replicas(), round, exclude);
		let Some(workers) = drawn else {
			return Self::end_without_workers(job_id, job, now, cost);
		};
		let assignees: Vec<_> = workers
			.iter()
			.map(|worker| Assignment::new(worker.clone(), T::Staking::backing(worker)))
			.collect();
		job.assignees =
			BoundedVec::try_from(assignees).map_err(|_| Error::<T>::NotEnoughWorkers)?;
		for worker in workers.iter() {
			WorkerJobs::<T>::try_append(worker, job_id).map_err(|_| Error::<T>::TooManyOpenJobs)?;
		}
		job.phase = JobPhase::Commit { commit_until, reveal_until };
		let reexecution = job.is_reexecution();
		Jobs::<T>::insert(job_id, job);
		Self::deposit_event(Event::JobAssigned {
			job: job_id,
			workers,
			commit_until,
			reveal_until,
			reexecution,
		});
		Ok(())
	}

	/// Draws `count` distinct eligible workers for `model` that are not in `exclude` and
	/// have room for another job, or `None` if there are not enough of them.
	fn draw_workers(
		job_id: JobId,
		model: ModelId,
		count: u8,
		round: u8,
		mut exclude: Vec<T::AccountId>,
	) -> Option<Vec<T::AccountId>> {
		let max_open = T::MaxOpenJobsPerWorker::get().saturated_into::<usize>();
		for attempt in 0..MAX_DRAWS {
			let seed = Self::assignment_seed(job_id, round, attempt);
			let drawn =
				T::Staking::select_workers(model, u32::from(count), &seed, &exclude).ok()?;
			let distinct = drawn
				.iter()
				.enumerate()
				.all(|(i, worker)| !drawn.iter().take(i).any(|earlier| earlier == worker));
			if drawn.len() != usize::from(count)
				|| !distinct || drawn.iter().any(|worker| exclude.contains(worker))
			{
				// The staking side broke its promise; draw nobody rather than a wrong set.
				return None;
			}
			let full: Vec<T::AccountId> = drawn
				.iter()
				.filter(|worker| WorkerJobs::<T>::decode_len(worker).unwrap_or(0) >= max_open)
				.cloned()
				.collect();
			if full.is_empty() {
				return Some(drawn);
			}
			exclude.extend(full);
		}
		None
	}

	/// Since which block this block's randomness could be known ([`Config::Randomness`]'s
	/// own answer): a job is drawn only if it was queued before that block.
	pub fn randomness_known_since() -> BlockNumberFor<T> {
		T::Randomness::random(ASSIGNMENT_SUBJECT).1
	}

	/// The seed of a draw: `blake2_256(SCALE("deai/assign", random, job, round, attempt))`,
	/// with `random` the configured randomness of this block for the same subject.
	pub fn assignment_seed(job_id: JobId, round: u8, attempt: u32) -> [u8; 32] {
		let subject = (ASSIGNMENT_SUBJECT, job_id, round, attempt).encode();
		let (random, _) = T::Randomness::random(&subject);
		blake2_256(&(ASSIGNMENT_SUBJECT, random, job_id, round, attempt).encode())
	}
}

//! The pallet's invariants, checked by `try_state` after every test and by try-runtime.

use crate::*;
use deai_primitives::{
	inference::{JobId, Verification},
	model::ModelId,
};
use polkadot_sdk::{
	frame_support::{self, traits::fungible::Inspect},
	sp_runtime::traits::Saturating,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// 1. Every job id, open or settled, is below [`NextJobId`]; no job is both open and
	///    settled; every open job has its input.
	/// 2. For every submitter of an open job or a result record, the escrow held equals the
	///    sum of the fees of its open jobs (so no settled job holds escrow) and the deposits
	///    held equal the sum of the deposits of its open jobs and records; for every
	///    challenger, the bonds held equal the sum of its open challenges' bonds.
	/// 3. Every open job has a consistent fee (`price * replicas + protocol_fee`) and a
	///    consistent phase: queued jobs have no assignees and are in the queue exactly once;
	///    jobs in a round have exactly the round's replicas, distinct, with no reveal without
	///    a commitment and no reveal during the commit phase; a job in its reveal phase has a
	///    commitment; a job in its challenge window is optimistic, unchallenged and has its
	///    one worker's receipt; a re-executed job is optimistic.
	/// 4. The queues hold only open, queued jobs, once each; the per-account counters equal
	///    the jobs each account has in the assignment queue.
	/// 5. The worker index lists, for every account, exactly the open jobs it is involved in;
	///    no list is empty.
	/// 6. The model counters equal the number of open jobs per model.
	/// 7. Revealed outputs belong to open jobs and to a receipt of theirs.
	/// 8. The escrow account holds at least the existential deposit.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		Self::try_state_ids()?;
		Self::try_state_holds()?;
		Self::try_state_jobs()?;
		Self::try_state_indexes()?;
		frame_support::ensure!(
			T::Currency::balance(&Self::account_id()) >= T::Currency::minimum_balance(),
			"the escrow account lost its existential deposit"
		);
		Ok(())
	}

	/// Invariant 1.
	fn try_state_ids() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		let next = NextJobId::<T>::get();
		for id in Jobs::<T>::iter_keys() {
			frame_support::ensure!(id < next, "open job id at or above NextJobId");
			frame_support::ensure!(!Results::<T>::contains_key(id), "job both open and settled");
			frame_support::ensure!(Inputs::<T>::contains_key(id), "open job without input");
		}
		for id in Results::<T>::iter_keys() {
			frame_support::ensure!(id < next, "result id at or above NextJobId");
		}
		for id in Inputs::<T>::iter_keys() {
			frame_support::ensure!(Jobs::<T>::contains_key(id), "input of a closed job");
		}
		Ok(())
	}

	/// Invariant 2.
	fn try_state_holds() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		let mut escrow: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let add = |map: &mut BTreeMap<T::AccountId, BalanceOf<T>>,
		           who: &T::AccountId,
		           amount: BalanceOf<T>| {
			let total = map.entry(who.clone()).or_default();
			*total = total.saturating_add(amount);
		};
		for job in Jobs::<T>::iter_values() {
			add(&mut escrow, &job.submitter, job.fee);
			add(&mut deposits, &job.submitter, job.deposit);
			if let Some(challenge) = &job.challenge {
				add(&mut bonds, &challenge.challenger, challenge.bond);
			}
		}
		for result in Results::<T>::iter_values() {
			add(&mut deposits, &result.submitter, result.deposit);
			escrow.entry(result.submitter.clone()).or_default();
		}
		let checks = [
			(HoldReason::JobEscrow, escrow, "escrow held differs from the open jobs' fees"),
			(HoldReason::JobDeposit, deposits, "deposit held differs from the records' deposits"),
			(HoldReason::ChallengeBond, bonds, "bond held differs from the open challenges"),
		];
		for (reason, expected, message) in checks {
			for (who, total) in expected {
				frame_support::ensure!(
					T::Currency::balance_on_hold(&reason.into(), &who) == total,
					message
				);
			}
		}
		Ok(())
	}

	/// Invariant 3.
	fn try_state_jobs() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		let jobs_queue = AssignmentQueue::<T>::get();
		let challenge_queue = ChallengeQueue::<T>::get();
		for (id, job) in Jobs::<T>::iter() {
			let work = job
				.price
				.saturating_mul(BalanceOf::<T>::from(u32::from(job.verification.replicas())));
			frame_support::ensure!(
				job.fee == work.saturating_add(job.protocol_fee),
				"fee is not price * replicas + protocol fee"
			);
			for assignment in job.assignees.iter() {
				frame_support::ensure!(
					assignment.receipt.is_none() || assignment.commitment.is_some(),
					"a reveal without a commitment"
				);
				frame_support::ensure!(
					job.assignees.iter().filter(|other| other.worker == assignment.worker).count()
						== 1,
					"a worker assigned twice"
				);
			}
			let (own, other) = if job.is_reexecution() {
				(&challenge_queue, &jobs_queue)
			} else {
				(&jobs_queue, &challenge_queue)
			};
			frame_support::ensure!(!other.contains(&id), "a job in the wrong queue");
			let queued = own.iter().filter(|queued| **queued == id).count();
			let round = usize::from(job.round_replicas());
			match job.phase {
				JobPhase::Queued { .. } => {
					frame_support::ensure!(job.assignees.is_empty(), "queued job with workers");
					frame_support::ensure!(queued == 1, "queued job not in the queue once");
				},
				JobPhase::Commit { commit_until, reveal_until } => {
					frame_support::ensure!(queued == 0, "assigned job still queued");
					frame_support::ensure!(job.assignees.len() == round, "wrong number of workers");
					frame_support::ensure!(commit_until <= reveal_until, "reveal before commit");
					frame_support::ensure!(
						!job.all_committed(),
						"every worker committed but the commit phase goes on"
					);
				},
				JobPhase::Reveal { .. } => {
					frame_support::ensure!(queued == 0, "assigned job still queued");
					frame_support::ensure!(job.assignees.len() == round, "wrong number of workers");
					frame_support::ensure!(job.any_committed(), "reveal phase without commitments");
				},
				JobPhase::Challengeable { .. } => {
					frame_support::ensure!(queued == 0, "challengeable job still queued");
					frame_support::ensure!(
						job.verification == Verification::Optimistic && !job.is_reexecution(),
						"only an unchallenged optimistic job is challengeable"
					);
					frame_support::ensure!(
						job.assignees.len() == 1
							&& job.assignees.iter().all(|assignment| assignment.receipt.is_some()),
						"challengeable job without its result"
					);
				},
			}
			if job.is_reexecution() {
				frame_support::ensure!(
					job.verification == Verification::Optimistic,
					"re-execution of a quorum job"
				);
			}
		}
		Ok(())
	}

	/// Invariants 4 to 7.
	fn try_state_indexes() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::{BTreeMap, BTreeSet};
		let mut per_submitter: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for id in AssignmentQueue::<T>::get() {
			if let Some(job) = Jobs::<T>::get(id) {
				let count = per_submitter.entry(job.submitter).or_default();
				*count = count.saturating_add(1);
			}
		}
		let counted: BTreeMap<T::AccountId, u32> = QueuedJobsOf::<T>::iter().collect();
		frame_support::ensure!(
			counted == per_submitter,
			"queued-job counters differ from the assignment queue"
		);
		let mut seen = BTreeSet::new();
		let queued = AssignmentQueue::<T>::get().into_iter().chain(ChallengeQueue::<T>::get());
		for id in queued {
			frame_support::ensure!(seen.insert(id), "a job queued twice");
			let job = Jobs::<T>::get(id).ok_or("a closed job in the queue")?;
			frame_support::ensure!(
				matches!(job.phase, JobPhase::Queued { .. }),
				"an assigned job in the queue"
			);
		}
		let mut expected: BTreeMap<T::AccountId, BTreeSet<JobId>> = BTreeMap::new();
		let mut per_model: BTreeMap<ModelId, u32> = BTreeMap::new();
		for (id, job) in Jobs::<T>::iter() {
			for account in job.involved() {
				expected.entry(account).or_default().insert(id);
			}
			let count = per_model.entry(job.model).or_default();
			*count = count.saturating_add(1);
		}
		let mut indexed = 0usize;
		for (account, jobs) in WorkerJobs::<T>::iter() {
			indexed = indexed.saturating_add(1);
			frame_support::ensure!(!jobs.is_empty(), "an empty worker index entry");
			let listed: BTreeSet<JobId> = jobs.iter().copied().collect();
			frame_support::ensure!(listed.len() == jobs.len(), "a job listed twice for a worker");
			frame_support::ensure!(
				expected.get(&account) == Some(&listed),
				"worker index differs from the open jobs"
			);
		}
		frame_support::ensure!(indexed == expected.len(), "worker index misses a worker");
		let counted: BTreeMap<ModelId, u32> = ModelJobs::<T>::iter().collect();
		frame_support::ensure!(counted == per_model, "model counters differ from the open jobs");
		for (id, hash) in Outputs::<T>::iter_keys() {
			let job = Jobs::<T>::get(id).ok_or("an output of a closed job")?;
			let known = job.assignees.iter().any(|a| a.output_hash() == Some(hash))
				|| job.challenge.as_ref().is_some_and(|c| c.original.output_hash == hash);
			frame_support::ensure!(known, "an output nobody revealed");
		}
		for (id, hash, mirrors) in OutputMirrors::<T>::iter() {
			let Some(Payload::Reference { uri: first, .. }) = Outputs::<T>::get(id, hash) else {
				return Err("mirrors of an output that is not a stored reference".into());
			};
			frame_support::ensure!(!mirrors.is_empty(), "an empty mirror list is stored");
			for (i, uri) in mirrors.iter().enumerate() {
				frame_support::ensure!(
					*uri != first && !mirrors.iter().take(i).any(|earlier| earlier == uri),
					"a mirror repeats a URI"
				);
			}
		}
		Ok(())
	}
}

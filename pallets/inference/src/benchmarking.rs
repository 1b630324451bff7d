//! Benchmarks of the inference pallet's calls and assignment hook, each in its worst case,
//! over the replicas and the input and output sizes that change its cost.
//!
//! Worst cases: jobs are quorums of `r` workers; `reveal_result` is the last reveal, which
//! tallies, settles and pays; `advance` concludes a round with a silent worker; the hook
//! assigns `n` jobs of `MaxReplicas` workers. Attestation keys live in the benchmark
//! keystore (`sr25519_generate`) and sign like a worker does.

use super::*;
use crate::Pallet as Inference;
use alloc::vec;
use deai_primitives::{
	inference::{content_hash, majority, OutputHash},
	staking::AttestationKey,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Inspect, EnsureOrigin, Hooks},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_core::crypto::KeyTypeId,
	sp_io,
	sp_runtime::{traits::Bounded, SaturatedConversion},
};

/// What benchmarks need from the pallets the inference pallet talks to.
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Makes an active model of `owner` with `price` per inference, trained on
	/// `MaxTrainingDatasets` datasets and accepting inputs of `MaxInputLen` bytes, and
	/// returns its id.
	fn create_model(owner: &AccountId, price: Balance) -> ModelId;

	/// Makes `worker` (already funded) an eligible worker of `model` whose attestation key is
	/// `key`.
	fn register_worker(worker: &AccountId, model: ModelId, key: AttestationKey);
}

/// The key type benchmark attestation keys are generated under.
const KEY_TYPE: KeyTypeId = KeyTypeId(*b"deai");
/// The salt of every benchmark commitment.
const SALT: Salt = [7; 32];

/// An account with plenty of funds.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let amount = T::Currency::minimum_balance().saturating_mul(1_000_000_000u32.into());
	T::Currency::set_balance(&who, amount);
	who
}

/// The price of the benchmark model.
fn price<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(100u32.into())
}

/// A model and `count` eligible workers with keys in the keystore.
fn model_and_workers<T: Config>(count: u32) -> (ModelId, Vec<(T::AccountId, AttestationKey)>) {
	let owner = funded::<T>("owner", 0);
	let model = T::BenchmarkHelper::create_model(&owner, price::<T>());
	let workers = (0..count)
		.map(|i| {
			let worker = funded::<T>("worker", i);
			let key = sp_io::crypto::sr25519_generate(KEY_TYPE, None);
			T::BenchmarkHelper::register_worker(&worker, model, key);
			(worker, key)
		})
		.collect();
	(model, workers)
}

/// An inline payload of `len` bytes.
fn payload<S: Get<u32>, U: Get<u32>>(len: u32, fill: u8) -> Result<Payload<S, U>, BenchmarkError> {
	let len = usize::try_from(len).map_err(|_| "length does not fit")?;
	let bytes = BoundedVec::try_from(vec![fill; len]).map_err(|_| "payload above its bound")?;
	Ok(Payload::Inline(bytes))
}

/// Submits a job of `replicas` (quorum with a majority, or optimistic) with an input of
/// `input_len` bytes. Returns its id.
fn submit<T: Config>(
	model: ModelId,
	verification: Verification,
	input_len: u32,
) -> Result<JobId, BenchmarkError> {
	submit_as::<T>(0, model, verification, input_len)
}

/// Submits a job of the `index`-th submitter (each account may queue only
/// `MaxQueuedPerAccount` jobs); returns its id.
fn submit_as<T: Config>(
	index: u32,
	model: ModelId,
	verification: Verification,
	input_len: u32,
) -> Result<JobId, BenchmarkError> {
	let submitter = funded::<T>("submitter", index);
	let job = NextJobId::<T>::get();
	let now = frame_system::Pallet::<T>::block_number();
	Inference::<T>::submit_job(
		RawOrigin::Signed(submitter).into(),
		model,
		payload(input_len, b'i')?,
		verification,
		BalanceOf::<T>::max_value(),
		now.saturating_add(T::MaxJobDuration::get()),
	)?;
	Ok(job)
}

/// A quorum of `replicas` with the smallest majority threshold.
fn quorum(replicas: u32) -> Verification {
	let replicas = replicas.saturated_into::<u8>();
	Verification::Quorum { replicas, threshold: majority(replicas) }
}

/// Moves past the assignment delay and runs the hook, then returns the job's workers.
fn assign<T: Config>(job: JobId) -> Result<Vec<T::AccountId>, BenchmarkError> {
	let now = frame_system::Pallet::<T>::block_number().saturating_add(T::AssignmentDelay::get());
	frame_system::Pallet::<T>::set_block_number(now);
	Inference::<T>::on_initialize(now);
	let record = Jobs::<T>::get(job).ok_or("job not open")?;
	frame_support::ensure!(!record.assignees.is_empty(), "job not assigned");
	Ok(record.assignees.iter().map(|a| a.worker.clone()).collect())
}

/// The key of `worker`.
fn key_of<T: Config>(
	workers: &[(T::AccountId, AttestationKey)],
	worker: &T::AccountId,
) -> Result<AttestationKey, BenchmarkError> {
	workers
		.iter()
		.find(|(account, _)| account == worker)
		.map(|(_, key)| *key)
		.ok_or_else(|| "unknown worker".into())
}

/// Commits `output` for `worker`.
fn commit_as<T: Config>(
	job: JobId,
	worker: &T::AccountId,
	output_hash: &OutputHash,
) -> Result<(), BenchmarkError> {
	let commitment = commitment(job, worker, output_hash, &SALT);
	Inference::<T>::commit_result(RawOrigin::Signed(worker.clone()).into(), job, commitment)
		.map_err(|error| error.error)?;
	Ok(())
}

/// The signature `key` makes for `worker`'s result of `job`.
fn sign<T: Config>(
	job: JobId,
	worker: &T::AccountId,
	key: &AttestationKey,
	output_hash: OutputHash,
) -> Result<AttestationSignature, BenchmarkError> {
	let record = Jobs::<T>::get(job).ok_or("job not open")?;
	let attested = AttestedResult {
		genesis_hash: Inference::<T>::genesis_hash(),
		job_id: job,
		model_hash: record.model_hash,
		input_hash: record.input_hash,
		output_hash,
		worker: worker.clone(),
	};
	sp_io::crypto::sr25519_sign(KEY_TYPE, key, &attested.signing_payload())
		.ok_or_else(|| "cannot sign".into())
}

/// Reveals `output` for `worker`.
fn reveal_as<T: Config>(
	job: JobId,
	worker: &T::AccountId,
	key: &AttestationKey,
	output: OutputOf<T>,
) -> Result<(), BenchmarkError> {
	let signature = sign::<T>(job, worker, key, output.hash())?;
	Inference::<T>::reveal_result(
		RawOrigin::Signed(worker.clone()).into(),
		job,
		output,
		SALT,
		signature,
	)
	.map_err(|error| error.error)?;
	Ok(())
}

/// A quorum job of `replicas` whose every worker committed `output`, and its workers.
fn committed_quorum<T: Config>(
	replicas: u32,
	output: &OutputOf<T>,
) -> Result<(JobId, Vec<(T::AccountId, AttestationKey)>, Vec<T::AccountId>), BenchmarkError> {
	let (model, workers) = model_and_workers::<T>(replicas);
	let job = submit::<T>(model, quorum(replicas), T::MaxInputLen::get())?;
	let assigned = assign::<T>(job)?;
	for worker in assigned.iter() {
		commit_as::<T>(job, worker, &output.hash())?;
	}
	Ok((job, workers, assigned))
}

/// Checks that `event` was the last event deposited.
fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_job(i: Linear<1, { T::MaxInputLen::get() }>) -> Result<(), BenchmarkError> {
		let replicas = T::MaxReplicas::get();
		let (model, _) = model_and_workers::<T>(replicas);
		let caller = funded::<T>("submitter", 0);
		let job = NextJobId::<T>::get();
		let verification = quorum(replicas);
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::MaxJobDuration::get());
		let input: InputOf<T> = payload(i, b'i')?;
		let fee = Inference::<T>::quote(model, verification).ok_or("no quote")?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			model,
			input,
			verification,
			BalanceOf::<T>::max_value(),
			deadline,
		);

		assert_last_event::<T>(Event::JobSubmitted {
			job,
			submitter: caller,
			model,
			verification,
			fee,
			deadline,
		});
		Ok(())
	}

	#[benchmark]
	fn cancel_job(r: Linear<1, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let (model, _) = model_and_workers::<T>(r);
		// Only a queued job can be cancelled; the worst case is the last of a full queue,
		// which is searched whole.
		for i in 1..T::MaxQueuedJobs::get() {
			submit_as::<T>(i, model, quorum(r), 1)?;
		}
		let job = submit::<T>(model, quorum(r), T::MaxInputLen::get())?;
		let record = Jobs::<T>::get(job).ok_or("job not open")?;
		let queue_fee = T::QueueFee::get().min(record.deposit);
		let refunded = record.fee.saturating_add(record.deposit).saturating_sub(queue_fee);

		#[extrinsic_call]
		_(RawOrigin::Signed(record.submitter), job);

		assert_last_event::<T>(Event::JobCancelled { job, refunded, queue_fee });
		Ok(())
	}

	#[benchmark]
	fn commit_result(r: Linear<1, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let (model, _) = model_and_workers::<T>(r);
		let job = submit::<T>(model, quorum(r), T::MaxInputLen::get())?;
		let assigned = assign::<T>(job)?;
		let output_hash = content_hash(b"output");
		let (last, others) = assigned.split_last().ok_or("no worker")?;
		for worker in others {
			commit_as::<T>(job, worker, &output_hash)?;
		}
		let commitment = commitment(job, last, &output_hash, &SALT);

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), job, commitment);

		let record = Jobs::<T>::get(job).ok_or("job not open")?;
		let JobPhase::Reveal { reveal_until } = record.phase else {
			return Err("reveal phase not started".into());
		};
		assert_last_event::<T>(Event::RevealPhaseStarted { job, reveal_until });
		Ok(())
	}

	#[benchmark]
	fn reveal_result(
		r: Linear<1, { T::MaxReplicas::get() }>,
		o: Linear<1, { T::MaxOutputLen::get() }>,
	) -> Result<(), BenchmarkError> {
		let output: OutputOf<T> = payload(o, b'o')?;
		let (job, workers, assigned) = committed_quorum::<T>(r, &output)?;
		let (last, others) = assigned.split_last().ok_or("no worker")?;
		for worker in others {
			reveal_as::<T>(job, worker, &key_of::<T>(&workers, worker)?, output.clone())?;
		}
		let signature = sign::<T>(job, last, &key_of::<T>(&workers, last)?, output.hash())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), job, output.clone(), SALT, signature);

		let result = Results::<T>::get(job).ok_or("job not settled")?;
		frame_support::ensure!(
			result.outcome
				== JobOutcome::Completed { output_hash: output.hash(), overturned: false },
			"job not completed"
		);
		Ok(())
	}

	#[benchmark]
	fn challenge_result() -> Result<(), BenchmarkError> {
		let (model, workers) =
			model_and_workers::<T>(T::ChallengeReplicas::get().saturating_add(2));
		let job = submit::<T>(model, Verification::Optimistic, T::MaxInputLen::get())?;
		let assigned = assign::<T>(job)?;
		let worker = assigned.first().ok_or("no worker")?;
		let output: OutputOf<T> = payload(T::MaxOutputLen::get(), b'o')?;
		commit_as::<T>(job, worker, &output.hash())?;
		reveal_as::<T>(job, worker, &key_of::<T>(&workers, worker)?, output)?;
		let challenger =
			workers.iter().map(|(account, _)| account).find(|a| *a != worker).ok_or("no rival")?;
		let bond = price::<T>().saturating_mul(T::ChallengeReplicas::get().into());

		#[extrinsic_call]
		_(RawOrigin::Signed(challenger.clone()), job);

		assert_last_event::<T>(Event::ResultChallenged {
			job,
			challenger: challenger.clone(),
			bond,
		});
		Ok(())
	}

	#[benchmark]
	fn advance(r: Linear<1, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let output: OutputOf<T> = payload(T::MaxOutputLen::get(), b'o')?;
		let (job, workers, assigned) = committed_quorum::<T>(r, &output)?;
		// Everyone reveals but the last worker, who stays silent.
		for worker in assigned.iter().take(assigned.len().saturating_sub(1)) {
			reveal_as::<T>(job, worker, &key_of::<T>(&workers, worker)?, output.clone())?;
		}
		let record = Jobs::<T>::get(job).ok_or("job not open")?;
		let JobPhase::Reveal { reveal_until } = record.phase else {
			return Err("not in the reveal phase".into());
		};
		frame_system::Pallet::<T>::set_block_number(reveal_until.saturating_add(1u32.into()));
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), job);

		frame_support::ensure!(Results::<T>::contains_key(job), "job not settled");
		Ok(())
	}

	#[benchmark]
	fn prune_result() -> Result<(), BenchmarkError> {
		let replicas = T::MaxReplicas::get();
		let output: OutputOf<T> = payload(T::MaxOutputLen::get(), b'o')?;
		let (job, workers, assigned) = committed_quorum::<T>(replicas, &output)?;
		for worker in assigned.iter() {
			reveal_as::<T>(job, worker, &key_of::<T>(&workers, worker)?, output.clone())?;
		}
		let result = Results::<T>::get(job).ok_or("job not settled")?;
		frame_system::Pallet::<T>::set_block_number(
			result.settled_at.saturating_add(T::ResultRetention::get()),
		);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), job);

		assert_last_event::<T>(Event::ResultPruned {
			job,
			submitter: result.submitter,
			deposit: result.deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut params = Params::<T>::get();
		params.data_share = Perbill::from_percent(15);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());

		assert_last_event::<T>(Event::ParamsSet { params });
		Ok(())
	}

	#[benchmark]
	fn assign_jobs(
		n: Linear<0, { T::MaxAssignmentsPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		let replicas = T::MaxReplicas::get();
		let (model, _) = model_and_workers::<T>(replicas.saturating_mul(n.max(1)));
		let mut jobs = Vec::new();
		for i in 0..n {
			jobs.push(submit_as::<T>(i, model, quorum(replicas), T::MaxInputLen::get())?);
		}
		let now =
			frame_system::Pallet::<T>::block_number().saturating_add(T::AssignmentDelay::get());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Inference::<T>::on_initialize(now);
		}

		for job in jobs {
			let record = Jobs::<T>::get(job).ok_or("job not open")?;
			frame_support::ensure!(
				matches!(record.phase, JobPhase::Commit { .. }),
				"job not assigned"
			);
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Inference, crate::mock::new_test_ext(), crate::mock::Test);
}

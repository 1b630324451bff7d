//! Verification: commits (`commit_result`), reveals (`reveal_result`), concluding a round
//! whose deadline passed (`advance`), and the verdict of a round.
//!
//! A round (the job's first round, or the re-execution of a challenged result) ends when
//! every worker that committed has revealed after the commit phase closed, or when its reveal
//! deadline passed (concluded by `advance`). Its verdict: the output hash revealed by at least
//! the round's threshold wins (the [unanswerable](deai_primitives::inference::UNANSWERABLE_OUTPUT)
//! answer included). Who is slashed:
//!
//! - a worker that committed and never revealed: [`SlashReason::WrongResult`], whatever the
//!   verdict (withholding a reveal that would lose must never be cheaper than revealing it);
//! - a worker that revealed another output than the winner: [`SlashReason::WrongResult`];
//! - a worker that never committed, only when the round had a winner (others could answer,
//!   so it could have): [`SlashReason::Timeout`]. A round nobody could answer slashes nobody.
//!
//! One exception, for an input given by reference: a worker whose answer differs from the
//! winner only in whether the input could be fetched (one of the two is the unanswerable
//! answer) is not slashed, only unpaid. Whoever serves the URI decides what each worker
//! gets, and may be the submitter: it could serve the bytes to every worker but one (who
//! then answers "unanswerable" alone) or to one worker only (who then answers the output
//! alone), and so have an honest worker of its choice slashed for the price of a job. A
//! worker that claims "unanswerable" without fetching gains nothing from this: it is paid
//! only when the others could not fetch either. Two different outputs of the same bytes
//! are still a fault. (Optimistic jobs take inline inputs only, see `submit_job`: a single
//! worker's "unanswerable" could not be challenged fairly.)
//!
//! Every slash is a fraction of at most the stake the worker was drawn with
//! ([`Assignment::backing`]).

use crate::*;
use deai_primitives::{
	inference::{AttestationReceipt, OutputHash},
	staking::{SlashOutcome, SlashPayee},
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays, PostDispatchInfo},
		ensure,
	},
	sp_runtime::{DispatchError, DispatchResult, SaturatedConversion},
};

impl<T: Config> Pallet<T> {
	/// The genesis hash of this chain, which every attested result names (see
	/// [`AttestedResult`]): a receipt from another chain never verifies here.
	pub fn genesis_hash() -> deai_primitives::inference::GenesisHash {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut genesis = [0u8; 32];
		for (to, from) in genesis.iter_mut().zip(hash.as_ref()) {
			*to = *from;
		}
		genesis
	}

	/// The worst-case weight of what concluding a round calls in other pallets: a reward
	/// and a slash for every replica and for the original worker and challenger, and the
	/// royalty payment over the largest lineage.
	pub fn resolution_weight() -> Weight {
		let calls = u64::from(T::MaxReplicas::get().saturating_add(1));
		T::Staking::reward_weight()
			.saturating_add(T::Staking::slash_weight())
			.saturating_mul(calls)
			.saturating_add(T::DataRoyalty::pay_royalty_weight(T::MaxTrainingDatasets::get()))
	}

	/// The body of [`Pallet::commit_result`]: records `worker`'s commitment for `job_id` and
	/// starts the reveal phase once every assignee has committed. Free when it succeeds,
	/// weighed by the round's replicas.
	pub(crate) fn do_commit_result(
		worker: T::AccountId,
		job_id: JobId,
		commitment: Commitment,
	) -> DispatchResultWithPostInfo {
		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Jobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
		match job.stage(now) {
			Stage::Commit => {},
			Stage::Reveal | Stage::RoundOver => return Err(Error::<T>::CommitPeriodOver.into()),
			_ => return Err(Error::<T>::NotCommitPhase.into()),
		}
		let index = job.assignee_index(&worker).ok_or(Error::<T>::NotAssigned)?;
		// A copied commitment is harmless (it binds the worker it was made for, so the copier
		// can never reveal it) and is therefore not refused: refusing it would let a copier
		// block its victim's own commit.
		let assignment = job.assignees.get_mut(index).ok_or(Error::<T>::NotAssigned)?;
		ensure!(assignment.commitment.is_none(), Error::<T>::AlreadyCommitted);
		assignment.commitment = Some(commitment);
		Self::deposit_event(Event::ResultCommitted { job: job_id, worker });

		if job.all_committed() {
			if let JobPhase::Commit { reveal_until, .. } = job.phase {
				let early = now.saturating_add(Params::<T>::get().reveal_period);
				let reveal_until = reveal_until.min(early);
				job.phase = JobPhase::Reveal { reveal_until };
				Self::deposit_event(Event::RevealPhaseStarted { job: job_id, reveal_until });
			}
		}
		let replicas = job.assignees.len().saturated_into::<u32>();
		Jobs::<T>::insert(job_id, job);
		Ok(PostDispatchInfo {
			actual_weight: Some(T::WeightInfo::commit_result(replicas)),
			pays_fee: Pays::No,
		})
	}

	/// The body of [`Pallet::reveal_result`]: checks and records `worker`'s reveal for
	/// `job_id`, concluding the round when it was the last one expected. Free when it
	/// succeeds, weighed by the round's replicas and the output's length, plus what
	/// concluding the round calls in other pallets when it did.
	pub(crate) fn do_reveal_result(
		worker: T::AccountId,
		job_id: JobId,
		output: OutputOf<T>,
		salt: Salt,
		signature: AttestationSignature,
	) -> DispatchResultWithPostInfo {
		let output_len = output.len();
		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Jobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
		match job.stage(now) {
			Stage::Reveal => {},
			Stage::RoundOver => return Err(Error::<T>::RevealPeriodOver.into()),
			_ => return Err(Error::<T>::NotRevealPhase.into()),
		}
		ensure!(output.is_valid(), Error::<T>::InvalidPayload);
		// The commit phase may have ended by its deadline rather than by the last commit.
		if let JobPhase::Commit { reveal_until, .. } = job.phase {
			job.phase = JobPhase::Reveal { reveal_until };
		}
		let index = job.assignee_index(&worker).ok_or(Error::<T>::NotAssigned)?;
		let (model_hash, input_hash) = (job.model_hash, job.input_hash);
		let assignment = job.assignees.get_mut(index).ok_or(Error::<T>::NotAssigned)?;
		let committed = assignment.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(assignment.receipt.is_none(), Error::<T>::AlreadyRevealed);
		let output_hash = output.hash();
		ensure!(
			commitment(job_id, &worker, &output_hash, &salt) == committed,
			Error::<T>::CommitmentMismatch
		);
		let key = T::Staking::attestation_key(&worker).ok_or(Error::<T>::NoAttestationKey)?;
		let attested = AttestedResult {
			genesis_hash: Self::genesis_hash(),
			job_id,
			model_hash,
			input_hash,
			output_hash,
			worker: worker.clone(),
		};
		ensure!(
			polkadot_sdk::sp_io::crypto::sr25519_verify(
				&signature,
				&attested.signing_payload(),
				&key
			),
			Error::<T>::BadSignature
		);
		assignment.receipt =
			Some(AttestationReceipt { worker: worker.clone(), key, output_hash, signature });
		Self::keep_output(job_id, output_hash, output);
		Self::deposit_event(Event::ResultRevealed { job: job_id, worker, output_hash });

		let replicas = job.assignees.len().saturated_into::<u32>();
		let mut weight = T::WeightInfo::reveal_result(replicas, output_len);
		if job.all_committed_revealed() {
			weight = weight.saturating_add(Self::conclude_round(job_id, job, now)?);
		} else {
			Jobs::<T>::insert(job_id, job);
		}
		Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
	}

	/// Keeps a revealed output: the first payload per output hash, and every further
	/// distinct URI of a reference payload as a mirror (up to [`MaxReceipts`]), so that a
	/// first revealer giving a dead URI cannot make the agreed bytes unreachable.
	pub(crate) fn keep_output(
		job_id: JobId,
		output_hash: deai_primitives::inference::OutputHash,
		output: OutputOf<T>,
	) {
		let Some(first) = Outputs::<T>::get(job_id, output_hash) else {
			Outputs::<T>::insert(job_id, output_hash, output);
			return;
		};
		let (Payload::Reference { uri: first, .. }, Payload::Reference { uri, .. }) =
			(first, output)
		else {
			// Inline bytes with the same hash are the same bytes.
			return;
		};
		if uri != first {
			OutputMirrors::<T>::mutate(job_id, output_hash, |mirrors| {
				if !mirrors.contains(&uri) {
					// Beyond the bound (more revealers than receipts) a URI is dropped.
					let _ = mirrors.try_push(uri);
				}
			});
		}
	}

	/// The body of [`Pallet::advance`]: concludes what a passed deadline left open in
	/// `job_id` (a round, or a closed challenge window). Free when it concludes something,
	/// weighed by the round's replicas and what concluding calls in other pallets.
	pub(crate) fn do_advance(job_id: JobId) -> DispatchResultWithPostInfo {
		let now = frame_system::Pallet::<T>::block_number();
		let job = Jobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
		let replicas = job.assignees.len().saturated_into::<u32>();
		let concluded = match job.stage(now) {
			Stage::RoundOver => Self::conclude_round(job_id, job, now)?,
			Stage::Final => {
				let receipt = job
					.assignees
					.first()
					.and_then(|assignment| assignment.receipt.clone())
					.ok_or(Error::<T>::NothingToAdvance)?;
				let mut cost = SettlementCost::default();
				Self::complete(
					job_id,
					job,
					receipt.output_hash,
					alloc::vec![receipt.worker],
					false,
					&mut cost,
				)?;
				cost.weight::<T>()
			},
			_ => return Err(Error::<T>::NothingToAdvance.into()),
		};
		Ok(PostDispatchInfo {
			actual_weight: Some(T::WeightInfo::advance(replicas).saturating_add(concluded)),
			pays_fee: Pays::No,
		})
	}

	/// The output hash revealed by at least `threshold` assignees, if any.
	pub(crate) fn tally(assignees: &AssigneesOf<T>, threshold: u8) -> Option<OutputHash> {
		let threshold = usize::from(threshold).max(1);
		assignees.iter().filter_map(Assignment::output_hash).find(|candidate| {
			assignees.iter().filter(|a| a.output_hash().as_ref() == Some(candidate)).count()
				>= threshold
		})
	}

	/// The assignees that revealed `winner`.
	pub(crate) fn winners_of(
		assignees: &AssigneesOf<T>,
		winner: Option<OutputHash>,
	) -> Vec<T::AccountId> {
		match winner {
			Some(winner) => assignees
				.iter()
				.filter(|assignment| assignment.output_hash() == Some(winner))
				.map(|assignment| assignment.worker.clone())
				.collect(),
			None => Vec::new(),
		}
	}

	/// Slashes the losers of a round (see the module docs).
	pub(crate) fn slash_losers(
		job_id: JobId,
		assignees: &AssigneesOf<T>,
		winner: Option<OutputHash>,
		by_reference: bool,
		cost: &mut SettlementCost,
	) {
		let params = Params::<T>::get();
		let unanswerable = deai_primitives::inference::unanswerable_hash();
		for assignment in assignees.iter() {
			let penalty = match (assignment.commitment, assignment.output_hash(), winner) {
				(Some(_), None, _) => Some((params.wrong_result_slash, SlashReason::WrongResult)),
				(None, _, Some(_)) => Some((params.timeout_slash, SlashReason::Timeout)),
				// Fetched or not: decided by whoever serves the URI, not a fault.
				(_, Some(hash), Some(winner))
					if by_reference && (hash == unanswerable || winner == unanswerable) =>
				{
					None
				},
				(_, Some(hash), Some(winner)) if hash != winner => {
					Some((params.wrong_result_slash, SlashReason::WrongResult))
				},
				_ => None,
			};
			if let Some((fraction, reason)) = penalty {
				Self::slash(
					job_id,
					&assignment.worker,
					fraction,
					assignment.backing,
					reason,
					None,
					cost,
				);
			}
		}
	}

	/// Slashes `worker` through staking and reports it; returns what the slash took.
	pub(crate) fn slash(
		job_id: JobId,
		worker: &T::AccountId,
		fraction: Perbill,
		backing: BalanceOf<T>,
		reason: SlashReason,
		payee: Option<SlashPayee<T::AccountId, BalanceOf<T>>>,
		cost: &mut SettlementCost,
	) -> SlashOutcome<BalanceOf<T>> {
		cost.slashes = cost.slashes.saturating_add(1);
		let outcome = T::Staking::slash(worker, fraction, backing, reason, job_id, payee);
		Self::deposit_event(Event::WorkerSlashed {
			job: job_id,
			worker: worker.clone(),
			reason,
			amount: outcome.amount,
		});
		outcome
	}

	/// Ends the current round of `job_id`: verdict, slashes, then settlement, failure, the
	/// challenge window of an optimistic result, or the resolution of a challenge. Returns
	/// the weight of what it did in other pallets (see [`SettlementCost`]).
	pub(crate) fn conclude_round(
		job_id: JobId,
		job: Job<T>,
		now: BlockNumberFor<T>,
	) -> Result<Weight, DispatchError> {
		let mut cost = SettlementCost::default();
		Self::settle_round(job_id, job, now, &mut cost)?;
		Ok(cost.weight::<T>())
	}

	/// The pipeline of [`Pallet::conclude_round`], counting its cost as it goes.
	fn settle_round(
		job_id: JobId,
		mut job: Job<T>,
		now: BlockNumberFor<T>,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		let winner = Self::tally(&job.assignees, job.round_threshold());
		Self::slash_losers(job_id, &job.assignees, winner, job.input_by_reference, cost);
		if let Some(challenge) = job.challenge.clone() {
			return Self::resolve_challenge(job_id, job, challenge, winner, now, cost);
		}
		let any_revealed = job.assignees.iter().any(|assignment| assignment.receipt.is_some());
		match (job.verification, winner) {
			(Verification::Optimistic, Some(output_hash)) => {
				let worker = Self::winners_of(&job.assignees, winner)
					.into_iter()
					.next()
					.ok_or(Error::<T>::NotAssigned)?;
				let until = now.saturating_add(Params::<T>::get().challenge_period);
				job.phase = JobPhase::Challengeable { until };
				Jobs::<T>::insert(job_id, job);
				Self::deposit_event(Event::ChallengeWindowOpened {
					job: job_id,
					worker,
					output_hash,
					until,
				});
				Ok(())
			},
			(Verification::Quorum { .. }, Some(output_hash)) => {
				let winners = Self::winners_of(&job.assignees, winner);
				Self::complete(job_id, job, output_hash, winners, false, cost)
			},
			(_, None) => {
				let reason =
					if any_revealed { FailureReason::NoQuorum } else { FailureReason::NoResult };
				Self::fail(job_id, job, reason, cost)
			},
		}
	}

	/// Collects the receipts of a job: the challenged original result first, then the
	/// current round's.
	pub(crate) fn receipts_of(job: &Job<T>) -> Vec<AttestationReceipt<T::AccountId>> {
		job.challenge
			.iter()
			.map(|challenge| challenge.original.clone())
			.chain(job.assignees.iter().filter_map(|assignment| assignment.receipt.clone()))
			.collect()
	}
}

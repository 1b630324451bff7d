//! The worker's main loop: follow the best blocks, ask the chain what this worker owes
//! (`InferenceApi::worker_jobs`), and do it: run and commit, reveal, heartbeat.
//!
//! The chain is the source of truth for what is due, read at every best block; events only
//! feed logs and metrics. Nothing is missed after a gap, a disconnect or a restart, because
//! the next block's duties list every open job of the worker. The local [`Store`] holds what
//! the chain cannot tell (salts and outputs) and what was already sent:
//!
//! - a commitment is built and stored before it is sent; a stored one is re-sent as it is,
//!   never recomputed with a new salt;
//! - a submission is recorded with its block number and not repeated while it may still be
//!   in the pool (for [`RESUBMIT_AFTER`] blocks), so a restart does not double-submit;
//! - a record is dropped once the job no longer lists the worker (settled or expired).

use crate::{
	chain::{deai, At, Chain},
	config::Config,
	keys,
	metrics::Metrics,
	model::Model,
	store::{JobRecord, Progress, Round, Store},
};
use anyhow::{bail, ensure, Context, Result};
use deai::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec,
	deai_primitives::model::OutputSpec as ChainOutputSpec,
	pallet_inference::types::{Payload, WorkerDuty},
};
use deai_primitives::{
	inference::{
		commitment, content_hash, unanswerable_hash, AttestedResult, JobId, UNANSWERABLE_OUTPUT,
	},
	model::OutputSpec,
	AccountId as SpAccountId,
};
use rand::RngCore;
use std::{collections::HashMap, time::Duration};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;

/// Blocks after which an unanswered submission (not yet seen on chain) is sent again.
pub const RESUBMIT_AFTER: u32 = 10;
/// The largest inline output the chain takes (`MaxJobOutputLen`).
pub const MAX_OUTPUT_LEN: usize = 4 * 1024;
/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Completes on ctrl-c (SIGINT) or SIGTERM (what service managers send). Everything the
/// worker must not lose is already in its store, so it simply stops.
async fn shutdown() {
	let terminate = async {
		match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
			Ok(mut signal) => {
				signal.recv().await;
			},
			Err(_) => std::future::pending::<()>().await,
		}
	};
	tokio::select! {
		_ = tokio::signal::ctrl_c() => {},
		_ = terminate => {},
	}
}

/// A served model, loaded and checked against the registry.
pub struct Served {
	/// The model.
	pub model: Model,
	/// How its outputs are canonicalized (from the registry).
	pub spec: OutputSpec,
	/// The largest input it accepts, in bytes (from the registry): a reference input is
	/// never read beyond it.
	pub max_input_len: usize,
}

/// A running worker.
pub struct Worker {
	config: Config,
	account: Keypair,
	attestation: Keypair,
	me: AccountId32,
	store: Store,
	models: HashMap<u64, Served>,
	metrics: Metrics,
	heartbeat_sent: Option<u32>,
	last_heartbeat_seen: Option<u32>,
}

/// The registry's output spec in the shared primitive type.
pub fn output_spec(spec: &ChainOutputSpec) -> OutputSpec {
	match spec {
		ChainOutputSpec::Exact => OutputSpec::Exact,
		ChainOutputSpec::QuantizedF32 { decimals } => {
			OutputSpec::QuantizedF32 { decimals: *decimals }
		},
		ChainOutputSpec::TopK { k } => OutputSpec::TopK { k: *k },
	}
}

/// `output` with its last byte's lowest bit flipped, and its hash: a result of the same
/// shape and length that disagrees with every honest one (fault injection only).
fn altered(mut output: Vec<u8>) -> (Vec<u8>, [u8; 32]) {
	if let Some(last) = output.last_mut() {
		*last ^= 1;
	} else {
		output.push(1);
	}
	let hash = content_hash(&output);
	(output, hash)
}

/// The account in the primitives' type (for commitments and attestations).
fn sp_account(account: &AccountId32) -> SpAccountId {
	SpAccountId::new(account.0)
}

impl Worker {
	/// Loads keys and the store, connects, checks the worker is registered with this
	/// attestation key, and loads every configured model after checking its hash against the
	/// registry. Any problem here is an error that names it.
	pub async fn start(config: Config, metrics: Metrics) -> Result<(Self, Chain)> {
		let account = keys::load(&config.account_key_file, "account key")?;
		let attestation = keys::load(&config.attestation_key_file, "attestation key")?;
		let me = account.public_key().to_account_id();
		let store = Store::open(&config.store_path)?;
		let chain = Chain::connect(&config.node_url).await?;
		let at = chain.at_best().await?;
		let record = at
			.runtime_apis()
			.call(deai::runtime_apis().compute_staking_api().worker(me))
			.await
			.context("reading the worker record")?
			.with_context(|| {
				format!(
					"account {me} is not a registered worker on {}: run `deai-worker register` first",
					config.node_url
				)
			})?;
		ensure!(
			record.attestation_key == attestation.public_key().0,
			"the attestation key in {} (0x{}) is not the one registered for {me} (0x{}): point \
			 attestation_key_file at the registered key, or rotate the key on chain with \
			 computeStaking.rotateAttestationKey",
			config.attestation_key_file.display(),
			hex::encode(attestation.public_key().0),
			hex::encode(record.attestation_key)
		);
		let mut models = HashMap::new();
		for served in &config.models {
			let details = at
				.runtime_apis()
				.call(deai::runtime_apis().model_registry_api().model(served.id))
				.await
				.context("reading the model registry")?
				.with_context(|| format!("model {} is not in the registry", served.id))?;
			crate::model::check_model_dir(&served.path)?;
			let model = Model::load(
				&served.path,
				served.backend,
				config.device,
				&details.model.spec.artifact_hash,
			)
			.with_context(|| format!("model {}", served.id))?;
			if !record.models.contains(&served.id) {
				tracing::warn!(
					model = served.id,
					"this worker does not serve model {} on chain; it will get no jobs for it \
					 (computeStaking.setServedModels)",
					served.id
				);
			}
			tracing::info!(model = served.id, hash = %hex::encode(model.hash), "model loaded and verified");
			let max_input_len =
				usize::try_from(details.model.spec.input_spec.max_len).unwrap_or(usize::MAX);
			let spec = output_spec(&details.model.spec.output_spec);
			models.insert(served.id, Served { model, spec, max_input_len });
		}
		if config.fault_wrong_results {
			tracing::warn!(
				"fault_wrong_results is set: every output is altered before it is committed, \
				 so this worker WILL be slashed. This is for the protocol's fault tests only"
			);
		}
		tracing::info!(worker = %me, node = %config.node_url, "worker started");
		let worker = Worker {
			config,
			account,
			attestation,
			me,
			store,
			models,
			metrics,
			heartbeat_sent: None,
			last_heartbeat_seen: None,
		};
		Ok((worker, chain))
	}

	/// Follows the chain until it fails, then reconnects with exponential backoff (1 s up
	/// to 30 s) and goes on; returns only on ctrl-c or SIGTERM.
	pub async fn run(mut self, chain: Chain) -> Result<()> {
		let mut chain = Some(chain);
		let mut backoff = Duration::from_secs(1);
		loop {
			let connected = match chain.take() {
				Some(chain) => Ok(chain),
				None => Chain::connect(&self.config.node_url).await.inspect(
					|_| tracing::info!(node = %self.config.node_url, "reconnected to the node"),
				),
			};
			match connected {
				Ok(chain) => {
					backoff = Duration::from_secs(1);
					tokio::select! {
						result = self.follow(&chain) => match result {
							Ok(()) => tracing::warn!("the node ended the block stream; reconnecting"),
							Err(error) => tracing::warn!("lost the node: {error:#}; reconnecting"),
						},
						_ = shutdown() => {
							tracing::info!("stopping");
							return Ok(());
						}
					}
				},
				Err(error) => tracing::warn!("{error:#}; retrying in {backoff:?}"),
			}
			tokio::select! {
				_ = tokio::time::sleep(backoff) => {},
				_ = shutdown() => return Ok(()),
			}
			backoff = backoff.saturating_mul(2).min(MAX_BACKOFF);
		}
	}

	/// Processes every new best block.
	async fn follow(&mut self, chain: &Chain) -> Result<()> {
		let mut blocks = chain.api.stream_best_blocks().await.context("following best blocks")?;
		while let Some(block) = blocks.next().await {
			let block = block.context("reading a best block")?;
			let number = u32::try_from(block.number()).context("block number above u32")?;
			let best = chain
				.rpc
				.chain_get_header(None)
				.await
				.context("reading the best header")?
				.map(|header| header.number)
				.unwrap_or(u64::from(number));
			let lag = best.saturating_sub(u64::from(number));
			self.metrics.chain_lag.set(i64::try_from(lag).unwrap_or(i64::MAX));
			// The stream starts at the last finalized block and may deliver blocks that are
			// already behind the best one: what is due is read at the newest block only.
			if lag > 0 {
				continue;
			}
			let at = block.at().await.context("opening a best block")?;
			self.note_events(&at).await;
			self.process(chain, &at, number).await?;
			self.metrics.best_block.set(i64::from(number));
		}
		Ok(())
	}

	/// Logs the block's events about this worker.
	async fn note_events(&self, at: &At) {
		let Ok(events) = at.events().fetch().await else { return };
		for assigned in events.find::<deai::inference::events::JobAssigned>().flatten() {
			if assigned.workers.contains(&self.me) {
				tracing::info!(
					job = assigned.job,
					reexecution = assigned.reexecution,
					"job assigned"
				);
			}
		}
		for slashed in events.find::<deai::inference::events::WorkerSlashed>().flatten() {
			if slashed.worker == self.me {
				tracing::warn!(
					job = slashed.job,
					amount = slashed.amount,
					"this worker was slashed"
				);
			}
		}
	}

	/// Does what the chain says is due at block `number`.
	async fn process(&mut self, chain: &Chain, at: &At, number: u32) -> Result<()> {
		let jobs = at
			.runtime_apis()
			.call(deai::runtime_apis().inference_api().worker_jobs(self.me))
			.await
			.context("reading this worker's jobs")?;
		let mut open = Vec::new();
		for job in jobs {
			let round = Round::of(job.reexecution);
			open.push((job.job, round));
			let result = match job.duty {
				WorkerDuty::Commit => {
					self.commit(chain, at, job.job, job.model, round, number).await
				},
				WorkerDuty::AwaitReveal => self.committed(job.job, round),
				WorkerDuty::Reveal => self.reveal(chain, job.job, round, number).await,
				WorkerDuty::Done => self.done(job.job, round),
			};
			if let Err(error) = result {
				self.metrics.jobs_failed.inc();
				tracing::error!(job = job.job, "{error:#}");
			}
		}
		// Jobs that no longer list this worker are over: count what landed and forget them.
		for (job, round, record) in self.store.all()? {
			if !open.contains(&(job, round)) {
				if matches!(record.progress, Progress::RevealSent(_)) {
					self.metrics.jobs_revealed.inc();
				}
				self.store.remove(job, round)?;
				tracing::debug!(job, "job over; record dropped");
			}
		}
		self.heartbeat(chain, at, number).await;
		Ok(())
	}

	/// Runs job `job` and commits to its output (or re-sends the stored commitment).
	async fn commit(
		&mut self,
		chain: &Chain,
		at: &At,
		job: JobId,
		model: u64,
		round: Round,
		number: u32,
	) -> Result<()> {
		if let Some(record) = self.store.get(job, round)? {
			if let Progress::CommitSent(sent) = record.progress {
				if number < sent.saturating_add(RESUBMIT_AFTER) {
					return Ok(());
				}
				tracing::warn!(
					job,
					"commitment not on chain after {RESUBMIT_AFTER} blocks; sending it again"
				);
			}
			return self.send_commit(chain, job, round, record, number).await;
		}
		self.metrics.jobs_seen.inc();
		let Some(input) = at
			.runtime_apis()
			.call(deai::runtime_apis().inference_api().job_input(job))
			.await
			.context("reading the job input")?
		else {
			return Ok(());
		};
		let served = self.models.get(&model).with_context(|| {
			format!("job {job}: assigned for model {model}, which this worker does not load")
		})?;
		ensure!(
			input.model_hash == served.model.hash,
			"job {job}: the job attests model artifact 0x{} but the local model is 0x{}; not running it",
			hex::encode(input.model_hash),
			hex::encode(served.model.hash)
		);
		let bytes = match (input.inline, input.uri) {
			(Some(bytes), _) => {
				ensure!(
					content_hash(&bytes) == input.input_hash,
					"job {job}: the input does not match its hash"
				);
				Ok(bytes)
			},
			(None, Some(uri)) => {
				let fetched = crate::fetch::reference_input(
					job,
					&uri,
					input.input_hash,
					served.max_input_len,
				)
				.await;
				match fetched {
					Ok(Some(bytes)) => Ok(bytes),
					Ok(None) => bail!(
						"job {job}: this worker cannot fetch the input at {}; not answering",
						String::from_utf8_lossy(&uri)
					),
					Err(error) => Err(error),
				}
			},
			(None, None) => bail!("job {job}: the chain gave no input"),
		};
		let started = std::time::Instant::now();
		let ran = match bytes {
			Ok(bytes) => tokio::task::block_in_place(|| served.model.run(&bytes, &served.spec)),
			Err(error) => Err(error),
		};
		let (mut output, mut output_hash) = match ran {
			Ok(answer) => answer,
			// No honest worker can answer this input: say so, which is paid, rather than
			// stay silent, which is slashed when the others say so.
			Err(error) if crate::model::is_unanswerable(&error) => {
				tracing::warn!(job, "{error:#}; answering that the input is unanswerable");
				(UNANSWERABLE_OUTPUT.to_vec(), unanswerable_hash())
			},
			Err(error) => return Err(error.context(format!("job {job}: running model {model}"))),
		};
		if self.config.fault_wrong_results {
			(output, output_hash) = altered(output);
			tracing::warn!(job, "fault injection: committing to an altered output");
		}
		self.metrics.inference_seconds.observe(started.elapsed().as_secs_f64());
		ensure!(
			output.len() <= MAX_OUTPUT_LEN,
			"job {job}: the output ({} bytes) is larger than an inline output may be",
			output.len()
		);
		let mut salt = [0u8; 32];
		rand::rngs::OsRng.fill_bytes(&mut salt);
		let commitment = commitment(job, &sp_account(&self.me), &output_hash, &salt);
		let record = JobRecord {
			model,
			model_hash: input.model_hash,
			input_hash: input.input_hash,
			salt,
			output,
			output_hash,
			commitment,
			progress: Progress::Computed,
		};
		// Durable before anything is sent.
		self.store.put(job, round, &record)?;
		tracing::info!(job, output_hash = %hex::encode(output_hash), "computed");
		self.send_commit(chain, job, round, record, number).await
	}

	async fn send_commit(
		&mut self,
		chain: &Chain,
		job: JobId,
		round: Round,
		record: JobRecord,
		number: u32,
	) -> Result<()> {
		self.store.set_progress(job, round, Progress::CommitSent(number))?;
		let call = deai::tx().inference().commit_result(job, record.commitment);
		chain
			.send(&call, &self.account)
			.await
			.with_context(|| format!("job {job}: sending the commitment"))?;
		tracing::info!(job, "commitment sent");
		Ok(())
	}

	/// The chain holds this worker's commitment for `job`.
	fn committed(&mut self, job: JobId, round: Round) -> Result<()> {
		if let Some(record) = self.store.get(job, round)? {
			if matches!(record.progress, Progress::Computed | Progress::CommitSent(_)) {
				self.store.set_progress(job, round, Progress::Committed)?;
				self.metrics.jobs_committed.inc();
				tracing::info!(job, "commitment on chain");
			}
		}
		Ok(())
	}

	/// Reveals the stored output of `job`.
	async fn reveal(&mut self, chain: &Chain, job: JobId, round: Round, number: u32) -> Result<()> {
		let record = self.store.get(job, round)?.with_context(|| {
			format!(
				"job {job}: the chain expects a reveal but {} has no record of the commitment \
				 (was the store deleted?)",
				self.store.path().display()
			)
		})?;
		match record.progress {
			Progress::RevealSent(sent) if number < sent.saturating_add(RESUBMIT_AFTER) => {
				return Ok(())
			},
			Progress::RevealSent(_) => {
				tracing::warn!(
					job,
					"reveal not on chain after {RESUBMIT_AFTER} blocks; sending it again"
				)
			},
			Progress::Computed | Progress::CommitSent(_) => {
				self.metrics.jobs_committed.inc();
			},
			Progress::Committed | Progress::Done => {},
		}
		let attested = AttestedResult {
			// The chain this job is on: the receipt verifies for no other chain.
			genesis_hash: chain.api.genesis_hash().0,
			job_id: job,
			model_hash: record.model_hash,
			input_hash: record.input_hash,
			output_hash: record.output_hash,
			worker: sp_account(&self.me),
		};
		let signature = self.attestation.sign(&attested.signing_payload());
		self.store.set_progress(job, round, Progress::RevealSent(number))?;
		let call = deai::tx().inference().reveal_result(
			job,
			Payload::Inline(BoundedVec(record.output)),
			record.salt,
			signature.0,
		);
		chain
			.send(&call, &self.account)
			.await
			.with_context(|| format!("job {job}: sending the reveal"))?;
		tracing::info!(job, "reveal sent");
		Ok(())
	}

	/// Nothing more is due for `job`.
	fn done(&mut self, job: JobId, round: Round) -> Result<()> {
		if let Some(record) = self.store.get(job, round)? {
			if matches!(record.progress, Progress::RevealSent(_)) {
				self.store.set_progress(job, round, Progress::Done)?;
				self.metrics.jobs_revealed.inc();
				tracing::info!(job, "reveal on chain");
			}
		}
		Ok(())
	}

	/// Sends a heartbeat once `HeartbeatInterval` blocks have passed since the last one (so
	/// that it is on time, and free).
	async fn heartbeat(&mut self, chain: &Chain, at: &At, number: u32) {
		let interval = at
			.constants()
			.entry(deai::constants().compute_staking().heartbeat_interval())
			.unwrap_or(100);
		let Ok(Some(record)) = at
			.runtime_apis()
			.call(deai::runtime_apis().compute_staking_api().worker(self.me))
			.await
		else {
			return;
		};
		if self.last_heartbeat_seen.is_some_and(|seen| record.last_heartbeat > seen)
			&& self.heartbeat_sent.is_some()
		{
			self.metrics.heartbeats.inc();
			self.heartbeat_sent = None;
		}
		self.last_heartbeat_seen = Some(record.last_heartbeat);
		if number < record.last_heartbeat.saturating_add(interval) {
			return;
		}
		if self.heartbeat_sent.is_some_and(|sent| number < sent.saturating_add(RESUBMIT_AFTER)) {
			return;
		}
		self.heartbeat_sent = Some(number);
		match chain.send(&deai::tx().compute_staking().heartbeat(), &self.account).await {
			Ok(()) => tracing::info!("heartbeat sent"),
			Err(error) => tracing::warn!("heartbeat: {error:#}"),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_altered_output_differs_keeps_its_length_and_is_hashed_anew() {
		let honest = vec![7u8, 8, 9];
		let (wrong, hash) = altered(honest.clone());
		assert_ne!(wrong, honest);
		assert_eq!(wrong.len(), honest.len());
		assert_eq!(hash, content_hash(&wrong));
		assert_ne!(hash, content_hash(&honest));
		let (from_empty, _) = altered(Vec::new());
		assert_eq!(from_empty, vec![1]);
	}
}

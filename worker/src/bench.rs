//! `deai-worker bench`: how fast a model runs on its own (raw candle: tokenize, BERT, pool,
//! normalize) and through the worker's whole local path for a job (the same, then
//! canonicalize and hash, draw a salt, build the commitment, write the record durably to
//! the store, and sign the attestation). The chain's part (submission to settlement) is
//! measured by `e2e/tools/submit-job.js --repeat`.

use crate::{
	config::{Backend, Device},
	model::{artifact_hash, Model},
	store::{JobRecord, Progress, Round, Store},
};
use anyhow::Result;
use deai_primitives::{
	inference::{commitment, AttestedResult},
	model::OutputSpec,
	AccountId,
};
use rand::RngCore;
use std::{path::Path, time::Instant};
use subxt_signer::sr25519::Keypair;

/// Sentences of everyday length (8 to 20 tokens) the benchmark cycles through.
pub const SENTENCES: [&str; 8] = [
	"hello world",
	"The quick brown fox jumps over the lazy dog.",
	"Decentralized inference needs verifiable results from independent workers.",
	"A parachain settles jobs and pays the workers that agreed.",
	"What is the capital of France?",
	"Embeddings map sentences with similar meaning to nearby vectors.",
	"Stake is slashed when a worker reveals a wrong result.",
	"The model registry records where every artifact came from.",
];

/// Latencies of one measured path, in milliseconds.
#[derive(Debug, Clone)]
pub struct Timings {
	/// One value per run, sorted.
	pub millis: Vec<f64>,
}

impl Timings {
	fn new(mut millis: Vec<f64>) -> Self {
		millis.sort_by(f64::total_cmp);
		Timings { millis }
	}

	/// The `q`-quantile (nearest rank).
	pub fn quantile(&self, q: f64) -> f64 {
		if self.millis.is_empty() {
			return 0.0;
		}
		let rank = (q * self.millis.len() as f64).ceil() as usize;
		self.millis
			.get(rank.saturating_sub(1).min(self.millis.len().saturating_sub(1)))
			.copied()
			.unwrap_or(0.0)
	}

	/// The mean.
	pub fn mean(&self) -> f64 {
		self.millis.iter().sum::<f64>() / self.millis.len().max(1) as f64
	}

	/// Runs per second, from the mean.
	pub fn per_second(&self) -> f64 {
		1000.0 / self.mean().max(f64::MIN_POSITIVE)
	}

	/// One line of the report.
	pub fn line(&self, what: &str) -> String {
		format!(
			"{what:<34} {:>8.1}/s  mean {:>7.2} ms  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms",
			self.per_second(),
			self.mean(),
			self.quantile(0.5),
			self.quantile(0.95),
			self.quantile(0.99)
		)
	}
}

/// Measures `runs` embeddings of the model in `dir` on both paths, after `warmup` runs.
pub fn run(dir: &Path, runs: usize, warmup: usize) -> Result<(Timings, Timings)> {
	let hash = artifact_hash(dir)?;
	let model = Model::load(dir, Backend::BertEmbedding, Device::Cpu, &hash)?;
	let spec = OutputSpec::QuantizedF32 { decimals: 4 };
	let store_dir = tempfile_dir()?;
	let store = Store::open(&store_dir.join("bench.redb"))?;
	let worker = AccountId::new([7; 32]);
	let attestation = Keypair::from_secret_key([9; 32])
		.map_err(|e| anyhow::anyhow!("creating the benchmark key: {e}"))?;
	let sentence = |i: usize| {
		SENTENCES.get(i.checked_rem(SENTENCES.len()).unwrap_or(0)).copied().unwrap_or("hello")
	};
	for i in 0..warmup {
		model.embed(sentence(i))?;
	}
	let mut raw = Vec::with_capacity(runs);
	for i in 0..runs {
		let started = Instant::now();
		model.embed(sentence(i))?;
		raw.push(started.elapsed().as_secs_f64() * 1000.0);
	}
	let mut full = Vec::with_capacity(runs);
	for i in 0..runs {
		let job = u64::try_from(i).unwrap_or(u64::MAX);
		let input = sentence(i).as_bytes();
		let started = Instant::now();
		let (output, output_hash) = model.run(input, &spec)?;
		let mut salt = [0u8; 32];
		rand::rngs::OsRng.fill_bytes(&mut salt);
		let input_hash = deai_primitives::inference::content_hash(input);
		let record = JobRecord {
			model: 0,
			model_hash: hash,
			input_hash,
			salt,
			output,
			output_hash,
			commitment: commitment(job, &worker, &output_hash, &salt),
			progress: Progress::Computed,
		};
		store.put(job, Round::First, &record)?;
		let attested = AttestedResult {
			// No chain here; the signing cost does not depend on which.
			genesis_hash: [0; 32],
			job_id: job,
			model_hash: hash,
			input_hash,
			output_hash,
			worker: worker.clone(),
		};
		attestation.sign(&attested.signing_payload());
		full.push(started.elapsed().as_secs_f64() * 1000.0);
	}
	std::fs::remove_dir_all(&store_dir).ok();
	Ok((Timings::new(raw), Timings::new(full)))
}

/// A fresh directory for the benchmark's store.
fn tempfile_dir() -> Result<std::path::PathBuf> {
	let mut bytes = [0u8; 8];
	rand::rngs::OsRng.fill_bytes(&mut bytes);
	let dir = std::env::temp_dir().join(format!("deai-worker-bench-{}", hex::encode(bytes)));
	std::fs::create_dir_all(&dir)?;
	Ok(dir)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn quantiles_use_the_nearest_rank() {
		let timings = Timings::new((1..=100).rev().map(f64::from).collect());
		assert_eq!(timings.quantile(0.5), 50.0);
		assert_eq!(timings.quantile(0.95), 95.0);
		assert_eq!(timings.quantile(0.99), 99.0);
		assert_eq!(timings.mean(), 50.5);
	}

	#[test]
	fn both_paths_are_measured_on_a_tiny_model() -> Result<()> {
		let dir = tempfile::tempdir()?;
		crate::model::write_tiny_model(dir.path(), 2)?;
		let (raw, full) = run(dir.path(), 20, 2)?;
		assert_eq!(raw.millis.len(), 20);
		assert_eq!(full.millis.len(), 20);
		assert!(raw.millis.iter().chain(full.millis.iter()).all(|ms| *ms > 0.0));
		Ok(())
	}
}

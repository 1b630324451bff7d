//! `deai-worker`: the DeAI off-chain inference worker's command line.

use anyhow::{ensure, Context, Result};
use clap::{Parser, Subcommand};
use deai::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec, sp_arithmetic::per_things::Perbill,
};
use deai_primitives::currency::DEAI;
use deai_worker::{
	chain::{deai, Chain},
	config::{self, Config},
	keys,
	metrics::Metrics,
	model,
	runner::Worker,
	store::Store,
};
use std::path::PathBuf;

/// The DeAI off-chain inference worker.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Creates a directory with fresh keys and a commented worker.toml.
	Init {
		/// The directory to create (must not hold keys already).
		#[arg(long, default_value = "deai-worker")]
		dir: PathBuf,
		/// The node's WebSocket endpoint.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		node_url: String,
		/// Where the models live (default: `$HOME/.cache/deai/models`, where
		/// `scripts/fetch-model.sh` puts the reference model).
		#[arg(long)]
		models_dir: Option<PathBuf>,
		/// Where metrics are served.
		#[arg(long, default_value = "127.0.0.1:9615")]
		metrics_addr: String,
		/// Use this secret URI (e.g. `//Charlie`) for the account instead of a fresh key.
		#[arg(long)]
		account_uri: Option<String>,
	},
	/// Registers the account as a worker: bonds, publishes the attestation key and serves
	/// the configured models.
	Register {
		/// The worker's configuration.
		#[arg(long, short, default_value = "worker.toml")]
		config: PathBuf,
		/// The bond, in DEAI (at least the chain's minimum).
		#[arg(long)]
		bond: u64,
		/// The commission taken from delegators' rewards, in percent.
		#[arg(long, default_value_t = 10)]
		commission: u32,
	},
	/// Follows the chain and runs the assigned jobs until stopped.
	Run {
		/// The worker's configuration.
		#[arg(long, short, default_value = "worker.toml")]
		config: PathBuf,
	},
	/// Shows the worker's on-chain record and its local store.
	Status {
		/// The worker's configuration.
		#[arg(long, short, default_value = "worker.toml")]
		config: PathBuf,
	},
	/// Prints the artifact hash of a model directory (what the registry must hold).
	Hash {
		/// The model directory.
		model_dir: PathBuf,
	},
	/// Measures embeddings per second and latency of a model, raw and through the worker's
	/// full local path (a report, not a test).
	Bench {
		/// The model directory.
		model_dir: PathBuf,
		/// Measured runs per path.
		#[arg(long, default_value_t = 200)]
		runs: usize,
		/// Unmeasured runs first.
		#[arg(long, default_value_t = 10)]
		warmup: usize,
	},
	/// Writes a tiny random BERT encoder (for tests and local networks) and prints its hash.
	TinyModel {
		/// The directory to write.
		#[arg(long)]
		out: PathBuf,
		/// The seed of its weights (the same seed gives the same file).
		#[arg(long, default_value_t = 1)]
		seed: u64,
	},
}

#[tokio::main]
async fn main() {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.init();
	if let Err(error) = run(Cli::parse()).await {
		eprintln!("error: {error:#}");
		std::process::exit(1);
	}
}

async fn run(cli: Cli) -> Result<()> {
	match cli.command {
		Command::Init { dir, node_url, models_dir, metrics_addr, account_uri } => {
			let config_path = dir.join("worker.toml");
			ensure!(!config_path.exists(), "{} already exists", config_path.display());
			match account_uri {
				Some(uri) => keys::write_secret(&dir.join("account.key"), &uri)?,
				None => keys::create(&dir.join("account.key"))?,
			}
			keys::create(&dir.join("attestation.key"))?;
			let models_dir = match models_dir {
				Some(dir) => dir,
				None => std::env::var_os("HOME")
					.map(|home| PathBuf::from(home).join(".cache/deai/models"))
					.context("HOME is not set: give --models-dir")?,
			};
			std::fs::write(&config_path, config::template(&node_url, &models_dir, &metrics_addr))
				.with_context(|| format!("writing {}", config_path.display()))?;
			let account = keys::load(&dir.join("account.key"), "account key")?;
			let attestation = keys::load(&dir.join("attestation.key"), "attestation key")?;
			println!("created {}", config_path.display());
			println!("account:         {}", keys::address(&account));
			println!("attestation key: 0x{}", hex::encode(attestation.public_key().0));
			println!(
				"next: fund the account, edit the [[models]] entries, then `deai-worker register`"
			);
		},
		Command::Register { config, bond, commission } => {
			let config = Config::load(&config)?;
			ensure!(commission <= 100, "--commission is a percentage (0 to 100), not {commission}");
			let account = keys::load(&config.account_key_file, "account key")?;
			let attestation = keys::load(&config.attestation_key_file, "attestation key")?;
			let chain = Chain::connect(&config.node_url).await?;
			let models: Vec<u64> = config.models.iter().map(|m| m.id).collect();
			let call = deai::tx().compute_staking().register_worker(
				u128::from(bond).saturating_mul(DEAI),
				attestation.public_key().0,
				BoundedVec(config.endpoint.clone().into_bytes()),
				BoundedVec(config.capabilities.clone().into_bytes()),
				BoundedVec(models.clone()),
				Perbill(commission.saturating_mul(10_000_000)),
			);
			let block = chain
				.submit(&call, &account)
				.await
				.context("registering the worker (computeStaking.registerWorker)")?;
			println!(
				"registered {} with a bond of {bond} DEAI serving models {models:?} (block 0x{})",
				keys::address(&account),
				hex::encode(block.0)
			);
		},
		Command::Run { config } => {
			let config = Config::load(&config)?;
			let metrics = Metrics::new();
			let _server = match config.metrics_addr {
				Some(addr) => Some(metrics.clone().serve(addr).await?),
				None => None,
			};
			let (worker, chain) = Worker::start(config, metrics).await?;
			worker.run(chain).await?;
		},
		Command::Status { config } => {
			let config = Config::load(&config)?;
			let account = keys::load(&config.account_key_file, "account key")?;
			let me = account.public_key().to_account_id();
			println!("account: {me}");
			let chain = Chain::connect(&config.node_url).await?;
			let at = chain.at_best().await?;
			println!("best block: {}", at.block_number());
			match at
				.runtime_apis()
				.call(deai::runtime_apis().compute_staking_api().worker(me))
				.await?
			{
				None => println!("not registered (run `deai-worker register`)"),
				Some(worker) => {
					println!(
						"status: {:?}, online: {}, eligible: {}",
						worker.status, worker.online, worker.eligible
					);
					println!("attestation key: 0x{}", hex::encode(worker.attestation_key));
					println!(
						"bonded: {} (delegated {}), models: {:?}",
						worker.bonded, worker.delegated, worker.models
					);
					println!("last heartbeat: block {}", worker.last_heartbeat);
					let r = &worker.reputation;
					println!(
						"reputation: {} completed, {} failed, {} challenges lost, {} slashes",
						r.jobs_completed, r.jobs_failed, r.challenges_lost, r.slashes
					);
				},
			}
			let jobs = at
				.runtime_apis()
				.call(deai::runtime_apis().inference_api().worker_jobs(me))
				.await?;
			println!("open jobs on chain: {}", jobs.len());
			for job in jobs {
				println!("  job {} (model {}): {:?}", job.job, job.model, job.duty);
			}
			let path = &config.store_path;
			let records = if path.exists() { Store::read_only(path)? } else { Vec::new() };
			println!("local store {}: {} record(s)", path.display(), records.len());
			for (job, round, record) in records {
				println!("  job {job} {round:?}: {:?}", record.progress);
			}
		},
		Command::Hash { model_dir } => {
			println!("0x{}", hex::encode(model::artifact_hash(&model_dir)?));
		},
		Command::Bench { model_dir, runs, warmup } => {
			ensure!(runs > 0, "--runs must be at least 1");
			let (raw, full) = deai_worker::bench::run(&model_dir, runs, warmup)?;
			println!(
				"model {} ({runs} runs per path, {} threads)",
				model_dir.display(),
				candle_core::utils::get_num_threads()
			);
			println!("{}", raw.line("raw candle (embed)"));
			println!("{}", full.line("worker path (embed..store..sign)"));
		},
		Command::TinyModel { out, seed } => {
			let hash = model::write_tiny_model(&out, seed)?;
			println!("0x{}", hex::encode(hash));
		},
	}
	Ok(())
}

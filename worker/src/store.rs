//! The worker's local store: what it must not forget across a crash or a restart.
//!
//! A job's salt, canonical output, output hash and commitment are written (and fsynced, in a
//! redb transaction) **before** the commitment is sent, and each submission is recorded
//! before it goes out. A worker killed at any point and restarted therefore reveals exactly
//! what it committed (never a recomputed output with a fresh salt, which would not match the
//! commitment and would be slashed), and asks the chain what is still due before it sends
//! anything again, so nothing is submitted twice.
//!
//! The store is an embedded [`redb`] database (crash-safe copy-on-write B-trees): one table
//! of job records keyed by `(job id, round)`, SCALE-encoded.

use anyhow::{Context, Result};
use codec::{Decode, Encode};
use deai_primitives::inference::{Commitment, JobId, OutputHash, Salt};

use redb::{
	Builder, ConcurrencyMode, Database, ReadOnlyDatabase, ReadableDatabase, ReadableTable,
	TableDefinition,
};
use std::path::{Path, PathBuf};

/// Job records: `(job, round)` to a SCALE-encoded [`JobRecord`].
const JOBS: TableDefinition<(u64, u8), &[u8]> = TableDefinition::new("jobs");

/// Which round of a job: its first execution or the re-execution of a challenged result.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum Round {
	/// The job's first execution.
	First,
	/// The re-execution of a challenged optimistic result.
	Reexecution,
}

impl Round {
	/// The round of a job the chain reports with `reexecution`.
	pub fn of(reexecution: bool) -> Self {
		if reexecution {
			Round::Reexecution
		} else {
			Round::First
		}
	}

	fn key(self) -> u8 {
		match self {
			Round::First => 0,
			Round::Reexecution => 1,
		}
	}
}

/// Where a job stands for this worker.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Progress {
	/// The output is computed and its commitment built; nothing sent yet.
	Computed,
	/// The commitment was sent at this (best) block number; not yet seen on chain.
	CommitSent(u32),
	/// The chain holds the commitment.
	Committed,
	/// The reveal was sent at this block number; not yet seen on chain.
	RevealSent(u32),
	/// The chain holds the reveal, or the job is over for this worker.
	Done,
}

/// Everything the worker keeps about one job round.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct JobRecord {
	/// The model the job runs.
	pub model: u64,
	/// The artifact hash of the model the output was computed with (attested at the reveal).
	pub model_hash: [u8; 32],
	/// The hash of the job's input (attested at the reveal).
	pub input_hash: [u8; 32],
	/// The salt of the commitment (random, secret until the reveal).
	pub salt: Salt,
	/// The canonical output bytes.
	pub output: Vec<u8>,
	/// Their blake2-256 hash.
	pub output_hash: OutputHash,
	/// The commitment sent (or to send).
	pub commitment: Commitment,
	/// Where the job stands.
	pub progress: Progress,
}

/// The store (a redb database file).
pub struct Store {
	db: Database,
	path: PathBuf,
}

impl Store {
	/// Opens the store at `path`, creating it (and its table) if needed.
	pub fn open(path: &Path) -> Result<Self> {
		if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
			std::fs::create_dir_all(dir)
				.with_context(|| format!("creating the store directory {}", dir.display()))?;
		}
		// One writer (this worker); `deai-worker status` may read alongside it.
		let db = Builder::new()
			.set_concurrency_mode(ConcurrencyMode::SingleWriter)
			.create(path)
			.with_context(|| {
				format!(
					"opening the worker store {} (is another deai-worker running with it?)",
					path.display()
				)
			})?;
		let txn = db.begin_write().context("starting a store transaction")?;
		txn.open_table(JOBS).context("creating the jobs table")?;
		txn.commit().context("committing the store schema")?;
		Ok(Store { db, path: path.to_path_buf() })
	}

	/// The file the store lives in.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// The record of `job` in `round`, if any.
	pub fn get(&self, job: JobId, round: Round) -> Result<Option<JobRecord>> {
		let txn = self.db.begin_read().context("reading the store")?;
		let table = txn.open_table(JOBS).context("opening the jobs table")?;
		let Some(bytes) = table.get((job, round.key())).context("reading a job record")? else {
			return Ok(None);
		};
		let record = JobRecord::decode(&mut bytes.value())
			.with_context(|| format!("job {job}: the stored record is corrupt"))?;
		Ok(Some(record))
	}

	/// Writes the record of `job` in `round` durably (the call returns after the commit).
	pub fn put(&self, job: JobId, round: Round, record: &JobRecord) -> Result<()> {
		let txn = self.db.begin_write().context("starting a store transaction")?;
		{
			let mut table = txn.open_table(JOBS).context("opening the jobs table")?;
			table
				.insert((job, round.key()), record.encode().as_slice())
				.context("writing a job record")?;
		}
		txn.commit().with_context(|| format!("job {job}: committing its record"))?;
		Ok(())
	}

	/// Sets the progress of a stored record; an error if there is none.
	pub fn set_progress(&self, job: JobId, round: Round, progress: Progress) -> Result<JobRecord> {
		let mut record = self
			.get(job, round)?
			.with_context(|| format!("job {job}: no stored record to update"))?;
		record.progress = progress;
		self.put(job, round, &record)?;
		Ok(record)
	}

	/// Forgets the record of `job` in `round` (once the job is over on chain).
	pub fn remove(&self, job: JobId, round: Round) -> Result<()> {
		let txn = self.db.begin_write().context("starting a store transaction")?;
		{
			let mut table = txn.open_table(JOBS).context("opening the jobs table")?;
			table.remove((job, round.key())).context("removing a job record")?;
		}
		txn.commit().context("committing a removal")?;
		Ok(())
	}

	/// Every stored record, in job order.
	pub fn all(&self) -> Result<Vec<(JobId, Round, JobRecord)>> {
		read_all(&self.db)
	}

	/// Every record of the store at `path`, read while a worker may be writing it.
	pub fn read_only(path: &Path) -> Result<Vec<(JobId, Round, JobRecord)>> {
		let db: ReadOnlyDatabase = Builder::new()
			.set_concurrency_mode(ConcurrencyMode::SingleWriter)
			.open_read_only(path)
			.with_context(|| format!("opening the worker store {} to read", path.display()))?;
		read_all(&db)
	}
}

/// Every record in `db`, in job order.
fn read_all(db: &impl ReadableDatabase) -> Result<Vec<(JobId, Round, JobRecord)>> {
	let txn = db.begin_read().context("reading the store")?;
	let table = txn.open_table(JOBS).context("opening the jobs table")?;
	let mut records = Vec::new();
	for entry in table.iter().context("listing job records")? {
		let (key, value) = entry.context("reading a job record")?;
		let (job, round) = key.value();
		let round = if round == 0 { Round::First } else { Round::Reexecution };
		let record = JobRecord::decode(&mut value.value())
			.with_context(|| format!("job {job}: the stored record is corrupt"))?;
		records.push((job, round, record));
	}
	Ok(records)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn record(progress: Progress) -> JobRecord {
		JobRecord {
			model: 7,
			model_hash: [4; 32],
			input_hash: [5; 32],
			salt: [1; 32],
			output: vec![1, 2, 3],
			output_hash: [2; 32],
			commitment: [3; 32],
			progress,
		}
	}

	#[test]
	fn records_survive_reopening() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let path = dir.path().join("nested").join("state.redb");
		{
			let store = Store::open(&path)?;
			store.put(5, Round::First, &record(Progress::Computed))?;
			store.put(5, Round::Reexecution, &record(Progress::Done))?;
			store.set_progress(5, Round::First, Progress::CommitSent(12))?;
		}
		let store = Store::open(&path)?;
		assert_eq!(store.get(5, Round::First)?, Some(record(Progress::CommitSent(12))));
		assert_eq!(store.get(5, Round::Reexecution)?, Some(record(Progress::Done)));
		assert_eq!(store.get(6, Round::First)?, None);
		assert_eq!(store.all()?.len(), 2);
		store.remove(5, Round::Reexecution)?;
		assert_eq!(store.all()?.len(), 1);
		Ok(())
	}

	#[test]
	fn one_writer_at_a_time_and_readers_alongside() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let path = dir.path().join("state.redb");
		let store = Store::open(&path)?;
		store.put(3, Round::First, &record(Progress::Committed))?;
		let second = Store::open(&path).err().context("a second writer must be refused")?;
		assert!(format!("{second:#}").contains("another deai-worker"), "{second:#}");
		let read = Store::read_only(&path)?;
		assert_eq!(read, vec![(3, Round::First, record(Progress::Committed))]);
		Ok(())
	}

	#[test]
	fn updating_a_missing_record_is_an_error() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let store = Store::open(&dir.path().join("state.redb"))?;
		let error = store.set_progress(1, Round::First, Progress::Committed).unwrap_err();
		assert!(error.to_string().contains("no stored record"), "{error}");
		Ok(())
	}

	#[test]
	fn a_corrupt_record_is_reported_not_used() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let store = Store::open(&dir.path().join("state.redb"))?;
		let txn = store.db.begin_write()?;
		{
			let mut table = txn.open_table(JOBS)?;
			table.insert((9, 0), [0xff_u8, 0xff].as_slice())?;
		}
		txn.commit()?;
		let error = store.get(9, Round::First).unwrap_err();
		assert!(error.to_string().contains("corrupt"), "{error}");
		Ok(())
	}
}

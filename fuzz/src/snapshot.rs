//! Snapshots: the try-runtime checks on a real chain's state at one block, saved by
//! `e2e/tools/snapshot.js` and run by `deai-runtime-fuzz try-runtime <snapshot.json>`. Unlike
//! a fuzz case, this starts from a state the fuzzer did not build and runs the runtime
//! upgrade on it.

use crate::chain::text;
use deai_runtime::{AllPalletsWithSystem, BlockNumber, Executive, System};
use polkadot_sdk::{
	frame_support::traits::{TryState, TryStateSelect},
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::Storage,
};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Storage as key/value pairs.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// What [`check_snapshot`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotReport {
	/// Storage entries in the snapshot.
	pub keys: usize,
	/// The block number the snapshot was taken at.
	pub number: BlockNumber,
	/// The weight the runtime-upgrade hooks declared.
	pub upgrade_weight: polkadot_sdk::frame_support::weights::Weight,
}

/// The try-runtime checks on a state snapshot (`pairs`: every top-level key and value of a
/// chain at one block, `:code` included), run on this runtime natively:
/// `Executive::try_runtime_upgrade` with every check (each pallet's `pre_upgrade`,
/// `on_runtime_upgrade`, `post_upgrade`, the decoding of the entire state and every
/// pallet's `try_state`), twice, and the second run must not change the state the first
/// left (the migrations are idempotent).
pub fn check_snapshot(pairs: Pairs) -> Result<SnapshotReport, String> {
	use polkadot_sdk::{frame_support::traits::UpgradeCheckSelect, sp_runtime::StateVersion};

	let keys = pairs.len();
	let code = pairs
		.iter()
		.find(|(key, _)| key.as_slice() == b":code")
		.map(|(_, value)| value.clone())
		.ok_or("the snapshot has no :code")?;
	if pairs.iter().any(|(key, _)| key.starts_with(b":child_storage:")) {
		return Err("the snapshot has child tries, which DeAI never writes".into());
	}
	let storage =
		Storage { top: pairs.into_iter().collect(), children_default: Default::default() };
	let mut ext = TestExternalities::new_with_code(&code, storage);
	let number = ext.execute_with(System::block_number);
	let mut upgrade = || -> Result<(H256, polkadot_sdk::frame_support::weights::Weight), String> {
		let weight = ext.execute_with(|| {
			catch_unwind(AssertUnwindSafe(|| {
				Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			}))
			.map_err(|panic| format!("the runtime upgrade panicked: {}", text(&panic)))?
			.map_err(|e| format!("try_runtime_upgrade: {e:?}"))
		})?;
		ext.commit_all().map_err(|e| format!("committing the state: {e}"))?;
		let root = ext.execute_with(|| {
			H256::from_slice(&polkadot_sdk::sp_io::storage::root(StateVersion::V1))
		});
		Ok((root, weight))
	};
	let (first, upgrade_weight) = upgrade()?;
	let (second, _) = upgrade()?;
	if first != second {
		return Err(format!(
			"the migrations are not idempotent: a second run changed the state root from \
			 {first:?} to {second:?}"
		));
	}
	ext.execute_with(|| {
		<AllPalletsWithSystem as TryState<BlockNumber>>::try_state(number, TryStateSelect::All)
			.map_err(|e| format!("try_state: {e:?}"))
	})?;
	Ok(SnapshotReport { keys, number, upgrade_weight })
}

/// Reads a snapshot file written by `e2e/tools/snapshot.js` (`{"pairs": [["0x…", "0x…"],
/// …]}`, every top-level key and value of a chain at one block).
pub fn read_snapshot(path: &std::path::Path) -> Result<Pairs, String> {
	fn hex(text: &str) -> Result<Vec<u8>, String> {
		let digits = text.strip_prefix("0x").unwrap_or(text);
		if !digits.len().is_multiple_of(2) {
			return Err(format!("odd-length hex {text:.20}…"));
		}
		(0..digits.len())
			.step_by(2)
			.map(|i| {
				digits
					.get(i..i.saturating_add(2))
					.and_then(|pair| u8::from_str_radix(pair, 16).ok())
					.ok_or_else(|| format!("not hex: {text:.20}…"))
			})
			.collect()
	}
	let text = std::fs::read_to_string(path)
		.map_err(|e| format!("cannot read the snapshot {}: {e}", path.display()))?;
	let json: serde_json::Value = serde_json::from_str(&text)
		.map_err(|e| format!("the snapshot {} is not JSON: {e}", path.display()))?;
	let pairs = json
		.get("pairs")
		.and_then(|p| p.as_array())
		.ok_or_else(|| format!("the snapshot {} has no \"pairs\" array", path.display()))?;
	pairs
		.iter()
		.map(|pair| match pair.as_array().map(|p| p.as_slice()) {
			Some([key, value]) => match (key.as_str(), value.as_str()) {
				(Some(key), Some(value)) => Ok((hex(key)?, hex(value)?)),
				_ => Err("a snapshot pair is not two hex strings".to_string()),
			},
			_ => Err("a snapshot entry is not a [key, value] pair".to_string()),
		})
		.collect()
}

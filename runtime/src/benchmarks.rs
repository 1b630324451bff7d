//! The runtime's benchmarks: which pallets `deai-node benchmark pallet` can measure, run by
//! `scripts/benchmark.sh` to generate every DeAI pallet's `weights.rs`.
//!
//! `pallet_balances` is listed so that the DeAI calls can be compared with a plain transfer
//! measured in the same run on the same machine.

use crate::{
	AllPalletsWithSystem, Balances, ComputeStaking, DataRewards, Governance, Inference,
	ModelRegistry,
};
use alloc::{string::String, vec::Vec};
use polkadot_sdk::{
	frame_benchmarking::{
		add_benchmark, list_benchmark, BenchmarkBatch, BenchmarkConfig, BenchmarkList,
	},
	frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys},
	sp_storage::TrackedStorageKey,
};

/// The benchmarks this runtime offers, and the storage layout the weights are computed for.
pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmark!(list, extra, pallet_balances, Balances);
	list_benchmark!(list, extra, pallet_model_registry, ModelRegistry);
	list_benchmark!(list, extra, pallet_data_rewards, DataRewards);
	list_benchmark!(list, extra, pallet_compute_staking, ComputeStaking);
	list_benchmark!(list, extra, pallet_inference, Inference);
	list_benchmark!(list, extra, pallet_governance, Governance);
	(list, AllPalletsWithSystem::storage_info())
}

/// Runs the benchmark `config` names.
pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmark!(params, batches, pallet_balances, Balances);
	add_benchmark!(params, batches, pallet_model_registry, ModelRegistry);
	add_benchmark!(params, batches, pallet_data_rewards, DataRewards);
	add_benchmark!(params, batches, pallet_compute_staking, ComputeStaking);
	add_benchmark!(params, batches, pallet_inference, Inference);
	add_benchmark!(params, batches, pallet_governance, Governance);
	Ok(batches)
}

//! `pallet_model_registry`: AI models with their artifacts, versions, lineage and training
//! data.
//!
//! A model record is paid for with a deposit of 0.01 DEAI plus 1 mDEAI per encoded byte
//! (a 1 KiB record holds about 1.03 DEAI), refunded when the model is removed. Training datasets are checked against the data-rewards pallet.
//!
//! Retiring and restoring models need [`RegistryOrigin`]: the Curation or the Parameters
//! track of governance, or root (the Runtime track, and the development chain's sudo key).
//! The royalty cap moves fees, so it needs [`ParametersOrigin`]: the Parameters track or
//! root, never the Curation track. Whether a job still names a model is asked of the
//! inference pallet.

use crate::{
	configs::governance_origin::{ParametersOrigin, RegistryOrigin},
	Balance, Balances, DataRewards, Inference, Runtime, RuntimeHoldReason, MILLI_DEAI,
};
use polkadot_sdk::frame_support::parameter_types;

parameter_types! {
	/// The fixed part of a model's deposit.
	pub const ModelDepositBase: Balance = 10 * MILLI_DEAI;
	/// The deposit per encoded byte of a model record.
	pub const ModelDepositPerByte: Balance = MILLI_DEAI;
	/// The longest model name.
	pub const ModelMaxNameLen: u32 = 64;
	/// The longest version string.
	pub const ModelMaxVersionLen: u32 = 32;
	/// The longest artifact URI.
	pub const ModelMaxUriLen: u32 = 256;
	/// The most mirrors (URIs) of one artifact.
	pub const ModelMaxUris: u32 = 4;
	/// The longest license (SPDX expression).
	pub const ModelMaxLicenseLen: u32 = 64;
	/// The most training datasets of one model.
	pub const ModelMaxDatasets: u32 = 16;
	/// The most versions in one model family.
	pub const ModelMaxVersionsPerFamily: u32 = 64;
	/// The longest retirement reason.
	pub const ModelMaxReasonLen: u32 = 256;
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = DataRewards;
	type ModelUsage = Inference;
	type CurationOrigin = RegistryOrigin;
	type ParamsOrigin = ParametersOrigin;
	type DepositBase = ModelDepositBase;
	type DepositPerByte = ModelDepositPerByte;
	type MaxNameLen = ModelMaxNameLen;
	type MaxVersionLen = ModelMaxVersionLen;
	type MaxUriLen = ModelMaxUriLen;
	type MaxUris = ModelMaxUris;
	type MaxLicenseLen = ModelMaxLicenseLen;
	type MaxDatasets = ModelMaxDatasets;
	type MaxVersionsPerFamily = ModelMaxVersionsPerFamily;
	type MaxReasonLen = ModelMaxReasonLen;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegistryBenchmarkHelper;
}

/// Makes real datasets exist in the data-rewards pallet for the registry's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct RegistryBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_model_registry::benchmarking::BenchmarkHelper for RegistryBenchmarkHelper {
	fn datasets(count: u32) -> alloc::vec::Vec<deai_primitives::data::DatasetId> {
		use polkadot_sdk::{
			frame_support::traits::fungible::Mutate, frame_system::RawOrigin, sp_core::H256,
		};
		let owner: crate::AccountId =
			polkadot_sdk::frame_benchmarking::account("dataset-owner", 0, 0);
		let _ = <Balances as Mutate<_>>::mint_into(&owner, 1_000_000 * crate::DEAI);
		(0..count)
			.filter_map(|i| {
				let id = pallet_data_rewards::NextDatasetId::<Runtime>::get();
				DataRewards::create_dataset(
					RawOrigin::Signed(owner.clone()).into(),
					alloc::format!("dataset {i}").into_bytes().try_into().ok()?,
					H256::repeat_byte(1),
					b"ipfs://dataset".to_vec().try_into().ok()?,
					b"CC-BY-4.0".to_vec().try_into().ok()?,
					H256::repeat_byte(2),
				)
				.ok()?;
				Some(id)
			})
			.collect()
	}
}

/// Registers an active model of `owner` for the benchmarks of other pallets: its artifact hash
/// comes from `seed`, it costs `price` per inference, accepts inputs of up to `max_input_len`
/// bytes and was trained on `datasets` fresh datasets with (nearly) equal weights. `None` if
/// the registry refused it.
#[cfg(feature = "runtime-benchmarks")]
pub fn benchmark_model(
	owner: &crate::AccountId,
	seed: u32,
	price: Balance,
	datasets: u32,
	max_input_len: u32,
) -> Option<deai_primitives::model::ModelId> {
	use codec::Encode;
	use deai_primitives::model::{InputKind, InputSpec, OutputSpec};
	use pallet_model_registry::benchmarking::BenchmarkHelper;
	use pallet_model_registry::Framework;
	use polkadot_sdk::{
		frame_support::traits::fungible::Mutate, frame_system::RawOrigin,
		sp_io::hashing::blake2_256, sp_runtime::Perbill,
	};
	let _ = <Balances as Mutate<_>>::mint_into(owner, 1_000_000 * crate::DEAI);
	let ids = RegistryBenchmarkHelper::datasets(datasets);
	let one = Perbill::one().deconstruct();
	let share = one.checked_div(datasets).unwrap_or(0);
	let first = one.saturating_sub(share.saturating_mul(datasets.saturating_sub(1)));
	let lineage: alloc::vec::Vec<_> = ids
		.into_iter()
		.enumerate()
		.map(|(i, id)| (id, Perbill::from_parts(if i == 0 { first } else { share })))
		.collect();
	let uri: pallet_model_registry::UriOf<Runtime> =
		b"ipfs://benchmark-model".to_vec().try_into().ok()?;
	let spec = pallet_model_registry::ModelSpec::<Runtime> {
		name: alloc::format!("benchmark model {seed}").into_bytes().try_into().ok()?,
		version: b"1.0.0".to_vec().try_into().ok()?,
		artifact_hash: blake2_256(&(b"deai/benchmark-model", seed).encode()),
		framework: Framework::Safetensors,
		license: b"Apache-2.0".to_vec().try_into().ok()?,
		input_spec: InputSpec { kind: InputKind::Text, max_len: max_input_len },
		output_spec: OutputSpec::QuantizedF32 { decimals: 4 },
		parent: None,
		datasets: lineage.try_into().ok()?,
	};
	let terms = pallet_model_registry::ModelTerms::<Runtime> {
		uris: alloc::vec![uri].try_into().ok()?,
		price,
		royalty: Perbill::from_percent(10),
	};
	let id = pallet_model_registry::NextModelId::<Runtime>::get();
	crate::ModelRegistry::register(RawOrigin::Signed(owner.clone()).into(), spec.into(), terms)
		.ok()?;
	Some(id)
}

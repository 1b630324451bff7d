//! `pallet_model_registry`: AI models with their artifacts, versions, lineage and training
//! data.
//!
//! A model record is paid for with a deposit of 0.01 DEAI plus 1 mDEAI per encoded byte
//! (a 1 KiB record holds about 1.03 DEAI), refunded when the model is removed. Training datasets are checked against the data-rewards pallet.
//!
//! Privileged calls (retire, restore, the royalty cap) need `GovernanceOrigin`: root for
//! now, which only the development chain's sudo key reaches; the governance pallet takes it
//! over when it is wired.

use crate::{
	configs::governance_origin::GovernanceOrigin, Balance, Balances, DataRewards, Runtime,
	RuntimeHoldReason, MILLI_DEAI,
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
	/// The longest licence (SPDX expression).
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
	// No inference pallet yet: no job can reference a model.
	type ModelUsage = ();
	type GovernanceOrigin = GovernanceOrigin;
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

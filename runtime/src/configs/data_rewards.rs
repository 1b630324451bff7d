//! `pallet_data_rewards`: datasets, curated contributions and the data royalties paid every
//! time a model trained on them is used.
//!
//! Deposits: 1 DEAI per dataset and 0.1 DEAI per pending contribution, plus 0.01 DEAI per
//! byte of names, URIs and licenses; all refunded. Curators are managed by
//! `CurationOrigin` (the Curation track of governance, or root)
//! and seeded by the genesis presets.

use crate::{Balance, Balances, Runtime, RuntimeHoldReason, DEAI, MILLI_DEAI};
use polkadot_sdk::frame_support::{parameter_types, PalletId};

parameter_types! {
	/// The account that holds all data-reward funds derives from this id.
	pub const DataRewardsPalletId: PalletId = PalletId(*b"deai/drw");
	/// The base deposit of a dataset.
	pub const DatasetDeposit: Balance = DEAI;
	/// The base deposit of a contribution waiting for curation.
	pub const ContributionDeposit: Balance = 100 * MILLI_DEAI;
	/// The deposit per byte of names, URIs and licenses.
	pub const DataDepositPerByte: Balance = 10 * MILLI_DEAI;
	/// The longest dataset name.
	pub const DataMaxNameLen: u32 = 64;
	/// The longest dataset or contribution URI.
	pub const DataMaxUriLen: u32 = 256;
	/// The longest license.
	pub const DataMaxLicenseLen: u32 = 64;
	/// The longest rejection reason.
	pub const DataMaxReasonLen: u32 = 256;
	/// The highest weight a contribution may declare.
	pub const MaxContributionWeight: u32 = 1_000_000;
	/// The most contributions one account may have waiting.
	pub const MaxPendingPerAccount: u32 = 16;
	/// The most contributions one dataset may have waiting.
	pub const MaxPendingPerDataset: u32 = 256;
	/// The most contributors of one dataset.
	pub const MaxContributorsPerDataset: u32 = 10_000;
	/// The most curators.
	pub const MaxCurators: u32 = 32;
}

impl pallet_data_rewards::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurationOrigin = super::governance_origin::CurationOrigin;
	type PalletId = DataRewardsPalletId;
	type DatasetDeposit = DatasetDeposit;
	type ContributionDeposit = ContributionDeposit;
	type DepositPerByte = DataDepositPerByte;
	type MaxNameLen = DataMaxNameLen;
	type MaxUriLen = DataMaxUriLen;
	type MaxLicenseLen = DataMaxLicenseLen;
	type MaxReasonLen = DataMaxReasonLen;
	type MaxContributionWeight = MaxContributionWeight;
	type MaxPendingPerAccount = MaxPendingPerAccount;
	type MaxPendingPerDataset = MaxPendingPerDataset;
	type MaxContributorsPerDataset = MaxContributorsPerDataset;
	type MaxCurators = MaxCurators;
	type WeightInfo = pallet_data_rewards::weights::SubstrateWeight<Runtime>;
}

//! Datasets: their ids and what the data-rewards pallet offers other pallets.
//!
//! - [`DatasetInspect`]: whether a dataset exists (the model registry checks a model's
//!   training datasets with it).
//! - [`DataRoyalty`]: pays the data royalty of a model's use to the datasets it was trained
//!   on (the inference pallet calls it when it settles a job).

use polkadot_sdk::sp_runtime::{traits::Zero, DispatchError, Perbill, Weight};

/// The id of a registered dataset. Ids are never reused.
pub type DatasetId = u64;

/// Read access to datasets, offered by the data-rewards pallet to the pallets that refer
/// to datasets (the model registry validates a model's training datasets with it).
pub trait DatasetInspect {
	/// Whether `dataset` exists and may be named as training data of a model.
	fn dataset_exists(dataset: DatasetId) -> bool;
}

/// Every dataset exists: for mocks and runtimes without a data-rewards pallet.
impl DatasetInspect for () {
	fn dataset_exists(_dataset: DatasetId) -> bool {
		true
	}
}

/// Pays data royalties: the part of an inference fee that belongs to the people whose data
/// trained the model. Offered by the data-rewards pallet, called by the inference pallet at
/// settlement.
///
/// How the funds move: [`DataRoyalty::pay_royalty`] *transfers* the royalty from the free
/// balance of `payer` (the account that holds the settled fee, e.g. the job's submitter
/// after its escrow hold was released, or the inference pallet's own account) into the
/// data-rewards pallet's account, and credits it to the datasets of the model's lineage.
/// The transfer may reap `payer` if it leaves less than the existential deposit there (a
/// settlement never fails only because of the payer's existential deposit); a pallet
/// account that pays royalties should therefore keep its existential deposit aside.
///
/// Splitting: every listed dataset that exists receives `weight * amount`, rounded down.
/// Datasets that do not exist (any more) are skipped and their part stays with `payer`.
/// When the weights add up to exactly 100 % and every dataset exists, the units the rounding
/// leaves over (fewer than one per listed dataset) go to the first dataset of the list, so
/// that the whole `amount` is credited. Weights that add up to more than 100 % are refused.
///
/// The call is atomic: on error nothing was moved and nothing was credited.
pub trait DataRoyalty<AccountId, Balance> {
	/// Moves the royalty from `payer` to the datasets of `lineage` (each with the share of
	/// the royalty it is owed) and returns the amount actually credited, which is at most
	/// `amount`; the rest never leaves `payer`.
	fn pay_royalty(
		payer: &AccountId,
		lineage: &[(DatasetId, Perbill)],
		amount: Balance,
	) -> Result<Balance, DispatchError>;

	/// The worst-case weight of [`DataRoyalty::pay_royalty`] for a lineage of `datasets`
	/// entries, to be charged by the caller.
	fn pay_royalty_weight(datasets: u32) -> Weight;
}

/// No data royalties: nothing is moved, nothing is credited, `pay_royalty` returns zero and
/// costs no weight. For mocks and runtimes without a data-rewards pallet; the caller keeps
/// the whole royalty (and should treat it as unpaid).
impl<AccountId, Balance: Zero> DataRoyalty<AccountId, Balance> for () {
	fn pay_royalty(
		_payer: &AccountId,
		_lineage: &[(DatasetId, Perbill)],
		_amount: Balance,
	) -> Result<Balance, DispatchError> {
		Ok(Balance::zero())
	}

	fn pay_royalty_weight(_datasets: u32) -> Weight {
		Weight::zero()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn unit_royalty_pays_nothing() {
		let paid = <() as DataRoyalty<u64, u128>>::pay_royalty(
			&1,
			&[(0, Perbill::from_percent(100))],
			1_000,
		);
		assert_eq!(paid, Ok(0));
		assert_eq!(<() as DataRoyalty<u64, u128>>::pay_royalty_weight(8), Weight::zero());
		assert!(<() as DatasetInspect>::dataset_exists(42));
	}
}

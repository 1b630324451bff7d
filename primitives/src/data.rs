//! Datasets: their ids and what the data-rewards pallet tells other pallets about them.

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

//! One mock model registry: the `ModelInspect` side of the model-registry pallet, with models
//! that tests create, retire and give a lineage.

use codec::{Decode, Encode};
use core::{cell::RefCell, marker::PhantomData};
use deai_primitives::{
	data::DatasetId,
	model::{InputKind, InputSpec, ModelId, ModelInfo, ModelInspect, ModelStatus, OutputSpec},
};
use polkadot_sdk::sp_runtime::Perbill;
use std::collections::BTreeMap;

thread_local! {
	/// The models that exist, SCALE-encoded (so one store serves every account type).
	static MODELS: RefCell<BTreeMap<ModelId, Vec<u8>>> = const { RefCell::new(BTreeMap::new()) };
	/// The datasets each model was trained on, with their weights.
	static LINEAGE: RefCell<BTreeMap<ModelId, Vec<(DatasetId, Perbill)>>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// The registered models, for a runtime whose accounts are `AccountId` and whose balances
/// are `Balance`. Empty until a test (or the mock's genesis) inserts models; [`Self::clear`]
/// forgets them all.
pub struct MockModels<AccountId, Balance>(PhantomData<(AccountId, Balance)>);

impl<AccountId, Balance> MockModels<AccountId, Balance>
where
	AccountId: Encode + Decode + Default,
	Balance: Encode + Decode + From<u8>,
{
	/// Forgets every model and lineage (each mock's externalities builder calls it).
	pub fn clear() {
		MODELS.with(|models| models.borrow_mut().clear());
		LINEAGE.with(|lineage| lineage.borrow_mut().clear());
	}

	/// Registers (or replaces) `model` with `info`, trained on `lineage`.
	pub fn insert(
		model: ModelId,
		info: ModelInfo<AccountId, Balance>,
		lineage: Vec<(DatasetId, Perbill)>,
	) {
		MODELS.with(|models| models.borrow_mut().insert(model, info.encode()));
		LINEAGE.with(|map| map.borrow_mut().insert(model, lineage));
	}

	/// A plain model of its own family: owned by the default account, price 1, no royalty,
	/// short text input and an exact output.
	pub fn plain(model: ModelId, status: ModelStatus) -> ModelInfo<AccountId, Balance> {
		ModelInfo {
			owner: AccountId::default(),
			family: model,
			parent: None,
			status,
			artifact_hash: [0; 32],
			input_spec: InputSpec { kind: InputKind::Text, max_len: 1 },
			output_spec: OutputSpec::Exact,
			price: Balance::from(1),
			royalty: Perbill::zero(),
		}
	}

	/// Sets the status of `model`, registering it as a [`Self::plain`] model if it does not
	/// exist yet.
	pub fn set(model: ModelId, status: ModelStatus) {
		match Self::get(model) {
			Some(mut info) => {
				info.status = status;
				MODELS.with(|models| models.borrow_mut().insert(model, info.encode()));
			},
			None => Self::insert(model, Self::plain(model, status), Vec::new()),
		}
	}

	/// Changes the status of `model` if it exists; does nothing otherwise.
	pub fn set_status(model: ModelId, status: ModelStatus) {
		if let Some(mut info) = Self::get(model) {
			info.status = status;
			MODELS.with(|models| models.borrow_mut().insert(model, info.encode()));
		}
	}

	/// The record of `model`, if it exists.
	fn get(model: ModelId) -> Option<ModelInfo<AccountId, Balance>> {
		let bytes = MODELS.with(|models| models.borrow().get(&model).cloned())?;
		Some(
			ModelInfo::decode(&mut &bytes[..])
				.expect("a mock model decodes as the type it was inserted with"),
		)
	}
}

impl<AccountId, Balance> ModelInspect<AccountId, Balance> for MockModels<AccountId, Balance>
where
	AccountId: Encode + Decode + Default,
	Balance: Encode + Decode + From<u8>,
{
	fn model_info(model: ModelId) -> Option<ModelInfo<AccountId, Balance>> {
		Self::get(model)
	}

	fn training_datasets(model: ModelId) -> Vec<(DatasetId, Perbill)> {
		LINEAGE.with(|map| map.borrow().get(&model).cloned().unwrap_or_default())
	}

	/// The newest (highest id) active model of `family`, as the registry answers it.
	fn latest_active_version(family: ModelId) -> Option<ModelId> {
		let ids: Vec<ModelId> = MODELS.with(|models| models.borrow().keys().copied().collect());
		ids.into_iter()
			.filter(|id| {
				Self::get(*id).is_some_and(|info| info.family == family && info.is_active())
			})
			.max()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	type Models = MockModels<u64, u64>;

	#[test]
	fn models_are_created_changed_and_forgotten() {
		Models::clear();
		assert!(Models::model_info(1).is_none());
		Models::set(1, ModelStatus::Active);
		assert_eq!(Models::model_info(1), Some(Models::plain(1, ModelStatus::Active)));
		Models::set_status(1, ModelStatus::Retired);
		assert_eq!(Models::model_info(1).map(|info| info.status), Some(ModelStatus::Retired));
		// Changing the status of a model that does not exist creates nothing.
		Models::set_status(2, ModelStatus::Active);
		assert!(Models::model_info(2).is_none());
		Models::clear();
		assert!(Models::model_info(1).is_none());
	}

	#[test]
	fn the_latest_active_version_is_the_newest_active_member_of_the_family() {
		Models::clear();
		let version = |id, status| ModelInfo { family: 1, ..Models::plain(id, status) };
		Models::insert(1, version(1, ModelStatus::Active), vec![(4, Perbill::one())]);
		Models::insert(5, version(5, ModelStatus::Active), Vec::new());
		Models::insert(9, version(9, ModelStatus::Retired), Vec::new());
		assert_eq!(Models::latest_active_version(1), Some(5));
		assert_eq!(Models::latest_active_version(2), None);
		assert_eq!(Models::training_datasets(1), vec![(4, Perbill::one())]);
		assert!(Models::training_datasets(5).is_empty());
	}
}

//! Storing models: a new family or the next version of one (with its deposit), and the
//! families' version chains. The calls are in `lib.rs`; what other pallets read is the
//! [`ModelInspect`] implementation at the end.

use crate::*;
use alloc::vec::Vec;
use deai_primitives::{
	data::{DatasetId, DatasetInspect},
	model::{ModelId, ModelInfo, ModelInspect, ModelStatus, OutputSpec},
};
use polkadot_sdk::{
	frame_support, frame_system,
	sp_runtime::{ArithmeticError, DispatchError, Perbill},
};

impl<T: Config> Pallet<T> {
	/// Validates `params`, then stores a new model owned by `owner`, either as a new family
	/// (`version_of` is `None`) or as the version after `(predecessor, family)`, and holds its
	/// deposit. Returns the new id and the stored record.
	pub(crate) fn insert_model(
		owner: T::AccountId,
		version_of: Option<(ModelId, ModelId)>,
		params: ModelParams<T>,
	) -> Result<(ModelId, Model<T>), DispatchError> {
		params.check()?;
		frame_support::ensure!(
			params.royalty <= MaxRoyalty::<T>::get(),
			Error::<T>::RoyaltyTooHigh
		);
		if let Some(parent) = params.parent {
			frame_support::ensure!(Models::<T>::contains_key(parent), Error::<T>::UnknownParent);
		}
		for (dataset, _) in params.datasets.iter() {
			frame_support::ensure!(
				T::Datasets::dataset_exists(*dataset),
				Error::<T>::UnknownDataset
			);
		}

		let id = NextModelId::<T>::get();
		let next_id = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let (predecessor, family) = match version_of {
			Some((predecessor, family)) => (Some(predecessor), family),
			None => (None, id),
		};
		frame_support::ensure!(
			!FamilyArtifacts::<T>::contains_key(family, params.artifact_hash),
			Error::<T>::DuplicateArtifact
		);
		let mut versions = Families::<T>::get(family).unwrap_or_default();
		versions.try_push(id).map_err(|_| Error::<T>::TooManyVersions)?;

		let now = frame_system::Pallet::<T>::block_number();
		let mut record = Model::<T>::new(owner.clone(), family, predecessor, params, now);
		record.deposit = Self::deposit_for(&record);
		Self::hold_deposit(&owner, record.deposit)?;

		NextModelId::<T>::put(next_id);
		Families::<T>::insert(family, versions);
		FamilyArtifacts::<T>::insert(family, record.artifact_hash, id);
		OwnedModels::<T>::insert(&owner, id, ());
		if let Some(parent) = record.parent {
			FineTunes::<T>::insert(parent, id, ());
		}
		Models::<T>::insert(id, &record);
		Ok((id, record))
	}

	/// The family of `id`: the family of the model `id`, or `id` itself if it is a family
	/// whose first version was removed.
	pub(crate) fn family_of(id: ModelId) -> Option<ModelId> {
		match Models::<T>::get(id) {
			Some(record) => Some(record.family),
			None => Families::<T>::contains_key(id).then_some(id),
		}
	}

	/// The newest active version of the family of `id` (a family id or any of its versions).
	pub fn latest_active_in_family(id: ModelId) -> Option<ModelId> {
		let family = Self::family_of(id)?;
		let versions = Families::<T>::get(family)?;
		versions.iter().rev().copied().find(|version| {
			Models::<T>::get(version).is_some_and(|record| record.status == ModelStatus::Active)
		})
	}
}

impl<T: Config> ModelInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn model_info(model: ModelId) -> Option<ModelInfo<T::AccountId, BalanceOf<T>>> {
		let record = Models::<T>::get(model)?;
		Some(ModelInfo {
			owner: record.owner,
			family: record.family,
			parent: record.parent,
			status: record.status,
			artifact_hash: record.artifact_hash,
			input_spec: record.input_spec,
			output_spec: record.output_spec,
			price: record.price,
			royalty: record.royalty.min(MaxRoyalty::<T>::get()),
		})
	}

	fn training_datasets(model: ModelId) -> Vec<(DatasetId, Perbill)> {
		Models::<T>::get(model).map(|record| record.datasets.into_inner()).unwrap_or_default()
	}

	fn latest_active_version(family: ModelId) -> Option<ModelId> {
		Self::latest_active_in_family(family)
	}

	fn model_exists(model: ModelId) -> bool {
		Models::<T>::contains_key(model)
	}

	fn output_spec(model: ModelId) -> Option<OutputSpec> {
		Models::<T>::get(model).map(|record| record.output_spec)
	}
}

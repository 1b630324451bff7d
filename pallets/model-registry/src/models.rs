//! Storing models: a new family or the next version of one (with its deposit), updating
//! what may change about a model, removing one, the royalty maximum every rate must respect,
//! and the families' version chains. What other pallets read is the [`ModelInspect`]
//! implementation at the end.

use crate::*;
use alloc::vec::Vec;
use deai_primitives::{
	data::{DatasetId, DatasetInspect},
	model::{ModelId, ModelInfo, ModelInspect, ModelStatus, ModelUsage, OutputSpec},
};
use polkadot_sdk::{
	frame_support::{self, ensure},
	frame_system,
	sp_runtime::{traits::EnsureAdd, DispatchError, DispatchResult, Perbill},
};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::register`]: stores `spec` and `terms` as the first version of a new family
	/// owned by `owner`, holding its deposit.
	pub(crate) fn do_register(
		owner: T::AccountId,
		spec: ModelSpec<T>,
		terms: ModelTerms<T>,
	) -> DispatchResult {
		let (model, record) = Self::insert_model(owner, None, spec, terms)?;
		Self::deposit_event(Event::ModelRegistered {
			model,
			owner: record.owner,
			artifact_hash: record.spec.artifact_hash,
			deposit: record.deposit.amount(),
		});
		Ok(())
	}

	/// The body of [`Pallet::publish_version`]: stores `spec` and `terms` as the version after
	/// `predecessor`, which must be the latest of its family and owned by `owner`.
	pub(crate) fn do_publish_version(
		owner: T::AccountId,
		predecessor: ModelId,
		spec: ModelSpec<T>,
		terms: ModelTerms<T>,
	) -> DispatchResult {
		let previous = Models::<T>::get(predecessor).ok_or(Error::<T>::UnknownModel)?;
		ensure!(previous.owner == owner, Error::<T>::NotOwner);
		let versions = Families::<T>::get(previous.family).unwrap_or_default();
		ensure!(versions.last() == Some(&predecessor), Error::<T>::NotLatestVersion);
		let (model, record) =
			Self::insert_model(owner, Some((predecessor, previous.family)), spec, terms)?;
		Self::deposit_event(Event::VersionPublished {
			model,
			family: record.family,
			predecessor,
			owner: record.owner,
			artifact_hash: record.spec.artifact_hash,
			deposit: record.deposit.amount(),
		});
		Ok(())
	}

	/// The body of [`Pallet::update_metadata`]: replaces the given URIs, price and royalty
	/// rate of `model` for its owner `who`, and re-prices the deposit for the new size.
	pub(crate) fn do_update_metadata(
		who: T::AccountId,
		model: ModelId,
		uris: Option<UrisOf<T>>,
		price: Option<BalanceOf<T>>,
		royalty: Option<Perbill>,
	) -> DispatchResult {
		ensure!(
			uris.is_some() || price.is_some() || royalty.is_some(),
			Error::<T>::NothingToUpdate
		);
		Models::<T>::try_mutate(model, |maybe_record| -> DispatchResult {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownModel)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			if let Some(uris) = uris {
				ensure_valid_uris::<T>(&uris)?;
				record.terms.uris = uris;
			}
			if let Some(price) = price {
				record.terms.price = price;
			}
			if let Some(royalty) = royalty {
				ensure!(royalty <= MaxRoyalty::<T>::get(), Error::<T>::RoyaltyTooHigh);
				record.terms.royalty = royalty;
			}
			Self::reprice_deposit(record)?;
			Self::deposit_event(Event::MetadataUpdated {
				model,
				price: record.terms.price,
				royalty: record.terms.royalty,
				deposit: record.deposit.amount(),
			});
			Ok(())
		})
	}

	/// The body of [`Pallet::remove`]: deletes `model` of owner `who` and every index entry it
	/// added, and releases its deposit. Entries that name it (later versions, fine-tunes)
	/// stay: they are history.
	pub(crate) fn do_remove(who: T::AccountId, model: ModelId) -> DispatchResult {
		let record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);
		ensure!(!T::ModelUsage::is_model_in_use(model), Error::<T>::ModelInUse);

		let deposit = record.deposit.amount();
		Self::release_deposit(&who, record.deposit.clone())?;
		Families::<T>::mutate_exists(record.family, |maybe_versions| {
			if let Some(versions) = maybe_versions {
				versions.retain(|version| *version != model);
				if versions.is_empty() {
					*maybe_versions = None;
				}
			}
		});
		FamilyArtifacts::<T>::remove(record.family, record.spec.artifact_hash);
		OwnedModels::<T>::remove(&who, model);
		if let Some(parent) = record.spec.parent {
			FineTunes::<T>::remove(parent, model);
		}
		PendingTransfers::<T>::remove(model);
		Retirements::<T>::remove(model);
		Models::<T>::remove(model);
		Self::deposit_event(Event::ModelRemoved { model, owner: who, deposit });
		Ok(())
	}

	/// The body of [`Pallet::set_max_royalty`]: stores the new royalty maximum. Rates above it
	/// are capped when they are used, not rewritten.
	pub(crate) fn do_set_max_royalty(max_royalty: Perbill) -> DispatchResult {
		MaxRoyalty::<T>::put(max_royalty);
		Self::deposit_event(Event::MaxRoyaltySet { max_royalty });
		Ok(())
	}

	/// Validates `spec` and `terms`, then stores a new model owned by `owner`, either as a new family
	/// (`version_of` is `None`) or as the version after `(predecessor, family)`, and holds its
	/// deposit. Returns the new id and the stored record.
	pub(crate) fn insert_model(
		owner: T::AccountId,
		version_of: Option<(ModelId, ModelId)>,
		spec: ModelSpec<T>,
		terms: ModelTerms<T>,
	) -> Result<(ModelId, Model<T>), DispatchError> {
		spec.check()?;
		terms.check()?;
		frame_support::ensure!(terms.royalty <= MaxRoyalty::<T>::get(), Error::<T>::RoyaltyTooHigh);
		if let Some(parent) = spec.parent {
			frame_support::ensure!(Models::<T>::contains_key(parent), Error::<T>::UnknownParent);
		}
		for (dataset, _) in spec.datasets.iter() {
			frame_support::ensure!(
				T::Datasets::dataset_exists(*dataset),
				Error::<T>::UnknownDataset
			);
		}

		let id = NextModelId::<T>::get();
		let next_id = id.ensure_add(1)?;
		let (predecessor, family) = match version_of {
			Some((predecessor, family)) => (Some(predecessor), family),
			None => (None, id),
		};
		frame_support::ensure!(
			!FamilyArtifacts::<T>::contains_key(family, spec.artifact_hash),
			Error::<T>::DuplicateArtifact
		);
		let mut versions = Families::<T>::get(family).unwrap_or_default();
		versions.try_push(id).map_err(|_| Error::<T>::TooManyVersions)?;

		let now = frame_system::Pallet::<T>::block_number();
		let mut record = Model::<T>::new(owner.clone(), family, predecessor, spec, terms, now);
		Self::take_deposit(&mut record)?;

		NextModelId::<T>::put(next_id);
		Families::<T>::insert(family, versions);
		FamilyArtifacts::<T>::insert(family, record.spec.artifact_hash, id);
		OwnedModels::<T>::insert(&owner, id, ());
		if let Some(parent) = record.spec.parent {
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
			parent: record.spec.parent,
			status: record.status,
			artifact_hash: record.spec.artifact_hash,
			input_spec: record.spec.input_spec,
			output_spec: record.spec.output_spec,
			price: record.terms.price,
			royalty: record.terms.royalty.min(MaxRoyalty::<T>::get()),
		})
	}

	fn training_datasets(model: ModelId) -> Vec<(DatasetId, Perbill)> {
		Models::<T>::get(model).map(|record| record.spec.datasets.into_inner()).unwrap_or_default()
	}

	fn latest_active_version(family: ModelId) -> Option<ModelId> {
		Self::latest_active_in_family(family)
	}

	fn model_exists(model: ModelId) -> bool {
		Models::<T>::contains_key(model)
	}

	fn output_spec(model: ModelId) -> Option<OutputSpec> {
		Models::<T>::get(model).map(|record| record.spec.output_spec)
	}
}

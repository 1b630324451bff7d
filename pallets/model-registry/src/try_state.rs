//! The pallet's invariants, checked by `try_state` after every test and by try-runtime.

use crate::*;
use deai_primitives::model::{ModelId, ModelStatus};
use polkadot_sdk::{
	frame_support,
	sp_runtime::{traits::Saturating, DispatchError},
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// 1. Every model id is below [`NextModelId`].
	/// 2. Lineage is acyclic: every parent is an older id; every existing parent lists the
	///    child in [`FineTunes`], and every [`FineTunes`] entry is such a pair.
	/// 3. Every model's training weights are valid (see [`ensure_valid_lineage_weights`]) and
	///    its royalty rate was within bounds when set (not checked: the maximum may change).
	/// 4. The ownership index [`OwnedModels`] holds exactly one entry per model, under its
	///    owner.
	/// 5. Every deposit is what the current rates charge for the record's encoded size, and the
	///    funds held from each owner are the sum of its models' deposits.
	/// 6. Version chains: every family lists strictly increasing existing ids of that family,
	///    at most `MaxVersionsPerFamily`, none below the family id; every model is listed in
	///    its family; a first version (id = family) has no predecessor, any other version's
	///    predecessor is an older id of the same family.
	/// 7. The artifact index [`FamilyArtifacts`] holds exactly one entry per model.
	/// 8. A model is retired if and only if it has a [`Retirements`] entry, whose previous
	///    status is not `Retired`.
	/// 9. Every pending transfer is for an existing model and to another account than its
	///    owner.
	pub fn do_try_state() -> Result<(), DispatchError> {
		Self::try_state_models()?;
		Self::try_state_ownership_and_deposits()?;
		Self::try_state_families()?;
		Self::try_state_indexes()?;
		Ok(())
	}

	/// Invariants 1, 2 and 3.
	fn try_state_models() -> Result<(), DispatchError> {
		let next_id = NextModelId::<T>::get();
		for (id, record) in Models::<T>::iter() {
			frame_support::ensure!(id < next_id, "model id at or above NextModelId");
			if let Some(parent) = record.spec.parent {
				frame_support::ensure!(parent < id, "a parent is not older than its child");
				if Models::<T>::contains_key(parent) {
					frame_support::ensure!(
						FineTunes::<T>::contains_key(parent, id),
						"fine-tune index misses a child"
					);
				}
			}
			ensure_valid_lineage_weights::<T>(&record.spec.datasets)
				.map_err(|_| "invalid lineage weights")?;
		}
		for (parent, child) in FineTunes::<T>::iter_keys() {
			let record = Models::<T>::get(child).ok_or("fine-tune index names a removed child")?;
			frame_support::ensure!(
				record.spec.parent == Some(parent),
				"fine-tune index names a wrong parent"
			);
		}
		Ok(())
	}

	/// Invariants 4 and 5.
	fn try_state_ownership_and_deposits() -> Result<(), DispatchError> {
		use frame_support::traits::fungible::InspectHold;
		let mut held: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		let mut models = 0usize;
		for (id, record) in Models::<T>::iter() {
			models = models.saturating_add(1);
			frame_support::ensure!(
				OwnedModels::<T>::contains_key(&record.owner, id),
				"ownership index misses a model"
			);
			frame_support::ensure!(
				record.deposit.amount() == Self::deposit_for(&record),
				"deposit does not match the record size"
			);
			let total = held.entry(record.owner.clone()).or_default();
			*total = total.saturating_add(record.deposit.amount());
		}
		frame_support::ensure!(
			OwnedModels::<T>::iter_keys().count() == models,
			"ownership index has extra entries"
		);
		for (owner, total) in held {
			frame_support::ensure!(
				T::Currency::balance_on_hold(&HoldReason::ModelDeposit.into(), &owner) == total,
				"held deposit differs from the sum of the owner's model deposits"
			);
		}
		Ok(())
	}

	/// Invariant 6.
	fn try_state_families() -> Result<(), DispatchError> {
		for (family, versions) in Families::<T>::iter() {
			frame_support::ensure!(!versions.is_empty(), "empty family kept");
			let mut previous: Option<ModelId> = None;
			for version in versions.iter().copied() {
				frame_support::ensure!(version >= family, "version older than its family");
				frame_support::ensure!(
					previous.is_none_or(|previous| previous < version),
					"versions not strictly increasing"
				);
				let record = Models::<T>::get(version).ok_or("family lists a removed model")?;
				frame_support::ensure!(record.family == family, "family lists a foreign model");
				previous = Some(version);
			}
		}
		for (id, record) in Models::<T>::iter() {
			let versions = Families::<T>::get(record.family).ok_or("model of a missing family")?;
			frame_support::ensure!(versions.contains(&id), "model missing from its family");
			match record.predecessor {
				None => frame_support::ensure!(
					record.family == id,
					"a later version has no predecessor"
				),
				Some(predecessor) => {
					frame_support::ensure!(
						predecessor < id && predecessor >= record.family,
						"predecessor outside the family's past"
					);
					if let Some(previous) = Models::<T>::get(predecessor) {
						frame_support::ensure!(
							previous.family == record.family,
							"predecessor in another family"
						);
					}
				},
			}
		}
		Ok(())
	}

	/// Invariants 7, 8 and 9.
	fn try_state_indexes() -> Result<(), DispatchError> {
		let mut models = 0usize;
		for (id, record) in Models::<T>::iter() {
			models = models.saturating_add(1);
			frame_support::ensure!(
				FamilyArtifacts::<T>::get(record.family, record.spec.artifact_hash) == Some(id),
				"artifact index misses a model"
			);
			let retirement = Retirements::<T>::get(id);
			frame_support::ensure!(
				(record.status == ModelStatus::Retired) == retirement.is_some(),
				"retirement record does not match the status"
			);
			if let Some(retirement) = retirement {
				frame_support::ensure!(
					retirement.previous_status != ModelStatus::Retired,
					"retired model would be restored to retired"
				);
			}
		}
		frame_support::ensure!(
			FamilyArtifacts::<T>::iter_keys().count() == models,
			"artifact index has extra entries"
		);
		frame_support::ensure!(
			Retirements::<T>::iter_keys().all(Models::<T>::contains_key),
			"retirement of a removed model"
		);
		for (id, recipient) in PendingTransfers::<T>::iter() {
			let record = Models::<T>::get(id).ok_or("transfer offer for a removed model")?;
			frame_support::ensure!(record.owner != recipient, "transfer offered to the owner");
		}
		Ok(())
	}
}

//! A model's status: its owner may deprecate it (final: a new version replaces it), and
//! governance may retire it with a reason and later restore the status it had. Retirement
//! is kept apart from the owner's choice so that an owner can never undo a retirement.

use crate::*;
use deai_primitives::model::{ModelId, ModelStatus};
use polkadot_sdk::{frame_support::ensure, frame_system, sp_runtime::DispatchResult};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::deprecate`]: marks active `model` of owner `who` as deprecated.
	pub(crate) fn do_deprecate(who: T::AccountId, model: ModelId) -> DispatchResult {
		Models::<T>::try_mutate(model, |maybe_record| -> DispatchResult {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownModel)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			match record.status {
				ModelStatus::Active => record.status = ModelStatus::Deprecated,
				ModelStatus::Deprecated => return Err(Error::<T>::AlreadyDeprecated.into()),
				ModelStatus::Retired => return Err(Error::<T>::ModelRetired.into()),
			}
			Ok(())
		})?;
		Self::deposit_event(Event::ModelDeprecated { model });
		Ok(())
	}

	/// The body of [`Pallet::retire`]: retires `model`, remembering `reason` and the status
	/// to restore.
	pub(crate) fn do_retire(model: ModelId, reason: ReasonOf<T>) -> DispatchResult {
		ensure!(
			!reason.is_empty() && core::str::from_utf8(&reason).is_ok(),
			Error::<T>::InvalidReason
		);
		Models::<T>::try_mutate(model, |maybe_record| -> DispatchResult {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownModel)?;
			ensure!(record.status != ModelStatus::Retired, Error::<T>::AlreadyRetired);
			Retirements::<T>::insert(
				model,
				Retirement {
					reason: reason.clone(),
					retired_at: frame_system::Pallet::<T>::block_number(),
					previous_status: record.status,
				},
			);
			record.status = ModelStatus::Retired;
			Ok(())
		})?;
		Self::deposit_event(Event::ModelRetired { model, reason });
		Ok(())
	}

	/// The body of [`Pallet::restore`]: gives retired `model` back the status it had before
	/// its retirement.
	pub(crate) fn do_restore(model: ModelId) -> DispatchResult {
		let status = Models::<T>::try_mutate(model, |maybe_record| -> Result<_, Error<T>> {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownModel)?;
			let retirement = Retirements::<T>::take(model).ok_or(Error::<T>::NotRetired)?;
			record.status = retirement.previous_status;
			Ok(record.status)
		})?;
		Self::deposit_event(Event::ModelRestored { model, status });
		Ok(())
	}
}

//! Ownership: a model changes owner in two steps, an offer by the owner and its acceptance by
//! the new owner, so that nobody is handed a model (and its deposit) they did not ask for.
//! The deposit moves with the model: the new owner's is held before the old owner's is
//! released.

use crate::*;
use deai_primitives::model::ModelId;
use polkadot_sdk::{
	frame_support::ensure,
	sp_runtime::{traits::StaticLookup, DispatchResult},
};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::offer_transfer`]: records that `who`, the owner of `model`,
	/// offers it to `new_owner`, replacing any earlier offer.
	pub(crate) fn do_offer_transfer(
		who: T::AccountId,
		model: ModelId,
		new_owner: AccountIdLookupOf<T>,
	) -> DispatchResult {
		let new_owner = T::Lookup::lookup(new_owner)?;
		let record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);
		ensure!(new_owner != who, Error::<T>::AlreadyOwner);
		PendingTransfers::<T>::insert(model, &new_owner);
		Self::deposit_event(Event::TransferOffered { model, owner: who, new_owner });
		Ok(())
	}

	/// The body of [`Pallet::cancel_transfer`]: drops the pending offer of `model`, which
	/// either side of it (`who`) may do.
	pub(crate) fn do_cancel_transfer(who: T::AccountId, model: ModelId) -> DispatchResult {
		let record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		let recipient = PendingTransfers::<T>::get(model).ok_or(Error::<T>::NoTransferOffer)?;
		ensure!(record.owner == who || recipient == who, Error::<T>::NotOwner);
		PendingTransfers::<T>::remove(model);
		Self::deposit_event(Event::TransferCancelled { model, by: who });
		Ok(())
	}

	/// The body of [`Pallet::accept_transfer`]: makes `who`, to whom `model` was offered, its
	/// owner, holding the deposit from `who` at the current rates and releasing the previous
	/// owner's.
	pub(crate) fn do_accept_transfer(who: T::AccountId, model: ModelId) -> DispatchResult {
		let mut record = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		let recipient = PendingTransfers::<T>::get(model).ok_or(Error::<T>::NoTransferOffer)?;
		ensure!(recipient == who, Error::<T>::NotOfferedToYou);

		let from = core::mem::replace(&mut record.owner, who.clone());
		// The new owner's deposit is held (at the current rates) before the old one's is
		// given back.
		let old_deposit = core::mem::replace(&mut record.deposit, DepositOf::<T>::unpriced());
		Self::take_deposit(&mut record)?;
		Self::release_deposit(&from, old_deposit)?;

		OwnedModels::<T>::remove(&from, model);
		OwnedModels::<T>::insert(&who, model, ());
		PendingTransfers::<T>::remove(model);
		let deposit = record.deposit.amount();
		Models::<T>::insert(model, record);
		Self::deposit_event(Event::OwnershipTransferred { model, from, to: who, deposit });
		Ok(())
	}
}

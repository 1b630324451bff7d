//! The treasury: the pallet account that receives fees, slashes and forfeited deposits, and
//! pays grants (the bodies of the calls `grant`, `claim_grant` and `cancel_grant`).

use crate::*;
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Preservation},
			Get,
		},
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{
		traits::{AccountIdConversion, EnsureAdd, Saturating, StaticLookup, Zero},
		DispatchResult,
	},
};

impl<T: Config> Pallet<T> {
	/// The pallet's account, the treasury: fees, slashes and spam deposits are paid into it,
	/// grants out of it.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Gives the treasury account the existential deposit if it holds less, so that it exists
	/// from genesis on and small payments into it never fail (the body of the genesis build).
	pub(crate) fn create_account() {
		let account = Self::account_id();
		let minimum = T::Currency::minimum_balance();
		if T::Currency::balance(&account) < minimum {
			T::Currency::set_balance(&account, minimum);
		}
	}

	/// What the treasury can pay without being reaped.
	pub(crate) fn spendable() -> BalanceOf<T> {
		T::Currency::reducible_balance(
			&Self::account_id(),
			Preservation::Preserve,
			Fortitude::Polite,
		)
	}

	/// The body of [`Pallet::grant`]: commits `amount` of the treasury to `beneficiary`, within
	/// the grant bounds and what the treasury can pay on top of the open grants.
	pub(crate) fn do_grant(
		beneficiary: AccountIdLookupOf<T>,
		amount: BalanceOf<T>,
		purpose_hash: H256,
	) -> DispatchResult {
		let beneficiary = T::Lookup::lookup(beneficiary)?;
		ensure!(
			!amount.is_zero() && amount >= T::Currency::minimum_balance(),
			Error::<T>::GrantBelowMinimum
		);
		ensure!(amount <= T::MaxGrant::get(), Error::<T>::GrantTooLarge);
		ensure!(Grants::<T>::count() < T::MaxOpenGrants::get(), Error::<T>::TooManyGrants);
		let committed = Committed::<T>::get().saturating_add(amount);
		ensure!(committed <= Self::spendable(), Error::<T>::InsufficientTreasury);
		let id = NextGrantId::<T>::get();
		let next = id.ensure_add(1)?;

		NextGrantId::<T>::put(next);
		Committed::<T>::put(committed);
		Grants::<T>::insert(
			id,
			Grant {
				beneficiary: beneficiary.clone(),
				amount,
				purpose_hash,
				awarded_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::GrantAwarded { id, beneficiary, amount, purpose_hash });
		Ok(())
	}

	/// The body of [`Pallet::claim_grant`]: pays open grant `id` to its beneficiary and frees
	/// what it committed.
	pub(crate) fn do_claim_grant(id: GrantId) -> DispatchResult {
		let grant = Grants::<T>::take(id).ok_or(Error::<T>::UnknownGrant)?;
		T::Currency::transfer(
			&Self::account_id(),
			&grant.beneficiary,
			grant.amount,
			Preservation::Preserve,
		)
		.map_err(|_| Error::<T>::InsufficientTreasury)?;
		Committed::<T>::mutate(|committed| committed.saturating_reduce(grant.amount));
		Self::deposit_event(Event::GrantPaid {
			id,
			beneficiary: grant.beneficiary,
			amount: grant.amount,
		});
		Ok(())
	}

	/// The body of [`Pallet::cancel_grant`]: drops open grant `id` unpaid and frees what it
	/// committed.
	pub(crate) fn do_cancel_grant(id: GrantId) -> DispatchResult {
		let grant = Grants::<T>::take(id).ok_or(Error::<T>::UnknownGrant)?;
		Committed::<T>::mutate(|committed| committed.saturating_reduce(grant.amount));
		Self::deposit_event(Event::GrantCancelled { id, amount: grant.amount });
		Ok(())
	}
}

//! Delegation: a delegator's bonded and unbonding stake with one worker, bought as shares
//! of the worker's pool (`delegate`), turned into points of the pool's unbonding era
//! (`undelegate`) and paid back once unlocked (`withdraw_undelegated`).

use crate::*;
use polkadot_sdk::frame_support::pallet_prelude::{ensure, DispatchResult};
use polkadot_sdk::sp_runtime::traits::StaticLookup;

impl<T: Config> Pallet<T> {
	/// Stores `delegation`, or removes it (counting one delegator less) when it is empty.
	pub(crate) fn store_delegation(
		worker: &T::AccountId,
		delegator: &T::AccountId,
		pool: &mut Pool<BalanceOf<T>>,
		delegation: Delegation<T>,
	) {
		if delegation.is_empty() {
			Delegations::<T>::remove(worker, delegator);
			pool.delegators = pool.delegators.saturating_sub(1);
		} else {
			Delegations::<T>::insert(worker, delegator, delegation);
		}
	}

	/// The body of [`Pallet::delegate`]: mints shares of `worker`'s pool for `amount` of `who`'s
	/// free balance and moves the funds, on hold, to the pot.
	pub(crate) fn do_delegate(
		who: T::AccountId,
		worker: AccountIdLookupOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let worker = T::Lookup::lookup(worker)?;
		ensure!(who != worker, Error::<T>::SelfDelegation);
		ensure!(Workers::<T>::contains_key(&worker), Error::<T>::NotRegistered);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut pool = Pools::<T>::get(&worker).unwrap_or_default();
		let existing = Delegations::<T>::get(&worker, &who);
		let is_new = existing.is_none();
		let mut delegation = existing.unwrap_or_else(|| Delegation::new(pool.generation));
		delegation.refresh(&pool);
		let current = pool.value_of_shares(delegation.shares);
		ensure!(
			current.saturating_add(amount) >= Params::<T>::get().min_delegation,
			Error::<T>::DelegationBelowMinimum
		);
		if is_new {
			pool.delegators = pool.delegators.ensure_add(1)?;
		}
		let shares = pool.deposit(amount)?;
		ensure!(!shares.is_zero(), Error::<T>::AmountTooSmall);
		delegation.shares = delegation.shares.ensure_add(shares)?;

		let pot = Self::ensure_pot(&who)?;
		T::Currency::transfer_and_hold(
			&HoldReason::DelegatedStake.into(),
			&who,
			&pot,
			amount,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.map_err(|_| {
			// The transfer is `Polite`: it fails on funds a freeze (a vote lock) needs.
			if amount
				<= T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Force)
			{
				Error::<T>::FundsFrozen
			} else {
				Error::<T>::InsufficientBalance
			}
		})?;
		Self::ensure_free_covers_freezes(&who)?;
		Pools::<T>::insert(&worker, pool);
		Delegations::<T>::insert(&worker, &who, delegation);
		Self::deposit_event(Event::Delegated { worker, delegator: who, amount, shares });
		Ok(())
	}

	/// The body of [`Pallet::undelegate`]: redeems shares of `who`'s delegation to `worker` for the
	/// value asked and puts that value into the pool's unbonding era.
	pub(crate) fn do_undelegate(
		who: T::AccountId,
		worker: AccountIdLookupOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let worker = T::Lookup::lookup(worker)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut pool = Pools::<T>::get(&worker).ok_or(Error::<T>::NotDelegator)?;
		let mut delegation =
			Delegations::<T>::get(&worker, &who).ok_or(Error::<T>::NotDelegator)?;
		delegation.refresh(&pool);
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		if delegation.is_empty() {
			// Its shares were wiped out by a full slash: the record is cleared.
			Self::store_delegation(&worker, &who, &mut pool, delegation);
			Pools::<T>::insert(&worker, pool);
			Self::deposit_event(Event::Undelegated {
				worker,
				delegator: who,
				amount: Zero::zero(),
				shares: Zero::zero(),
				unlock_at,
			});
			return Ok(());
		}
		ensure!(!delegation.shares.is_zero(), Error::<T>::NotDelegator);

		let value = pool.value_of_shares(delegation.shares);
		let shares = if amount >= value {
			delegation.shares
		} else {
			pool.shares_for_value(amount).min(delegation.shares)
		};
		let unbonded = pool.redeem(shares);
		delegation.shares = delegation.shares.saturating_sub(shares);
		if !delegation.shares.is_zero() {
			ensure!(
				pool.value_of_shares(delegation.shares) >= Params::<T>::get().min_delegation,
				Error::<T>::DelegationBelowMinimum
			);
		}
		if !unbonded.is_zero() {
			let points = pool.start_unbonding(unbonded)?;
			let era = pool.unbonding_era;
			match delegation.unbonding.last_mut() {
				Some(last) if last.unlock_at == unlock_at && last.era == era => {
					last.points = last.points.ensure_add(points)?
				},
				_ => delegation
					.unbonding
					.try_push(PoolChunk { points, era, unlock_at })
					.map_err(|_| Error::<T>::TooManyUnbondingChunks)?,
			}
		}
		Self::store_delegation(&worker, &who, &mut pool, delegation);
		Pools::<T>::insert(&worker, pool);
		Self::deposit_event(Event::Undelegated {
			worker,
			delegator: who,
			amount: unbonded,
			shares,
			unlock_at,
		});
		Ok(())
	}

	/// The body of [`Pallet::withdraw_undelegated`]: pays `who` the value of its unlocked unbonding
	/// chunks behind `worker` out of the pot, and drops what is left empty.
	pub(crate) fn do_withdraw_undelegated(
		who: T::AccountId,
		worker: AccountIdLookupOf<T>,
	) -> DispatchResult {
		let worker = T::Lookup::lookup(worker)?;
		let mut pool = Pools::<T>::get(&worker).ok_or(Error::<T>::NotDelegator)?;
		let mut delegation =
			Delegations::<T>::get(&worker, &who).ok_or(Error::<T>::NotDelegator)?;
		delegation.refresh(&pool);
		let now = frame_system::Pallet::<T>::block_number();
		let mut ready = false;
		let mut amount = BalanceOf::<T>::zero();
		delegation.unbonding.retain(|chunk| {
			if chunk.unlock_at > now {
				return true;
			}
			ready = true;
			amount = amount.saturating_add(pool.finish_unbonding(chunk.points, chunk.era));
			false
		});
		ensure!(ready, Error::<T>::NothingToWithdraw);
		if !amount.is_zero() {
			T::Currency::transfer_on_hold(
				&HoldReason::DelegatedStake.into(),
				&Self::account_id(),
				&who,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		Self::store_delegation(&worker, &who, &mut pool, delegation);
		if pool.delegators == 0 && !Workers::<T>::contains_key(&worker) {
			Pools::<T>::remove(&worker);
		} else {
			Pools::<T>::insert(&worker, pool);
		}
		Self::deposit_event(Event::DelegationWithdrawn { worker, delegator: who, amount });
		Ok(())
	}
}

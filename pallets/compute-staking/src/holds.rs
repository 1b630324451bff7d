//! Where stake is held: the worker's bond hold (adding to it with `bond_extra`, unbonding it
//! with `unbond`, releasing it with `withdraw_unbonded`), the pot account that holds all
//! delegated stake, and the checks that no hold ever takes funds a governance vote has frozen.

use crate::*;
use polkadot_sdk::frame_support::pallet_prelude::{ensure, DispatchResult};

impl<T: Config> Pallet<T> {
	/// The pallet's pot account, which holds all delegated stake.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The pot account, created with an existential deposit paid by `payer` if it does not
	/// exist (it is created at genesis, so this only matters on chains that added the pallet
	/// later). The existential deposit stays in the pot for good.
	pub(crate) fn ensure_pot(payer: &T::AccountId) -> Result<T::AccountId, DispatchError> {
		let pot = Self::account_id();
		let ed = T::Currency::minimum_balance();
		let have = T::Currency::balance(&pot);
		if have < ed {
			T::Currency::transfer(payer, &pot, ed.saturating_sub(have), Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		Ok(pot)
	}

	/// Mints the pot its existential deposit at genesis. The pot keeps one existential
	/// deposit of its own, so that it always exists and holding delegated stake on it never
	/// depends on its free balance.
	pub(crate) fn open_pot() {
		let pot = Self::account_id();
		let ed = T::Currency::minimum_balance();
		let have = T::Currency::total_balance(&pot);
		if have < ed {
			let _ = T::Currency::mint_into(&pot, ed.saturating_sub(have));
		}
	}

	/// Holds `amount` from `who` for `reason`, never from funds a freeze (a governance vote
	/// lock) needs; see [`deai_primitives::funds`]. On error the calling dispatchable must
	/// fail, which reverts the hold.
	pub(crate) fn hold_unfrozen(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), DispatchError> {
		funds::hold_unfrozen::<T::AccountId, T::Currency>(&reason.into(), who, amount).map_err(
			|error| match error {
				HoldError::Insufficient => Error::<T>::InsufficientBalance.into(),
				HoldError::Frozen => Error::<T>::FundsFrozen.into(),
			},
		)
	}

	/// Fails with [`Error::FundsFrozen`] if `who`'s free balance is below what its freezes
	/// need. A `Polite` transfer only keeps the *total* balance (free plus held) above the
	/// freezes, so an account with holds could otherwise pay out vote-locked free funds and
	/// leave its vote lock resting on held funds, which may be slashed or moved away. On error
	/// the calling dispatchable must fail, which reverts the transfer.
	pub(crate) fn ensure_free_covers_freezes(who: &T::AccountId) -> Result<(), DispatchError> {
		// What is held minus what the freezes still need beyond the free balance: everything
		// held exactly when the free balance alone satisfies every freeze.
		frame_support::ensure!(
			T::Currency::reducible_total_balance_on_hold(who, Fortitude::Polite)
				>= T::Currency::total_balance_on_hold(who),
			Error::<T>::FundsFrozen
		);
		Ok(())
	}

	/// The body of [`Pallet::bond_extra`]: holds `amount` more of `who`'s free balance as its bond.
	pub(crate) fn do_bond_extra(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let bonded = Workers::<T>::try_mutate(&who, |maybe| -> Result<_, DispatchError> {
			let worker = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
			Self::hold_unfrozen(HoldReason::WorkerBond, &who, amount)?;
			worker.bonded = worker.bonded.ensure_add(amount)?;
			Ok(worker.bonded)
		})?;
		Self::deposit_event(Event::Bonded { worker: who, amount, bonded });
		Ok(())
	}

	/// The body of [`Pallet::unbond`]: moves `amount` of `who`'s bond into its unbonding queue
	/// (merged with a chunk that unlocks in the same block), making it idle when nothing stays
	/// bonded.
	pub(crate) fn do_unbond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(amount <= worker.bonded, Error::<T>::NotEnoughBonded);
		let left = worker.bonded.saturating_sub(amount);
		ensure!(
			left.is_zero() || left >= Params::<T>::get().min_worker_bond,
			Error::<T>::WouldFallBelowMinimum
		);
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		let mut unbonding = WorkerUnbonding::<T>::get(&who);
		match unbonding.last_mut() {
			Some(last) if last.unlock_at == unlock_at => {
				last.value = last.value.ensure_add(amount)?
			},
			_ => unbonding
				.try_push(UnbondingChunk { value: amount, unlock_at })
				.map_err(|_| Error::<T>::TooManyUnbondingChunks)?,
		}
		worker.bonded = left;
		let went_idle = left.is_zero() && worker.status == WorkerStatus::Active;
		if went_idle {
			Self::unlist_all(&worker.models, &who);
			worker.status = WorkerStatus::Idle;
		}
		Workers::<T>::insert(&who, worker);
		WorkerUnbonding::<T>::insert(&who, unbonding);
		Self::deposit_event(Event::Unbonded { worker: who.clone(), amount, unlock_at });
		if went_idle {
			Self::deposit_event(Event::WentIdle { worker: who });
		}
		Ok(())
	}

	/// The body of [`Pallet::withdraw_unbonded`]: releases `who`'s unbonding chunks that have
	/// unlocked, unless it still has a job pending.
	pub(crate) fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
		ensure!(Workers::<T>::contains_key(&who), Error::<T>::NotRegistered);
		ensure!(!T::PendingJobs::has_pending_jobs(&who), Error::<T>::JobsPending);
		let mut unbonding = WorkerUnbonding::<T>::get(&who);
		let now = frame_system::Pallet::<T>::block_number();
		let mut amount = BalanceOf::<T>::zero();
		unbonding.retain(|chunk| {
			let ready = chunk.unlock_at <= now;
			if ready {
				amount = amount.saturating_add(chunk.value);
			}
			!ready
		});
		ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
		T::Currency::release(&HoldReason::WorkerBond.into(), &who, amount, Precision::Exact)?;
		if unbonding.is_empty() {
			WorkerUnbonding::<T>::remove(&who);
		} else {
			WorkerUnbonding::<T>::insert(&who, unbonding);
		}
		Self::deposit_event(Event::Withdrawn { worker: who, amount });
		Ok(())
	}
}

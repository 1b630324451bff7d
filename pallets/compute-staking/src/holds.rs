//! Where stake is held: the worker's bond hold, the pot account that holds all delegated
//! stake, and the checks that no hold ever takes funds a governance vote has frozen.

use crate::*;

impl<T: Config> Pallet<T> {
	/// The pallet's pot account, which holds all delegated stake.
	pub fn pot_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The pot account, created with an existential deposit paid by `payer` if it does not
	/// exist (it is created at genesis, so this only matters on chains that added the pallet
	/// later). The existential deposit stays in the pot for good.
	pub(crate) fn ensure_pot(payer: &T::AccountId) -> Result<T::AccountId, DispatchError> {
		let pot = Self::pot_account();
		let ed = T::Currency::minimum_balance();
		let have = T::Currency::balance(&pot);
		if have < ed {
			T::Currency::transfer(payer, &pot, ed.saturating_sub(have), Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		Ok(pot)
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
}

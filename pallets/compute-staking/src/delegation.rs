//! Delegation records: a delegator's bonded and unbonding stake with one worker (the calls
//! `delegate`, `undelegate` and `withdraw_undelegated` are in `lib.rs`).

use crate::*;

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
}

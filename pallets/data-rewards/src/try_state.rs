//! The pallet's invariants, checked by `try_state` after every test and by try-runtime.

use crate::*;
use deai_primitives::{data::DatasetId, Balance};
use polkadot_sdk::frame_support::{ensure, traits::fungible::Inspect};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// 1. Every dataset has a reward pool and every pool a dataset.
	/// 2. The shares of a dataset's contributors add up to the pool's `total_shares`, and
	///    their number is the dataset's `contributors`.
	/// 3. No claimable amount without shares: every contributor record holds shares, and
	///    a pool without shares has no carry and an untouched accumulator.
	/// 4. Every pool's carry is below its total shares and every contributor's fraction
	///    below [`SCALE`].
	/// 5. Conservation, exact: `SCALE × balance` of every pool equals the value owed to
	///    its contributors plus its carry plus `SCALE × unallocated`.
	/// 6. The pallet account holds at least the existential deposit plus the balances of
	///    all pools (everything claimable and everything not yet distributed).
	/// 7. The pending counters of datasets and accounts match the pending contributions,
	///    and every pending contribution's dataset exists.
	/// 8. Every account's held deposits equal the deposits recorded for its datasets and
	///    pending contributions.
	/// 9. The next ids are above every id in use, and curators are unique.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		use sp_core::U256;

		let scale = U256::from(SCALE);
		let mut total_balance: Balance = 0;
		let mut dataset_deposits: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut pending_per_dataset: BTreeMap<DatasetId, u32> = BTreeMap::new();
		let next_dataset = NextDatasetId::<T>::get();

		// 1
		for dataset in Pools::<T>::iter_keys() {
			ensure!(Datasets::<T>::contains_key(dataset), "a pool without a dataset");
		}
		for (dataset, info) in Datasets::<T>::iter() {
			ensure!(dataset < next_dataset, "a dataset id at or above NextDatasetId");
			let pool = Pools::<T>::get(dataset).ok_or("a dataset without a pool")?;
			let deposit = dataset_deposits.entry(info.owner.clone()).or_default();
			*deposit = deposit.saturating_add(info.deposit.amount());
			pending_per_dataset.insert(dataset, 0);

			// 2, 3, 4, 5
			let mut shares: u128 = 0;
			let mut count: u32 = 0;
			let mut value = U256::zero();
			for (_, entry) in Contributors::<T>::iter_prefix(dataset) {
				ensure!(entry.shares > 0, "a contributor without shares");
				ensure!(entry.fraction < SCALE, "a contributor fraction of a whole unit");
				shares = shares.checked_add(entry.shares).ok_or("shares overflow")?;
				count = count.checked_add(1).ok_or("contributor count overflow")?;
				let owed = entry.value_scaled(&pool).map_err(|_| "contributor overflow")?;
				value = value.checked_add(owed).ok_or("value overflow")?;
			}
			ensure!(shares == pool.total_shares, "shares do not add up to total_shares");
			ensure!(count == info.contributors, "wrong number of contributors");
			if pool.total_shares == 0 {
				ensure!(pool.carry == 0, "a carry without shares");
				ensure!(pool.reward_per_share.is_zero(), "rewards per share without shares");
			} else {
				ensure!(pool.carry < pool.total_shares, "a carry of a whole share");
			}
			let expected = value
				.checked_add(U256::from(pool.carry))
				.and_then(|v| v.checked_add(U256::from(pool.unallocated).checked_mul(scale)?))
				.ok_or("value overflow")?;
			let actual = U256::from(pool.balance).checked_mul(scale).ok_or("overflow")?;
			ensure!(expected == actual, "a pool's balance is not what it owes");
			total_balance = total_balance.checked_add(pool.balance).ok_or("overflow")?;
		}
		for (dataset, _, _) in Contributors::<T>::iter() {
			ensure!(Datasets::<T>::contains_key(dataset), "a contributor of no dataset");
		}

		// 6
		let needed =
			total_balance.checked_add(T::Currency::minimum_balance()).ok_or("balance overflow")?;
		ensure!(
			T::Currency::balance(&Self::account_id()) >= needed,
			"the pallet account holds less than the pools"
		);

		// 7, 8
		let next_contribution = NextContributionId::<T>::get();
		let mut pending_per_account: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut contribution_deposits: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (id, record) in Contributions::<T>::iter() {
			ensure!(id < next_contribution, "a contribution id at or above the next one");
			let count = pending_per_dataset
				.get_mut(&record.dataset)
				.ok_or("a pending contribution to no dataset")?;
			*count = count.saturating_add(1);
			let count = pending_per_account.entry(record.contributor.clone()).or_default();
			*count = count.saturating_add(1);
			let deposit = contribution_deposits.entry(record.contributor).or_default();
			*deposit = deposit.saturating_add(record.deposit.amount());
		}
		for (dataset, count) in pending_per_dataset {
			let info = Datasets::<T>::get(dataset).ok_or("a dataset vanished")?;
			ensure!(info.pending_contributions == count, "wrong pending count of a dataset");
		}
		ensure!(
			PendingByAccount::<T>::iter().count() == pending_per_account.len(),
			"a pending counter of an account without pending contributions"
		);
		for (who, count) in pending_per_account {
			ensure!(PendingByAccount::<T>::get(&who) == count, "wrong pending count of an account");
		}
		let dataset_reason: T::RuntimeHoldReason = HoldReason::DatasetDeposit.into();
		let contribution_reason: T::RuntimeHoldReason = HoldReason::ContributionDeposit.into();
		for (who, deposit) in &dataset_deposits {
			ensure!(
				T::Currency::balance_on_hold(&dataset_reason, who) == *deposit,
				"dataset deposits differ from the held balance"
			);
		}
		for (who, deposit) in &contribution_deposits {
			ensure!(
				T::Currency::balance_on_hold(&contribution_reason, who) == *deposit,
				"contribution deposits differ from the held balance"
			);
		}

		// 9
		let curators = Curators::<T>::get();
		for (i, curator) in curators.iter().enumerate() {
			ensure!(
				!curators.iter().skip(i.saturating_add(1)).any(|c| c == curator),
				"a duplicate curator"
			);
		}
		Ok(())
	}
}

//! The invariants of compute staking, checked by `try_state` and after every test.

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// 1. Every worker's `WorkerBond` hold equals its bonded plus unbonding stake, and its
	///    `RegistrationDeposit` hold equals its recorded deposit.
	/// 2. Every worker's models are distinct and at most `MaxModelsPerWorker`; its unbonding
	///    chunks are non-zero and in unlock order.
	/// 3. The pot's `DelegatedStake` hold equals the sum over all pools of bonded plus
	///    unbonding delegated stake, and the pot keeps at least an existential deposit.
	/// 4. Every pool: the shares of the current generation held by its delegations sum to
	///    its `shares`, the points of the current era sum to its `unbonding_points`; shares
	///    are zero exactly when bonded is, points exactly when unbonding is; `delegators` is
	///    the number of its delegation records, none of
	///    them empty.
	/// 5. Every registered worker has a pool; a pool without a worker has delegators.
	/// 6. Worker sets: each member is a registered, active worker serving the model, listed
	///    once; every active worker is listed for every model it serves.
	/// 7. Every worker has a profile; profiles, (non-empty) unbonding queues, reputations
	///    offence logs and commission raises exist only for workers, and a raise is above
	///    the worker's commission.
	pub fn do_try_state() -> Result<(), DispatchError> {
		Self::try_state_workers()?;
		Self::try_state_pools()?;
		Self::try_state_model_workers()?;
		Self::try_state_side_records()?;
		Ok(())
	}

	/// Invariants 1 and 2.
	fn try_state_workers() -> Result<(), DispatchError> {
		use frame_support::traits::fungible::InspectHold;
		for (who, worker) in Workers::<T>::iter() {
			frame_support::ensure!(
				T::Currency::balance_on_hold(&HoldReason::WorkerBond.into(), &who)
					== worker.own_total(&WorkerUnbonding::<T>::get(&who)),
				"worker bond hold differs from bonded plus unbonding"
			);
			frame_support::ensure!(
				T::Currency::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &who)
					== worker.deposit,
				"registration deposit hold differs from the record"
			);
			for (index, model) in worker.models.iter().enumerate() {
				frame_support::ensure!(
					!worker.models.iter().take(index).any(|m| m == model),
					"a worker serves a model twice"
				);
			}
			let mut previous: Option<BlockNumberFor<T>> = None;
			for chunk in WorkerUnbonding::<T>::get(&who).iter() {
				frame_support::ensure!(!chunk.value.is_zero(), "empty unbonding chunk kept");
				frame_support::ensure!(
					previous.is_none_or(|previous| previous < chunk.unlock_at),
					"unbonding chunks out of order"
				);
				previous = Some(chunk.unlock_at);
			}
			frame_support::ensure!(Pools::<T>::contains_key(&who), "worker without a pool");
			frame_support::ensure!(Profiles::<T>::contains_key(&who), "worker without a profile");
		}
		Ok(())
	}

	/// Invariant 7.
	fn try_state_side_records() -> Result<(), DispatchError> {
		frame_support::ensure!(
			Profiles::<T>::iter_keys().all(Workers::<T>::contains_key),
			"profile of a non-worker kept"
		);
		frame_support::ensure!(
			Reputations::<T>::iter_keys().all(Workers::<T>::contains_key),
			"reputation of a non-worker kept"
		);
		frame_support::ensure!(
			RecentOffences::<T>::iter_keys().all(Workers::<T>::contains_key),
			"offences of a non-worker kept"
		);
		for (who, (commission, _)) in CommissionRaises::<T>::iter() {
			let worker = Workers::<T>::get(&who).ok_or("commission raise of a non-worker")?;
			frame_support::ensure!(commission > worker.commission, "a raise that lowers");
		}
		for (who, unbonding) in WorkerUnbonding::<T>::iter() {
			frame_support::ensure!(Workers::<T>::contains_key(&who), "unbonding of a non-worker");
			frame_support::ensure!(!unbonding.is_empty(), "empty unbonding queue kept");
		}
		Ok(())
	}

	/// Invariants 3, 4 and 5.
	fn try_state_pools() -> Result<(), DispatchError> {
		use frame_support::traits::fungible::InspectHold;
		let mut delegated = BalanceOf::<T>::zero();
		for (worker, pool) in Pools::<T>::iter() {
			delegated = delegated.saturating_add(pool.total());
			let mut shares = BalanceOf::<T>::zero();
			let mut points = BalanceOf::<T>::zero();
			let mut records = 0u32;
			for (_, delegation) in Delegations::<T>::iter_prefix(&worker) {
				records = records.saturating_add(1);
				let counted = pool.shares_of(delegation.shares, delegation.generation);
				shares = shares.saturating_add(counted);
				for chunk in delegation.unbonding.iter() {
					if chunk.era == pool.unbonding_era {
						points = points.saturating_add(chunk.points);
					}
				}
				frame_support::ensure!(
					!delegation.shares.is_zero() || !delegation.unbonding.is_empty(),
					"empty delegation kept"
				);
			}
			frame_support::ensure!(shares == pool.shares, "pool shares differ from the sum");
			frame_support::ensure!(
				points == pool.unbonding_points,
				"pool unbonding points differ from the sum"
			);
			frame_support::ensure!(
				pool.shares.is_zero() == pool.bonded.is_zero(),
				"pool shares and bonded stake disagree on emptiness"
			);
			frame_support::ensure!(
				pool.unbonding_points.is_zero() == pool.unbonding.is_zero(),
				"pool points and unbonding stake disagree on emptiness"
			);
			frame_support::ensure!(records == pool.delegators, "pool delegator count is wrong");
			frame_support::ensure!(
				Workers::<T>::contains_key(&worker) || pool.delegators > 0,
				"orphan pool without delegators kept"
			);
		}
		let pot = Self::account_id();
		frame_support::ensure!(
			T::Currency::balance_on_hold(&HoldReason::DelegatedStake.into(), &pot) == delegated,
			"pot hold differs from the delegated stake"
		);
		if !delegated.is_zero() {
			frame_support::ensure!(
				T::Currency::balance(&pot) >= T::Currency::minimum_balance(),
				"pot lost its existential deposit"
			);
		}
		frame_support::ensure!(
			Delegations::<T>::iter_keys().all(|(worker, _)| Pools::<T>::contains_key(worker)),
			"delegation without a pool"
		);
		Ok(())
	}

	/// Invariant 6.
	fn try_state_model_workers() -> Result<(), DispatchError> {
		for (model, set) in ModelWorkers::<T>::iter() {
			frame_support::ensure!(!set.is_empty(), "empty worker set kept");
			for (index, who) in set.iter().enumerate() {
				frame_support::ensure!(
					!set.iter().take(index).any(|other| other == who),
					"worker listed twice"
				);
				let worker = Workers::<T>::get(who).ok_or("unregistered worker listed")?;
				frame_support::ensure!(worker.status == WorkerStatus::Active, "idle worker listed");
				frame_support::ensure!(
					worker.models.contains(&model),
					"worker listed for a model it does not serve"
				);
			}
		}
		for (who, worker) in Workers::<T>::iter() {
			if worker.status == WorkerStatus::Active {
				for model in worker.models.iter() {
					frame_support::ensure!(
						ModelWorkers::<T>::get(model).is_some_and(|set| set.contains(&who)),
						"active worker missing from a worker set"
					);
				}
			}
		}
		Ok(())
	}
}

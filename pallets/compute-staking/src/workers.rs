//! A worker's own lifecycle: registering, its liveness (heartbeats, pausing and resuming),
//! what it tells about itself (attestation key, served models, profile, commission) and
//! deregistering. Its bond is handled in `holds.rs`, its place in the worker sets in
//! `worker_set.rs`.

use crate::*;
use polkadot_sdk::frame_support::pallet_prelude::{
	ensure, DispatchResult, DispatchResultWithPostInfo, Pays,
};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::register_worker`]: registers `who` with its bond, deposit, key,
	/// profile and models, and lists it in each model's worker set.
	pub(crate) fn do_register_worker(
		who: T::AccountId,
		bond: BalanceOf<T>,
		attestation_key: AttestationKey,
		metadata: MetadataOf<T>,
		capabilities: CapabilitiesOf<T>,
		models: ModelsOf<T>,
		commission: Perbill,
	) -> DispatchResult {
		ensure!(!Workers::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		let params = Params::<T>::get();
		ensure!(bond >= params.min_worker_bond, Error::<T>::BondBelowMinimum);
		ensure!(commission <= params.max_commission, Error::<T>::CommissionTooHigh);
		Self::ensure_valid_models(&models, &[])?;

		let deposit = params.registration_deposit;
		Self::hold_unfrozen(HoldReason::RegistrationDeposit, &who, deposit)?;
		Self::hold_unfrozen(HoldReason::WorkerBond, &who, bond)?;
		for model in models.iter() {
			Self::list(*model, &who)?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		Profiles::<T>::insert(&who, Profile { metadata, capabilities });
		Workers::<T>::insert(
			&who,
			Worker {
				attestation_key,
				models: models.clone(),
				status: WorkerStatus::Active,
				commission,
				bonded: bond,
				deposit,
				last_heartbeat: now,
				registered_at: now,
			},
		);
		// A pool left by an earlier registration (with delegations still unbonding) is
		// taken over as it is.
		if !Pools::<T>::contains_key(&who) {
			Pools::<T>::insert(&who, Pool::default());
		}
		Self::deposit_event(Event::WorkerRegistered {
			worker: who,
			bond,
			deposit,
			attestation_key,
			models,
		});
		Ok(())
	}

	/// The body of [`Pallet::deregister`]: removes `who`'s record, profile and track record once no
	/// stake and no job is left, and refunds its registration deposit.
	pub(crate) fn do_deregister(who: T::AccountId) -> DispatchResult {
		let worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(
			worker.bonded.is_zero() && !WorkerUnbonding::<T>::contains_key(&who),
			Error::<T>::StillBonded
		);
		ensure!(!T::PendingJobs::has_pending_jobs(&who), Error::<T>::JobsPending);
		if worker.status == WorkerStatus::Active {
			Self::unlist_all(&worker.models, &who);
		}
		T::Currency::release(
			&HoldReason::RegistrationDeposit.into(),
			&who,
			worker.deposit,
			Precision::Exact,
		)?;
		Workers::<T>::remove(&who);
		Profiles::<T>::remove(&who);
		Reputations::<T>::remove(&who);
		RecentOffences::<T>::remove(&who);
		CommissionRaises::<T>::remove(&who);
		if Pools::<T>::get(&who).is_some_and(|pool| pool.delegators == 0) {
			Pools::<T>::remove(&who);
		}
		Self::deposit_event(Event::WorkerDeregistered { worker: who, deposit: worker.deposit });
		Ok(())
	}

	/// The body of [`Pallet::heartbeat`]: records that `who` is alive now; the heartbeat is free
	/// when it comes on time (neither spam nor after the worker went offline).
	pub(crate) fn do_heartbeat(who: T::AccountId) -> DispatchResultWithPostInfo {
		let now = frame_system::Pallet::<T>::block_number();
		let on_time = Workers::<T>::try_mutate(&who, |maybe| -> Result<_, DispatchError> {
			let worker = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
			let since = now.saturating_sub(worker.last_heartbeat);
			worker.last_heartbeat = now;
			Ok(since >= T::HeartbeatInterval::get() && since <= T::OfflineAfter::get())
		})?;
		Self::deposit_event(Event::HeartbeatReceived { worker: who, on_time });
		let pays = if on_time { Pays::No } else { Pays::Yes };
		Ok(pays.into())
	}

	/// The body of [`Pallet::go_idle`]: takes `who` out of its models' worker sets until it
	/// resumes; the weight is refunded down to the models it actually serves.
	pub(crate) fn do_go_idle(who: T::AccountId) -> DispatchResultWithPostInfo {
		let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(worker.status == WorkerStatus::Active, Error::<T>::AlreadyIdle);
		Self::unlist_all(&worker.models, &who);
		worker.status = WorkerStatus::Idle;
		let served = worker.models.len().saturated_into::<u32>();
		Workers::<T>::insert(&who, worker);
		Self::deposit_event(Event::WentIdle { worker: who });
		Ok(Some(T::WeightInfo::go_idle(served)).into())
	}

	/// The body of [`Pallet::resume`]: lists an idle `who` again for every model it serves, if its
	/// bond still reaches the minimum, and counts it online from now.
	pub(crate) fn do_resume(who: T::AccountId) -> DispatchResultWithPostInfo {
		let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(worker.status == WorkerStatus::Idle, Error::<T>::NotIdle);
		ensure!(worker.bonded >= Params::<T>::get().min_worker_bond, Error::<T>::BondBelowMinimum);
		for model in worker.models.iter() {
			Self::list(*model, &who)?;
		}
		worker.status = WorkerStatus::Active;
		worker.last_heartbeat = frame_system::Pallet::<T>::block_number();
		let served = worker.models.len().saturated_into::<u32>();
		Workers::<T>::insert(&who, worker);
		Self::deposit_event(Event::Resumed { worker: who });
		Ok(Some(T::WeightInfo::resume(served)).into())
	}

	/// The body of [`Pallet::rotate_attestation_key`]: swaps `who`'s attestation key for `new_key`.
	pub(crate) fn do_rotate_attestation_key(
		who: T::AccountId,
		new_key: AttestationKey,
	) -> DispatchResult {
		let old_key = Workers::<T>::try_mutate(&who, |maybe| -> Result<_, DispatchError> {
			let worker = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
			ensure!(worker.attestation_key != new_key, Error::<T>::SameAttestationKey);
			Ok(core::mem::replace(&mut worker.attestation_key, new_key))
		})?;
		Self::deposit_event(Event::AttestationKeyRotated { worker: who, old_key, new_key });
		Ok(())
	}

	/// The body of [`Pallet::set_served_models`]: replaces the models `who` serves, unlisting it
	/// from the dropped ones and listing it for the new ones while it is active.
	pub(crate) fn do_set_served_models(who: T::AccountId, models: ModelsOf<T>) -> DispatchResult {
		let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		Self::ensure_valid_models(&models, &worker.models)?;
		let dropped: Vec<ModelId> =
			worker.models.iter().filter(|m| !models.contains(*m)).copied().collect();
		if worker.status == WorkerStatus::Active {
			for model in dropped.iter() {
				Self::unlist(*model, &who);
			}
			for model in models.iter().filter(|m| !worker.models.contains(*m)) {
				Self::list(*model, &who)?;
			}
		}
		worker.models = models.clone();
		Workers::<T>::insert(&who, worker);
		Self::deposit_event(Event::ServedModelsSet { worker: who, models });
		Ok(())
	}

	/// The body of [`Pallet::set_metadata`]: stores `who`'s new profile.
	pub(crate) fn do_set_metadata(
		who: T::AccountId,
		metadata: MetadataOf<T>,
		capabilities: CapabilitiesOf<T>,
	) -> DispatchResult {
		ensure!(Workers::<T>::contains_key(&who), Error::<T>::NotRegistered);
		Profiles::<T>::insert(&who, Profile { metadata, capabilities });
		Self::deposit_event(Event::MetadataSet { worker: who });
		Ok(())
	}

	/// The body of [`Pallet::set_commission`]: lowers `who`'s commission at once, or announces a
	/// raise and applies it once the notice of `UnbondingPeriod` blocks has passed.
	pub(crate) fn do_set_commission(who: T::AccountId, commission: Perbill) -> DispatchResult {
		ensure!(commission <= Params::<T>::get().max_commission, Error::<T>::CommissionTooHigh);
		let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let now = frame_system::Pallet::<T>::block_number();
		if commission > worker.commission {
			match CommissionRaises::<T>::get(&who) {
				Some((announced, from)) if announced == commission => {
					ensure!(now >= from, Error::<T>::CommissionRaiseNotDue);
				},
				_ => {
					let from = now.saturating_add(T::UnbondingPeriod::get());
					CommissionRaises::<T>::insert(&who, (commission, from));
					Self::deposit_event(Event::CommissionRaiseAnnounced {
						worker: who,
						commission,
						from,
					});
					return Ok(());
				},
			}
		}
		CommissionRaises::<T>::remove(&who);
		worker.commission = commission;
		Workers::<T>::insert(&who, worker);
		Self::deposit_event(Event::CommissionSet { worker: who, commission });
		Ok(())
	}
}

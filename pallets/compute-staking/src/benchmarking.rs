//! Benchmarks of compute staking's calls and of the trait functions the inference pallet
//! calls (`reward`, `slash`, `select_workers`, as `#[block]` benchmarks), each in its worst
//! case.
//!
//! Worst cases: worker sets one short of full (their whole content is read and written),
//! workers serving the most models, unbonding queues one short of full (or full when they
//! are all withdrawn), a delegation pool one delegator short of full, a slash that reaches
//! every kind of stake with a full offence log, a draw over a full set of eligible workers,
//! a slot taken from the first member of a full set.

use super::*;
use crate::Pallet as ComputeStaking;
use codec::Encode;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{traits::EnsureOrigin, BoundedVec},
	frame_system::RawOrigin,
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{Bounded, StaticLookup},
};

/// What benchmarks need from the pallets compute staking talks to.
pub trait BenchmarkHelper {
	/// Makes `count` distinct models exist and be active (in the model registry) and returns
	/// them.
	fn active_models(count: u32) -> Vec<ModelId>;
}

/// A distinct attestation key for each `seed`.
fn key(seed: u32) -> AttestationKey {
	AttestationKey::from_raw(blake2_256(&seed.encode()))
}

/// A bounded byte string of `len` copies of `fill`.
fn filled<S: Get<u32>>(len: u32, fill: u8) -> Result<BoundedVec<u8, S>, BenchmarkError> {
	let len = usize::try_from(len).map_err(|_| "length does not fit")?;
	BoundedVec::try_from(alloc::vec![fill; len]).map_err(|_| "bytes above their bound".into())
}

/// `count` fresh active models.
fn models<T: Config>(count: u32) -> Result<ModelsOf<T>, BenchmarkError> {
	BoundedVec::try_from(T::BenchmarkHelper::active_models(count))
		.map_err(|_| "too many models".into())
}

/// An amount large enough for any stake a benchmark puts up.
fn plenty<T: Config>() -> BalanceOf<T> {
	let params = Params::<T>::get();
	params
		.min_worker_bond
		.saturating_add(params.registration_deposit)
		.saturating_add(params.min_delegation)
		.saturating_mul(1_000u32.into())
}

/// A funded account.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, plenty::<T>().saturating_add(T::Currency::minimum_balance()));
	who
}

/// The pot exists, as it does after genesis.
fn open_pot<T: Config>() {
	let pot = ComputeStaking::<T>::account_id();
	if T::Currency::balance(&pot) < T::Currency::minimum_balance() {
		T::Currency::set_balance(&pot, T::Currency::minimum_balance());
	}
}

/// Fills the worker set of each of `models` with unregistered filler accounts, leaving
/// `free` slots.
fn fill_sets<T: Config>(models: &[ModelId], free: u32) -> Result<(), BenchmarkError> {
	let size = T::MaxWorkersPerModel::get().saturating_sub(free);
	for model in models {
		let mut set = ModelWorkers::<T>::get(model).unwrap_or_default();
		let mut index = 0u32;
		while set.len().saturated_into::<u32>() < size {
			let filler: T::AccountId = account("filler", index, u32::try_from(*model).unwrap_or(0));
			index = index.saturating_add(1);
			if !set.contains(&filler) {
				set.try_push(filler).map_err(|_| "worker set full")?;
			}
		}
		ModelWorkers::<T>::insert(model, set);
	}
	Ok(())
}

/// Registers a funded worker serving `models` with twice the minimum bond.
fn worker<T: Config>(index: u32, models: ModelsOf<T>) -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("worker", index);
	let bond = Params::<T>::get().min_worker_bond.saturating_mul(2u32.into());
	ComputeStaking::<T>::register_worker(
		RawOrigin::Signed(who.clone()).into(),
		bond,
		key(index),
		filled(T::MaxMetadataLen::get(), b'm')?,
		filled(T::MaxCapabilitiesLen::get(), b'c')?,
		models,
		Perbill::from_percent(10),
	)?;
	Ok(who)
}

/// Moves to block `n`.
fn go_to<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

/// Adds `count` delegators behind `worker`, each with twice the minimum.
fn delegators<T: Config>(
	worker: &T::AccountId,
	count: u32,
) -> Result<Vec<T::AccountId>, BenchmarkError> {
	open_pot::<T>();
	let amount = Params::<T>::get().min_delegation.saturating_mul(2u32.into());
	let mut all = Vec::new();
	for index in 0..count {
		let who = funded::<T>("delegator", index);
		ComputeStaking::<T>::delegate(
			RawOrigin::Signed(who.clone()).into(),
			T::Lookup::unlookup(worker.clone()),
			amount,
		)?;
		all.push(who);
	}
	Ok(all)
}

/// Checks that `event` was the last event deposited.
fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_worker(
		m: Linear<1, { T::MaxModelsPerWorker::get() }>,
	) -> Result<(), BenchmarkError> {
		let served = models::<T>(m)?;
		fill_sets::<T>(&served, 1)?;
		let caller = funded::<T>("caller", 0);
		let bond = Params::<T>::get().min_worker_bond;
		let deposit = Params::<T>::get().registration_deposit;
		let metadata = filled(T::MaxMetadataLen::get(), b'm')?;
		let capabilities = filled(T::MaxCapabilitiesLen::get(), b'c')?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			bond,
			key(0),
			metadata,
			capabilities,
			served.clone(),
			Perbill::from_percent(10),
		);

		assert_last_event::<T>(Event::WorkerRegistered {
			worker: caller,
			bond,
			deposit,
			attestation_key: key(0),
			models: served,
		});
		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let caller = worker::<T>(0, models::<T>(1)?)?;
		let amount = Params::<T>::get().min_worker_bond;
		let bonded = Workers::<T>::get(&caller).ok_or("no worker")?.bonded.saturating_add(amount);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), amount);

		assert_last_event::<T>(Event::Bonded { worker: caller, amount, bonded });
		Ok(())
	}

	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		let served = models::<T>(T::MaxModelsPerWorker::get())?;
		fill_sets::<T>(&served, 1)?;
		let caller = worker::<T>(0, served)?;
		let one = T::Currency::minimum_balance().max(1u32.into());
		for block in 1..T::MaxUnbondingChunks::get() {
			go_to::<T>(block);
			ComputeStaking::<T>::unbond(RawOrigin::Signed(caller.clone()).into(), one)?;
		}
		go_to::<T>(T::MaxUnbondingChunks::get());
		let amount = Workers::<T>::get(&caller).ok_or("no worker")?.bonded;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), amount);

		assert_last_event::<T>(Event::WentIdle { worker: caller });
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let caller = worker::<T>(0, models::<T>(1)?)?;
		let one = T::Currency::minimum_balance().max(1u32.into());
		for block in 1..T::MaxUnbondingChunks::get().saturating_add(1) {
			go_to::<T>(block);
			ComputeStaking::<T>::unbond(RawOrigin::Signed(caller.clone()).into(), one)?;
		}
		let amount = one.saturating_mul(T::MaxUnbondingChunks::get().into());
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::Withdrawn { worker: caller, amount });
		Ok(())
	}

	#[benchmark]
	fn deregister() -> Result<(), BenchmarkError> {
		let served = models::<T>(T::MaxModelsPerWorker::get())?;
		fill_sets::<T>(&served, 1)?;
		let caller = worker::<T>(0, served)?;
		// A full slash leaves the worker with nothing bonded or unbonding.
		let _ = <ComputeStaking<T> as WorkerStaking<_, _>>::slash(
			&caller,
			Perbill::one(),
			BalanceOf::<T>::max_value(),
			SlashReason::Timeout,
			1,
			None,
		);
		let deposit = Workers::<T>::get(&caller).ok_or("no worker")?.deposit;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::WorkerDeregistered { worker: caller, deposit });
		Ok(())
	}

	#[benchmark]
	fn heartbeat() -> Result<(), BenchmarkError> {
		let caller = worker::<T>(0, models::<T>(1)?)?;
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::HeartbeatInterval::get());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::HeartbeatReceived { worker: caller, on_time: true });
		Ok(())
	}

	#[benchmark]
	fn go_idle(m: Linear<1, { T::MaxModelsPerWorker::get() }>) -> Result<(), BenchmarkError> {
		let served = models::<T>(m)?;
		fill_sets::<T>(&served, 1)?;
		let caller = worker::<T>(0, served)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::WentIdle { worker: caller });
		Ok(())
	}

	#[benchmark]
	fn resume(m: Linear<1, { T::MaxModelsPerWorker::get() }>) -> Result<(), BenchmarkError> {
		let served = models::<T>(m)?;
		let caller = worker::<T>(0, served.clone())?;
		ComputeStaking::<T>::go_idle(RawOrigin::Signed(caller.clone()).into())?;
		fill_sets::<T>(&served, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::Resumed { worker: caller });
		Ok(())
	}

	#[benchmark]
	fn rotate_attestation_key() -> Result<(), BenchmarkError> {
		let caller = worker::<T>(0, models::<T>(1)?)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key(1));

		assert_last_event::<T>(Event::AttestationKeyRotated {
			worker: caller,
			old_key: key(0),
			new_key: key(1),
		});
		Ok(())
	}

	#[benchmark]
	fn set_served_models(
		m: Linear<1, { T::MaxModelsPerWorker::get() }>,
	) -> Result<(), BenchmarkError> {
		let old = models::<T>(T::MaxModelsPerWorker::get())?;
		fill_sets::<T>(&old, 1)?;
		let caller = worker::<T>(0, old.clone())?;
		// Models distinct from the old ones: the helper's next ones.
		let fresh =
			T::BenchmarkHelper::active_models(T::MaxModelsPerWorker::get().saturating_add(m));
		let new: ModelsOf<T> = BoundedVec::try_from(
			fresh
				.into_iter()
				.filter(|model| !old.contains(model))
				.take(usize::try_from(m).unwrap_or(0))
				.collect::<Vec<_>>(),
		)
		.map_err(|_| "too many models")?;
		fill_sets::<T>(&new, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), new.clone());

		assert_last_event::<T>(Event::ServedModelsSet { worker: caller, models: new });
		Ok(())
	}

	#[benchmark]
	fn take_slot() -> Result<(), BenchmarkError> {
		// The caller serves one model short of the most; the target model is a fresh one.
		let mut all = T::BenchmarkHelper::active_models(T::MaxModelsPerWorker::get());
		let model = all.pop().ok_or("no model")?;
		let old: ModelsOf<T> = BoundedVec::try_from(all).map_err(|_| "too many models")?;
		// The member is drawable with delegated stake (both of its records are read) and sits
		// first in a full set (the whole set shifts when it leaves).
		let member = worker::<T>(1, BoundedVec::try_from(alloc::vec![model]).map_err(|_| "")?)?;
		delegators::<T>(&member, 1)?;
		fill_sets::<T>(&[model], 0)?;
		let caller = worker::<T>(0, old)?;
		ComputeStaking::<T>::bond_extra(
			RawOrigin::Signed(caller.clone()).into(),
			Params::<T>::get().min_worker_bond.saturating_mul(2u32.into()),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), model, member.clone());

		assert_last_event::<T>(Event::SlotTaken { model, worker: caller, evicted: member });
		Ok(())
	}

	#[benchmark]
	fn set_metadata() -> Result<(), BenchmarkError> {
		let caller = worker::<T>(0, models::<T>(1)?)?;
		let metadata = filled(T::MaxMetadataLen::get(), b'n')?;
		let capabilities = filled(T::MaxCapabilitiesLen::get(), b'd')?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), metadata, capabilities);

		assert_last_event::<T>(Event::MetadataSet { worker: caller });
		Ok(())
	}

	#[benchmark]
	fn set_commission() -> Result<(), BenchmarkError> {
		// The heaviest path: applying an announced raise that is due.
		let caller = worker::<T>(0, models::<T>(1)?)?;
		let commission = Params::<T>::get().max_commission;
		Pallet::<T>::set_commission(RawOrigin::Signed(caller.clone()).into(), Perbill::zero())?;
		Pallet::<T>::set_commission(RawOrigin::Signed(caller.clone()).into(), commission)?;
		let due =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(due);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), commission);

		assert_last_event::<T>(Event::CommissionSet { worker: caller, commission });
		Ok(())
	}

	#[benchmark]
	fn delegate() -> Result<(), BenchmarkError> {
		let target = worker::<T>(0, models::<T>(1)?)?;
		delegators::<T>(&target, T::MaxDelegationsPerPage::get().saturating_sub(1))?;
		let caller = funded::<T>("caller", 0);
		let amount = Params::<T>::get().min_delegation.saturating_mul(3u32.into());
		let mut pool = Pools::<T>::get(&target).ok_or("no pool")?;
		let shares = pool.deposit(amount).map_err(|_| "share overflow")?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), T::Lookup::unlookup(target.clone()), amount);

		assert_last_event::<T>(Event::Delegated {
			worker: target,
			delegator: caller,
			amount,
			shares,
		});
		Ok(())
	}

	#[benchmark]
	fn undelegate() -> Result<(), BenchmarkError> {
		let target = worker::<T>(0, models::<T>(1)?)?;
		open_pot::<T>();
		let caller = funded::<T>("caller", 0);
		let min = Params::<T>::get().min_delegation;
		ComputeStaking::<T>::delegate(
			RawOrigin::Signed(caller.clone()).into(),
			T::Lookup::unlookup(target.clone()),
			min.saturating_mul(10u32.into()),
		)?;
		for block in 1..T::MaxUnbondingChunks::get() {
			go_to::<T>(block);
			ComputeStaking::<T>::undelegate(
				RawOrigin::Signed(caller.clone()).into(),
				T::Lookup::unlookup(target.clone()),
				min,
			)?;
		}
		go_to::<T>(T::MaxUnbondingChunks::get());
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		let pool = Pools::<T>::get(&target).ok_or("no pool")?;
		let shares = pool.shares_for_value(min);
		let amount = pool.value_of_shares(shares);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), T::Lookup::unlookup(target.clone()), min);

		assert_last_event::<T>(Event::Undelegated {
			worker: target,
			delegator: caller,
			amount,
			shares,
			unlock_at,
		});
		Ok(())
	}

	#[benchmark]
	fn withdraw_undelegated() -> Result<(), BenchmarkError> {
		let target = worker::<T>(0, models::<T>(1)?)?;
		open_pot::<T>();
		let caller = funded::<T>("caller", 0);
		let min = Params::<T>::get().min_delegation;
		let chunks = T::MaxUnbondingChunks::get();
		let total = min.saturating_mul(chunks.saturating_add(1).into());
		ComputeStaking::<T>::delegate(
			RawOrigin::Signed(caller.clone()).into(),
			T::Lookup::unlookup(target.clone()),
			total,
		)?;
		for block in 1..chunks {
			go_to::<T>(block);
			ComputeStaking::<T>::undelegate(
				RawOrigin::Signed(caller.clone()).into(),
				T::Lookup::unlookup(target.clone()),
				min,
			)?;
		}
		go_to::<T>(chunks);
		// The last chunk takes everything left, so the record ends.
		ComputeStaking::<T>::undelegate(
			RawOrigin::Signed(caller.clone()).into(),
			T::Lookup::unlookup(target.clone()),
			total,
		)?;
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), T::Lookup::unlookup(target.clone()));

		assert!(Delegations::<T>::get(&target, &caller).is_none());
		assert_last_event::<T>(Event::DelegationWithdrawn {
			worker: target,
			delegator: caller,
			amount: total,
		});
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut params = Params::<T>::get();
		params.max_commission = Perbill::from_percent(20);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_last_event::<T>(Event::ParamsSet { params });
		Ok(())
	}

	#[benchmark]
	fn reward() -> Result<(), BenchmarkError> {
		let target = worker::<T>(0, models::<T>(1)?)?;
		delegators::<T>(&target, T::MaxDelegationsPerPage::get())?;
		let payer = funded::<T>("payer", 0);
		let amount = Params::<T>::get().min_delegation;

		#[block]
		{
			<ComputeStaking<T> as WorkerStaking<_, _>>::reward(&payer, &target, amount, 7)?;
		}

		assert_eq!(Reputations::<T>::get(&target).jobs_completed, 1);
		Ok(())
	}

	#[benchmark]
	fn slash() -> Result<(), BenchmarkError> {
		// The full slash makes a worker serving the most models in full sets idle.
		let served = models::<T>(T::MaxModelsPerWorker::get())?;
		fill_sets::<T>(&served, 1)?;
		let target = worker::<T>(0, served)?;
		let one = T::Currency::minimum_balance().max(1u32.into());
		for block in 1..T::MaxUnbondingChunks::get().saturating_add(1) {
			go_to::<T>(block);
			ComputeStaking::<T>::unbond(RawOrigin::Signed(target.clone()).into(), one)?;
		}
		let delegators = delegators::<T>(&target, T::MaxDelegationsPerPage::get())?;
		if let Some(first) = delegators.first() {
			ComputeStaking::<T>::undelegate(
				RawOrigin::Signed(first.clone()).into(),
				T::Lookup::unlookup(target.clone()),
				Params::<T>::get().min_delegation.saturating_mul(2u32.into()),
			)?;
		}
		for job in 0..T::MaxOffencesKept::get() {
			let _ = <ComputeStaking<T> as WorkerStaking<_, _>>::slash(
				&target,
				Perbill::zero(),
				BalanceOf::<T>::max_value(),
				SlashReason::Timeout,
				u64::from(job),
				None,
			);
		}
		let payee = SlashPayee {
			account: funded::<T>("challenger", 0),
			cost: T::Currency::minimum_balance(),
			share: Perbill::from_percent(50),
		};

		#[block]
		{
			let _ = <ComputeStaking<T> as WorkerStaking<_, _>>::slash(
				&target,
				Perbill::one(),
				BalanceOf::<T>::max_value(),
				SlashReason::LostChallenge,
				99,
				Some(payee),
			);
		}

		assert_eq!(Reputations::<T>::get(&target).challenges_lost, 1);
		let record = Workers::<T>::get(&target).ok_or("no worker")?;
		assert!(record.own_total(&WorkerUnbonding::<T>::get(&target)).is_zero());
		assert_eq!(record.status, WorkerStatus::Idle);
		Ok(())
	}

	#[benchmark]
	fn select_workers(
		c: Linear<1, { T::MaxWorkersPerModel::get() }>,
	) -> Result<(), BenchmarkError> {
		let served = models::<T>(1)?;
		let model = *served.first().ok_or("no model")?;
		for index in 0..T::MaxWorkersPerModel::get() {
			worker::<T>(index, served.clone())?;
		}
		let seed = [7u8; 32];
		let chosen;

		#[block]
		{
			chosen =
				<ComputeStaking<T> as WorkerStaking<_, _>>::select_workers(model, c, &seed, &[])?;
		}

		assert_eq!(chosen.len(), usize::try_from(c).unwrap_or(0));
		Ok(())
	}

	impl_benchmark_test_suite!(ComputeStaking, crate::mock::new_test_ext(), crate::mock::Test);
}

//! The protocol parameters governance sets: their defaults, their bounds, setting them
//! (`set_params`) and at genesis, and the checks `integrity_test` makes on the runtime's
//! constants.

use crate::*;
use polkadot_sdk::{
	frame_support::{
		traits::{
			fungible::{Inspect, Mutate},
			Get,
		},
		PalletId,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{
		traits::{AccountIdConversion, Saturating, Zero},
		DispatchResult, Perbill,
	},
};

/// The parameters used when no genesis value is given: no protocol fee, 10 % of the work fee
/// to data, 5 % to the treasury, 10-block commit and reveal periods, a 20-block challenge
/// window, slashes of 10 % for a wrong result or a lost challenge and 2 % for silence, and
/// half of a lost challenge's own-stake penalty to the winner.
pub fn default_params<Balance: Default, BlockNumber: From<u32>>(
) -> ProtocolParams<Balance, BlockNumber> {
	ProtocolParams {
		protocol_fee: Balance::default(),
		data_share: Perbill::from_percent(10),
		treasury_share: Perbill::from_percent(5),
		commit_period: BlockNumber::from(10u32),
		reveal_period: BlockNumber::from(10u32),
		challenge_period: BlockNumber::from(20u32),
		wrong_result_slash: Perbill::from_percent(10),
		timeout_slash: Perbill::from_percent(2),
		challenge_slash: Perbill::from_percent(10),
		challenge_reward: Perbill::from_percent(50),
	}
}

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::set_params`]: stores `params` if they are within their bounds.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::ensure_valid_params(&params)?;
		Params::<T>::put(params.clone());
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}

	/// The body of the genesis build: stores the genesis parameters (which must be valid)
	/// and gives the escrow account the existential deposit, so that payouts never reap it.
	pub(crate) fn do_build_genesis(config: &GenesisConfig<T>) {
		assert!(
			Self::ensure_valid_params(&config.params).is_ok(),
			"invalid genesis inference parameters"
		);
		Params::<T>::put(config.params.clone());
		let account = Self::account_id();
		let missing = T::Currency::minimum_balance().saturating_sub(T::Currency::balance(&account));
		if !missing.is_zero() {
			assert!(
				T::Currency::mint_into(&account, missing).is_ok(),
				"cannot fund the inference escrow account with the existential deposit"
			);
		}
	}

	/// The body of `integrity_test`: checks that the runtime's constants make sense
	/// together (bounds that let a job be submitted, drawn, committed and revealed) and
	/// that the stored parameters are valid. Panics, as integrity tests do, when not.
	pub(crate) fn do_integrity_test() {
		assert!(
			<PalletId as AccountIdConversion<T::AccountId>>::try_into_account(&T::PalletId::get())
				.is_some(),
			"the account id is too short to hold the pallet id"
		);
		assert!(T::MaxInputLen::get() > 0, "MaxInputLen must allow an input");
		assert!(T::MaxOutputLen::get() >= 32, "MaxOutputLen must allow a small output");
		assert!(T::MaxUriLen::get() >= 16, "MaxUriLen must allow a real URI");
		assert!(
			(1..=255).contains(&T::MaxReplicas::get()),
			"MaxReplicas must be between 1 and 255"
		);
		assert!(
			(1..=T::MaxReplicas::get()).contains(&T::ChallengeReplicas::get()),
			"ChallengeReplicas must be between 1 and MaxReplicas"
		);
		assert!(T::MaxOpenJobsPerWorker::get() > 0, "workers must be able to take a job");
		assert!(T::MaxQueuedJobs::get() > 0, "the queue must hold a job");
		assert!(T::MaxQueuedPerAccount::get() > 0, "an account must be able to queue a job");
		assert!(
			T::QueueFee::get() <= T::JobDepositBase::get(),
			"the job deposit must cover the queue fee"
		);
		assert!(T::MaxAssignmentsPerBlock::get() > 0, "jobs must be assigned");
		assert!(
			!T::AssignmentDelay::get().is_zero(),
			"workers must be drawn after the submission's block"
		);
		assert!(!T::MaxPhasePeriod::get().is_zero(), "phases must last a block");
		assert!(!T::JobDepositBase::get().is_zero(), "job storage must not be free");
		assert!(!T::JobDepositPerByte::get().is_zero(), "input bytes must not be free");
		assert!(
			T::AssignmentDelay::get()
				.saturating_add(BlockNumberFor::<T>::from(2u32))
				.le(&T::MaxJobDuration::get()),
			"MaxJobDuration must leave room for a commit and a reveal block"
		);
		assert!(
			Self::ensure_valid_params(&Params::<T>::get()).is_ok(),
			"the stored parameters must be valid"
		);
	}

	/// Checks governance parameters against the bounds (see [`Error::InvalidParams`]).
	pub fn ensure_valid_params(params: &ParamsOf<T>) -> Result<(), Error<T>> {
		let max = T::MaxPhasePeriod::get();
		let one = BlockNumberFor::<T>::from(1u32);
		let periods = [params.commit_period, params.reveal_period, params.challenge_period];
		let shares = u64::from(params.data_share.deconstruct())
			.saturating_add(u64::from(params.treasury_share.deconstruct()));
		let valid = periods.iter().all(|period| *period >= one && *period <= max)
			&& params.min_job_duration(T::AssignmentDelay::get()) <= T::MaxJobDuration::get()
			&& shares <= u64::from(Perbill::one().deconstruct())
			&& params.timeout_slash <= params.wrong_result_slash;
		if valid {
			Ok(())
		} else {
			Err(Error::<T>::InvalidParams)
		}
	}
}

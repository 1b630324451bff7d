//! The protocol parameters governance sets: their defaults and their bounds.

use crate::*;
use polkadot_sdk::{
	frame_support::traits::Get, frame_system::pallet_prelude::BlockNumberFor, sp_runtime::Perbill,
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

//! The staking parameters governance sets: their defaults, setting them (`set_params`)
//! and at genesis, and the checks `integrity_test` makes on the runtime's constants.

use crate::*;
use polkadot_sdk::frame_support::pallet_prelude::{ensure, DispatchResult};

/// The governance parameters used when no genesis value is given: a worker bond of a million
/// existential deposits (1 000 DEAI with DeAI's 0.001 DEAI), a delegation minimum of ten
/// thousand (10 DEAI), a registration deposit of a hundred thousand (100 DEAI) and a
/// commission of at most 50 %.
pub fn default_params<T: Config>() -> StakingParams<BalanceOf<T>> {
	let unit = T::Currency::minimum_balance().max(1u32.into());
	StakingParams {
		min_worker_bond: unit.saturating_mul(1_000_000u32.into()),
		min_delegation: unit.saturating_mul(10_000u32.into()),
		registration_deposit: unit.saturating_mul(100_000u32.into()),
		max_commission: Perbill::from_percent(50),
	}
}

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::set_params`]: stores `params` if they are valid.
	pub(crate) fn do_set_params(params: StakingParams<BalanceOf<T>>) -> DispatchResult {
		ensure!(params.is_valid(), Error::<T>::InvalidParams);
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}

	/// The body of the genesis build: stores the genesis parameters (which must be valid)
	/// and opens the pot.
	pub(crate) fn do_build_genesis(config: &GenesisConfig<T>) {
		let params = StakingParams {
			min_worker_bond: config.min_worker_bond,
			min_delegation: config.min_delegation,
			registration_deposit: config.registration_deposit,
			max_commission: config.max_commission,
		};
		assert!(params.is_valid(), "compute staking: minimum bond and delegation must be set");
		Params::<T>::put(params);
		Self::open_pot();
	}

	/// The body of `integrity_test`: panics when the runtime's constants do not make sense,
	/// above all when stake could leave before the jobs it secured are settled.
	pub(crate) fn do_integrity_test() {
		assert!(
			T::UnbondingPeriod::get() > T::MaxJobLifetime::get(),
			"UnbondingPeriod must be longer than the longest job plus its challenge window"
		);
		assert!(!T::HeartbeatInterval::get().is_zero(), "HeartbeatInterval must be positive");
		assert!(
			T::OfflineAfter::get() > T::HeartbeatInterval::get(),
			"OfflineAfter must leave room for at least one heartbeat"
		);
		assert!(T::MaxModelsPerWorker::get() > 0, "workers must be able to serve a model");
		assert!(T::MaxMetadataLen::get() > 0, "MaxMetadataLen must allow an endpoint");
		assert!(T::MaxCapabilitiesLen::get() > 0, "MaxCapabilitiesLen must allow a class");
		assert!(T::MaxDelegationsPerPage::get() > 0, "a page must hold a delegation");
		assert!(T::MaxUnbondingChunks::get() > 0, "stake must be able to unbond");
		assert!(T::MaxWorkersPerModel::get() > 0, "a model must accept a worker");
		assert!(T::MaxOffencesKept::get() > 0, "offences must be recorded");
		assert!(
			Pallet::<T>::account_id() != T::SlashDestination::get(),
			"the slash destination must not be the delegation pot"
		);
	}
}

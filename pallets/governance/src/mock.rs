//! A test runtime: System, Balances, governance and `protocol`, a small pallet whose
//! privileged calls take governance's track origins, so that enactment tests dispatch real
//! calls with real origin checks.

use crate as pallet_governance;
use crate::{
	CurationTrack, EmergencyTrack, EnsureTrack, ParametersTrack, TrackInfo, TrackKind, TracksInfo,
	TreasuryTrack,
};
use deai_test_kit::prelude::*;
use polkadot_sdk::frame_support::{
	self,
	traits::{ConstU64, EitherOfDiverse},
	weights::Weight,
};

/// A stand-in for the DeAI pallets: a protocol parameter owned by the Parameters track, a
/// model ban owned by the Curation track, a call that always fails and a call too heavy for
/// governance.
#[frame_support::pallet]
pub mod protocol {
	use polkadot_sdk::{frame_support::pallet_prelude::*, frame_system::pallet_prelude::*};

	/// Its configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// Who may set the fee.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who may ban models.
		type CurationOrigin: EnsureOrigin<Self::RuntimeOrigin>;
	}

	/// The pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// A protocol parameter.
	#[pallet::storage]
	pub type Fee<T> = StorageValue<_, u32, ValueQuery>;

	/// Banned models.
	#[pallet::storage]
	pub type Banned<T> = StorageMap<_, Twox64Concat, u32, (), OptionQuery>;

	/// Its errors.
	#[pallet::error]
	pub enum Error<T> {
		/// Always returned by `fail`.
		Refused,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the fee (Parameters track).
		#[pallet::call_index(0)]
		#[pallet::weight(Weight::from_parts(10_000, 0))]
		pub fn set_fee(origin: OriginFor<T>, fee: u32) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Fee::<T>::put(fee);
			Ok(())
		}

		/// Bans a model (Curation track).
		#[pallet::call_index(1)]
		#[pallet::weight(Weight::from_parts(10_000, 0))]
		pub fn ban(origin: OriginFor<T>, model: u32) -> DispatchResult {
			T::CurationOrigin::ensure_origin(origin)?;
			Banned::<T>::insert(model, ());
			Ok(())
		}

		/// Writes the fee, then fails: the write must be reverted.
		#[pallet::call_index(2)]
		#[pallet::weight(Weight::from_parts(10_000, 0))]
		pub fn fail(origin: OriginFor<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Fee::<T>::put(999);
			Err(Error::<T>::Refused.into())
		}

		/// Weighs more than governance's `MaxCallWeight`.
		#[pallet::call_index(3)]
		#[pallet::weight(Weight::from_parts(u64::MAX / 2, 0))]
		pub fn heavy(origin: OriginFor<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Ok(())
		}
	}
}

deai_test_kit::mock_runtime! {
	runtime: Test,
	account: u64,
	balance: u64,
	existential_deposit: polkadot_sdk::frame_support::traits::ConstU64<1>,
	freeze_identifier: RuntimeFreezeReason,
	max_freezes: ConstU32<4>,
	pallets: { Governance: pallet_governance, Protocol: protocol },
}

impl protocol::Config for Test {
	type ParamsOrigin = EnsureTrack<ParametersTrack>;
	type CurationOrigin = EnsureTrack<CurationTrack>;
}

/// The test tracks. The Runtime track is the strictest, as `integrity_test` requires.
pub struct TestTracks;
impl TracksInfo<u64, u64> for TestTracks {
	fn info(track: TrackKind) -> TrackInfo<u64, u64> {
		let (deposit, voting_period, enactment_delay, turnout, approval) = match track {
			TrackKind::Parameters => (100, 10, 2, 15, 50),
			TrackKind::Curation => (50, 5, 1, 15, 50),
			TrackKind::Treasury => (100, 10, 2, 15, 60),
			TrackKind::Runtime => (200, 20, 5, 20, 66),
			TrackKind::Emergency => (300, 1, 0, 20, 66),
		};
		TrackInfo {
			deposit,
			voting_period,
			enactment_delay,
			min_turnout: Perbill::from_percent(turnout),
			approval: Perbill::from_percent(approval),
		}
	}
}

/// The governance call weight limit of the tests.
pub const CALL_WEIGHT_LIMIT: Weight = Weight::from_parts(50_000_000_000, 5_000_000);

parameter_types! {
	/// The treasury's pallet id.
	pub const GovernancePalletId: PalletId = PalletId(*b"deai/gov");
	/// One vote counts at most 10 % of the issuance toward turnout.
	pub const MaxTurnoutPerVoter: Perbill = Perbill::from_percent(10);
	/// The heaviest call a proposal may carry; tests lower it to make stored calls too heavy.
	pub static MaxCallWeight: Weight = CALL_WEIGHT_LIMIT;
}

impl pallet_governance::Config for Test {
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Tracks = TestTracks;
	type TreasuryOrigin = EitherOfDiverse<EnsureRoot<u64>, EnsureTrack<TreasuryTrack>>;
	type PalletId = GovernancePalletId;
	type MaxCallLen = ConstU32<128>;
	type MaxCallWeight = MaxCallWeight;
	type MaxTitleLen = ConstU32<32>;
	type MaxLiveProposals = ConstU32<4>;
	type MaxLivePerTrack = ConstU32<3>;
	type MaxLivePerProposer = ConstU32<3>;
	type CancelOrigin = EitherOfDiverse<EnsureRoot<u64>, EnsureTrack<EmergencyTrack>>;
	type MaxVotesPerAccount = ConstU32<3>;
	type VoteLockingPeriod = ConstU64<10>;
	type MaxTurnoutPerVoter = MaxTurnoutPerVoter;
	type MaxGrant = ConstU64<2_000>;
	type ProposalRetention = ConstU64<20>;
	type MaxOpenGrants = ConstU32<2>;
	type WeightInfo = ();
}

/// Five holders of 1 000 tokens each.
pub const ALICE: u64 = 1;
/// A second holder.
pub const BOB: u64 = 2;
/// A third holder.
pub const CHARLIE: u64 = 3;
/// A fourth holder.
pub const DAVE: u64 = 4;
/// A fifth holder.
pub const EVE: u64 = 5;
/// A holder of 5 000 tokens: half of the issuance.
pub const WHALE: u64 = 6;
/// An account without funds.
pub const NOBODY: u64 = 99;
/// The balance of each small holder.
pub const HOLDER: u64 = 1_000;
/// The balance of the whale.
pub const WHALE_BALANCE: u64 = 5_000;

/// Builds test externalities.
pub struct ExtBuilder;

impl ExtBuilder {
	/// The externalities, at block 1. The total issuance is 10 001: the holders, the whale
	/// and the treasury's existential deposit.
	pub fn build(self) -> TestExternalities {
		let mut storage = deai_test_kit::genesis::<Test>(alloc::vec![
			(ALICE, HOLDER),
			(BOB, HOLDER),
			(CHARLIE, HOLDER),
			(DAVE, HOLDER),
			(EVE, HOLDER),
			(WHALE, WHALE_BALANCE),
		]);
		pallet_governance::GenesisConfig::<Test>::default()
			.assimilate_storage(&mut storage)
			.unwrap();

		MaxCallWeight::set(CALL_WEIGHT_LIMIT);
		deai_test_kit::externalities::<Test>(storage)
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		deai_test_kit::execute_and_check(self.build(), test, Governance::do_try_state);
	}
}

/// Default externalities (for the benchmark tests).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> TestExternalities {
	ExtBuilder.build()
}

//! XCM: how DeAI executes and sends cross-consensus messages (`pallet_xcm`,
//! `cumulus_pallet_xcm` and the XCM executor's configuration).
//!
//! DeAI's own token (DEAI, at location `Here`) is the only asset it transacts. It pays for
//! execution in DEAI, accepts reserve transfers of DEAI back from chains that hold it, and
//! disables teleports. The relay chain and its executive body execute for free.

use crate::{
	AccountId, AllPalletsWithSystem, Balances, ParachainInfo, ParachainSystem, PolkadotXcm,
	Runtime, RuntimeCall, RuntimeOrigin, WeightToFee, XcmpQueue,
};
use polkadot_sdk::{
	cumulus_pallet_xcm,
	cumulus_primitives_core::AggregateMessageOrigin,
	cumulus_primitives_utility::ParentAsUmp,
	frame_support::{
		parameter_types,
		traits::{ConstU32, Contains, Everything, Nothing},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	pallet_xcm::{self, XcmPassthrough},
	polkadot_parachain_primitives::primitives::Sibling,
	polkadot_runtime_common::{impls::ToAuthor, xcm_sender::NoPriceForMessageDelivery},
	polkadot_sdk_frame::traits::Disabled,
	staging_xcm::latest::prelude::*,
	staging_xcm_builder::{
		AccountId32Aliases, AllowExplicitUnpaidExecutionFrom, AllowTopLevelPaidExecutionFrom,
		DenyRecursively, DenyReserveTransferToRelayChain, DenyThenTry, EnsureXcmOrigin,
		FixedWeightBounds, FrameTransactionalProcessor, FungibleAdapter, IsConcrete, NativeAsset,
		ParentIsPreset, ProcessXcmMessage, RelayChainAsNative, SiblingParachainAsNative,
		SiblingParachainConvertsVia, SignedAccountId32AsNative, SignedToAccountId32,
		SovereignSignedViaLocation, TakeWeightCredit, TrailingSetTopicAsId, UsingComponents,
		WithComputedOrigin, WithUniqueTopic,
	},
	staging_xcm_executor::XcmExecutor,
};

parameter_types! {
	/// The relay chain, seen from DeAI.
	pub const RelayLocation: Location = Location::parent();
	/// DeAI's own token, seen from DeAI.
	pub const HereLocation: Location = Location::here();
	/// The relay network is left open so the same runtime serves local and live relays.
	pub const RelayNetwork: Option<NetworkId> = None;
	/// The origin of messages from the relay chain.
	pub RelayChainOrigin: RuntimeOrigin = cumulus_pallet_xcm::Origin::Relay.into();
	/// DeAI's place in the consensus universe.
	pub UniversalLocation: InteriorLocation = Parachain(ParachainInfo::parachain_id().into()).into();
	/// The weight of one XCM instruction until the XCM benchmarks are run for this runtime.
	pub UnitWeightCost: Weight = Weight::from_parts(1_000_000_000, 64 * 1024);
	/// The most instructions one message may contain.
	pub const MaxInstructions: u32 = 100;
	/// The most assets the executor's holding register may contain.
	pub const MaxAssetsIntoHolding: u32 = 64;
}

/// How an XCM location becomes a local account.
pub type LocationToAccountId = (
	// The relay chain has the "parent" account.
	ParentIsPreset<AccountId>,
	// Sibling parachains have sovereign accounts derived from their para id.
	SiblingParachainConvertsVia<Sibling, AccountId>,
	// Local 32-byte accounts are themselves.
	AccountId32Aliases<RelayNetwork, AccountId>,
);

/// Moves DEAI in and out of accounts when XCM asks.
pub type LocalAssetTransactor =
	FungibleAdapter<Balances, IsConcrete<HereLocation>, LocationToAccountId, AccountId, ()>;

/// How an XCM origin becomes a local dispatch origin for `Transact`.
pub type XcmOriginToTransactDispatchOrigin = (
	SovereignSignedViaLocation<LocationToAccountId, RuntimeOrigin>,
	RelayChainAsNative<RelayChainOrigin, RuntimeOrigin>,
	SiblingParachainAsNative<cumulus_pallet_xcm::Origin, RuntimeOrigin>,
	SignedAccountId32AsNative<RelayNetwork, RuntimeOrigin>,
	XcmPassthrough<RuntimeOrigin>,
);

/// The relay chain and its executive body.
pub struct ParentOrParentsExecutivePlurality;
impl Contains<Location> for ParentOrParentsExecutivePlurality {
	fn contains(location: &Location) -> bool {
		matches!(location.unpack(), (1, []) | (1, [Plurality { id: BodyId::Executive, .. }]))
	}
}

/// Which messages may execute: paid ones from anyone, free ones from the relay chain.
pub type Barrier = TrailingSetTopicAsId<
	DenyThenTry<
		DenyRecursively<DenyReserveTransferToRelayChain>,
		(
			TakeWeightCredit,
			WithComputedOrigin<
				(
					AllowTopLevelPaidExecutionFrom<Everything>,
					AllowExplicitUnpaidExecutionFrom<ParentOrParentsExecutivePlurality>,
				),
				UniversalLocation,
				ConstU32<8>,
			>,
		),
	>,
>;

/// The weigher of XCM programs.
pub type XcmWeigher = FixedWeightBounds<UnitWeightCost, RuntimeCall, MaxInstructions>;

/// The XCM executor's configuration.
pub struct XcmConfig;
impl polkadot_sdk::staging_xcm_executor::Config for XcmConfig {
	type RuntimeCall = RuntimeCall;
	type XcmSender = XcmRouter;
	type XcmEventEmitter = PolkadotXcm;
	type AssetTransactor = LocalAssetTransactor;
	type OriginConverter = XcmOriginToTransactDispatchOrigin;
	type IsReserve = NativeAsset;
	/// Teleports are disabled.
	type IsTeleporter = ();
	type UniversalLocation = UniversalLocation;
	type Barrier = Barrier;
	type Weigher = XcmWeigher;
	/// Execution is paid in DEAI at the transaction fee rate; fees go to the block author.
	type Trader =
		UsingComponents<WeightToFee, HereLocation, AccountId, Balances, ToAuthor<Runtime>>;
	type ResponseHandler = PolkadotXcm;
	type AssetTrap = PolkadotXcm;
	type SubscriptionService = PolkadotXcm;
	type PalletInstancesInfo = AllPalletsWithSystem;
	type MaxAssetsIntoHolding = MaxAssetsIntoHolding;
	type AssetLocker = ();
	type AssetExchanger = ();
	type FeeManager = ();
	type MessageExporter = ();
	type UniversalAliases = Nothing;
	type CallDispatcher = RuntimeCall;
	type SafeCallFilter = Everything;
	type Aliasers = Nothing;
	type TransactionalProcessor = FrameTransactionalProcessor;
	type HrmpNewChannelOpenRequestHandler = ();
	type HrmpChannelAcceptedHandler = ();
	type HrmpChannelClosingHandler = ();
	type XcmRecorder = PolkadotXcm;
}

/// Executes queued XCM messages (used by the message queue).
pub type MessageProcessor =
	ProcessXcmMessage<AggregateMessageOrigin, XcmExecutor<XcmConfig>, RuntimeCall>;

/// A local signed origin as an XCM location.
pub type LocalOriginToLocation = SignedToAccountId32<RuntimeOrigin, AccountId, RelayNetwork>;

/// Routes outgoing messages: upward to the relay chain, horizontally to siblings.
pub type XcmRouter = WithUniqueTopic<(
	ParentAsUmp<ParachainSystem, PolkadotXcm, NoPriceForMessageDelivery<()>>,
	XcmpQueue,
)>;

impl pallet_xcm::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type SendXcmOrigin = EnsureXcmOrigin<RuntimeOrigin, LocalOriginToLocation>;
	type XcmRouter = XcmRouter;
	type ExecuteXcmOrigin = EnsureXcmOrigin<RuntimeOrigin, LocalOriginToLocation>;
	/// Arbitrary XCM execution from accounts is disabled.
	type XcmExecuteFilter = Nothing;
	type XcmExecutor = XcmExecutor<XcmConfig>;
	/// Teleports are disabled.
	type XcmTeleportFilter = Nothing;
	/// Reserve transfers of DEAI out are allowed.
	type XcmReserveTransferFilter = Everything;
	type Weigher = XcmWeigher;
	type UniversalLocation = UniversalLocation;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	const VERSION_DISCOVERY_QUEUE_SIZE: u32 = 100;
	type AdvertisedXcmVersion = pallet_xcm::CurrentXcmVersion;
	type Currency = Balances;
	type CurrencyMatcher = ();
	type TrustedLockers = ();
	type SovereignAccountOf = LocationToAccountId;
	type MaxLockers = ConstU32<8>;
	/// Until this runtime's XCM benchmarks are run, pallet-xcm's conservative test weights.
	type WeightInfo = pallet_xcm::TestWeightInfo;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxRemoteLockConsumers = ConstU32<0>;
	type RemoteLockConsumerIdentifier = ();
	/// Aliasing is disabled (the executor's `Aliasers` is `Nothing`).
	type AuthorizedAliasConsideration = Disabled;
}

impl cumulus_pallet_xcm::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type XcmExecutor = XcmExecutor<XcmConfig>;
}

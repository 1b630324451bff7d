//! `pallet_transaction_payment`: transaction fees.
//!
//! Fee = weight fee ([`crate::WeightToFee`]) + length fee (1 micro-DEAI per byte), times a
//! multiplier that rises slowly when blocks are more than a quarter full. Fees and tips go
//! to the collators' pot (`collator-selection`), which pays the block authors.

use crate::{Balance, Balances, Runtime, WeightToFee, MICRO_DEAI};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU8, weights::ConstantMultiplier},
	pallet_transaction_payment, parachains_common,
	polkadot_runtime_common::SlowAdjustingFeeUpdate,
};

parameter_types! {
	/// The fee per byte of an encoded transaction.
	pub const TransactionByteFee: Balance = MICRO_DEAI;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<
		Balances,
		parachains_common::impls::DealWithFees<Runtime>,
	>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

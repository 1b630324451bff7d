//! # DeAI primitives
//!
//! The `no_std` types that the DeAI runtime, its pallets, the node and the off-chain
//! worker share, so that they can never disagree on what an account, a balance or a
//! block number is.
//!
//! - [`AccountId`], [`Balance`], [`BlockNumber`], [`Nonce`], [`Hash`], [`Signature`]: the
//!   basic chain types.
//! - [`currency`]: the DEAI token's units (12 decimals).
//! - [`time`]: block-time constants used to express periods in blocks.
//! - [`model`]: model ids and the output specification workers canonicalize results with.
//! - [`data`]: dataset ids and the traits the data-rewards pallet offers other pallets.
//! - [`staking`]: the traits between the compute-staking and inference pallets.
//! - [`inference`]: job ids and the types of attested results.
//! - `funds` (with `frame`): holds that never take funds a vote lock needs.
//! - `canonical` (with `std`): the canonical output bytes workers hash, per output spec.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "std")]
pub mod canonical;
pub mod data;
#[cfg(feature = "frame")]
pub mod funds;
pub mod inference;
pub mod model;
pub mod staking;

use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{
		traits::{IdentifyAccount, Verify},
		MultiSignature,
	},
};

/// The signature scheme of transactions: sr25519, ed25519 or ecdsa, chosen by the signer.
pub type Signature = MultiSignature;

/// An account on the chain: the 32-byte public key (or its hash) of the transaction signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An amount of DEAI in its smallest unit (10^-12 DEAI).
pub type Balance = u128;

/// A block height.
pub type BlockNumber = u32;

/// The number of transactions an account has sent (its replay-protection counter).
pub type Nonce = u32;

/// The hash of a block, of a storage trie, or of any content the chain refers to.
pub type Hash = H256;

/// The DEAI token: symbol, decimals and convenient units.
pub mod currency {
	use super::Balance;

	/// The token symbol shown by wallets.
	pub const TOKEN_SYMBOL: &str = "DEAI";
	/// The number of decimals of one DEAI.
	pub const TOKEN_DECIMALS: u8 = 12;
	/// The SS58 address format of the chain (42: the generic Substrate prefix).
	pub const SS58_FORMAT: u16 = 42;

	/// One DEAI, in the smallest unit.
	pub const DEAI: Balance = 1_000_000_000_000;
	/// One thousandth of a DEAI.
	pub const MILLI_DEAI: Balance = 1_000_000_000;
	/// One millionth of a DEAI.
	pub const MICRO_DEAI: Balance = 1_000_000;

	/// The existential deposit: the smallest balance an account may hold (0.001 DEAI).
	///
	/// Accounts below it are reaped, which keeps dust accounts from bloating state.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_DEAI;
}

/// Block-time constants, to express durations in blocks.
pub mod time {
	use super::BlockNumber;

	/// The target time between two parachain blocks, in milliseconds (async backing: 6 s).
	pub const MILLISECS_PER_BLOCK: u64 = 6_000;
	/// The Aura slot duration; equal to the block time.
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

	/// Blocks in one minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks in one hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks in one day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::{currency::*, time::*};

	const _: () = assert!(EXISTENTIAL_DEPOSIT > 0 && EXISTENTIAL_DEPOSIT < DEAI);

	#[test]
	fn units_are_consistent() {
		assert_eq!(DEAI, 10u128.pow(TOKEN_DECIMALS as u32));
		assert_eq!(MILLI_DEAI * 1_000, DEAI);
		assert_eq!(MICRO_DEAI * 1_000, MILLI_DEAI);
	}

	#[test]
	fn time_constants_match_the_block_time() {
		assert_eq!(MINUTES, 10);
		assert_eq!(HOURS, 600);
		assert_eq!(DAYS, 14_400);
	}
}

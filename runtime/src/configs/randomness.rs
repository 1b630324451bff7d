//! `pallet_insecure_randomness_collective_flip`: a hash of the last 81 block hashes, the
//! randomness the inference pallet draws workers from.
//!
//! Each block author knows the next value one block ahead and can bias it by choosing or
//! withholding its block; the inference pallet's `AssignmentDelay` keeps submitters from
//! knowing it, but not a colluding collator. Fit for the development chain; the relay
//! chain's BABE randomness is the planned source on a relay-connected chain (see
//! [`super::inference`]).

use crate::Runtime;
use polkadot_sdk::pallet_insecure_randomness_collective_flip;

impl pallet_insecure_randomness_collective_flip::Config for Runtime {}

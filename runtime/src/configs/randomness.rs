//! The randomness the inference pallet draws workers from.
//!
//! - **Relay-connected chain:** the relay chain's BABE VRF output of the relay parent
//!   (`AuthorVrfRandomness`, the well-known `CURRENT_BLOCK_RANDOMNESS` key), which the
//!   collator puts in every block's relay-chain state proof. [`NoteRelayRandomness`] reads
//!   it from the verified proof when the parachain-system inherent is applied and keeps it
//!   in [`RelayRandomness`] with the relay block it belongs to and the parachain block in
//!   which that relay block was first seen. Nobody knows a VRF output before its relay
//!   block is authored.
//! - **Development chain** (`--dev`, whose mocked relay proof has no such key):
//!   `pallet_insecure_randomness_collective_flip`, a hash of the last 81 block hashes. Each
//!   block author knows it one block ahead and can bias it by choosing or withholding its
//!   block: fit for development, not for value.
//!
//! [`AssignmentRandomness`] answers the inference pallet with the relay value once one has
//! been seen, and with collective flip before that. The block number it returns says since
//! when the value could be known: the inference pallet draws a job only with a value that
//! became known after the job was queued (see `pallet_inference`'s Randomness section), so
//! a submitter can never know its draw. Because blocks may share a relay parent (async
//! backing), that is the parachain block in which the relay parent first appeared, not the
//! block that reads it: a job queued in a block with relay parent `r` waits for a block built
//! on a newer relay parent.
//!
//! What is left to a collator: it chooses the relay parent of its block among the few
//! recent relay blocks async backing allows (or withholds its block), so a collator that
//! colludes with a submitter gets a few re-rolls of a draw, never a chosen outcome, and only
//! if it authors the block after the submission. Epoch randomness
//! (`ONE_EPOCH_AGO_RANDOMNESS`) is not used: it is known an epoch ahead.

use crate::{BlockNumber, Hash, RandomnessCollectiveFlip, Runtime};
use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::{
	cumulus_pallet_parachain_system::{
		self, relay_state_snapshot::RelayChainStateProof, OnSystemEvent,
	},
	cumulus_primitives_core::{relay_chain, PersistedValidationData},
	frame_support::{
		pallet_prelude::OptionQuery, storage_alias, traits::Randomness, weights::Weight,
	},
	frame_system, pallet_insecure_randomness_collective_flip,
	sp_io::hashing::blake2_256,
};
use scale_info::TypeInfo;

impl pallet_insecure_randomness_collective_flip::Config for Runtime {}

/// The newest relay-chain randomness this chain has seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct RelayRandomnessRecord {
	/// The relay block whose VRF output this is (a relay parent of this chain).
	pub relay_number: relay_chain::BlockNumber,
	/// The relay block's BABE VRF output.
	pub randomness: [u8; 32],
	/// The parachain block in which this relay block was first a relay parent: the value was
	/// public no earlier than that block's relay parent, which is newer than the relay parent
	/// of every earlier block.
	pub first_seen: BlockNumber,
}

/// The newest relay-chain randomness, written by [`NoteRelayRandomness`] each block whose
/// relay proof carries a newer one (absent on the development chain).
#[storage_alias]
pub type RelayRandomness = StorageValue<DeaiRandomness, RelayRandomnessRecord, OptionQuery>;

/// The domain of the relay-derived values, so that they never equal another use of the same
/// VRF output.
const RELAY_SUBJECT: &[u8] = b"deai/relay-randomness";

/// Keeps the relay parent's VRF output from each block's verified relay-chain state proof.
pub struct NoteRelayRandomness;

impl NoteRelayRandomness {
	/// Records `randomness` of relay block `relay_number`, seen in parachain block `now`. A
	/// relay block already recorded keeps the block it was first seen in; an older relay
	/// block (never the case: relay parents do not go back) is ignored.
	pub fn note(relay_number: relay_chain::BlockNumber, randomness: [u8; 32], now: BlockNumber) {
		let newer = RelayRandomness::get().is_none_or(|known| relay_number > known.relay_number);
		if newer {
			RelayRandomness::put(RelayRandomnessRecord {
				relay_number,
				randomness,
				first_seen: now,
			});
		}
	}
}

impl OnSystemEvent for NoteRelayRandomness {
	fn on_validation_data(_data: &PersistedValidationData) {}

	fn on_validation_code_applied() {}

	fn on_relay_state_proof(proof: &RelayChainStateProof) -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		// `AuthorVrfRandomness` is an `Option`: none for a relay block without a VRF
		// output, and a proof without the key (a mocked relay chain) has nothing either.
		let read = proof
			.read_optional_entry::<Option<[u8; 32]>>(
				relay_chain::well_known_keys::CURRENT_BLOCK_RANDOMNESS,
			)
			.ok()
			.flatten()
			.flatten();
		let Some(randomness) = read else { return Weight::zero() };
		// Set by the same inherent just before this hook.
		let Some(validation) = cumulus_pallet_parachain_system::ValidationData::<Runtime>::get()
		else {
			return db.reads(1);
		};
		Self::note(
			validation.relay_parent_number,
			randomness,
			frame_system::Pallet::<Runtime>::block_number(),
		);
		db.reads_writes(2, 1)
	}
}

/// The inference pallet's randomness: derived from the newest relay-chain VRF output, or
/// collective flip on a chain that has never seen one (the development chain).
pub struct AssignmentRandomness;

impl Randomness<Hash, BlockNumber> for AssignmentRandomness {
	/// `blake2_256(SCALE("deai/relay-randomness", vrf_output, relay_number, subject))`,
	/// known since the block in which its relay parent first appeared; on the development
	/// chain collective flip's value, whose newest material (the parent's hash) is known
	/// since the parent block. (Collective flip itself answers 81 blocks back, its oldest
	/// material, which would hold every job for 81 blocks on a chain whose randomness is
	/// insecure anyway.)
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		match RelayRandomness::get() {
			Some(record) => {
				let value = (RELAY_SUBJECT, record.randomness, record.relay_number, subject);
				(Hash::from(blake2_256(&value.encode())), record.first_seen)
			},
			None => {
				let (value, _) = RandomnessCollectiveFlip::random(subject);
				let now = frame_system::Pallet::<Runtime>::block_number();
				(value, now.saturating_sub(1))
			},
		}
	}
}

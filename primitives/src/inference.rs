//! Inference jobs: their ids and the types the inference pallet, the worker and third-party
//! verifiers share.
//!
//! - [`Verification`]: how a job's result is verified (quorum or optimistic), chosen by the
//!   submitter.
//! - [`commitment`]: what a worker commits before revealing its output, so that no worker can
//!   copy another's answer.
//! - [`AttestedResult`]: what a worker signs with its attestation key when it reveals, and
//!   [`AttestationReceipt`]: what the chain keeps of it, so that anyone can check later, off
//!   chain, who attested what.
//!
//! # Signing context
//!
//! The attestation key signs `ATTESTATION_CONTEXT ++ SCALE(AttestedResult)`, never the bare
//! encoding: the [`ATTESTATION_CONTEXT`] prefix is a domain separator that no transaction,
//! no other DeAI message and no other protocol starts with, so a signature over a result
//! can never be replayed as a signature over anything else (and vice versa). The payload
//! itself names the job, the model's artifact, the input, the output and the worker, so the
//! signature cannot be replayed for another job, input or worker either. It starts with
//! the genesis hash of the chain the job is on, so a receipt from one DeAI chain (a testnet,
//! a fork, another deployment with the same job ids) never verifies for another.

use crate::model::ArtifactHash;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::sr25519,
	sp_runtime::traits::{BlakeTwo256, Hash, Verify},
};
use scale_info::TypeInfo;

/// The id of an inference job. Ids are never reused.
pub type JobId = u64;

/// The blake2-256 hash of a job's input bytes (for an input given by reference, the hash
/// the submitter declared).
pub type InputHash = [u8; 32];

/// The blake2-256 hash of a result's canonical output bytes (see
/// [`crate::model::OutputSpec`]): what quorums compare.
pub type OutputHash = [u8; 32];

/// The secret a worker mixes into its commitment, chosen at random for every job.
pub type Salt = [u8; 32];

/// A worker's commitment to its output: see [`commitment`].
pub type Commitment = [u8; 32];

/// A signature by a worker's attestation key (sr25519).
pub type AttestationSignature = sr25519::Signature;

/// The public attestation key of a worker (sr25519), as registered in compute staking.
pub type AttestationPublic = sr25519::Public;

/// The domain separator an attestation signature covers before the SCALE encoding of the
/// [`AttestedResult`]. Versioned: a new payload layout gets a new context.
pub const ATTESTATION_CONTEXT: &[u8] = b"deai:attested-result:v2:";

/// The hash of a chain's genesis block: names the chain a result was attested for.
pub type GenesisHash = [u8; 32];

/// How a job's result is verified, chosen by its submitter.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Verification {
	/// `replicas` workers run the job, commit, then reveal; an output hash revealed by at
	/// least `threshold` of them wins. `threshold` must be a strict majority of `replicas`,
	/// so that at most one output can win.
	Quorum {
		/// How many workers run the job.
		replicas: u8,
		/// How many identical output hashes make a result.
		threshold: u8,
	},
	/// One worker runs the job; its result is final after a challenge window unless another
	/// worker challenges it, which triggers a quorum re-execution.
	Optimistic,
}

impl Verification {
	/// How many workers the job's first round draws.
	pub fn replicas(&self) -> u8 {
		match *self {
			Verification::Quorum { replicas, .. } => replicas,
			Verification::Optimistic => 1,
		}
	}

	/// How many identical output hashes the first round needs.
	pub fn threshold(&self) -> u8 {
		match *self {
			Verification::Quorum { threshold, .. } => threshold,
			Verification::Optimistic => 1,
		}
	}

	/// Whether the parameters make sense: at least one replica, at most `max_replicas`, and a
	/// threshold that is a strict majority of the replicas and at most all of them.
	pub fn is_valid(&self, max_replicas: u32) -> bool {
		match *self {
			Verification::Quorum { replicas, threshold } => {
				let (replicas, threshold) = (u32::from(replicas), u32::from(threshold));
				replicas >= 1
					&& replicas <= max_replicas
					&& threshold <= replicas
					&& threshold.saturating_mul(2) > replicas
			},
			Verification::Optimistic => max_replicas >= 1,
		}
	}
}

/// The smallest strict majority of `replicas`: `replicas / 2 + 1`.
pub fn majority(replicas: u8) -> u8 {
	(replicas / 2).saturating_add(1)
}

/// The blake2-256 hash of `bytes`.
pub fn blake2_256(bytes: &[u8]) -> [u8; 32] {
	BlakeTwo256::hash(bytes).0
}

/// The blake2-256 hash of canonical output (or input) bytes: what [`OutputHash`] and
/// [`InputHash`] are.
pub fn content_hash(bytes: &[u8]) -> [u8; 32] {
	blake2_256(bytes)
}

/// The output a worker reveals when the job's input cannot be answered: a reference that
/// cannot be fetched or does not match its hash, or bytes the model does not accept (e.g.
/// invalid UTF-8 for a text model). The quorum decides on it like on any output: when it
/// wins, the workers that said so are paid, nobody is slashed for it, and the job is
/// settled as [unanswerable](UNANSWERABLE_OUTPUT) instead of failing.
pub const UNANSWERABLE_OUTPUT: &[u8] = b"deai:unanswerable-input:v1";

/// The output hash of [`UNANSWERABLE_OUTPUT`].
pub fn unanswerable_hash() -> OutputHash {
	content_hash(UNANSWERABLE_OUTPUT)
}

/// The commitment a worker submits before revealing:
/// `blake2_256(SCALE(job_id, worker, output_hash, salt))`.
///
/// It names the worker, so a worker that copies another's commitment cannot reveal against
/// it; it names the job, so a commitment (or reveal) cannot be replayed for another job; the
/// salt keeps the output hash secret until the reveal even for outputs that can be guessed.
pub fn commitment<AccountId: Encode>(
	job_id: JobId,
	worker: &AccountId,
	output_hash: &OutputHash,
	salt: &Salt,
) -> Commitment {
	blake2_256(&(job_id, worker, output_hash, salt).encode())
}

/// What a worker attests when it reveals a result: that running the model with artifact
/// `model_hash` on the input with hash `input_hash` for job `job_id` gave the canonical
/// output with hash `output_hash`. Signed by the worker's attestation key over
/// [`AttestedResult::signing_payload`].
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct AttestedResult<AccountId> {
	/// The chain the job is on (its genesis hash).
	pub genesis_hash: GenesisHash,
	/// The job.
	pub job_id: JobId,
	/// The blake2-256 hash of the model's artifact the worker ran.
	pub model_hash: ArtifactHash,
	/// The blake2-256 hash of the job's input.
	pub input_hash: InputHash,
	/// The blake2-256 hash of the canonical output.
	pub output_hash: OutputHash,
	/// The worker's account.
	pub worker: AccountId,
}

impl<AccountId: Encode> AttestedResult<AccountId> {
	/// The bytes the attestation key signs: [`ATTESTATION_CONTEXT`] followed by the SCALE
	/// encoding of `self`.
	pub fn signing_payload(&self) -> Vec<u8> {
		let mut payload = ATTESTATION_CONTEXT.to_vec();
		self.encode_to(&mut payload);
		payload
	}

	/// Whether `signature` is `key`'s signature of this result.
	pub fn verify(&self, signature: &AttestationSignature, key: &AttestationPublic) -> bool {
		signature.verify(self.signing_payload().as_slice(), key)
	}
}

/// What the chain keeps of one revealed result: with the chain's genesis hash and the job's
/// id, model hash and input hash it is everything a third party needs to rebuild the
/// [`AttestedResult`] and check the signature off chain.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct AttestationReceipt<AccountId> {
	/// The worker that revealed the result.
	pub worker: AccountId,
	/// The attestation key the worker had registered when it revealed (keys may rotate).
	pub key: AttestationPublic,
	/// The hash of the canonical output it revealed.
	pub output_hash: OutputHash,
	/// Its signature over the [`AttestedResult`].
	pub signature: AttestationSignature,
}

impl<AccountId: Clone + Encode> AttestationReceipt<AccountId> {
	/// The result this receipt attests, for job `job_id` of the chain `genesis_hash` on the
	/// model artifact `model_hash` and the input `input_hash`.
	pub fn attested_result(
		&self,
		genesis_hash: GenesisHash,
		job_id: JobId,
		model_hash: ArtifactHash,
		input_hash: InputHash,
	) -> AttestedResult<AccountId> {
		AttestedResult {
			genesis_hash,
			job_id,
			model_hash,
			input_hash,
			output_hash: self.output_hash,
			worker: self.worker.clone(),
		}
	}

	/// Whether the receipt's signature is valid for that chain, job, model and input.
	pub fn verify(
		&self,
		genesis_hash: GenesisHash,
		job_id: JobId,
		model_hash: ArtifactHash,
		input_hash: InputHash,
	) -> bool {
		self.attested_result(genesis_hash, job_id, model_hash, input_hash)
			.verify(&self.signature, &self.key)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_core::Pair;

	fn result(job_id: JobId, worker: u64) -> AttestedResult<u64> {
		AttestedResult {
			genesis_hash: [0x6e; 32],
			job_id,
			model_hash: [1; 32],
			input_hash: [2; 32],
			output_hash: [3; 32],
			worker,
		}
	}

	#[test]
	fn verification_parameters() {
		assert!(Verification::Quorum { replicas: 3, threshold: 2 }.is_valid(5));
		assert!(Verification::Quorum { replicas: 1, threshold: 1 }.is_valid(5));
		assert!(Verification::Quorum { replicas: 5, threshold: 5 }.is_valid(5));
		// Not a majority: two outputs could both win.
		assert!(!Verification::Quorum { replicas: 4, threshold: 2 }.is_valid(5));
		assert!(!Verification::Quorum { replicas: 3, threshold: 4 }.is_valid(5));
		assert!(!Verification::Quorum { replicas: 0, threshold: 0 }.is_valid(5));
		assert!(!Verification::Quorum { replicas: 6, threshold: 4 }.is_valid(5));
		assert!(Verification::Optimistic.is_valid(1));
		assert_eq!(Verification::Optimistic.replicas(), 1);
		assert_eq!(Verification::Quorum { replicas: 3, threshold: 2 }.threshold(), 2);
		assert_eq!(majority(3), 2);
		assert_eq!(majority(4), 3);
		assert_eq!(majority(1), 1);
	}

	#[test]
	fn encodings_are_stable() {
		// The worker and the chain exchange these encodings; changing them breaks both.
		assert_eq!(Verification::Quorum { replicas: 3, threshold: 2 }.encode(), vec![0, 3, 2]);
		assert_eq!(Verification::Optimistic.encode(), vec![1]);
		let payload = result(7, 9).signing_payload();
		assert!(payload.starts_with(ATTESTATION_CONTEXT));
		assert_eq!(payload.len(), ATTESTATION_CONTEXT.len() + 32 + 8 + 32 * 3 + 8);
	}

	#[test]
	fn commitment_binds_job_worker_output_and_salt() {
		let base = commitment(1, &10u64, &[3; 32], &[4; 32]);
		assert_eq!(base, blake2_256(&(1u64, 10u64, [3u8; 32], [4u8; 32]).encode()));
		assert_ne!(base, commitment(2, &10u64, &[3; 32], &[4; 32]));
		assert_ne!(base, commitment(1, &11u64, &[3; 32], &[4; 32]));
		assert_ne!(base, commitment(1, &10u64, &[5; 32], &[4; 32]));
		assert_ne!(base, commitment(1, &10u64, &[3; 32], &[6; 32]));
	}

	#[test]
	fn signatures_verify_only_for_the_signed_result() {
		let pair = sr25519::Pair::from_seed(&[8; 32]);
		let other = sr25519::Pair::from_seed(&[9; 32]);
		let attested = result(7, 9);
		let signature = pair.sign(&attested.signing_payload());
		assert!(attested.verify(&signature, &pair.public()));
		assert!(!attested.verify(&signature, &other.public()));
		assert!(!result(8, 9).verify(&signature, &pair.public()));
		assert!(!result(7, 10).verify(&signature, &pair.public()));
		// A signature over the bare encoding (no context) is refused.
		let bare = pair.sign(&attested.encode());
		assert!(!attested.verify(&bare, &pair.public()));

		let receipt = AttestationReceipt {
			worker: 9u64,
			key: pair.public(),
			output_hash: [3; 32],
			signature,
		};
		let chain = [0x6e; 32];
		assert!(receipt.verify(chain, 7, [1; 32], [2; 32]));
		assert!(!receipt.verify(chain, 7, [1; 32], [0; 32]));
		assert_eq!(receipt.attested_result(chain, 7, [1; 32], [2; 32]), attested);
		// The same job id, model and input on another chain: the receipt does not verify.
		assert!(!receipt.verify([0x6f; 32], 7, [1; 32], [2; 32]));
		assert_eq!(content_hash(b"abc"), blake2_256(b"abc"));
	}
}

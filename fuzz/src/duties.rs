//! Worker duties: the commit or the reveal a worker owes for a job it was drawn for, made
//! valid on purpose (a real commitment, then a reveal that matches it, signed with the
//! signer's account key, which most workers attest with), so that cases reach the protocol's
//! later stages and not only its errors.

use crate::{arguments::account, Rng, ACCOUNTS};
use codec::Encode;
use deai_primitives::inference::{commitment, content_hash, AttestedResult};
use deai_runtime::{Runtime, RuntimeCall};
use pallet_inference::WorkerDuty;
use polkadot_sdk::{frame_support::BoundedVec, sp_core::Pair};

/// The output a worker reports for a job: mostly the honest one (the same for every
/// worker), sometimes a dissenting one.
fn output_for(rng: &mut Rng, job: u64) -> Vec<u8> {
	let honest = rng.chance(85);
	let mut output = job.encode();
	output.push(u8::from(!honest));
	output
}

/// The salt worker `signer` uses for `job` (deterministic, so the reveal can match).
fn salt_for(job: u64, signer: usize) -> [u8; 32] {
	polkadot_sdk::sp_io::hashing::blake2_256(&(b"deai-fuzz-salt", job, signer as u64).encode())
}

/// A commit or reveal that is valid for one of `signer`'s assigned jobs, if it has any.
pub(crate) fn duty_call(rng: &mut Rng, signer: usize) -> Option<RuntimeCall> {
	use pallet_inference::Call;
	let who = account(signer);
	let duties: Vec<_> = pallet_inference::Pallet::<Runtime>::worker_jobs(who.clone())
		.into_iter()
		.filter(|d| matches!(d.duty, WorkerDuty::Commit | WorkerDuty::Reveal))
		.collect();
	if duties.is_empty() {
		return None;
	}
	let duty = rng.pick(&duties);
	let input = pallet_inference::Pallet::<Runtime>::job_input(duty.job)?;
	// The output is fixed per (job, signer) so the commitment and the reveal agree. An
	// input by reference is never fetched here: it is unanswerable, and mostly answered so.
	let mut draw = Rng::new(duty.job ^ ((signer as u64) << 32));
	let output = if input.inline.is_none() && draw.chance(80) {
		deai_primitives::inference::UNANSWERABLE_OUTPUT.to_vec()
	} else {
		output_for(&mut draw, duty.job)
	};
	let output_hash = content_hash(&output);
	let salt = salt_for(duty.job, signer);
	Some(RuntimeCall::Inference(match duty.duty {
		WorkerDuty::Commit => Call::commit_result {
			job: duty.job,
			commitment: commitment(duty.job, &who, &output_hash, &salt),
		},
		_ => {
			let attested = AttestedResult {
				genesis_hash: pallet_inference::Pallet::<Runtime>::genesis_hash(),
				job_id: duty.job,
				model_hash: input.model_hash,
				input_hash: input.input_hash,
				output_hash,
				worker: who.clone(),
			};
			let pair = ACCOUNTS.get(signer).map(|k| k.pair())?;
			let signature = pair.sign(&attested.signing_payload());
			Call::reveal_result {
				job: duty.job,
				output: pallet_inference::Payload::Inline(BoundedVec::truncate_from(output)),
				salt,
				signature,
			}
		},
	}))
}

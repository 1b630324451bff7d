//! Attacks: transactions that try to profit from the verification economics or to crowd
//! others out, sent on purpose so that the invariants are checked against them (the crate
//! docs list them). Every account of the fuzzer is one operator's sybil, so a challenge by
//! one of them of another's result is an operator challenging its own work.

use crate::{arguments::account, Rng};
use deai_primitives::inference::Verification;
use deai_runtime::{Runtime, RuntimeCall, System, DEAI};
use polkadot_sdk::frame_support::BoundedVec;

/// A deliberate attack on the verification economics by `signer` (see the crate docs), or
/// `None` when the state offers no target for the one drawn.
pub fn attack_call(rng: &mut Rng, signer: usize) -> Option<RuntimeCall> {
	use pallet_inference::{Call, Jobs, Payload, Stage};
	let who = account(signer);
	let now = System::block_number();
	let one = Verification::Quorum { replicas: 1, threshold: 1 };
	Some(match rng.below(5) {
		// A flood of the cheapest valid jobs, to fill the queue.
		0 => RuntimeCall::Inference(Call::submit_job {
			model: 0,
			input: Payload::Inline(BoundedVec::truncate_from(b"flood".to_vec())),
			verification: one,
			max_fee: pallet_inference::Pallet::<Runtime>::quote(0, one)?,
			deadline: now.saturating_add(60),
		}),
		// An input nobody can answer (a reference to nothing).
		1 => {
			let verification = rng.pick(&[Verification::Quorum { replicas: 3, threshold: 2 }, one]);
			RuntimeCall::Inference(Call::submit_job {
				model: 0,
				input: Payload::Reference {
					uri: BoundedVec::truncate_from(b"ipfs://nothing-here".to_vec()),
					hash: rng.hash(),
				},
				verification,
				max_fee: pallet_inference::Pallet::<Runtime>::quote(0, verification)?,
				deadline: now.saturating_add(60),
			})
		},
		// A vote that freezes nearly all of the signer's free balance; a job or a bond paid
		// from it must then fail.
		2 => {
			use pallet_governance::{Conviction, Vote, VoteKind};
			let free = System::account(&who).data.free;
			let index = pallet_governance::Pallet::<Runtime>::open_proposals().first()?.index;
			RuntimeCall::Governance(pallet_governance::Call::vote {
				index,
				vote: Vote {
					kind: VoteKind::Aye,
					balance: free.saturating_sub(rng.pick(&[DEAI, 10 * DEAI, 100 * DEAI])),
					conviction: Conviction::Locked4x,
				},
			})
		},
		// A challenge of an optimistic result by another account of the same operator.
		3 => {
			let job = Jobs::<Runtime>::iter()
				.find(|(_, job)| job.challenge.is_none() && job.stage(now) == Stage::Challengeable)
				.map(|(id, _)| id)?;
			RuntimeCall::Inference(Call::challenge_result { job })
		},
		// Cancel one of its own jobs (to resubmit it and draw again).
		_ => {
			let job =
				Jobs::<Runtime>::iter().find(|(_, job)| job.submitter == who).map(|(id, _)| id)?;
			RuntimeCall::Inference(Call::cancel_job { job })
		},
	})
}

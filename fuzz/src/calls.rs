//! The random calls: what a signer sends next, drawn from every DeAI pallet and balances,
//! and the calls that open most cases with a working market.
//!
//! The draws' order is the case: each function draws its arguments in a fixed order, and a
//! draw added, removed or moved changes every case that reaches it.

use crate::{
	arguments::{
		account, amount, bounded, dataset_id, id, job_id, lookup, model_id, one_of, perbill,
		LICENSES, URIS, VERSIONS,
	},
	attacks::attack_call,
	duties::duty_call,
	Rng, ACCOUNTS,
};
use deai_primitives::{
	inference::Verification,
	model::{InputKind, InputSpec, OutputSpec},
};
use deai_runtime::{Runtime, RuntimeCall, System, DEAI};
use polkadot_sdk::{
	frame_support::BoundedVec,
	frame_system, pallet_balances,
	sp_core::{sr25519, H256},
	sp_runtime::Perbill,
};

/// A call that `signer` sends next, drawn from every DeAI pallet and balances.
pub fn random_call(rng: &mut Rng, signer: usize) -> RuntimeCall {
	// A third of the time, the signer does its duty as a worker, if it has one.
	if rng.chance(35) {
		if let Some(call) = duty_call(rng, signer) {
			return call;
		}
	}
	if rng.chance(12) {
		if let Some(call) = attack_call(rng, signer) {
			return call;
		}
	}
	match rng.below(5) {
		0 => balances_call(rng),
		1 => registry_call(rng),
		2 => data_call(rng),
		3 => staking_call(rng, signer),
		_ => {
			if rng.chance(80) {
				inference_call(rng)
			} else {
				governance_call(rng)
			}
		},
	}
}

/// A transfer between the signers, of an amount around the thresholds.
fn balances_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_balances::Call;
	let dest = lookup(rng);
	RuntimeCall::Balances(match rng.below(10) {
		0..=5 => Call::transfer_keep_alive { dest, value: amount(rng) },
		6..=8 => Call::transfer_allow_death { dest, value: amount(rng) },
		_ => Call::transfer_all { dest, keep_alive: rng.chance(50) },
	})
}

/// The spec and terms of a model or a version, each field drawn from its domain (in the
/// same order as before the two were split, so that every seed draws the same values).
fn model_registration(
	rng: &mut Rng,
) -> (Box<pallet_model_registry::ModelSpec<Runtime>>, pallet_model_registry::ModelTerms<Runtime>) {
	let dataset = dataset_id(rng);
	let name = bounded(rng, 1, 40);
	let version = one_of(rng, VERSIONS);
	let artifact_hash = rng.hash();
	let uris = BoundedVec::truncate_from(vec![one_of(rng, URIS)]);
	let framework = pallet_model_registry::Framework::Safetensors;
	let license = one_of(rng, LICENSES);
	let input_spec = InputSpec { kind: InputKind::Text, max_len: rng.pick(&[0, 64, 4096]) };
	let output_spec = rng.pick(&[
		OutputSpec::Exact,
		OutputSpec::QuantizedF32 { decimals: 4 },
		OutputSpec::QuantizedF32 { decimals: 9 },
		OutputSpec::TopK { k: 3 },
		OutputSpec::TopK { k: 0 },
	]);
	let price = rng.pick(&[0, DEAI, 2 * DEAI, 1_000 * DEAI]);
	let royalty = perbill(rng);
	let parent = if rng.chance(20) { Some(model_id(rng)) } else { None };
	let datasets = if rng.chance(40) {
		BoundedVec::truncate_from(vec![(dataset, perbill(rng))])
	} else {
		BoundedVec::new()
	};
	let spec = pallet_model_registry::ModelSpec {
		name,
		version,
		artifact_hash,
		framework,
		license,
		input_spec,
		output_spec,
		parent,
		datasets,
	};
	(Box::new(spec), pallet_model_registry::ModelTerms { uris, price, royalty })
}

/// A call to the model registry.
fn registry_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_model_registry::Call;
	let model = model_id(rng);
	RuntimeCall::ModelRegistry(match rng.below(11) {
		0..=2 => {
			let (spec, terms) = model_registration(rng);
			Call::register { spec, terms }
		},
		3 => {
			let (spec, terms) = model_registration(rng);
			Call::publish_version { predecessor: model, spec, terms }
		},
		4 => Call::update_metadata {
			model,
			uris: None,
			price: Some(rng.pick(&[0, DEAI, 5 * DEAI])),
			royalty: Some(perbill(rng)),
		},
		5 => Call::deprecate { model },
		6 => Call::offer_transfer { model, new_owner: lookup(rng) },
		7 => Call::cancel_transfer { model },
		8 => Call::accept_transfer { model },
		9 => Call::remove { model },
		_ => match rng.below(3) {
			0 => Call::retire { model, reason: bounded(rng, 8, 8) },
			1 => Call::restore { model },
			_ => Call::set_max_royalty { max_royalty: perbill(rng) },
		},
	})
}

/// A call to data rewards: datasets, contributions, curation and claims.
fn data_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_data_rewards::Call;
	let dataset = dataset_id(rng);
	let contribution = id(rng, pallet_data_rewards::NextContributionId::<Runtime>::get());
	RuntimeCall::DataRewards(match rng.below(13) {
		0 | 1 => Call::create_dataset {
			name: bounded(rng, 1, 30),
			content_hash: H256(rng.hash()),
			uri: bounded(rng, 0, 40),
			license: bounded(rng, 0, 10),
			schema_hash: H256(rng.hash()),
		},
		2 => Call::update_dataset {
			dataset,
			content_hash: H256(rng.hash()),
			uri: bounded(rng, 10, 10),
			schema_hash: H256(rng.hash()),
		},
		3 => Call::set_dataset_status {
			dataset,
			status: rng.pick(&[
				pallet_data_rewards::DatasetStatus::Open,
				pallet_data_rewards::DatasetStatus::Closed,
			]),
		},
		4 => Call::remove_dataset { dataset },
		5 | 6 => Call::submit_contribution {
			dataset,
			content_hash: H256(rng.hash()),
			uri: bounded(rng, 12, 12),
			size: rng.next_u64(),
			weight: rng.pick(&[0, 1, 100, u32::MAX]),
		},
		7 => Call::withdraw_contribution { contribution },
		8 => Call::accept_contribution { contribution, quality: rng.pick(&[0, 1, 50, 100, 255]) },
		9 => Call::reject_contribution { contribution, reason: bounded(rng, 6, 6) },
		10 => Call::claim { dataset },
		11 => Call::top_up { dataset, amount: amount(rng) },
		_ => {
			if rng.chance(50) {
				Call::add_curator { curator: account(rng.below(8) as usize) }
			} else {
				Call::remove_curator { curator: account(rng.below(8) as usize) }
			}
		},
	})
}

/// Up to three model ids for a worker to serve.
fn served_models(
	rng: &mut Rng,
) -> BoundedVec<u64, <Runtime as pallet_compute_staking::Config>::MaxModelsPerWorker> {
	let count = rng.below(4);
	BoundedVec::truncate_from((0..count).map(|_| model_id(rng)).collect())
}

/// A call to compute staking by `signer`: its worker's life, and delegation.
fn staking_call(rng: &mut Rng, signer: usize) -> RuntimeCall {
	use pallet_compute_staking::Call;
	let key = if rng.chance(85) {
		// The worker attests with its own account key, so its reveals can be signed.
		ACCOUNTS.get(signer).map(|k| k.public()).unwrap_or(sr25519::Public::from_raw([0; 32]))
	} else {
		sr25519::Public::from_raw(rng.hash())
	};
	RuntimeCall::ComputeStaking(match rng.below(18) {
		0..=3 => Call::register_worker {
			bond: rng.pick(&[999 * DEAI, 1_000 * DEAI, 2_000 * DEAI, 50_000 * DEAI]),
			attestation_key: key,
			metadata: bounded(rng, 0, 30),
			capabilities: bounded(rng, 0, 10),
			models: served_models(rng),
			commission: perbill(rng),
		},
		4 => Call::bond_extra { amount: amount(rng) },
		5 => Call::unbond { amount: amount(rng) },
		6 => Call::withdraw_unbonded {},
		7 => Call::deregister {},
		8 | 9 => Call::heartbeat {},
		10 => Call::go_idle {},
		11 => Call::resume {},
		12 => Call::rotate_attestation_key { new_key: key },
		13 => Call::set_served_models { models: served_models(rng) },
		14 => Call::set_commission { commission: perbill(rng) },
		15 => Call::delegate { worker: lookup(rng), amount: amount(rng) },
		16 => Call::undelegate { worker: lookup(rng), amount: amount(rng) },
		_ => match rng.below(3) {
			0 => Call::withdraw_undelegated { worker: lookup(rng) },
			1 => Call::take_slot { model: model_id(rng), member: account(rng.below(8) as usize) },
			_ => Call::set_metadata {
				metadata: bounded(rng, 5, 5),
				capabilities: bounded(rng, 5, 5),
			},
		},
	})
}

/// A call to inference: half the time a job submitted, else a step of a job's life.
fn inference_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_inference::Call;
	let job = job_id(rng);
	RuntimeCall::Inference(match rng.below(10) {
		0..=4 => {
			let verification = rng.pick(&[
				Verification::Optimistic,
				Verification::Quorum { replicas: 1, threshold: 1 },
				Verification::Quorum { replicas: 2, threshold: 2 },
				Verification::Quorum { replicas: 3, threshold: 2 },
				Verification::Quorum { replicas: 3, threshold: 4 },
				Verification::Quorum { replicas: 9, threshold: 5 },
			]);
			let now = System::block_number();
			let input = if rng.chance(85) {
				pallet_inference::Payload::Inline(bounded(rng, 0, 64))
			} else {
				pallet_inference::Payload::Reference { uri: bounded(rng, 20, 20), hash: rng.hash() }
			};
			let model = if rng.chance(70) { 0 } else { model_id(rng) };
			let quote = pallet_inference::Pallet::<Runtime>::quote(model, verification);
			let max_fee = match quote {
				Some(quote) if rng.chance(85) => quote.saturating_mul(rng.pick(&[1, 1, 2])),
				_ => rng.pick(&[0, DEAI, 10 * DEAI, 100_000 * DEAI]),
			};
			Call::submit_job {
				model,
				input,
				verification,
				max_fee,
				deadline: now
					.saturating_add(rng.pick(&[0, 5, 25, 40, 60, 100, 100, 1_000, 100_000])),
			}
		},
		5 => Call::cancel_job { job },
		6 => Call::commit_result { job, commitment: rng.hash() },
		7 => Call::challenge_result { job },
		8 => Call::advance { job },
		_ => Call::prune_result { job },
	})
}

/// A call to governance: proposals on each track, votes, enactment and grants.
fn governance_call(rng: &mut Rng) -> RuntimeCall {
	use pallet_governance::{Call, Conviction, TrackKind, Vote, VoteKind};
	let index = rng.below(4) as u32;
	let vote = Vote {
		kind: rng.pick(&[VoteKind::Aye, VoteKind::Nay, VoteKind::Abstain]),
		balance: amount(rng),
		conviction: rng.pick(&[Conviction::None, Conviction::Locked2x, Conviction::Locked4x]),
	};
	RuntimeCall::Governance(match rng.below(8) {
		0 | 1 => {
			let (track, call) = match rng.below(4) {
				0 => (
					TrackKind::Parameters,
					RuntimeCall::Inference(pallet_inference::Call::set_params {
						params: pallet_inference::Params::<Runtime>::get(),
					}),
				),
				1 => (
					TrackKind::Treasury,
					RuntimeCall::Governance(Call::grant {
						beneficiary: lookup(rng),
						amount: amount(rng),
						purpose_hash: H256(rng.hash()),
					}),
				),
				2 => (
					TrackKind::Curation,
					RuntimeCall::DataRewards(pallet_data_rewards::Call::add_curator {
						curator: account(rng.below(8) as usize),
					}),
				),
				// An emergency cancellation (sometimes of something else: refused).
				_ => (
					TrackKind::Emergency,
					if rng.chance(80) {
						RuntimeCall::Governance(Call::cancel { index })
					} else {
						RuntimeCall::System(frame_system::Call::remark { remark: Vec::new() })
					},
				),
			};
			Call::propose {
				track,
				call: Box::new(call),
				title: bounded(rng, 1, 20),
				description_hash: H256(rng.hash()),
			}
		},
		2 | 3 => Call::vote { index, vote },
		4 => Call::change_vote { index, vote },
		5 => Call::remove_vote { index },
		6 => match rng.below(3) {
			0 => Call::unlock { target: lookup(rng) },
			1 => Call::close { index },
			_ => {
				Call::enact { index, max_weight: polkadot_sdk::frame_support::weights::Weight::MAX }
			},
		},
		_ => {
			let grant = rng.below(3) as u32;
			if rng.chance(50) {
				Call::claim_grant { id: grant }
			} else {
				Call::cancel_grant { id: grant }
			}
		},
	})
}

/// Bob registers a valid model (id 0 on a fresh chain) and Charlie to Two register as its
/// workers, each attesting with its own account key.
pub(crate) fn bootstrap() -> Vec<(usize, RuntimeCall)> {
	let mut rng = Rng::new(0);
	let (mut spec, mut terms) = model_registration(&mut rng);
	spec.version = BoundedVec::truncate_from(b"1.0.0".to_vec());
	spec.license = BoundedVec::truncate_from(b"Apache-2.0".to_vec());
	terms.uris =
		BoundedVec::truncate_from(vec![BoundedVec::truncate_from(b"file://tiny".to_vec())]);
	spec.name = BoundedVec::truncate_from(b"fuzz-encoder".to_vec());
	spec.input_spec = InputSpec { kind: InputKind::Text, max_len: 4096 };
	spec.output_spec = OutputSpec::QuantizedF32 { decimals: 4 };
	terms.price = DEAI;
	terms.royalty = Perbill::from_percent(10);
	spec.parent = None;
	spec.datasets = BoundedVec::new();
	let mut calls = vec![(
		1,
		RuntimeCall::ModelRegistry(pallet_model_registry::Call::register { spec, terms }),
	)];
	for signer in 2..7 {
		let key =
			ACCOUNTS.get(signer).map(|k| k.public()).unwrap_or(sr25519::Public::from_raw([0; 32]));
		calls.push((
			signer,
			RuntimeCall::ComputeStaking(pallet_compute_staking::Call::register_worker {
				bond: 2_000 * DEAI,
				attestation_key: key,
				metadata: BoundedVec::truncate_from(b"fuzz".to_vec()),
				capabilities: BoundedVec::truncate_from(b"cpu".to_vec()),
				models: BoundedVec::truncate_from(vec![0]),
				commission: Perbill::from_percent(5),
			}),
		));
	}
	calls
}

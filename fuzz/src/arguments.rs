//! The small domains the calls' arguments are drawn from: ids that exist or nearly exist,
//! amounts around the thresholds that matter, the signers' accounts, and text fields that
//! are mostly valid and sometimes not. Ids are read from the chain's state, so these run
//! inside the chain's externalities.

use crate::{Rng, ACCOUNTS};
use deai_runtime::{AccountId, Balance, Runtime, DEAI};
use polkadot_sdk::{
	frame_support::{traits::Get, BoundedVec},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{MultiAddress, Perbill},
};

/// A bounded vector of `min..=max` bytes (cut to its bound): mostly printable text, as
/// names, versions and URIs must be, sometimes any bytes.
pub(crate) fn bounded<S: Get<u32>>(rng: &mut Rng, min: u64, max: u64) -> BoundedVec<u8, S> {
	const TEXT: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-./:";
	let len = min.saturating_add(rng.below(max.saturating_sub(min).saturating_add(1)));
	let mut bytes = if rng.chance(90) {
		(0..len).map(|_| rng.pick(TEXT)).collect()
	} else {
		rng.bytes(len as usize)
	};
	bytes.truncate(S::get() as usize);
	BoundedVec::truncate_from(bytes)
}

/// One of `choices` (mostly valid values of a field, and a few invalid ones), as a bounded
/// vector.
pub(crate) fn one_of<S: Get<u32>>(rng: &mut Rng, choices: &[&str]) -> BoundedVec<u8, S> {
	let mut bytes = rng.pick(choices).as_bytes().to_vec();
	bytes.truncate(S::get() as usize);
	BoundedVec::truncate_from(bytes)
}

/// Version strings to draw from: the usual shapes, and some a registry may refuse.
pub(crate) const VERSIONS: &[&str] = &["1", "1.0.0", "2.1.0-rc.1+b5", "v3", "0.9", "", "no/slash"];

/// License identifiers to draw from: SPDX ones, an expression, and some a registry may
/// refuse.
pub(crate) const LICENSES: &[&str] =
	&["Apache-2.0", "MIT", "(MIT OR Apache-2.0)", "CC-BY-4.0", "", "bad/license"];

/// Artifact URIs to draw from: the usual schemes, an empty one and one without a scheme.
pub(crate) const URIS: &[&str] = &[
	"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
	"https://models.deai.example/encoder.safetensors",
	"file://tiny",
	"ar://Zm9vYmFy",
	"",
	"no scheme here",
];

/// The account of signer `index`.
pub(crate) fn account(index: usize) -> AccountId {
	ACCOUNTS
		.get(index.checked_rem(ACCOUNTS.len()).unwrap_or(0))
		.unwrap_or(&Sr25519Keyring::Alice)
		.to_account_id()
}

/// An amount around the thresholds that matter (existential deposit, minimum bond and
/// delegation, a share of an endowment) or anything at all.
pub(crate) fn amount(rng: &mut Rng) -> Balance {
	match rng.below(8) {
		0 => 0,
		1 => deai_runtime::EXISTENTIAL_DEPOSIT.saturating_sub(1),
		2 => 10 * DEAI,
		3 => 1_000 * DEAI,
		4 => u128::from(rng.below(1_000)).saturating_add(1_000).saturating_mul(DEAI),
		5 => u128::from(rng.below(1_000_000)).saturating_mul(DEAI),
		6 => Balance::MAX,
		_ => rng.next_u64() as u128,
	}
}

/// An id in `0..=next` (mostly existing, sometimes the next one, rarely far away).
pub(crate) fn id(rng: &mut Rng, next: u64) -> u64 {
	if rng.chance(5) {
		rng.next_u64()
	} else {
		rng.below(next.saturating_add(1))
	}
}

/// A model id (see [`id`]).
pub(crate) fn model_id(rng: &mut Rng) -> u64 {
	id(rng, pallet_model_registry::NextModelId::<Runtime>::get())
}

/// A job id (see [`id`]).
pub(crate) fn job_id(rng: &mut Rng) -> u64 {
	id(rng, pallet_inference::NextJobId::<Runtime>::get())
}

/// A dataset id (see [`id`]).
pub(crate) fn dataset_id(rng: &mut Rng) -> u64 {
	id(rng, pallet_data_rewards::NextDatasetId::<Runtime>::get())
}

/// A share from none to all, around the bounds the pallets check.
pub(crate) fn perbill(rng: &mut Rng) -> Perbill {
	Perbill::from_percent(rng.pick(&[0, 1, 10, 25, 50, 60, 100]))
}

/// One of the signers, as the account argument of a call.
pub(crate) fn lookup(rng: &mut Rng) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(account(rng.below(ACCOUNTS.len() as u64) as usize))
}

//! Benchmarks of the model registry's calls, each in its worst case, over the lengths that
//! change its cost.
//!
//! Worst cases: new models are fine-tunes (a parent to read and index) with the maximum
//! number of datasets (each looked up in the data-rewards pallet); versions go into a family
//! one short of full; removal takes a retired, offered fine-tune out of a full family.

use super::*;
use crate::Pallet as ModelRegistry;
use alloc::vec::Vec;
use codec::{Encode, MaxEncodedLen};
use deai_primitives::{
	data::DatasetId,
	model::{InputKind, InputSpec, OutputSpec},
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Inspect, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_io::hashing::blake2_256,
	sp_runtime::{
		traits::{Saturating, StaticLookup},
		SaturatedConversion,
	},
};

/// What benchmarks need from the pallets the registry talks to.
pub trait BenchmarkHelper {
	/// Makes `count` distinct datasets exist (in the data-rewards pallet) and returns them.
	fn datasets(count: u32) -> Vec<DatasetId>;
}

/// For runtimes whose `Config::Datasets` says every dataset exists (`()`).
impl BenchmarkHelper for () {
	fn datasets(count: u32) -> Vec<DatasetId> {
		(0..u64::from(count)).collect()
	}
}

/// The fewest string bytes a model can have with the fillers below: a one-byte name,
/// version and license and one 8-byte URI (`ipfs://x`).
const MIN_STRING_BYTES: u32 = 11;
/// The URI prefix of generated URIs.
const URI_PREFIX: &[u8] = b"ipfs://";

/// The most string bytes a model can have.
fn max_string_bytes<T: Config>() -> u32 {
	T::MaxNameLen::get()
		.saturating_add(T::MaxVersionLen::get())
		.saturating_add(T::MaxLicenseLen::get())
		.saturating_add(max_uri_bytes::<T>())
}

/// The most bytes a URI list can have.
fn max_uri_bytes<T: Config>() -> u32 {
	T::MaxUris::get().saturating_mul(T::MaxUriLen::get())
}

/// Takes up to `cap` bytes out of `remaining`.
fn take(remaining: &mut u32, cap: u32) -> u32 {
	let taken = (*remaining).min(cap);
	*remaining = remaining.saturating_sub(taken);
	taken
}

/// A bounded string of `len` copies of `fill`.
fn filled<S: Get<u32>>(len: u32, fill: u8) -> Result<BoundedVec<u8, S>, BenchmarkError> {
	let len = usize::try_from(len).map_err(|_| "length does not fit")?;
	BoundedVec::try_from(alloc::vec![fill; len]).map_err(|_| "string above its bound".into())
}

/// A URI list of (nearly) `bytes` bytes: as few URIs as possible, each `ipfs://` followed by
/// its index and filler, so that they differ. At least one URI of 8 bytes.
fn uris<T: Config>(bytes: u32) -> Result<UrisOf<T>, BenchmarkError> {
	let prefix = u32::try_from(URI_PREFIX.len()).map_err(|_| "prefix does not fit")?;
	let min_uri = prefix.saturating_add(1);
	let mut remaining = bytes.max(min_uri);
	let mut list = Vec::new();
	for index in 0..T::MaxUris::get() {
		if remaining < min_uri {
			break;
		}
		let len = take(&mut remaining, T::MaxUriLen::get());
		let mut uri = URI_PREFIX.to_vec();
		uri.push(
			b'a'.saturating_add(u8::try_from(index.checked_rem(26).unwrap_or(0)).unwrap_or(0)),
		);
		uri.resize(usize::try_from(len).map_err(|_| "length does not fit")?, b'x');
		list.push(BoundedVec::try_from(uri).map_err(|_| "URI above its bound")?);
	}
	BoundedVec::try_from(list).map_err(|_| "too many URIs".into())
}

/// `count` datasets that exist, with weights summing to exactly 100 %.
fn datasets<T: Config>(count: u32) -> Result<DatasetsOf<T>, BenchmarkError> {
	let ids = T::BenchmarkHelper::datasets(count);
	let one = Perbill::one().deconstruct();
	let share = one.checked_div(count).unwrap_or(0);
	let first = one.saturating_sub(share.saturating_mul(count.saturating_sub(1)));
	let list: Vec<_> = ids
		.into_iter()
		.enumerate()
		.map(|(i, id)| (id, Perbill::from_parts(if i == 0 { first } else { share })))
		.collect();
	BoundedVec::try_from(list).map_err(|_| "too many datasets".into())
}

/// A valid model spec and terms with `b` bytes of strings (URIs first, then name, license and
/// version), `d` datasets and the given parent; `seed` makes the artifact hash unique.
fn registration<T: Config>(
	b: u32,
	d: u32,
	seed: u32,
	parent: Option<ModelId>,
) -> Result<(ModelSpec<T>, ModelTerms<T>), BenchmarkError> {
	let mut remaining = b.saturating_sub(MIN_STRING_BYTES);
	let uri_bytes =
		8u32.saturating_add(take(&mut remaining, max_uri_bytes::<T>().saturating_sub(8)));
	let name = 1u32.saturating_add(take(&mut remaining, T::MaxNameLen::get().saturating_sub(1)));
	let license =
		1u32.saturating_add(take(&mut remaining, T::MaxLicenseLen::get().saturating_sub(1)));
	let version =
		1u32.saturating_add(take(&mut remaining, T::MaxVersionLen::get().saturating_sub(1)));
	let spec = ModelSpec {
		name: filled(name, b'n')?,
		version: filled(version, b'1')?,
		artifact_hash: blake2_256(&seed.encode()),
		framework: Framework::Safetensors,
		license: filled(license, b'L')?,
		input_spec: InputSpec { kind: InputKind::Text, max_len: 512 },
		output_spec: OutputSpec::QuantizedF32 { decimals: 4 },
		parent,
		datasets: datasets::<T>(d)?,
	};
	let terms = ModelTerms {
		uris: uris::<T>(uri_bytes)?,
		price: T::Currency::minimum_balance(),
		royalty: MaxRoyalty::<T>::get(),
	};
	Ok((spec, terms))
}

/// An account with enough funds for a full family of the largest models.
fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let largest = Model::<T>::max_encoded_len().saturated_into::<u32>();
	let models = T::MaxVersionsPerFamily::get().saturating_add(10);
	let amount = ModelRegistry::<T>::deposit_for_bytes(largest)
		.saturating_mul(BalanceOf::<T>::from(models))
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
}

/// Registers a small model of `owner` and returns its id.
fn register_small<T: Config>(owner: &T::AccountId, seed: u32) -> Result<ModelId, BenchmarkError> {
	let id = NextModelId::<T>::get();
	let (spec, terms) = registration::<T>(MIN_STRING_BYTES, 0, seed, None)?;
	ModelRegistry::<T>::register(RawOrigin::Signed(owner.clone()).into(), Box::new(spec), terms)?;
	Ok(id)
}

/// Registers the largest model of `owner` (a fine-tune of a fresh parent, maximum strings
/// and datasets) and publishes versions of it until its family holds `versions` of them.
/// Returns the id of the latest version.
fn largest_family<T: Config>(
	owner: &T::AccountId,
	versions: u32,
) -> Result<ModelId, BenchmarkError> {
	let parent = register_small::<T>(owner, 0)?;
	let mut latest = NextModelId::<T>::get();
	let b = max_string_bytes::<T>();
	let d = T::MaxDatasets::get();
	let (spec, terms) = registration::<T>(b, d, 1, Some(parent))?;
	ModelRegistry::<T>::register(RawOrigin::Signed(owner.clone()).into(), Box::new(spec), terms)?;
	for seed in 2..versions.saturating_add(1) {
		let next = NextModelId::<T>::get();
		let (spec, terms) = registration::<T>(b, d, seed, Some(parent))?;
		ModelRegistry::<T>::publish_version(
			RawOrigin::Signed(owner.clone()).into(),
			latest,
			Box::new(spec),
			terms,
		)?;
		latest = next;
	}
	Ok(latest)
}

/// Checks that `event` was the last event deposited.
fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register(
		b: Linear<{ MIN_STRING_BYTES }, { max_string_bytes::<T>() }>,
		d: Linear<0, { T::MaxDatasets::get() }>,
	) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let parent = register_small::<T>(&caller, 0)?;
		let model = NextModelId::<T>::get();
		let (spec, terms) = registration::<T>(b, d, 1, Some(parent))?;
		let artifact_hash = spec.artifact_hash;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), Box::new(spec), terms);

		let deposit = Models::<T>::get(model).ok_or("model not stored")?.deposit.amount();
		assert_last_event::<T>(Event::ModelRegistered {
			model,
			owner: caller,
			artifact_hash,
			deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn publish_version(
		b: Linear<{ MIN_STRING_BYTES }, { max_string_bytes::<T>() }>,
		d: Linear<0, { T::MaxDatasets::get() }>,
	) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let full = T::MaxVersionsPerFamily::get();
		let predecessor = largest_family::<T>(&caller, full.saturating_sub(1))?;
		let family = Models::<T>::get(predecessor).ok_or("no predecessor")?.family;
		let parent = Models::<T>::get(predecessor).ok_or("no predecessor")?.spec.parent;
		let model = NextModelId::<T>::get();
		let (spec, terms) = registration::<T>(b, d, full.saturating_add(1), parent)?;
		let artifact_hash = spec.artifact_hash;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), predecessor, Box::new(spec), terms);

		let deposit = Models::<T>::get(model).ok_or("model not stored")?.deposit.amount();
		assert_last_event::<T>(Event::VersionPublished {
			model,
			family,
			predecessor,
			owner: caller,
			artifact_hash,
			deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn update_metadata(b: Linear<8, { max_uri_bytes::<T>() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = register_small::<T>(&caller, 0)?;
		let new_uris = uris::<T>(b)?;
		let price = T::Currency::minimum_balance().saturating_mul(2u32.into());
		let royalty = MaxRoyalty::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, Some(new_uris), Some(price), Some(royalty));

		let deposit = Models::<T>::get(model).ok_or("model not stored")?.deposit.amount();
		assert_last_event::<T>(Event::MetadataUpdated { model, price, royalty, deposit });
		Ok(())
	}

	#[benchmark]
	fn deprecate() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model);

		assert_last_event::<T>(Event::ModelDeprecated { model });
		Ok(())
	}

	#[benchmark]
	fn offer_transfer() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, 1)?;
		let new_owner: T::AccountId = account("new_owner", 0, 0);
		let lookup = T::Lookup::unlookup(new_owner.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), model, lookup);

		assert_last_event::<T>(Event::TransferOffered { model, owner: caller, new_owner });
		Ok(())
	}

	#[benchmark]
	fn cancel_transfer() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, 1)?;
		let new_owner: T::AccountId = account("new_owner", 0, 0);
		ModelRegistry::<T>::offer_transfer(
			RawOrigin::Signed(caller.clone()).into(),
			model,
			T::Lookup::unlookup(new_owner),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), model);

		assert_last_event::<T>(Event::TransferCancelled { model, by: caller });
		Ok(())
	}

	#[benchmark]
	fn accept_transfer() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, 1)?;
		let new_owner = funded::<T>("new_owner");
		ModelRegistry::<T>::offer_transfer(
			RawOrigin::Signed(caller.clone()).into(),
			model,
			T::Lookup::unlookup(new_owner.clone()),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(new_owner.clone()), model);

		let deposit = Models::<T>::get(model).ok_or("model not stored")?.deposit.amount();
		assert_last_event::<T>(Event::OwnershipTransferred {
			model,
			from: caller,
			to: new_owner,
			deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn remove() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, T::MaxVersionsPerFamily::get())?;
		ModelRegistry::<T>::offer_transfer(
			RawOrigin::Signed(caller.clone()).into(),
			model,
			T::Lookup::unlookup(account("new_owner", 0, 0)),
		)?;
		let governance =
			T::CurationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		ModelRegistry::<T>::retire(governance, model, filled(T::MaxReasonLen::get(), b'r')?)?;
		let deposit = Models::<T>::get(model).ok_or("model not stored")?.deposit.amount();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), model);

		assert!(!Models::<T>::contains_key(model));
		assert_last_event::<T>(Event::ModelRemoved { model, owner: caller, deposit });
		Ok(())
	}

	#[benchmark]
	fn retire(r: Linear<1, { T::MaxReasonLen::get() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, 1)?;
		let origin =
			T::CurationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reason: ReasonOf<T> = filled(r, b'r')?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model, reason.clone());

		assert_last_event::<T>(Event::ModelRetired { model, reason });
		Ok(())
	}

	#[benchmark]
	fn restore() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let model = largest_family::<T>(&caller, 1)?;
		let origin =
			T::CurationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		ModelRegistry::<T>::retire(origin.clone(), model, filled(T::MaxReasonLen::get(), b'r')?)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model);

		assert_last_event::<T>(Event::ModelRestored { model, status: ModelStatus::Active });
		Ok(())
	}

	#[benchmark]
	fn set_max_royalty() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let max_royalty = Perbill::from_percent(10);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, max_royalty);

		assert_last_event::<T>(Event::MaxRoyaltySet { max_royalty });
		Ok(())
	}

	impl_benchmark_test_suite!(ModelRegistry, crate::mock::new_test_ext(), crate::mock::Test);
}

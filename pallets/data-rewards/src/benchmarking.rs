//! Benchmarks of the data-rewards pallet: one per call, in its worst case, and one for the
//! `DataRoyalty::pay_royalty` entry point over the lineage length.

use super::*;
use crate::Pallet as DataRewards;
use alloc::{vec, vec::Vec};
use deai_primitives::{
	data::{DataRoyalty, DatasetId},
	Balance,
};
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{Pallet as System, RawOrigin};
use polkadot_sdk::frame_benchmarking::v2::*;
use sp_core::H256;
use sp_runtime::Perbill;

const SEED: u32 = 0;
/// The longest lineage `pay_royalty` is benchmarked with (the weight is linear in it).
const MAX_LINEAGE: u32 = 32;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	System::<T>::assert_last_event(event);
}

/// Enough funds for any deposit and credit of the benchmarks.
fn plenty<T: Config>() -> Balance {
	T::Currency::minimum_balance()
		.max(1)
		.saturating_mul(1_000_000_000)
		.saturating_add(T::DatasetDeposit::get().saturating_mul(1_000))
		.saturating_add(T::ContributionDeposit::get().saturating_mul(1_000))
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, plenty::<T>());
	who
}

/// `len` bytes, cut to the bound `S`.
fn text<S: Get<u32>>(len: u32) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![b'x'; len as usize])
}

fn make_curator<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let curator = funded::<T>("curator", 0);
	Curators::<T>::try_mutate(|curators| curators.try_push(curator.clone()))
		.map_err(|_| BenchmarkError::Stop("the curator set is full"))?;
	Ok(curator)
}

/// A dataset with maximal name and license and a URI of `uri_len` bytes.
fn create<T: Config>(owner: &T::AccountId, uri_len: u32) -> Result<DatasetId, BenchmarkError> {
	let dataset = NextDatasetId::<T>::get();
	DataRewards::<T>::create_dataset(
		RawOrigin::Signed(owner.clone()).into(),
		text::<T::MaxNameLen>(T::MaxNameLen::get()),
		H256::repeat_byte(1),
		text::<T::MaxUriLen>(uri_len),
		text::<T::MaxLicenseLen>(T::MaxLicenseLen::get()),
		H256::repeat_byte(2),
	)?;
	Ok(dataset)
}

/// A pending contribution with a maximal URI.
fn submit<T: Config>(
	who: &T::AccountId,
	dataset: DatasetId,
) -> Result<ContributionId, BenchmarkError> {
	let contribution = NextContributionId::<T>::get();
	DataRewards::<T>::submit_contribution(
		RawOrigin::Signed(who.clone()).into(),
		dataset,
		H256::repeat_byte(3),
		text::<T::MaxUriLen>(T::MaxUriLen::get()),
		u64::MAX,
		T::MaxContributionWeight::get(),
	)?;
	Ok(contribution)
}

/// Submits a contribution of `who` and has `curator` accept it at full quality.
fn contribute<T: Config>(
	curator: &T::AccountId,
	who: &T::AccountId,
	dataset: DatasetId,
) -> Result<(), BenchmarkError> {
	let contribution = submit::<T>(who, dataset)?;
	DataRewards::<T>::accept_contribution(
		RawOrigin::Signed(curator.clone()).into(),
		contribution,
		MAX_QUALITY,
	)?;
	Ok(())
}

/// Credits `amount` to `dataset` from a funded account.
fn credit<T: Config>(dataset: DatasetId, amount: Balance) -> Result<(), BenchmarkError> {
	let funder = funded::<T>("funder", 0);
	DataRewards::<T>::top_up(RawOrigin::Signed(funder).into(), dataset, amount)?;
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_dataset() {
		let owner = funded::<T>("owner", 0);
		let name = text::<T::MaxNameLen>(T::MaxNameLen::get());
		let uri = text::<T::MaxUriLen>(T::MaxUriLen::get());
		let license = text::<T::MaxLicenseLen>(T::MaxLicenseLen::get());
		let deposit = DataRewards::<T>::dataset_deposit(name.len(), uri.len(), license.len());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			name,
			H256::repeat_byte(1),
			uri,
			license,
			H256::repeat_byte(2),
		);

		assert_last_event::<T>(Event::DatasetCreated {
			dataset: 0,
			owner,
			content_hash: H256::repeat_byte(1),
			deposit,
		});
	}

	#[benchmark]
	fn update_dataset() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		// From the shortest to the longest URI: the deposit grows.
		let dataset = create::<T>(&owner, 0)?;
		let uri = text::<T::MaxUriLen>(T::MaxUriLen::get());
		let deposit = DataRewards::<T>::dataset_deposit(
			T::MaxNameLen::get() as usize,
			uri.len(),
			T::MaxLicenseLen::get() as usize,
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset, H256::repeat_byte(7), uri, H256::repeat_byte(8));

		assert_last_event::<T>(Event::DatasetUpdated {
			dataset,
			content_hash: H256::repeat_byte(7),
			schema_hash: H256::repeat_byte(8),
			deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn set_dataset_status() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset, DatasetStatus::Closed);

		assert_last_event::<T>(Event::DatasetStatusChanged {
			dataset,
			status: DatasetStatus::Closed,
		});
		Ok(())
	}

	#[benchmark]
	fn remove_dataset() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		let refunded =
			Datasets::<T>::get(dataset).map(|info| info.deposit.amount()).unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset);

		assert_last_event::<T>(Event::DatasetRemoved { dataset, refunded });
		Ok(())
	}

	#[benchmark]
	fn submit_contribution() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		let contributor = funded::<T>("contributor", 0);
		let uri = text::<T::MaxUriLen>(T::MaxUriLen::get());
		let weight = T::MaxContributionWeight::get();
		let deposit = DataRewards::<T>::contribution_deposit(uri.len());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(contributor.clone()),
			dataset,
			H256::repeat_byte(3),
			uri,
			u64::MAX,
			weight,
		);

		assert_last_event::<T>(Event::ContributionSubmitted {
			contribution: 0,
			dataset,
			contributor,
			content_hash: H256::repeat_byte(3),
			weight,
			deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn withdraw_contribution() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		let contributor = funded::<T>("contributor", 0);
		let contribution = submit::<T>(&contributor, dataset)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(contributor.clone()), contribution);

		assert_last_event::<T>(Event::ContributionWithdrawn { contribution, dataset, contributor });
		Ok(())
	}

	#[benchmark]
	fn accept_contribution() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		let curator = make_curator::<T>()?;
		let contributor = funded::<T>("contributor", 0);
		// The contributor already holds shares and has rewards to settle.
		contribute::<T>(&curator, &contributor, dataset)?;
		credit::<T>(dataset, T::Currency::minimum_balance().saturating_add(1_000_003))?;
		let contribution = submit::<T>(&contributor, dataset)?;
		let shares = shares_for(T::MaxContributionWeight::get(), MAX_QUALITY);

		#[extrinsic_call]
		_(RawOrigin::Signed(curator.clone()), contribution, MAX_QUALITY);

		assert_last_event::<T>(Event::ContributionAccepted {
			contribution,
			dataset,
			contributor,
			curator,
			quality: MAX_QUALITY,
			shares,
		});
		Ok(())
	}

	#[benchmark]
	fn reject_contribution(r: Linear<0, { T::MaxReasonLen::get() }>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		let curator = make_curator::<T>()?;
		let contributor = funded::<T>("contributor", 0);
		let contribution = submit::<T>(&contributor, dataset)?;
		let reason = text::<T::MaxReasonLen>(r);

		#[extrinsic_call]
		_(RawOrigin::Signed(curator.clone()), contribution, reason.clone());

		assert_last_event::<T>(Event::ContributionRejected {
			contribution,
			dataset,
			contributor,
			curator,
			reason,
		});
		Ok(())
	}

	#[benchmark]
	fn claim() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		let curator = make_curator::<T>()?;
		let contributor = funded::<T>("contributor", 0);
		contribute::<T>(&curator, &contributor, dataset)?;
		credit::<T>(dataset, T::Currency::minimum_balance().saturating_add(1_000_000))?;
		let amount = DataRewards::<T>::claimable(dataset, &contributor);

		#[extrinsic_call]
		_(RawOrigin::Signed(contributor.clone()), dataset);

		assert_last_event::<T>(Event::RewardsClaimed { dataset, contributor, amount });
		Ok(())
	}

	#[benchmark]
	fn top_up() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
		// An unallocated credit waits, and the pool has shares to spread it over.
		credit::<T>(dataset, 1_000_003)?;
		let curator = make_curator::<T>()?;
		let contributor = funded::<T>("contributor", 0);
		contribute::<T>(&curator, &contributor, dataset)?;
		let funder = funded::<T>("funder", 1);
		let amount = T::Currency::minimum_balance().saturating_add(7);

		#[extrinsic_call]
		_(RawOrigin::Signed(funder.clone()), dataset, amount);

		assert_last_event::<T>(Event::PoolToppedUp { dataset, funder, amount });
		Ok(())
	}

	#[benchmark]
	fn add_curator() -> Result<(), BenchmarkError> {
		let origin =
			T::CurationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let existing: Vec<T::AccountId> = (0..T::MaxCurators::get().saturating_sub(1))
			.map(|i| account("curator", i, SEED))
			.collect();
		Curators::<T>::put(BoundedVec::truncate_from(existing));
		let curator: T::AccountId = account("new-curator", 0, SEED);

		#[extrinsic_call]
		_(origin, curator.clone());

		assert_last_event::<T>(Event::CuratorAdded { curator });
		Ok(())
	}

	#[benchmark]
	fn remove_curator() -> Result<(), BenchmarkError> {
		let origin =
			T::CurationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let existing: Vec<T::AccountId> =
			(0..T::MaxCurators::get()).map(|i| account("curator", i, SEED)).collect();
		// The last one is the farthest to find.
		let curator = existing.last().cloned().ok_or(BenchmarkError::Stop("no curators"))?;
		Curators::<T>::put(BoundedVec::truncate_from(existing));

		#[extrinsic_call]
		_(origin, curator.clone());

		assert_last_event::<T>(Event::CuratorRemoved { curator });
		Ok(())
	}

	#[benchmark]
	fn pay_royalty(n: Linear<1, MAX_LINEAGE>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let curator = make_curator::<T>()?;
		let contributor = funded::<T>("contributor", 0);
		let full = Perbill::one().deconstruct();
		let mut lineage = Vec::new();
		for i in 0..n {
			let dataset = create::<T>(&owner, T::MaxUriLen::get())?;
			contribute::<T>(&curator, &contributor, dataset)?;
			// The weights add up to exactly 100 %, so the leftover is credited too.
			let mut part = full.checked_div(n).unwrap_or(full);
			if i == 0 {
				part = part.saturating_add(full.checked_rem(n).unwrap_or(0));
			}
			lineage.push((dataset, Perbill::from_parts(part)));
		}
		let payer = funded::<T>("payer", 0);
		let amount = T::Currency::minimum_balance().saturating_add(1_000_003);

		#[block]
		{
			<DataRewards<T> as DataRoyalty<T::AccountId, Balance>>::pay_royalty(
				&payer, &lineage, amount,
			)?;
		}

		// The weights add up to 100 %: the whole amount was paid.
		assert_eq!(T::Currency::balance(&payer), plenty::<T>().saturating_sub(amount));
		Ok(())
	}

	impl_benchmark_test_suite!(DataRewards, crate::mock::new_test_ext(), crate::mock::Test);
}

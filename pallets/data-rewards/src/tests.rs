//! Tests of the data-rewards pallet. Every test runs through `build_and_execute`, which
//! checks the pallet's invariants (`do_try_state`) when the test is done.

// Expected values are computed with plain arithmetic: an overflow here fails the test.
#![allow(clippy::arithmetic_side_effects)]

use crate::{mock::*, *};
use deai_primitives::data::{DataRoyalty, DatasetId, DatasetInspect};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Inspect, InspectHold, MutateFreeze},
			Get, Hooks,
		},
		BoundedVec,
	},
	sp_core::H256,
	sp_runtime::{DispatchError, Perbill, TokenError},
};

type Error = crate::Error<Test>;
type Event = crate::Event<Test>;

const NAME: &[u8] = b"images";
const URI: &[u8] = b"ipfs://manifest";
const LICENSE: &[u8] = b"CC-BY-4.0";
const CONTRIBUTION_URI: &[u8] = b"ipfs://data";

fn bounded<S: Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().unwrap()
}

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn dataset_deposit() -> Balance {
	DATASET_DEPOSIT + DEPOSIT_PER_BYTE * (NAME.len() + URI.len() + LICENSE.len()) as Balance
}

fn contribution_deposit() -> Balance {
	CONTRIBUTION_DEPOSIT + DEPOSIT_PER_BYTE * CONTRIBUTION_URI.len() as Balance
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::DataRewards(reason), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// Freezes `amount` of `who`'s balance, as a governance vote does.
fn vote_lock(who: AccountId, amount: Balance) {
	assert_ok!(<Balances as MutateFreeze<AccountId>>::set_freeze(&VOTE_LOCK, &who, amount));
}

fn pot() -> Balance {
	Balances::balance(&DataRewards::account_id())
}

fn create(owner: AccountId) -> DatasetId {
	let id = NextDatasetId::<Test>::get();
	assert_ok!(DataRewards::create_dataset(
		signed(owner),
		bounded(NAME),
		hash(1),
		bounded(URI),
		bounded(LICENSE),
		hash(2),
	));
	id
}

fn submit(who: AccountId, dataset: DatasetId, weight: u32) -> ContributionId {
	let id = NextContributionId::<Test>::get();
	assert_ok!(DataRewards::submit_contribution(
		signed(who),
		dataset,
		hash(3),
		bounded(CONTRIBUTION_URI),
		4_096,
		weight,
	));
	id
}

/// Submits and accepts a contribution giving `weight * quality` shares.
fn contribute(who: AccountId, dataset: DatasetId, weight: u32, quality: u8) {
	let id = submit(who, dataset, weight);
	assert_ok!(DataRewards::accept_contribution(signed(CURATOR), id, quality));
}

fn pay(lineage: &[(DatasetId, Perbill)], amount: Balance) -> Result<Balance, DispatchError> {
	<DataRewards as DataRoyalty<AccountId, Balance>>::pay_royalty(&PAYER, lineage, amount)
}

fn pool(dataset: DatasetId) -> RewardPool {
	Pools::<Test>::get(dataset).unwrap()
}

/// The genesis build and `integrity_test`.
mod genesis {
	use super::*;

	#[test]
	fn funds_the_account_and_sets_curators() {
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(pot(), ED);
			assert_eq!(Curators::<Test>::get().into_inner(), vec![CURATOR]);
			assert!(DataRewards::is_curator(&CURATOR));
			<DataRewards as Hooks<u64>>::integrity_test();
		});
	}
}

mod create_dataset {
	use super::*;

	#[test]
	fn holds_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create(ALICE);
			assert_eq!(id, 0);
			let info = Datasets::<Test>::get(id).unwrap();
			assert_eq!(info.owner, ALICE);
			assert_eq!(info.content_hash, hash(1));
			assert_eq!(info.schema_hash, hash(2));
			assert_eq!(info.license.to_vec(), LICENSE.to_vec());
			assert_eq!(info.status, DatasetStatus::Open);
			assert_eq!(info.deposit.amount(), dataset_deposit());
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), dataset_deposit());
			assert_eq!(free(ALICE), INITIAL - dataset_deposit());
			assert_eq!(pool(id), RewardPool::default());
			assert!(<DataRewards as DatasetInspect>::dataset_exists(id));
			assert!(!<DataRewards as DatasetInspect>::dataset_exists(1));
			System::assert_last_event(
				Event::DatasetCreated {
					dataset: id,
					owner: ALICE,
					content_hash: hash(1),
					deposit: dataset_deposit(),
				}
				.into(),
			);
			assert_eq!(create(BOB), 1);
		});
	}

	#[test]
	fn needs_funds_for_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				DataRewards::create_dataset(
					signed(POOR),
					bounded(NAME),
					hash(1),
					bounded(URI),
					bounded(LICENSE),
					hash(2),
				),
				TokenError::FundsUnavailable
			);
		});
	}

	/// Vote locks (audit H-1): a deposit never takes funds a governance vote freezes.
	#[test]
	fn a_dataset_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			let create_as = |who| {
				DataRewards::create_dataset(
					signed(who),
					bounded(NAME),
					hash(1),
					bounded(URI),
					bounded(LICENSE),
					hash(2),
				)
			};
			// A vote locks all of Alice's balance but one unit less than the deposit.
			vote_lock(ALICE, INITIAL - dataset_deposit() + 1);
			assert_noop!(create_as(ALICE), Error::FundsFrozen);

			// Exactly the deposit unfrozen is enough.
			vote_lock(ALICE, INITIAL - dataset_deposit());
			assert_ok!(create_as(ALICE));
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), dataset_deposit());
			assert_eq!(free(ALICE), INITIAL - dataset_deposit());
		});
	}
}

mod update_dataset {
	use super::*;

	#[test]
	fn adjusts_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create(ALICE);
			let longer = b"ipfs://a-much-longer-manifest";
			assert_ok!(DataRewards::update_dataset(
				signed(ALICE),
				id,
				hash(7),
				bounded(longer),
				hash(8)
			));
			let grown = dataset_deposit() + (longer.len() - URI.len()) as Balance;
			let info = Datasets::<Test>::get(id).unwrap();
			assert_eq!(
				(info.content_hash, info.schema_hash, info.deposit.amount()),
				(hash(7), hash(8), grown)
			);
			assert_eq!(info.uri.to_vec(), longer.to_vec());
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), grown);
			System::assert_last_event(
				Event::DatasetUpdated {
					dataset: id,
					content_hash: hash(7),
					schema_hash: hash(8),
					deposit: grown,
				}
				.into(),
			);

			assert_ok!(DataRewards::update_dataset(
				signed(ALICE),
				id,
				hash(9),
				bounded(b"x"),
				hash(9)
			));
			let shrunk = dataset_deposit() - (URI.len() - 1) as Balance;
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), shrunk);
			assert_eq!(free(ALICE), INITIAL - shrunk);
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create(ALICE);
			assert_noop!(
				DataRewards::update_dataset(signed(BOB), id, hash(7), bounded(URI), hash(8)),
				Error::NotDatasetOwner
			);
			assert_noop!(
				DataRewards::update_dataset(signed(ALICE), 5, hash(7), bounded(URI), hash(8)),
				Error::DatasetNotFound
			);
		});
	}

	/// Vote locks (audit H-1): a deposit never takes funds a governance vote freezes.
	#[test]
	fn a_grown_dataset_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create(ALICE);
			let longer = b"ipfs://a-much-longer-manifest";
			let grows_by = (longer.len() - URI.len()) as Balance;
			let update = || {
				DataRewards::update_dataset(signed(ALICE), id, hash(7), bounded(longer), hash(8))
			};

			vote_lock(ALICE, free(ALICE) - grows_by + 1);
			assert_noop!(update(), Error::FundsFrozen);

			vote_lock(ALICE, free(ALICE) - grows_by);
			assert_ok!(update());
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), dataset_deposit() + grows_by);
		});
	}
}

mod set_dataset_status {
	use super::*;

	#[test]
	fn closed_datasets_take_no_contributions_but_curate_and_earn() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create(ALICE);
			let pending = submit(BOB, id, 10);
			assert_noop!(
				DataRewards::set_dataset_status(signed(BOB), id, DatasetStatus::Closed),
				Error::NotDatasetOwner
			);
			assert_noop!(
				DataRewards::set_dataset_status(signed(ALICE), 9, DatasetStatus::Closed),
				Error::DatasetNotFound
			);
			assert_ok!(DataRewards::set_dataset_status(signed(ALICE), id, DatasetStatus::Closed));
			System::assert_last_event(
				Event::DatasetStatusChanged { dataset: id, status: DatasetStatus::Closed }.into(),
			);
			assert_noop!(
				DataRewards::submit_contribution(
					signed(CHARLIE),
					id,
					hash(3),
					bounded(CONTRIBUTION_URI),
					1,
					1
				),
				Error::DatasetClosed
			);
			assert_ok!(DataRewards::accept_contribution(signed(CURATOR), pending, 100));
			assert_eq!(pay(&[(id, Perbill::one())], 500), Ok(500));
			assert_eq!(DataRewards::claimable(id, &BOB), 500);

			assert_ok!(DataRewards::set_dataset_status(signed(ALICE), id, DatasetStatus::Open));
			submit(CHARLIE, id, 1);
		});
	}
}

mod remove_dataset {
	use super::*;

	#[test]
	fn refunds_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let id = create(ALICE);
			assert_noop!(DataRewards::remove_dataset(signed(BOB), id), Error::NotDatasetOwner);
			assert_noop!(DataRewards::remove_dataset(signed(ALICE), 3), Error::DatasetNotFound);
			assert_ok!(DataRewards::remove_dataset(signed(ALICE), id));
			System::assert_last_event(
				Event::DatasetRemoved { dataset: id, refunded: dataset_deposit() }.into(),
			);
			assert_eq!(free(ALICE), INITIAL);
			assert_eq!(held(HoldReason::DatasetDeposit, ALICE), 0);
			assert!(Datasets::<Test>::get(id).is_none());
			assert!(Pools::<Test>::get(id).is_none());
			// Ids are not reused.
			assert_eq!(create(ALICE), 1);
		});
	}

	#[test]
	fn refuses_datasets_in_use() {
		ExtBuilder::default().build_and_execute(|| {
			let pending = create(ALICE);
			submit(BOB, pending, 10);
			assert_noop!(
				DataRewards::remove_dataset(signed(ALICE), pending),
				Error::DatasetHasPendingContributions
			);

			let with_contributors = create(ALICE);
			contribute(BOB, with_contributors, 10, 50);
			assert_noop!(
				DataRewards::remove_dataset(signed(ALICE), with_contributors),
				Error::DatasetHasContributors
			);

			let funded = create(ALICE);
			assert_ok!(DataRewards::top_up(signed(DAVE), funded, 1_000));
			assert_noop!(
				DataRewards::remove_dataset(signed(ALICE), funded),
				Error::DatasetHasFunds
			);
		});
	}
}

mod submit_contribution {
	use super::*;

	#[test]
	fn holds_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let id = submit(BOB, dataset, 1_000);
			let record = Contributions::<Test>::get(id).unwrap();
			assert_eq!(record.dataset, dataset);
			assert_eq!(record.contributor, BOB);
			assert_eq!(record.weight, 1_000);
			assert_eq!(record.size, 4_096);
			assert_eq!(record.submitted_at, 1);
			assert_eq!(record.deposit.amount(), contribution_deposit());
			assert_eq!(held(HoldReason::ContributionDeposit, BOB), contribution_deposit());
			assert_eq!(PendingByAccount::<Test>::get(BOB), 1);
			assert_eq!(Datasets::<Test>::get(dataset).unwrap().pending_contributions, 1);
			System::assert_last_event(
				Event::ContributionSubmitted {
					contribution: id,
					dataset,
					contributor: BOB,
					content_hash: hash(3),
					weight: 1_000,
					deposit: contribution_deposit(),
				}
				.into(),
			);
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let submit_weight = |who, dataset, weight| {
				DataRewards::submit_contribution(
					signed(who),
					dataset,
					hash(3),
					bounded(CONTRIBUTION_URI),
					1,
					weight,
				)
			};
			assert_noop!(submit_weight(BOB, dataset, 0), Error::InvalidWeight);
			assert_noop!(submit_weight(BOB, dataset, MAX_WEIGHT + 1), Error::InvalidWeight);
			assert_noop!(submit_weight(BOB, 42, 1), Error::DatasetNotFound);
			assert_noop!(submit_weight(POOR, dataset, 1), TokenError::FundsUnavailable);
			assert_ok!(submit_weight(BOB, dataset, MAX_WEIGHT));

			// Per account.
			for _ in 1..MAX_PENDING_PER_ACCOUNT {
				submit(BOB, dataset, 1);
			}
			assert_noop!(submit_weight(BOB, dataset, 1), Error::TooManyPendingForAccount);
			// The limit is per account, over all datasets.
			let second = create(ALICE);
			assert_noop!(submit_weight(BOB, second, 1), Error::TooManyPendingForAccount);

			// Per dataset.
			let other = create(ALICE);
			for who in [CHARLIE, DAVE, 5, 6].into_iter().take(MAX_PENDING_PER_DATASET as usize) {
				submit(who, other, 1);
			}
			assert_noop!(submit_weight(7, other, 1), Error::TooManyPendingForDataset);
		});
	}

	/// Vote locks (audit H-1): a deposit never takes funds a governance vote freezes.
	#[test]
	fn a_contribution_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let submit_as = |who| {
				DataRewards::submit_contribution(
					signed(who),
					dataset,
					hash(3),
					bounded(CONTRIBUTION_URI),
					4_096,
					1,
				)
			};
			vote_lock(BOB, INITIAL - contribution_deposit() + 1);
			assert_noop!(submit_as(BOB), Error::FundsFrozen);

			vote_lock(BOB, INITIAL - contribution_deposit());
			assert_ok!(submit_as(BOB));
			assert_eq!(held(HoldReason::ContributionDeposit, BOB), contribution_deposit());
			assert_eq!(free(BOB), INITIAL - contribution_deposit());
		});
	}
}

mod withdraw_contribution {
	use super::*;

	#[test]
	fn refunds_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let id = submit(BOB, dataset, 10);
			assert_noop!(
				DataRewards::withdraw_contribution(signed(CHARLIE), id),
				Error::NotContributor
			);
			assert_noop!(
				DataRewards::withdraw_contribution(signed(BOB), id + 1),
				Error::ContributionNotFound
			);
			assert_ok!(DataRewards::withdraw_contribution(signed(BOB), id));
			System::assert_last_event(
				Event::ContributionWithdrawn { contribution: id, dataset, contributor: BOB }.into(),
			);
			assert_eq!(free(BOB), INITIAL);
			assert!(Contributions::<Test>::get(id).is_none());
			assert!(!PendingByAccount::<Test>::contains_key(BOB));
			assert_eq!(Datasets::<Test>::get(dataset).unwrap().pending_contributions, 0);
			assert_noop!(
				DataRewards::withdraw_contribution(signed(BOB), id),
				Error::ContributionNotFound
			);
		});
	}
}

mod accept_contribution {
	use super::*;

	#[test]
	fn gives_shares() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let id = submit(BOB, dataset, 1_000);
			assert_ok!(DataRewards::accept_contribution(signed(CURATOR), id, 80));
			System::assert_last_event(
				Event::ContributionAccepted {
					contribution: id,
					dataset,
					contributor: BOB,
					curator: CURATOR,
					quality: 80,
					shares: 80_000,
				}
				.into(),
			);
			assert_eq!(Contributors::<Test>::get(dataset, BOB).unwrap().shares, 80_000);
			assert_eq!(pool(dataset).total_shares, 80_000);
			let info = Datasets::<Test>::get(dataset).unwrap();
			assert_eq!((info.contributors, info.pending_contributions), (1, 0));
			assert_eq!(free(BOB), INITIAL);
			assert!(Contributions::<Test>::get(id).is_none());

			// A second contribution adds to the same record.
			contribute(BOB, dataset, 10, 100);
			assert_eq!(Contributors::<Test>::get(dataset, BOB).unwrap().shares, 81_000);
			assert_eq!(Datasets::<Test>::get(dataset).unwrap().contributors, 1);
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let id = submit(BOB, dataset, 10);
			assert_noop!(DataRewards::accept_contribution(signed(BOB), id, 50), Error::NotCurator);
			assert_noop!(
				DataRewards::accept_contribution(signed(CURATOR), id, 0),
				Error::InvalidQuality
			);
			assert_noop!(
				DataRewards::accept_contribution(signed(CURATOR), id, 101),
				Error::InvalidQuality
			);
			assert_noop!(
				DataRewards::accept_contribution(signed(CURATOR), id + 1, 50),
				Error::ContributionNotFound
			);
			let own = submit(CURATOR, dataset, 10);
			assert_noop!(
				DataRewards::accept_contribution(signed(CURATOR), own, 50),
				Error::CuratorIsContributor
			);
		});
	}

	#[test]
	fn contributors_per_dataset_are_bounded() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			for who in [BOB, CHARLIE, DAVE, 5, 6] {
				contribute(who, dataset, 1, 1);
			}
			assert_eq!(Datasets::<Test>::get(dataset).unwrap().contributors, MAX_CONTRIBUTORS);
			let id = submit(7, dataset, 1);
			assert_noop!(
				DataRewards::accept_contribution(signed(CURATOR), id, 1),
				Error::TooManyContributors
			);
			// Existing contributors still receive shares.
			contribute(BOB, dataset, 1, 1);
			assert_eq!(Contributors::<Test>::get(dataset, BOB).unwrap().shares, 2);
			assert_ok!(DataRewards::reject_contribution(signed(CURATOR), id, bounded(b"full")));
		});
	}
}

mod reject_contribution {
	use super::*;

	#[test]
	fn refunds_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let id = submit(BOB, dataset, 10);
			assert_noop!(
				DataRewards::reject_contribution(signed(BOB), id, bounded(b"no")),
				Error::NotCurator
			);
			assert_noop!(
				DataRewards::reject_contribution(signed(CURATOR), id + 1, bounded(b"no")),
				Error::ContributionNotFound
			);
			assert_ok!(DataRewards::reject_contribution(
				signed(CURATOR),
				id,
				bounded(b"duplicate")
			));
			System::assert_last_event(
				Event::ContributionRejected {
					contribution: id,
					dataset,
					contributor: BOB,
					curator: CURATOR,
					reason: bounded(b"duplicate"),
				}
				.into(),
			);
			assert_eq!(free(BOB), INITIAL);
			assert!(Contributors::<Test>::get(dataset, BOB).is_none());
			assert_eq!(Datasets::<Test>::get(dataset).unwrap().pending_contributions, 0);

			let own = submit(CURATOR, dataset, 10);
			assert_noop!(
				DataRewards::reject_contribution(signed(CURATOR), own, bounded(b"mine")),
				Error::CuratorIsContributor
			);
		});
	}
}

mod claim {
	use super::*;

	#[test]
	fn royalties_are_shared_by_shares_and_claimed() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			contribute(BOB, dataset, 100, 25);
			contribute(CHARLIE, dataset, 100, 75);
			assert_eq!(pay(&[(dataset, Perbill::one())], 1_000), Ok(1_000));
			System::assert_last_event(
				Event::RoyaltyPaid { dataset, payer: PAYER, amount: 1_000 }.into(),
			);
			assert_eq!(free(PAYER), INITIAL - 1_000);
			assert_eq!(pot(), ED + 1_000);
			assert_eq!(DataRewards::claimable(dataset, &BOB), 250);
			assert_eq!(DataRewards::claimable(dataset, &CHARLIE), 750);
			assert_eq!(DataRewards::claimable(dataset, &DAVE), 0);
			assert_eq!(DataRewards::claimable(7, &BOB), 0);

			assert_ok!(DataRewards::claim(signed(BOB), dataset));
			System::assert_last_event(
				Event::RewardsClaimed { dataset, contributor: BOB, amount: 250 }.into(),
			);
			assert_eq!(free(BOB), INITIAL + 250);
			assert_eq!(DataRewards::claimable(dataset, &BOB), 0);
			assert_noop!(DataRewards::claim(signed(BOB), dataset), Error::NothingToClaim);

			assert_eq!(pay(&[(dataset, Perbill::one())], 2_000), Ok(2_000));
			assert_eq!(DataRewards::claimable(dataset, &BOB), 500);
			assert_eq!(DataRewards::claimable(dataset, &CHARLIE), 2_250);
			assert_ok!(DataRewards::claim(signed(CHARLIE), dataset));
			assert_ok!(DataRewards::claim(signed(BOB), dataset));
			assert_eq!(free(CHARLIE), INITIAL + 2_250);
			assert_eq!(free(BOB), INITIAL + 750);
			assert_eq!(pot(), ED);
			assert_eq!(pool(dataset).balance, 0);
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			assert_noop!(DataRewards::claim(signed(BOB), 9), Error::DatasetNotFound);
			assert_noop!(DataRewards::claim(signed(BOB), dataset), Error::NothingToClaim);
			contribute(BOB, dataset, 1, 1);
			assert_noop!(DataRewards::claim(signed(BOB), dataset), Error::NothingToClaim);
		});
	}
}

mod top_up {
	use super::*;

	#[test]
	fn funds_a_pool() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			assert_noop!(DataRewards::top_up(signed(DAVE), dataset, 0), Error::ZeroAmount);
			assert_noop!(DataRewards::top_up(signed(DAVE), 3, 10), Error::DatasetNotFound);
			assert_noop!(
				DataRewards::top_up(signed(POOR), dataset, 10),
				TokenError::FundsUnavailable
			);
			// The funder is kept alive.
			assert_noop!(
				DataRewards::top_up(signed(DAVE), dataset, INITIAL),
				TokenError::NotExpendable
			);
			assert_ok!(DataRewards::top_up(signed(DAVE), dataset, 1_000));
			System::assert_last_event(
				Event::PoolToppedUp { dataset, funder: DAVE, amount: 1_000 }.into(),
			);
			assert_eq!(free(DAVE), INITIAL - 1_000);
			assert_eq!(pot(), ED + 1_000);
		});
	}

	#[test]
	fn a_bounty_waits_for_shares_and_the_next_credit() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			assert_ok!(DataRewards::top_up(signed(DAVE), dataset, 1_000));
			assert_eq!(pool(dataset).unallocated, 1_000);
			contribute(BOB, dataset, 1, 100);
			contribute(CHARLIE, dataset, 1, 100);
			assert_eq!(DataRewards::claimable(dataset, &BOB), 0);
			assert_ok!(DataRewards::top_up(signed(DAVE), dataset, 2));
			assert_eq!(pool(dataset).unallocated, 0);
			assert_eq!(DataRewards::claimable(dataset, &BOB), 501);
			assert_eq!(DataRewards::claimable(dataset, &CHARLIE), 501);
		});
	}
}

/// The `DataRoyalty` impl the inference pallet pays data royalties through.
mod data_royalty {
	use super::*;

	#[test]
	fn pay_royalty_splits_over_the_lineage() {
		ExtBuilder::default().build_and_execute(|| {
			let [a, b, c] = [create(ALICE), create(ALICE), create(ALICE)];
			for dataset in [a, b, c] {
				contribute(BOB, dataset, 1, 1);
			}
			let lineage = [
				(a, Perbill::from_percent(33)),
				(b, Perbill::from_percent(33)),
				(c, Perbill::from_percent(34)),
			];
			// 33.33 + 33.33 + 34.34 rounds down to 100; the leftover unit goes to the first.
			assert_eq!(pay(&lineage, 101), Ok(101));
			assert_eq!([pool(a).balance, pool(b).balance, pool(c).balance], [34, 33, 34]);
			assert_eq!(free(PAYER), INITIAL - 101);
			assert_eq!(pot(), ED + 101);
			assert_eq!(DataRewards::claimable(a, &BOB), 34);

			// Less than 100 %: only the listed parts move.
			assert_eq!(pay(&[(b, Perbill::from_percent(30))], 101), Ok(30));
			assert_eq!(pool(b).balance, 63);

			// A missing dataset is skipped and its part stays with the payer.
			assert_eq!(
				pay(&[(a, Perbill::from_percent(50)), (9, Perbill::from_percent(50))], 101),
				Ok(50)
			);
			assert_eq!(pool(a).balance, 84);

			// The same dataset twice is credited once with both parts.
			assert_eq!(
				pay(&[(c, Perbill::from_percent(50)), (c, Perbill::from_percent(50))], 101),
				Ok(101)
			);
			assert_eq!(pool(c).balance, 135);
			System::assert_last_event(
				Event::RoyaltyPaid { dataset: c, payer: PAYER, amount: 101 }.into(),
			);

			assert_eq!(free(PAYER), INITIAL - 101 - 30 - 50 - 101);
		});
	}

	#[test]
	fn pay_royalty_edge_cases() {
		ExtBuilder::default().build_and_execute(|| {
			let a = create(ALICE);
			let b = create(ALICE);
			assert_eq!(
				pay(&[(a, Perbill::from_percent(60)), (b, Perbill::from_percent(50))], 100),
				Err(Error::LineageOverweight.into())
			);
			assert_eq!(pay(&[(a, Perbill::one())], 0), Ok(0));
			assert_eq!(pay(&[], 100), Ok(0));
			assert_eq!(pay(&[(a, Perbill::zero())], 100), Ok(0));
			assert_eq!(free(PAYER), INITIAL);

			// A payer without funds moves and credits nothing.
			let result = <DataRewards as DataRoyalty<AccountId, Balance>>::pay_royalty(
				&POOR,
				&[(a, Perbill::one())],
				100,
			);
			assert_eq!(result, Err(TokenError::FundsUnavailable.into()));
			assert_eq!(pool(a), RewardPool::default());

			// A pool without shares keeps the royalty unallocated.
			assert_eq!(pay(&[(a, Perbill::one())], 100), Ok(100));
			assert_eq!(pool(a).unallocated, 100);
			assert_eq!(
				<DataRewards as DataRoyalty<AccountId, Balance>>::pay_royalty_weight(3),
				<() as crate::WeightInfo>::pay_royalty(3)
			);
		});
	}
}

/// The views behind the `DataRewardsApi` runtime API.
mod data_rewards_api {
	use super::*;

	#[test]
	fn pages_contributors() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			let everyone = [BOB, CHARLIE, DAVE, 5, 6];
			for (i, who) in everyone.iter().enumerate() {
				contribute(*who, dataset, i as u32 + 1, 10);
			}
			let mut seen = Vec::new();
			let mut after = None;
			loop {
				let page = DataRewards::contributors_page(dataset, after, 2);
				assert!(page.len() <= 2);
				if page.is_empty() {
					break;
				}
				after = page.last().map(|(who, _)| *who);
				seen.extend(page);
			}
			seen.sort();
			let expected: Vec<_> =
				everyone.iter().enumerate().map(|(i, who)| (*who, (i as u128 + 1) * 10)).collect();
			assert_eq!(seen, expected);
			assert_eq!(DataRewards::contributors_page(dataset, None, 0), vec![]);
			assert_eq!(DataRewards::contributors_page(dataset, None, u32::MAX).len(), 5);
			assert_eq!(DataRewards::contributors_page(42, None, 10), vec![]);
		});
	}
}

/// Sequences of calls: curator management, late contributors, rounding over many credits
/// and random sequences checked against an exact model.
mod scenarios {
	use super::*;

	#[test]
	fn curators_are_managed_by_the_curator_origin() {
		ExtBuilder::default().no_curators().build_and_execute(|| {
			assert!(Curators::<Test>::get().is_empty());
			assert_noop!(DataRewards::add_curator(signed(ALICE), BOB), DispatchError::BadOrigin);
			assert_ok!(DataRewards::add_curator(RuntimeOrigin::root(), BOB));
			System::assert_last_event(Event::CuratorAdded { curator: BOB }.into());
			assert_noop!(
				DataRewards::add_curator(RuntimeOrigin::root(), BOB),
				Error::AlreadyCurator
			);
			assert_ok!(DataRewards::add_curator(RuntimeOrigin::root(), CHARLIE));
			assert_ok!(DataRewards::add_curator(RuntimeOrigin::root(), DAVE));
			assert_noop!(
				DataRewards::add_curator(RuntimeOrigin::root(), 5),
				Error::TooManyCurators
			);

			assert_noop!(
				DataRewards::remove_curator(signed(BOB), CHARLIE),
				DispatchError::BadOrigin
			);
			assert_ok!(DataRewards::remove_curator(RuntimeOrigin::root(), CHARLIE));
			System::assert_last_event(Event::CuratorRemoved { curator: CHARLIE }.into());
			assert_noop!(
				DataRewards::remove_curator(RuntimeOrigin::root(), CHARLIE),
				Error::UnknownCurator
			);
			assert_eq!(Curators::<Test>::get().into_inner(), vec![BOB, DAVE]);

			// A removed curator cannot curate any more.
			let dataset = create(ALICE);
			let id = submit(5, dataset, 1);
			assert_noop!(
				DataRewards::accept_contribution(signed(CHARLIE), id, 1),
				Error::NotCurator
			);
			assert_ok!(DataRewards::accept_contribution(signed(DAVE), id, 1));
		});
	}

	#[test]
	fn late_contributors_earn_only_later_credits() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			contribute(BOB, dataset, 1, 100);
			assert_ok!(DataRewards::top_up(signed(DAVE), dataset, 1_000));
			contribute(CHARLIE, dataset, 1, 100);
			assert_ok!(DataRewards::top_up(signed(DAVE), dataset, 1_000));
			assert_eq!(DataRewards::claimable(dataset, &BOB), 1_500);
			assert_eq!(DataRewards::claimable(dataset, &CHARLIE), 500);
			// Receiving more shares settles what was earned before.
			contribute(BOB, dataset, 2, 100);
			assert_eq!(Contributors::<Test>::get(dataset, BOB).unwrap().owed, 1_500);
			assert_ok!(DataRewards::top_up(signed(DAVE), dataset, 400));
			assert_eq!(DataRewards::claimable(dataset, &BOB), 1_800);
			assert_eq!(DataRewards::claimable(dataset, &CHARLIE), 600);
		});
	}

	#[test]
	fn rounding_remainders_are_paid_later_never_lost() {
		ExtBuilder::default().build_and_execute(|| {
			let dataset = create(ALICE);
			for who in [BOB, CHARLIE, DAVE] {
				contribute(who, dataset, 1, 1);
			}
			let mut claimed = 0;
			// 10 units over 3 equal shares: 3 each, then 3 each, then 4 each.
			for expected in [3, 3, 4] {
				assert_ok!(DataRewards::top_up(signed(PAYER), dataset, 10));
				for who in [BOB, CHARLIE, DAVE] {
					assert_eq!(DataRewards::claimable(dataset, &who), expected);
					assert_ok!(DataRewards::claim(signed(who), dataset));
					claimed += expected;
				}
				DataRewards::do_try_state().unwrap();
			}
			assert_eq!(claimed, 30);
			assert_eq!(
				pool(dataset),
				RewardPool {
					total_shares: 3,
					reward_per_share: pool(dataset).reward_per_share,
					carry: 0,
					unallocated: 0,
					balance: 0,
				}
			);
			assert_eq!(pot(), ED);
		});
	}

	/// A small deterministic generator (xorshift64*), so that failures can be replayed.
	struct Rng(u64);

	impl Rng {
		fn next(&mut self) -> u64 {
			self.0 ^= self.0 >> 12;
			self.0 ^= self.0 << 25;
			self.0 ^= self.0 >> 27;
			self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
		}

		fn below(&mut self, n: u64) -> u64 {
			self.next() % n
		}

		fn pick<T: Copy>(&mut self, items: &[T]) -> T {
			items[self.below(items.len() as u64) as usize]
		}
	}

	/// The exact share of every credit each contributor should get, in floating point.
	#[derive(Default)]
	struct Model {
		shares: std::collections::BTreeMap<AccountId, u128>,
		unallocated: u128,
		ideal: std::collections::BTreeMap<AccountId, f64>,
		claimed: std::collections::BTreeMap<AccountId, u128>,
	}

	impl Model {
		fn credit(&mut self, amount: u128) {
			let total: u128 = self.shares.values().sum();
			if total == 0 {
				self.unallocated += amount;
				return;
			}
			let value = (amount + self.unallocated) as f64;
			self.unallocated = 0;
			for (who, shares) in &self.shares {
				*self.ideal.entry(*who).or_default() += value * *shares as f64 / total as f64;
			}
		}
	}

	#[test]
	fn random_sequences_conserve_every_unit() {
		let contributors = [BOB, CHARLIE, DAVE, 5, 6, 7, 8];
		for seed in 1..=24u64 {
			ExtBuilder::default().build_and_execute(|| {
				let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
				let datasets = [create(ALICE), create(ALICE), create(ALICE)];
				let mut models: Vec<Model> = datasets.iter().map(|_| Model::default()).collect();
				let mut paid_in: u128 = 0;
				let mut paid_out: u128 = 0;
				let (mut accepted, mut claims) = (0u32, 0u32);

				for _ in 0..250 {
					let d = rng.below(datasets.len() as u64) as usize;
					let dataset = datasets[d];
					let pending: Vec<ContributionId> = Contributions::<Test>::iter_keys().collect();
					match rng.below(8) {
						0 | 1 => {
							let who = rng.pick(&contributors);
							let weight = rng.below(1_000) as u32 + 1;
							let _ = DataRewards::submit_contribution(
								signed(who),
								dataset,
								hash(3),
								bounded(CONTRIBUTION_URI),
								1,
								weight,
							);
						},
						2 if !pending.is_empty() => {
							let id = rng.pick(&pending);
							let record = Contributions::<Test>::get(id).unwrap();
							let quality = rng.below(100) as u8 + 1;
							if DataRewards::accept_contribution(signed(CURATOR), id, quality)
								.is_ok()
							{
								let m = datasets.iter().position(|x| *x == record.dataset).unwrap();
								*models[m].shares.entry(record.contributor).or_default() +=
									shares_for(record.weight, quality);
								accepted += 1;
							} else {
								assert_ok!(DataRewards::reject_contribution(
									signed(CURATOR),
									id,
									bounded(b"full")
								));
							}
						},
						3 if !pending.is_empty() => {
							let id = rng.pick(&pending);
							let record = Contributions::<Test>::get(id).unwrap();
							assert_ok!(DataRewards::withdraw_contribution(
								signed(record.contributor),
								id
							));
						},
						4 => {
							let amount = rng.below(100_000) as u128 + 1;
							assert_ok!(DataRewards::top_up(signed(PAYER), dataset, amount));
							models[d].credit(amount);
							paid_in += amount;
						},
						5 => {
							let amount = rng.below(1_000_000) as u128;
							let mut left = 1_000_000_000u32;
							let mut lineage = Vec::new();
							for (i, id) in datasets.iter().enumerate() {
								let part = if i + 1 == datasets.len() && rng.below(2) == 0 {
									left
								} else {
									rng.below(u64::from(left) + 1) as u32
								};
								left -= part;
								lineage.push((*id, Perbill::from_parts(part)));
							}
							let before: Vec<Balance> =
								datasets.iter().map(|id| pool(*id).balance).collect();
							let credited = pay(&lineage, amount).unwrap();
							assert!(credited <= amount);
							let mut sum = 0;
							for (i, id) in datasets.iter().enumerate() {
								let part = pool(*id).balance - before[i];
								models[i].credit(part);
								sum += part;
							}
							assert_eq!(sum, credited);
							paid_in += credited;
						},
						_ => {
							let who = rng.pick(&contributors);
							let before = pot();
							if DataRewards::claim(signed(who), dataset).is_ok() {
								let amount = before - pot();
								*models[d].claimed.entry(who).or_default() += amount;
								paid_out += amount;
								claims += 1;
							}
						},
					}
					DataRewards::do_try_state().unwrap();
					let held: Balance = datasets.iter().map(|id| pool(*id).balance).sum();
					assert_eq!(paid_in, paid_out + held);
					assert_eq!(pot(), ED + held);
				}

				// The sequence did exercise the accounting.
				assert!(accepted > 0 && claims > 0 && paid_out > 0, "seed {seed}: a dull sequence");

				// Everyone claims what is left; at most one unit per contributor stays behind.
				for (d, dataset) in datasets.iter().enumerate() {
					for who in contributors {
						let before = pot();
						if DataRewards::claim(signed(who), *dataset).is_ok() {
							*models[d].claimed.entry(who).or_default() += before - pot();
						}
					}
					let p = pool(*dataset);
					let contributors_count =
						Datasets::<Test>::get(dataset).unwrap().contributors as u128;
					assert!(p.balance - p.unallocated <= contributors_count);
					assert_eq!(p.unallocated, models[d].unallocated);
					for (who, ideal) in &models[d].ideal {
						let got = models[d].claimed.get(who).copied().unwrap_or(0) as f64;
						// Floating point is only an approximation of the ideal share.
						assert!(got <= ideal + 1e-3, "seed {seed}: {who} got {got} > {ideal}");
						assert!(
							got > ideal - 1.0 - 1e-3,
							"seed {seed}: {who} got {got} << {ideal}"
						);
					}
				}
			});
		}
	}
}

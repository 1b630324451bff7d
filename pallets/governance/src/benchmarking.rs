//! Benchmarks of the governance pallet's calls, each in its worst case, over the lengths that
//! change its cost.
//!
//! Worst cases: proposals carry the longest call and title into a live list one short of
//! full; voters already hold `v - 1` locked votes (on finished proposals, written directly
//! into storage, as the live list may be shorter than the vote list); `unlock` drops `v`
//! votes; `close` sends a deposit to the treasury; `enact` decodes and dispatches the longest
//! remark as root; grants go into a list one short of full and pay a new account.

use super::*;
use crate::Pallet as Governance;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Inspect, tokens::Precision, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::{pallet_prelude::BlockNumberFor, RawOrigin},
	sp_runtime::traits::{One, Saturating, StaticLookup, Zero},
};

/// The bytes a remark call adds to its payload when encoded: pallet and call index and the
/// length prefix.
const REMARK_OVERHEAD: u32 = 8;

/// Checks that `event` was the last event deposited.
fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

/// The largest deposit of any track.
fn max_deposit<T: Config>() -> BalanceOf<T> {
	let base = TrackKind::ALL
		.into_iter()
		.map(|track| T::Tracks::info(track).deposit)
		.max()
		.unwrap_or_default();
	// Doubled for every proposal live on the track.
	base.saturating_mul(BalanceOf::<T>::from(1u32 << T::MaxLivePerTrack::get().min(31)))
}

/// An account with enough funds for many deposits and votes.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let amount = max_deposit::<T>()
		.saturating_mul(BalanceOf::<T>::from(T::MaxLiveProposals::get().saturating_add(2)))
		.saturating_add(T::Currency::minimum_balance().saturating_mul(1_000_000u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

/// The balance benchmark voters vote with.
fn voting_balance<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

/// A title of the maximum length.
fn max_title<T: Config>() -> Result<TitleOf<T>, BenchmarkError> {
	let len = usize::try_from(T::MaxTitleLen::get()).map_err(|_| "length does not fit")?;
	BoundedVec::try_from(alloc::vec![b't'; len]).map_err(|_| "title above its bound".into())
}

/// A remark call of (nearly) `len` encoded bytes.
fn remark_call<T: Config>(len: u32) -> Result<<T as Config>::RuntimeCall, BenchmarkError> {
	let payload =
		usize::try_from(len.saturating_sub(REMARK_OVERHEAD)).map_err(|_| "length does not fit")?;
	Ok(frame_system::Call::<T>::remark { remark: alloc::vec![0u8; payload] }.into())
}

/// Submits a proposal of `proposer` on `track` with a remark of `len` bytes; returns its
/// index.
fn submit<T: Config>(
	proposer: &T::AccountId,
	track: TrackKind,
	len: u32,
) -> Result<ProposalIndex, BenchmarkError> {
	let index = ProposalCount::<T>::get();
	Governance::<T>::propose(
		RawOrigin::Signed(proposer.clone()).into(),
		track,
		Box::new(remark_call::<T>(len)?),
		max_title::<T>()?,
		H256::repeat_byte(7),
	)?;
	Ok(index)
}

/// Fills the live list with `count` small proposals, by distinct proposers, spread over
/// the tracks that take any call (the Runtime track last, so the benchmarks that then
/// propose on it find it nearly full too).
fn fill_live<T: Config>(count: u32) -> Result<(), BenchmarkError> {
	let tracks =
		[TrackKind::Parameters, TrackKind::Curation, TrackKind::Treasury, TrackKind::Runtime];
	for (i, track) in (0..count).zip(tracks.iter().cycle()) {
		let proposer = funded::<T>("filler", i);
		submit::<T>(&proposer, *track, REMARK_OVERHEAD)?;
	}
	Ok(())
}

/// Records `count` aye votes of `who`, on finished proposals written directly into storage,
/// locked until `unlock_at`, and freezes their balance.
fn past_votes<T: Config>(
	who: &T::AccountId,
	count: u32,
	unlock_at: BlockNumberFor<T>,
) -> Result<(), BenchmarkError> {
	let now = frame_system::Pallet::<T>::block_number();
	let balance = voting_balance::<T>();
	let mut votes = VotingOf::<T>::get(who);
	for _ in 0..count {
		let index = ProposalCount::<T>::get();
		ProposalCount::<T>::put(index.saturating_add(1));
		let vote = Vote { kind: VoteKind::Aye, balance, conviction: Conviction::Locked4x };
		let record = VoteRecord { proposal: index, vote, turnout: balance, unlock_at };
		let mut tally = Tally::default();
		tally.add(&record);
		Proposals::<T>::insert(
			index,
			Proposal {
				proposer: who.clone(),
				track: TrackKind::Parameters,
				title: max_title::<T>()?,
				description_hash: H256::repeat_byte(1),
				call_hash: H256::repeat_byte(2),
				call_len: 0,
				deposit: Zero::zero(),
				submitted: now,
				voting_ends: now,
				status: ProposalStatus::Rejected { tally, decided_at: now },
			},
		);
		votes.try_push(record).map_err(|_| "too many votes")?;
	}
	if !votes.is_empty() {
		T::Currency::set_freeze(&FreezeReason::Vote.into(), who, balance)?;
		VotingOf::<T>::insert(who, votes);
	}
	Ok(())
}

/// A far future block: the lock end of votes that must stay locked.
fn far_future<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(1_000_000u32.into())
}

/// A conviction aye vote of the benchmark balance.
fn aye<T: Config>() -> VoteOf<T> {
	Vote { kind: VoteKind::Aye, balance: voting_balance::<T>(), conviction: Conviction::Locked4x }
}

/// Funds the treasury for `grants` maximal grants.
fn fund_treasury<T: Config>(grants: u32) {
	let amount = T::MaxGrant::get()
		.saturating_mul(BalanceOf::<T>::from(grants.saturating_add(1)))
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&Governance::<T>::account_id(), amount);
}

/// Awards a maximal grant to `beneficiary` and returns its id.
fn award<T: Config>(beneficiary: &T::AccountId) -> Result<GrantId, BenchmarkError> {
	let origin =
		T::TreasuryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let id = NextGrantId::<T>::get();
	Governance::<T>::grant(
		origin,
		T::Lookup::unlookup(beneficiary.clone()),
		T::MaxGrant::get(),
		H256::repeat_byte(3),
	)?;
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn propose(
		l: Linear<{ REMARK_OVERHEAD }, { T::MaxCallLen::get() }>,
	) -> Result<(), BenchmarkError> {
		fill_live::<T>(T::MaxLiveProposals::get().saturating_sub(1))?;
		let proposer = funded::<T>("proposer", 0);
		let call = remark_call::<T>(l)?;
		let index = ProposalCount::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(proposer.clone()),
			TrackKind::Runtime,
			Box::new(call),
			max_title::<T>()?,
			H256::repeat_byte(7),
		);

		let proposal = Proposals::<T>::get(index).ok_or("proposal not stored")?;
		assert_last_event::<T>(Event::Proposed {
			index,
			proposer,
			track: TrackKind::Runtime,
			deposit: proposal.deposit,
			voting_ends: proposal.voting_ends,
		});
		Ok(())
	}

	#[benchmark]
	fn vote(v: Linear<1, { T::MaxVotesPerAccount::get() }>) -> Result<(), BenchmarkError> {
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Parameters, REMARK_OVERHEAD)?;
		let voter = funded::<T>("voter", 0);
		past_votes::<T>(&voter, v.saturating_sub(1), far_future::<T>())?;
		let ballot = aye::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), index, ballot);

		assert_last_event::<T>(Event::Voted { index, who: voter, vote: ballot });
		Ok(())
	}

	#[benchmark]
	fn change_vote(v: Linear<1, { T::MaxVotesPerAccount::get() }>) -> Result<(), BenchmarkError> {
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Parameters, REMARK_OVERHEAD)?;
		let voter = funded::<T>("voter", 0);
		past_votes::<T>(&voter, v.saturating_sub(1), far_future::<T>())?;
		Governance::<T>::vote(RawOrigin::Signed(voter.clone()).into(), index, aye::<T>())?;
		let ballot = Vote {
			kind: VoteKind::Nay,
			balance: voting_balance::<T>().saturating_mul(2u32.into()),
			conviction: Conviction::Locked2x,
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), index, ballot);

		assert_last_event::<T>(Event::VoteChanged { index, who: voter, vote: ballot });
		Ok(())
	}

	#[benchmark]
	fn remove_vote(v: Linear<1, { T::MaxVotesPerAccount::get() }>) -> Result<(), BenchmarkError> {
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Parameters, REMARK_OVERHEAD)?;
		let voter = funded::<T>("voter", 0);
		past_votes::<T>(&voter, v.saturating_sub(1), far_future::<T>())?;
		Governance::<T>::vote(RawOrigin::Signed(voter.clone()).into(), index, aye::<T>())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), index);

		assert_last_event::<T>(Event::VoteRemoved { index, who: voter });
		Ok(())
	}

	#[benchmark]
	fn unlock(v: Linear<1, { T::MaxVotesPerAccount::get() }>) -> Result<(), BenchmarkError> {
		let voter = funded::<T>("voter", 0);
		past_votes::<T>(&voter, v, frame_system::Pallet::<T>::block_number())?;
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(voter.clone()));

		assert_last_event::<T>(Event::Unlocked { who: voter, votes: v, frozen: Zero::zero() });
		Ok(())
	}

	#[benchmark]
	fn close() -> Result<(), BenchmarkError> {
		// The most live proposals, so that taking this one out of the list costs the most.
		fill_live::<T>(T::MaxLiveProposals::get().saturating_sub(1))?;
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Runtime, REMARK_OVERHEAD)?;
		let proposal = Proposals::<T>::get(index).ok_or("proposal not stored")?;
		frame_system::Pallet::<T>::set_block_number(proposal.voting_ends);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), index);

		assert_last_event::<T>(Event::QuorumMissed {
			index,
			tally: Tally::default(),
			slashed: proposal.deposit,
		});
		Ok(())
	}

	#[benchmark]
	fn enact() -> Result<(), BenchmarkError> {
		// The most live proposals, all in the enactment queue ahead of this one, so that
		// taking it out of both costs the most.
		let fillers = T::MaxLiveProposals::get().saturating_sub(1);
		fill_live::<T>(fillers)?;
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Runtime, T::MaxCallLen::get())?;
		let mut proposal = Proposals::<T>::get(index).ok_or("proposal not stored")?;
		T::Currency::release(
			&HoldReason::ProposalDeposit.into(),
			&proposer,
			proposal.deposit,
			Precision::BestEffort,
		)?;
		let now = frame_system::Pallet::<T>::block_number();
		proposal.status = ProposalStatus::Approved {
			tally: Tally::default(),
			decided_at: now,
			enact_at: now.saturating_add(One::one()),
		};
		Proposals::<T>::insert(index, proposal);
		let queue: Vec<_> = (0..fillers)
			.map(|filler| (now, filler))
			.chain(core::iter::once((now.saturating_add(One::one()), index)))
			.collect();
		EnactmentQueue::<T>::put(BoundedVec::try_from(queue).map_err(|_| "queue too long")?);
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(One::one()));
		let max_weight = remark_call::<T>(T::MaxCallLen::get())?.get_dispatch_info().call_weight;
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), index, max_weight);

		assert_last_event::<T>(Event::ProposalEnacted { index, track: TrackKind::Runtime });
		Ok(())
	}

	#[benchmark]
	fn grant() -> Result<(), BenchmarkError> {
		let open = T::MaxOpenGrants::get().saturating_sub(1);
		fund_treasury::<T>(T::MaxOpenGrants::get());
		let filler: T::AccountId = account("filler", 0, 0);
		for _ in 0..open {
			award::<T>(&filler)?;
		}
		let origin =
			T::TreasuryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		let amount = T::MaxGrant::get();
		let id = NextGrantId::<T>::get();

		#[extrinsic_call]
		_(origin, T::Lookup::unlookup(beneficiary.clone()), amount, H256::repeat_byte(3));

		assert_last_event::<T>(Event::GrantAwarded {
			id,
			beneficiary,
			amount,
			purpose_hash: H256::repeat_byte(3),
		});
		Ok(())
	}

	#[benchmark]
	fn claim_grant() -> Result<(), BenchmarkError> {
		fund_treasury::<T>(1);
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		let id = award::<T>(&beneficiary)?;
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_last_event::<T>(Event::GrantPaid { id, beneficiary, amount: T::MaxGrant::get() });
		Ok(())
	}

	#[benchmark]
	fn cancel() -> Result<(), BenchmarkError> {
		// A full live list, and a proposal still voting, whose deposit goes to the treasury.
		fill_live::<T>(T::MaxLiveProposals::get().saturating_sub(1))?;
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Runtime, T::MaxCallLen::get())?;
		let deposit = Proposals::<T>::get(index).ok_or("proposal not stored")?.deposit;
		let origin =
			T::CancelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin, index);

		assert_last_event::<T>(Event::ProposalCancelled { index, slashed: deposit });
		Ok(())
	}

	#[benchmark]
	fn cancel_grant() -> Result<(), BenchmarkError> {
		fund_treasury::<T>(1);
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		let id = award::<T>(&beneficiary)?;
		let origin =
			T::TreasuryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin, id);

		assert_last_event::<T>(Event::GrantCancelled { id, amount: T::MaxGrant::get() });
		Ok(())
	}

	#[benchmark]
	fn prune_proposal() -> Result<(), BenchmarkError> {
		// A proposal that missed its quorum, past its retention.
		let proposer = funded::<T>("proposer", 0);
		let index = submit::<T>(&proposer, TrackKind::Runtime, T::MaxCallLen::get())?;
		let voting_ends = Proposals::<T>::get(index).ok_or("proposal not stored")?.voting_ends;
		frame_system::Pallet::<T>::set_block_number(voting_ends);
		Pallet::<T>::close(RawOrigin::Signed(proposer.clone()).into(), index)?;
		frame_system::Pallet::<T>::set_block_number(
			voting_ends.saturating_add(T::ProposalRetention::get()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(proposer), index);

		assert_last_event::<T>(Event::ProposalPruned { index });
		Ok(())
	}

	impl_benchmark_test_suite!(Governance, crate::mock::new_test_ext(), crate::mock::Test);
}

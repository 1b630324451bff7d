//! Tests of governance, one module per call in call-index order (proposals, voting and
//! freezes, closing and deposits, enactment with track origins including calls that fail,
//! the treasury and its grants, cancelling and pruning), then the hooks, the track origins,
//! the runtime API functions, scenarios across several calls (a grant's whole life, an
//! emergency cancel, the whale limits) and the invariants. Every test built with
//! `build_and_execute` ends with `do_try_state`.

use crate::{
	mock::{protocol, *},
	*,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::Pays,
		traits::{
			fungible::{Inspect, InspectFreeze, InspectHold, Mutate},
			tokens::{Fortitude, Preservation},
			EnsureOrigin, Get, Hooks,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, ModuleError},
};

const WITNESS: Weight = CALL_WEIGHT_LIMIT;

fn title() -> TitleOf<Test> {
	b"Lower the fee".to_vec().try_into().unwrap()
}

fn set_fee(fee: u32) -> Box<RuntimeCall> {
	Box::new(RuntimeCall::Protocol(protocol::Call::set_fee { fee }))
}

fn propose_on(who: u64, track: TrackKind, call: Box<RuntimeCall>) -> ProposalIndex {
	let index = ProposalCount::<Test>::get();
	assert_ok!(Governance::propose(RuntimeOrigin::signed(who), track, call, title(), H256::zero()));
	index
}

fn propose_fee(fee: u32) -> ProposalIndex {
	propose_on(ALICE, TrackKind::Parameters, set_fee(fee))
}

fn vote_of(kind: VoteKind, balance: u64, conviction: Conviction) -> VoteOf<Test> {
	Vote { kind, balance, conviction }
}

fn aye(balance: u64) -> VoteOf<Test> {
	vote_of(VoteKind::Aye, balance, Conviction::None)
}

fn nay(balance: u64) -> VoteOf<Test> {
	vote_of(VoteKind::Nay, balance, Conviction::None)
}

fn vote(who: u64, index: ProposalIndex, vote: VoteOf<Test>) {
	assert_ok!(Governance::vote(RuntimeOrigin::signed(who), index, vote));
}

fn proposal(index: ProposalIndex) -> Proposal<Test> {
	Proposals::<Test>::get(index).unwrap()
}

fn tally(index: ProposalIndex) -> TallyOf<Test> {
	proposal(index).status.tally()
}

fn run_to(block: u64) {
	System::set_block_number(block);
}

fn close(index: ProposalIndex) {
	run_to(proposal(index).voting_ends.max(System::block_number()));
	assert_ok!(Governance::close(RuntimeOrigin::signed(EVE), index));
}

/// Votes `index` through with Bob and Charlie (2 000 raw ayes: above every test quorum) and
/// closes it.
fn pass(index: ProposalIndex) {
	vote(BOB, index, aye(HOLDER));
	vote(CHARLIE, index, aye(HOLDER));
	close(index);
	assert!(matches!(proposal(index).status, ProposalStatus::Approved { .. }));
}

/// Passes `index` and enacts it once due.
fn pass_and_enact(index: ProposalIndex) {
	pass(index);
	if let ProposalStatus::Approved { enact_at, .. } = proposal(index).status {
		run_to(enact_at);
	}
	assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS));
}

fn frozen(who: u64) -> u64 {
	Balances::balance_frozen(&RuntimeFreezeReason::Governance(FreezeReason::Vote), &who)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Governance(HoldReason::ProposalDeposit), &who)
}

fn treasury() -> u64 {
	Balances::balance(&Governance::account_id())
}

fn fund_treasury(amount: u64) {
	assert_ok!(<Balances as Mutate<u64>>::transfer(
		&WHALE,
		&Governance::account_id(),
		amount,
		Preservation::Preserve
	));
}

fn event(event: Event<Test>) {
	System::assert_has_event(RuntimeEvent::Governance(event));
}

fn module_error(error: protocol::Error<Test>) -> DispatchError {
	let DispatchError::Module(ModuleError { index, error, .. }) = DispatchError::from(error) else {
		unreachable!()
	};
	DispatchError::Module(ModuleError { index, error, message: None })
}

/// The block `index` may be enacted at.
fn enact_at(index: ProposalIndex) -> u64 {
	match proposal(index).status {
		ProposalStatus::Approved { enact_at, .. } => enact_at,
		status => panic!("proposal {index} is not approved: {status:?}"),
	}
}

mod propose {
	use super::*;

	#[test]
	fn holds_the_deposit_and_opens_voting() {
		ExtBuilder.build_and_execute(|| {
			let call = set_fee(5);
			let encoded = codec::Encode::encode(&*call);
			let index = propose_fee(5);
			assert_eq!(index, 0);
			let record = proposal(0);
			assert_eq!(record.proposer, ALICE);
			assert_eq!(record.deposit, 100);
			assert_eq!(record.voting_ends, 11);
			assert_eq!(record.call_len as usize, encoded.len());
			assert_eq!(record.call_hash, H256(polkadot_sdk::sp_io::hashing::blake2_256(&encoded)));
			assert_eq!(ProposalCalls::<Test>::get(0).unwrap().into_inner(), encoded);
			assert_eq!(LiveProposals::<Test>::get().into_inner(), vec![0]);
			assert_eq!(held(ALICE), 100);
			event(Event::Proposed {
				index: 0,
				proposer: ALICE,
				track: TrackKind::Parameters,
				deposit: 100,
				voting_ends: 11,
			});
		});
	}

	#[test]
	fn rejects_bad_input() {
		ExtBuilder.build_and_execute(|| {
			let propose = |who, call, title: &[u8]| {
				Governance::propose(
					RuntimeOrigin::signed(who),
					TrackKind::Parameters,
					call,
					title.to_vec().try_into().unwrap(),
					H256::zero(),
				)
			};
			assert_noop!(propose(ALICE, set_fee(1), b""), Error::<Test>::InvalidTitle);
			assert_noop!(propose(ALICE, set_fee(1), &[0xff, 0xfe]), Error::<Test>::InvalidTitle);
			let long =
				Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![0; 200] }));
			assert_noop!(propose(ALICE, long, b"long"), Error::<Test>::CallTooLong);
			let heavy = Box::new(RuntimeCall::Protocol(protocol::Call::heavy {}));
			assert_noop!(propose(ALICE, heavy, b"heavy"), Error::<Test>::CallTooHeavy);
			assert_noop!(propose(NOBODY, set_fee(1), b"poor"), Error::<Test>::InsufficientBalance);
			assert_noop!(
				Governance::propose(
					RuntimeOrigin::root(),
					TrackKind::Parameters,
					set_fee(1),
					title(),
					H256::zero()
				),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn live_proposals_are_bounded() {
		ExtBuilder.build_and_execute(|| {
			propose_on(ALICE, TrackKind::Parameters, set_fee(0));
			propose_on(CHARLIE, TrackKind::Curation, set_fee(1));
			propose_on(DAVE, TrackKind::Treasury, set_fee(2));
			propose_on(EVE, TrackKind::Parameters, set_fee(3));
			assert_noop!(
				Governance::propose(
					RuntimeOrigin::signed(BOB),
					TrackKind::Parameters,
					set_fee(9),
					title(),
					H256::zero()
				),
				Error::<Test>::TooManyProposals
			);
			// Closing one frees a slot.
			close(0);
			propose_on(BOB, TrackKind::Parameters, set_fee(9));
		});
	}

	#[test]
	fn one_account_has_a_bounded_number_of_live_proposals() {
		ExtBuilder.build_and_execute(|| {
			propose_on(WHALE, TrackKind::Parameters, set_fee(1));
			propose_on(WHALE, TrackKind::Curation, set_fee(2));
			propose_on(WHALE, TrackKind::Treasury, set_fee(3));
			assert_noop!(
				Governance::propose(
					RuntimeOrigin::signed(WHALE),
					TrackKind::Runtime,
					set_fee(4),
					title(),
					H256::zero()
				),
				Error::<Test>::TooManyByProposer
			);
			assert_eq!(LiveByProposer::<Test>::get(WHALE), 3);
		});
	}

	#[test]
	fn a_flood_of_proposals_fills_one_track_at_a_doubling_price_and_leaves_the_others_open() {
		ExtBuilder.build_and_execute(|| {
			// The jammer uses a new account for every proposal: the price is what stops it.
			let base = TestTracks::info(TrackKind::Parameters).deposit;
			for (n, who) in [ALICE, BOB, CHARLIE].into_iter().enumerate() {
				assert_eq!(Governance::deposit_on(TrackKind::Parameters), base << n);
				let index = propose_on(who, TrackKind::Parameters, set_fee(n as u32));
				assert_eq!(proposal(index).deposit, base << n);
				assert_eq!(held(who), base << n);
			}
			// 100 + 200 + 400 locked, and the track is full.
			assert_noop!(
				Governance::propose(
					RuntimeOrigin::signed(DAVE),
					TrackKind::Parameters,
					set_fee(9),
					title(),
					H256::zero()
				),
				Error::<Test>::TrackFull
			);
			// Other tracks take proposals at their base deposit.
			let curation = propose_on(DAVE, TrackKind::Curation, set_fee(9));
			assert_eq!(proposal(curation).deposit, TestTracks::info(TrackKind::Curation).deposit);
			// A finished proposal frees its slot and lowers the price again.
			close_after_voting(0);
			assert_eq!(Governance::deposit_on(TrackKind::Parameters), base << 2);
			assert_eq!(LiveOnTrack::<Test>::get(TrackKind::Parameters), 2);
		});
	}

	/// Closes `index` once its voting period is over (nobody voted: its deposit is lost).
	fn close_after_voting(index: ProposalIndex) {
		run_to(proposal(index).voting_ends);
		close(index);
	}

	#[test]
	fn a_proposal_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			// The second live proposal on the track: twice the track's deposit.
			let deposit = Governance::deposit_on(TrackKind::Parameters);
			assert_eq!(deposit, 2 * TestTracks::info(TrackKind::Parameters).deposit);
			let propose_as = |who| {
				Governance::propose(
					RuntimeOrigin::signed(who),
					TrackKind::Parameters,
					set_fee(6),
					title(),
					H256::zero(),
				)
			};
			// Bob's vote freezes all of his balance but one unit less than a deposit.
			vote(BOB, index, aye(HOLDER - deposit + 1));
			assert_noop!(propose_as(BOB), Error::<Test>::FundsFrozen);

			// With exactly a deposit unfrozen, Bob may propose.
			assert_ok!(Governance::change_vote(
				RuntimeOrigin::signed(BOB),
				index,
				aye(HOLDER - deposit)
			));
			assert_ok!(propose_as(BOB));
			assert_eq!(held(BOB), deposit);
			assert_eq!(frozen(BOB), HOLDER - deposit);
			assert_eq!(Balances::balance(&BOB), HOLDER - deposit);
		});
	}

	#[test]
	fn the_emergency_track_carries_only_cancellations() {
		ExtBuilder.build_and_execute(|| {
			assert_noop!(
				Governance::propose(
					RuntimeOrigin::signed(ALICE),
					TrackKind::Emergency,
					set_fee(1),
					title(),
					H256::zero()
				),
				Error::<Test>::NotACancel
			);
			let target = propose_fee(1);
			let cancel = Box::new(RuntimeCall::Governance(crate::Call::cancel { index: target }));
			let index = propose_on(BOB, TrackKind::Emergency, cancel);
			assert_eq!(proposal(index).track, TrackKind::Emergency);
		});
	}
}

mod vote {
	use super::*;

	#[test]
	fn votes_are_weighted_by_conviction_and_frozen() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			vote(ALICE, index, vote_of(VoteKind::Aye, 600, Conviction::Locked2x));
			vote(BOB, index, nay(1_000));
			// Conviction is ignored for abstentions.
			vote(CHARLIE, index, vote_of(VoteKind::Abstain, 300, Conviction::Locked4x));
			assert_eq!(
				tally(index),
				Tally { ayes: 1_200, nays: 1_000, abstentions: 300, turnout: 1_900, voters: 3 }
			);
			assert_eq!(frozen(ALICE), 600);
			assert_eq!(frozen(BOB), 1_000);
			assert_eq!(frozen(CHARLIE), 300);
			let records = VotingOf::<Test>::get(ALICE);
			assert_eq!(records[0].unlock_at, 11 + 10);
			assert_eq!(VotingOf::<Test>::get(CHARLIE)[0].unlock_at, 11);
			// Frozen tokens cannot leave the account.
			assert_eq!(
				Balances::reducible_balance(&BOB, Preservation::Expendable, Fortitude::Polite),
				0
			);
			event(Event::Voted { index, who: BOB, vote: nay(1_000) });
		});
	}

	#[test]
	fn one_freeze_covers_all_votes_at_the_largest_amount() {
		ExtBuilder.build_and_execute(|| {
			let first = propose_fee(1);
			let second = propose_fee(2);
			vote(DAVE, first, aye(300));
			vote(DAVE, second, nay(700));
			assert_eq!(frozen(DAVE), 700);
			assert_ok!(Governance::remove_vote(RuntimeOrigin::signed(DAVE), second));
			assert_eq!(frozen(DAVE), 300);
			assert_ok!(Governance::remove_vote(RuntimeOrigin::signed(DAVE), first));
			assert_eq!(frozen(DAVE), 0);
			assert!(!VotingOf::<Test>::contains_key(DAVE));
		});
	}

	#[test]
	fn rejects_every_error() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			let try_vote =
				|who, index, vote| Governance::vote(RuntimeOrigin::signed(who), index, vote);
			assert_noop!(try_vote(BOB, 42, aye(10)), Error::<Test>::UnknownProposal);
			assert_noop!(try_vote(BOB, index, aye(0)), Error::<Test>::ZeroVote);
			assert_noop!(try_vote(BOB, index, aye(HOLDER + 1)), Error::<Test>::InsufficientFunds);
			// Double vote.
			vote(BOB, index, aye(10));
			assert_noop!(try_vote(BOB, index, nay(10)), Error::<Test>::AlreadyVoted);
			// Too many votes.
			let others = [
				propose_on(CHARLIE, TrackKind::Curation, set_fee(6)),
				propose_on(DAVE, TrackKind::Treasury, set_fee(7)),
				propose_on(EVE, TrackKind::Parameters, set_fee(8)),
			];
			vote(BOB, others[0], aye(10));
			vote(BOB, others[1], aye(10));
			assert_noop!(try_vote(BOB, others[2], aye(10)), Error::<Test>::TooManyVotes);
			// After the voting period, before close.
			run_to(proposal(index).voting_ends);
			assert_noop!(try_vote(CHARLIE, index, aye(10)), Error::<Test>::VotingEnded);
			// After close.
			close(index);
			assert_noop!(try_vote(CHARLIE, index, aye(10)), Error::<Test>::NotOngoing);
		});
	}

	#[test]
	fn a_vote_cannot_use_held_funds() {
		ExtBuilder.build_and_execute(|| {
			// Alice's deposit is held: her total is still HOLDER, her free balance is not.
			let index = propose_fee(5);
			let deposit = TestTracks::info(TrackKind::Parameters).deposit;
			assert_eq!(Balances::total_balance(&ALICE), HOLDER);
			let free = HOLDER - deposit;
			assert_eq!(Balances::balance(&ALICE), free);

			let try_vote = |vote| Governance::vote(RuntimeOrigin::signed(ALICE), index, vote);
			assert_noop!(try_vote(aye(free + 1)), Error::<Test>::InsufficientFunds);
			assert_noop!(try_vote(aye(HOLDER)), Error::<Test>::InsufficientFunds);
			assert_ok!(try_vote(aye(free)));
			assert_eq!(frozen(ALICE), free);

			let change = |vote| Governance::change_vote(RuntimeOrigin::signed(ALICE), index, vote);
			assert_noop!(change(nay(free + 1)), Error::<Test>::InsufficientFunds);
			assert_ok!(change(nay(free)));
		});
	}

	#[test]
	fn the_multiplier_is_bounded() {
		assert_eq!(Conviction::Locked4x.multiplier(), MAX_MULTIPLIER);
		for conviction in
			[Conviction::None, Conviction::Locked2x, Conviction::Locked3x, Conviction::Locked4x]
		{
			assert!(conviction.multiplier() <= MAX_MULTIPLIER);
			assert!(conviction.multiplier() >= 1);
		}
		assert_eq!(Conviction::Locked4x.lock_periods(), 4);
	}
}

mod change_vote {
	use super::*;

	#[test]
	fn updates_tally_and_freeze() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			vote(BOB, index, aye(400));
			let new = vote_of(VoteKind::Nay, 800, Conviction::Locked3x);
			assert_ok!(Governance::change_vote(RuntimeOrigin::signed(BOB), index, new));
			assert_eq!(
				tally(index),
				Tally { ayes: 0, nays: 2_400, abstentions: 0, turnout: 800, voters: 1 }
			);
			assert_eq!(frozen(BOB), 800);
			assert_eq!(VotingOf::<Test>::get(BOB)[0].unlock_at, 11 + 20);
			event(Event::VoteChanged { index, who: BOB, vote: new });

			let change =
				|who, vote| Governance::change_vote(RuntimeOrigin::signed(who), index, vote);
			assert_noop!(change(CHARLIE, aye(1)), Error::<Test>::NotVoted);
			assert_noop!(change(BOB, aye(0)), Error::<Test>::ZeroVote);
			assert_noop!(change(BOB, aye(HOLDER + 1)), Error::<Test>::InsufficientFunds);
			run_to(11);
			assert_noop!(change(BOB, aye(1)), Error::<Test>::VotingEnded);
			close(index);
			assert_noop!(change(BOB, aye(1)), Error::<Test>::NotOngoing);
		});
	}
}

mod remove_vote {
	use super::*;

	#[test]
	fn only_while_open() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			vote(BOB, index, aye(400));
			vote(CHARLIE, index, aye(100));
			assert_noop!(
				Governance::remove_vote(RuntimeOrigin::signed(DAVE), index),
				Error::<Test>::NotVoted
			);
			assert_ok!(Governance::remove_vote(RuntimeOrigin::signed(BOB), index));
			assert_eq!(
				tally(index),
				Tally { ayes: 100, turnout: 100, voters: 1, ..Default::default() }
			);
			assert_eq!(frozen(BOB), 0);
			event(Event::VoteRemoved { index, who: BOB });
			run_to(11);
			assert_noop!(
				Governance::remove_vote(RuntimeOrigin::signed(CHARLIE), index),
				Error::<Test>::VotingEnded
			);
			close(index);
			assert_noop!(
				Governance::remove_vote(RuntimeOrigin::signed(CHARLIE), index),
				Error::<Test>::NotOngoing
			);
		});
	}
}

mod unlock {
	use super::*;

	#[test]
	fn after_close_and_lock_end() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			vote(BOB, index, vote_of(VoteKind::Aye, 1_000, Conviction::Locked2x));
			vote(CHARLIE, index, aye(1_000));
			let unlock = |who| Governance::unlock(RuntimeOrigin::signed(EVE), who);
			assert_noop!(unlock(DAVE), Error::<Test>::NotVoting);
			// Too early: voting still open.
			assert_noop!(unlock(CHARLIE), Error::<Test>::StillLocked);
			// Voting over but not closed: the tally still counts the vote.
			run_to(11);
			assert_noop!(unlock(CHARLIE), Error::<Test>::StillLocked);
			close(index);
			// No conviction: unlockable once closed.
			assert_ok!(unlock(CHARLIE));
			assert_eq!(frozen(CHARLIE), 0);
			event(Event::Unlocked { who: CHARLIE, votes: 1, frozen: 0 });
			// Conviction 2x: one locking period after the voting period.
			assert_noop!(unlock(BOB), Error::<Test>::StillLocked);
			run_to(20);
			assert_noop!(unlock(BOB), Error::<Test>::StillLocked);
			run_to(21);
			assert_ok!(unlock(BOB));
			assert_eq!(frozen(BOB), 0);
			assert!(!VotingOf::<Test>::contains_key(BOB));
		});
	}

	#[test]
	fn keeps_the_largest_remaining_lock() {
		ExtBuilder.build_and_execute(|| {
			let short = propose_on(ALICE, TrackKind::Curation, set_fee(1));
			let long = propose_fee(2);
			vote(DAVE, short, aye(900));
			vote(DAVE, long, aye(200));
			assert_eq!(frozen(DAVE), 900);
			close(short);
			assert_eq!(Governance::voter_details(DAVE).frozen_after_unlock, 200);
			assert_ok!(Governance::unlock(RuntimeOrigin::signed(DAVE), DAVE));
			assert_eq!(frozen(DAVE), 200);
			assert_eq!(VotingOf::<Test>::get(DAVE).len(), 1);
		});
	}
}

mod close {
	use super::*;

	#[test]
	fn rejects_every_error() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			assert_noop!(
				Governance::close(RuntimeOrigin::signed(EVE), 7),
				Error::<Test>::UnknownProposal
			);
			assert_noop!(
				Governance::close(RuntimeOrigin::signed(EVE), index),
				Error::<Test>::VotingStillOpen
			);
			close(index);
			assert_noop!(
				Governance::close(RuntimeOrigin::signed(EVE), index),
				Error::<Test>::NotOngoing
			);
		});
	}

	#[test]
	fn approved_proposals_get_their_deposit_back() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			vote(BOB, index, aye(HOLDER));
			vote(CHARLIE, index, nay(600));
			close(index);
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::balance(&ALICE), HOLDER);
			let expected =
				Tally { ayes: 1_000, nays: 600, abstentions: 0, turnout: 1_600, voters: 2 };
			assert_eq!(
				proposal(index).status,
				ProposalStatus::Approved { tally: expected, decided_at: 11, enact_at: 13 }
			);
			event(Event::ProposalApproved { index, tally: expected, enact_at: 13 });
			// Still live until enacted.
			assert!(ProposalCalls::<Test>::contains_key(index));
		});
	}

	#[test]
	fn rejected_proposals_with_quorum_get_their_deposit_back() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			// Ayes equal to nays do not pass a 50 % threshold: approval must be strictly above.
			vote(BOB, index, aye(800));
			vote(CHARLIE, index, nay(800));
			close(index);
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::balance(&ALICE), HOLDER);
			assert!(matches!(proposal(index).status, ProposalStatus::Rejected { .. }));
			assert!(!ProposalCalls::<Test>::contains_key(index));
			assert!(LiveProposals::<Test>::get().is_empty());
			event(Event::ProposalRejected { index, tally: tally(index) });
		});
	}

	#[test]
	fn spam_without_quorum_pays_its_deposit_to_the_treasury() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			// 1 500 raw tokens: below the 15 % quorum of 10 001 (1 501).
			vote(BOB, index, aye(1_000));
			vote(CHARLIE, index, aye(500));
			assert_eq!(Governance::quorum(&TestTracks::info(TrackKind::Parameters)), 1_501);
			close(index);
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::balance(&ALICE), HOLDER - 100);
			assert_eq!(treasury(), 1 + 100);
			assert!(matches!(
				proposal(index).status,
				ProposalStatus::QuorumMissed { slashed: 100, .. }
			));
			event(Event::QuorumMissed { index, tally: tally(index), slashed: 100 });
		});
	}

	#[test]
	fn treasury_track_needs_its_higher_approval() {
		ExtBuilder.build_and_execute(|| {
			let grant = || {
				Box::new(RuntimeCall::Governance(Call::grant {
					beneficiary: EVE,
					amount: 10,
					purpose_hash: H256::zero(),
				}))
			};
			// 60 % ayes is not strictly above the 60 % threshold.
			let index = propose_on(ALICE, TrackKind::Treasury, grant());
			vote(BOB, index, aye(900));
			vote(CHARLIE, index, nay(600));
			vote(DAVE, index, vote_of(VoteKind::Abstain, 100, Conviction::None));
			close(index);
			assert!(matches!(proposal(index).status, ProposalStatus::Rejected { .. }));
			// 61 % passes.
			let index = propose_on(ALICE, TrackKind::Treasury, grant());
			vote(BOB, index, aye(915));
			vote(CHARLIE, index, nay(585));
			vote(DAVE, index, vote_of(VoteKind::Abstain, 100, Conviction::None));
			close(index);
			assert!(matches!(proposal(index).status, ProposalStatus::Approved { .. }));
		});
	}

	#[test]
	fn rejected_and_unquorate_proposals_are_never_queued() {
		ExtBuilder.build_and_execute(|| {
			let rejected = propose_fee(1);
			vote(BOB, rejected, nay(HOLDER));
			vote(CHARLIE, rejected, nay(HOLDER));
			close(rejected);
			let unquorate = propose_fee(2);
			close(unquorate);
			assert!(EnactmentQueue::<Test>::get().is_empty());
		});
	}
}

mod enact {
	use super::*;

	#[test]
	fn dispatches_with_the_track_origin() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(42);
			pass(index);
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS),
				Error::<Test>::EnactmentNotDue
			);
			run_to(13);
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), index, Weight::from_parts(9_999, 0)),
				Error::<Test>::WeightWitnessTooLow
			);
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS));
			assert_eq!(protocol::Fee::<Test>::get(), 42);
			assert!(matches!(
				proposal(index).status,
				ProposalStatus::Enacted { enacted_at: 13, .. }
			));
			assert!(!ProposalCalls::<Test>::contains_key(index));
			event(Event::ProposalEnacted { index, track: TrackKind::Parameters });
			// Enacted once only.
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS),
				Error::<Test>::NotApproved
			);
		});
	}

	#[test]
	fn rejects_unknown_and_undecided_proposals() {
		ExtBuilder.build_and_execute(|| {
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), 3, WITNESS),
				Error::<Test>::UnknownProposal
			);
			let index = propose_fee(1);
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS),
				Error::<Test>::NotApproved
			);
		});
	}

	#[test]
	fn takes_the_proposal_out_of_the_queue() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(42);
			pass(index);
			run_to(enact_at(index));
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS));
			assert!(EnactmentQueue::<Test>::get().is_empty());
			// The hook finds nothing to enact twice.
			Governance::on_idle(System::block_number(), Weight::MAX);
			assert_eq!(protocol::Fee::<Test>::get(), 42);
		});
	}

	#[test]
	fn a_failing_call_is_recorded_and_never_retried() {
		ExtBuilder.build_and_execute(|| {
			protocol::Fee::<Test>::put(7);
			let index = propose_on(
				ALICE,
				TrackKind::Parameters,
				Box::new(RuntimeCall::Protocol(protocol::Call::fail {})),
			);
			pass_and_enact(index);
			// The call's own write was reverted.
			assert_eq!(protocol::Fee::<Test>::get(), 7);
			let error = EnactmentError::Dispatch(module_error(protocol::Error::<Test>::Refused));
			assert!(matches!(
				proposal(index).status,
				ProposalStatus::EnactmentFailed { error: recorded, .. } if recorded == error
			));
			event(Event::EnactmentFailed { index, track: TrackKind::Parameters, error });
			assert!(LiveProposals::<Test>::get().is_empty());
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS),
				Error::<Test>::NotApproved
			);
		});
	}

	#[test]
	fn a_call_of_another_track_fails_its_origin_check() {
		ExtBuilder.build_and_execute(|| {
			// Banning a model belongs to the Curation track, not to Parameters.
			let index = propose_on(
				ALICE,
				TrackKind::Parameters,
				Box::new(RuntimeCall::Protocol(protocol::Call::ban { model: 3 })),
			);
			pass_and_enact(index);
			assert!(!protocol::Banned::<Test>::contains_key(3));
			event(Event::EnactmentFailed {
				index,
				track: TrackKind::Parameters,
				error: EnactmentError::Dispatch(DispatchError::BadOrigin),
			});
			// On its own track it works.
			let index = propose_on(
				ALICE,
				TrackKind::Curation,
				Box::new(RuntimeCall::Protocol(protocol::Call::ban { model: 3 })),
			);
			pass_and_enact(index);
			assert!(protocol::Banned::<Test>::contains_key(3));
		});
	}

	#[test]
	fn the_runtime_track_dispatches_as_root() {
		ExtBuilder.build_and_execute(|| {
			let key = b"deai:upgraded".to_vec();
			let call = Box::new(RuntimeCall::System(frame_system::Call::set_storage {
				items: vec![(key.clone(), b"yes".to_vec())],
			}));
			let index = propose_on(ALICE, TrackKind::Runtime, call);
			// 20 % of 10 001: Bob, Charlie and Dave (3 000 raw tokens).
			vote(BOB, index, aye(HOLDER));
			vote(CHARLIE, index, aye(HOLDER));
			vote(DAVE, index, aye(HOLDER));
			close(index);
			run_to(System::block_number() + 5);
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS));
			assert_eq!(
				polkadot_sdk::sp_io::storage::get(&key).map(|v| v.to_vec()),
				Some(b"yes".to_vec())
			);
			event(Event::ProposalEnacted { index, track: TrackKind::Runtime });
		});
	}

	#[test]
	fn calls_that_became_too_heavy_or_undecodable_are_recorded() {
		ExtBuilder.build_and_execute(|| {
			let heavy = propose_fee(1);
			let garbled = propose_fee(2);
			for index in [heavy, garbled] {
				vote(BOB, index, aye(HOLDER));
				vote(CHARLIE, index, aye(HOLDER));
			}
			close(heavy);
			close(garbled);
			run_to(System::block_number() + 2);
			// A runtime upgrade made `set_fee` heavier than governance allows...
			MaxCallWeight::set(Weight::from_parts(1_000, 1_000));
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), heavy, WITNESS));
			event(Event::EnactmentFailed {
				index: heavy,
				track: TrackKind::Parameters,
				error: EnactmentError::TooHeavy,
			});
			MaxCallWeight::set(CALL_WEIGHT_LIMIT);
			// ...and another one removed the pallet of a stored call.
			ProposalCalls::<Test>::insert(
				garbled,
				CallOf::<Test>::try_from(vec![200u8, 0]).unwrap(),
			);
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), garbled, WITNESS));
			event(Event::EnactmentFailed {
				index: garbled,
				track: TrackKind::Parameters,
				error: EnactmentError::Undecodable,
			});
			assert_eq!(protocol::Fee::<Test>::get(), 0);
			assert!(LiveProposals::<Test>::get().is_empty());
		});
	}
}

mod grant {
	use super::*;

	#[test]
	fn grants_are_bounded() {
		ExtBuilder.build_and_execute(|| {
			let treasury_origin = || RuntimeOrigin::from(Origin::Track(TrackKind::Treasury));
			let grant = |origin, amount| Governance::grant(origin, EVE, amount, H256::zero());
			assert_noop!(grant(RuntimeOrigin::signed(WHALE), 10), DispatchError::BadOrigin);
			assert_noop!(
				grant(RuntimeOrigin::from(Origin::Track(TrackKind::Parameters)), 10),
				DispatchError::BadOrigin
			);
			assert_noop!(grant(treasury_origin(), 0), Error::<Test>::GrantBelowMinimum);
			assert_noop!(grant(treasury_origin(), 2_001), Error::<Test>::GrantTooLarge);
			assert_noop!(grant(treasury_origin(), 10), Error::<Test>::InsufficientTreasury);
			fund_treasury(2_500);
			assert_ok!(grant(treasury_origin(), 2_000));
			// The treasury keeps its existential deposit and open grants stay covered.
			assert_noop!(grant(treasury_origin(), 501), Error::<Test>::InsufficientTreasury);
			assert_ok!(grant(RuntimeOrigin::root(), 500));
			fund_treasury(100);
			assert_noop!(grant(treasury_origin(), 10), Error::<Test>::TooManyGrants);
		});
	}
}

mod claim_grant {
	use super::*;

	#[test]
	fn fails_when_the_treasury_cannot_pay() {
		ExtBuilder.build_and_execute(|| {
			// A grant committed against funds that are then gone (e.g. by a faulty migration)
			// cannot be paid; it stays open until the Treasury track cancels it.
			fund_treasury(1_000);
			assert_ok!(Governance::grant(RuntimeOrigin::root(), EVE, 800, H256::zero()));
			Balances::set_balance(&Governance::account_id(), 500);
			assert_noop!(
				Governance::claim_grant(RuntimeOrigin::signed(EVE), 0),
				Error::<Test>::InsufficientTreasury
			);
			assert_ok!(Governance::cancel_grant(RuntimeOrigin::root(), 0));
			assert_eq!(Balances::balance(&EVE), HOLDER);
		});
	}
}

mod cancel_grant {
	use super::*;

	#[test]
	fn frees_the_commitment() {
		ExtBuilder.build_and_execute(|| {
			fund_treasury(1_000);
			let treasury_origin = || RuntimeOrigin::from(Origin::Track(TrackKind::Treasury));
			assert_ok!(Governance::grant(treasury_origin(), EVE, 800, H256::zero()));
			assert_noop!(
				Governance::cancel_grant(RuntimeOrigin::signed(EVE), 0),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Governance::cancel_grant(treasury_origin(), 1),
				Error::<Test>::UnknownGrant
			);
			assert_ok!(Governance::cancel_grant(treasury_origin(), 0));
			assert_eq!(Committed::<Test>::get(), 0);
			event(Event::GrantCancelled { id: 0, amount: 800 });
			assert_noop!(
				Governance::claim_grant(RuntimeOrigin::signed(EVE), 0),
				Error::<Test>::UnknownGrant
			);
			assert_eq!(Balances::balance(&EVE), HOLDER);
		});
	}
}

mod cancel {
	use super::*;

	#[test]
	fn needs_the_cancel_origin_and_a_live_proposal() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(1);
			assert_noop!(
				Governance::cancel(RuntimeOrigin::signed(ALICE), index),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Governance::cancel(
					RuntimeOrigin::from(Origin::Track(TrackKind::Parameters)),
					index
				),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Governance::cancel(RuntimeOrigin::root(), 42),
				Error::<Test>::UnknownProposal
			);
			// An open proposal stopped in an emergency loses its deposit to the treasury.
			let before = treasury();
			let deposit = proposal(index).deposit;
			assert_ok!(Governance::cancel(RuntimeOrigin::root(), index));
			assert_eq!(treasury(), before + deposit);
			assert_eq!(held(ALICE), 0);
			assert_eq!(LiveOnTrack::<Test>::get(TrackKind::Parameters), 0);
			assert_eq!(LiveByProposer::<Test>::get(ALICE), 0);
			assert_noop!(Governance::cancel(RuntimeOrigin::root(), index), Error::<Test>::NotLive);
		});
	}
}

mod prune_proposal {
	use super::*;

	/// Finished proposals used to stay in storage forever, paid by nobody once their deposit
	/// was settled; anyone may now prune one after `ProposalRetention` (20 blocks in the mock).
	#[test]
	fn a_finished_proposal_is_pruned_after_its_retention_and_its_votes_still_unlock() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(7);
			assert_noop!(
				Governance::prune_proposal(RuntimeOrigin::signed(EVE), 99),
				Error::<Test>::UnknownProposal
			);
			// Live proposals are never pruned: ongoing...
			assert_noop!(
				Governance::prune_proposal(RuntimeOrigin::signed(EVE), index),
				Error::<Test>::ProposalRetained
			);
			vote(BOB, index, vote_of(VoteKind::Aye, HOLDER, Conviction::Locked2x));
			vote(CHARLIE, index, aye(HOLDER));
			close(index);
			// ... nor approved and waiting for enactment.
			assert_noop!(
				Governance::prune_proposal(RuntimeOrigin::signed(EVE), index),
				Error::<Test>::ProposalRetained
			);
			let ProposalStatus::Approved { enact_at, .. } = proposal(index).status else {
				panic!("the proposal passed")
			};
			run_to(enact_at);
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), index, WITNESS));
			// Finished, but retained for 20 blocks.
			run_to(enact_at + 19);
			assert_noop!(
				Governance::prune_proposal(RuntimeOrigin::signed(EVE), index),
				Error::<Test>::ProposalRetained
			);
			run_to(enact_at + 20);
			let pruned = Governance::prune_proposal(RuntimeOrigin::signed(EVE), index);
			assert_eq!(pruned.map(|info| info.pays_fee), Ok(Pays::No));
			assert!(Proposals::<Test>::get(index).is_none());
			event(Event::ProposalPruned { index });
			Governance::do_try_state().unwrap();
			// Bob's vote on it still unlocks once its lock has passed.
			assert!(frozen(BOB) > 0);
			run_to(enact_at + 1_000);
			assert_ok!(Governance::unlock(RuntimeOrigin::signed(EVE), BOB));
			assert_eq!(frozen(BOB), 0);
			Governance::do_try_state().unwrap();
		});
	}
}

mod on_idle {
	use super::*;

	#[test]
	fn due_proposals_are_enacted_within_the_spare_weight() {
		ExtBuilder.build_and_execute(|| {
			let first = propose_fee(42);
			let second = propose_fee(43);
			for index in [first, second] {
				vote(BOB, index, aye(HOLDER));
				vote(CHARLIE, index, aye(HOLDER));
			}
			close(first);
			close(second);
			let due = enact_at(first);
			assert_eq!(enact_at(second), due);
			// Queued in approval order, for the block their delay ends.
			assert_eq!(EnactmentQueue::<Test>::get().into_inner(), vec![(due, first), (due, second)]);

			// Before that block the hook does nothing.
			run_to(due - 1);
			Governance::on_idle(due - 1, Weight::MAX);
			assert_eq!(EnactmentQueue::<Test>::get().len(), 2);
			assert_eq!(protocol::Fee::<Test>::get(), 0);

			// What the hook needs spare for one enactment: reading the queue, then `enact` and
			// the heaviest call a proposal may carry.
			let one = <<Test as frame_system::Config>::DbWeight as Get<
				polkadot_sdk::frame_support::weights::RuntimeDbWeight,
			>>::get()
			.reads(1)
			.saturating_add(<Test as Config>::WeightInfo::enact())
			.saturating_add(CALL_WEIGHT_LIMIT);

			// Due, but a block without that much spare weight enacts nothing.
			run_to(due);
			Governance::on_idle(due, one.saturating_sub(Weight::from_parts(1, 0)));
			assert_eq!(EnactmentQueue::<Test>::get().len(), 2);

			// Spare weight for exactly one: the earliest is enacted, the other waits.
			Governance::on_idle(due, one);
			assert!(
				matches!(proposal(first).status, ProposalStatus::Enacted { enacted_at, .. } if enacted_at == due)
			);
			event(Event::ProposalEnacted { index: first, track: TrackKind::Parameters });
			assert_eq!(protocol::Fee::<Test>::get(), 42);
			assert_eq!(EnactmentQueue::<Test>::get().into_inner(), vec![(due, second)]);

			// The next block has room: the second follows, and the queue is empty.
			run_to(due + 1);
			Governance::on_idle(due + 1, Weight::MAX);
			assert!(matches!(proposal(second).status, ProposalStatus::Enacted { .. }));
			assert_eq!(protocol::Fee::<Test>::get(), 43);
			assert!(EnactmentQueue::<Test>::get().is_empty());
			assert!(LiveProposals::<Test>::get().is_empty());
			// Nothing left to do, and enacting again by hand is refused.
			Governance::on_idle(due + 2, Weight::MAX);
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), first, WITNESS),
				Error::<Test>::NotApproved
			);
		});
	}

	#[test]
	fn a_failing_call_enacted_by_the_hook_is_recorded_and_not_retried() {
		ExtBuilder.build_and_execute(|| {
			protocol::Fee::<Test>::put(7);
			let index = propose_on(
				ALICE,
				TrackKind::Parameters,
				Box::new(RuntimeCall::Protocol(protocol::Call::fail {})),
			);
			pass(index);
			let due = enact_at(index);
			run_to(due);
			Governance::on_idle(due, Weight::MAX);
			assert!(matches!(proposal(index).status, ProposalStatus::EnactmentFailed { .. }));
			assert_eq!(protocol::Fee::<Test>::get(), 7);
			assert!(EnactmentQueue::<Test>::get().is_empty());
		});
	}
}

mod integrity_test {
	use super::*;

	#[test]
	fn accepts_the_mock_configuration() {
		ExtBuilder.build_and_execute(|| {
			<Governance as Hooks<u64>>::integrity_test();
			assert_eq!(Governance::tracks().len(), 5);
		});
	}
}

mod genesis_build {
	use super::*;

	#[test]
	fn creates_the_treasury_with_the_existential_deposit() {
		ExtBuilder.build_and_execute(|| {
			assert_eq!(treasury(), 1);
			assert_eq!(Balances::total_issuance(), 10_001);
		});
	}
}

mod ensure_track {
	use super::*;

	#[test]
	fn track_origins_pass_only_their_checks() {
		ExtBuilder.build_and_execute(|| {
			let parameters = || RuntimeOrigin::from(Origin::Track(TrackKind::Parameters));
			let curation = || RuntimeOrigin::from(Origin::Track(TrackKind::Curation));
			assert_ok!(EnsureTrack::<ParametersTrack>::try_origin(parameters()));
			assert!(EnsureTrack::<ParametersTrack>::try_origin(curation()).is_err());
			assert!(EnsureTrack::<ParametersTrack>::try_origin(RuntimeOrigin::root()).is_err());
			assert!(
				EnsureTrack::<ParametersTrack>::try_origin(RuntimeOrigin::signed(ALICE)).is_err()
			);
			assert_eq!(EnsureAnyTrack::try_origin(curation()).ok(), Some(TrackKind::Curation));
			assert!(EnsureAnyTrack::try_origin(RuntimeOrigin::signed(ALICE)).is_err());
			// A signed account cannot reach a governed call.
			assert_noop!(
				Protocol::set_fee(RuntimeOrigin::signed(WHALE), 1),
				DispatchError::BadOrigin
			);
			assert_ok!(Protocol::set_fee(parameters(), 1));
		});
	}
}

mod governance_api {
	use super::*;

	#[test]
	fn shows_proposals_and_votes() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_fee(5);
			vote(BOB, index, vote_of(VoteKind::Aye, 1_000, Conviction::Locked2x));
			let open = Governance::open_proposals();
			assert_eq!(open.len(), 1);
			assert_eq!(open[0].index, index);
			assert_eq!(open[0].quorum, 1_501);
			assert_eq!(open[0].title, title().into_inner());
			assert!(!open[0].passing);
			vote(CHARLIE, index, aye(600));
			assert!(Governance::proposal_details(index).unwrap().passing);
			let bob = Governance::voter_details(BOB);
			assert_eq!(bob.frozen, 1_000);
			assert_eq!(bob.frozen_after_unlock, 1_000);
			assert_eq!(bob.votes.len(), 1);
			assert!(Governance::proposal_details(9).is_none());
			close(index);
			assert_eq!(Governance::open_proposals().len(), 1);
			let treasury = Governance::treasury_details();
			assert_eq!(treasury.account, Governance::account_id());
			assert_eq!(treasury.available, 0);
			assert!(Governance::open_grants().is_empty());
		});
	}
}

mod scenarios {
	use super::*;

	#[test]
	fn a_treasury_proposal_pays_a_grant() {
		ExtBuilder.build_and_execute(|| {
			fund_treasury(3_000);
			let call = Box::new(RuntimeCall::Governance(Call::grant {
				beneficiary: NOBODY,
				amount: 1_500,
				purpose_hash: H256::repeat_byte(9),
			}));
			let index = propose_on(ALICE, TrackKind::Treasury, call);
			pass_and_enact(index);
			event(Event::GrantAwarded {
				id: 0,
				beneficiary: NOBODY,
				amount: 1_500,
				purpose_hash: H256::repeat_byte(9),
			});
			assert_eq!(Committed::<Test>::get(), 1_500);
			assert_eq!(Governance::open_grants().len(), 1);
			let details = Governance::treasury_details();
			assert_eq!(details.balance, 3_001);
			assert_eq!(details.available, 3_000 - 1_500);
			assert_ok!(Governance::claim_grant(RuntimeOrigin::signed(EVE), 0));
			assert_eq!(Balances::balance(&NOBODY), 1_500);
			assert_eq!(treasury(), 1_501);
			assert_eq!(Committed::<Test>::get(), 0);
			event(Event::GrantPaid { id: 0, beneficiary: NOBODY, amount: 1_500 });
			assert_noop!(
				Governance::claim_grant(RuntimeOrigin::signed(EVE), 0),
				Error::<Test>::UnknownGrant
			);
		});
	}

	#[test]
	fn an_approved_proposal_is_stopped_by_an_emergency_vote_before_it_is_enacted() {
		ExtBuilder.build_and_execute(|| {
			// A harmful fee change passes.
			let harmful = propose_fee(999);
			vote(WHALE, harmful, aye(WHALE_BALANCE));
			vote(BOB, harmful, aye(HOLDER));
			run_to(proposal(harmful).voting_ends);
			close(harmful);
			let ProposalStatus::Approved { enact_at, .. } = proposal(harmful).status else {
				panic!("the harmful proposal is approved");
			};
			// Within its enactment delay, an emergency vote cancels it.
			let cancel = Box::new(RuntimeCall::Governance(crate::Call::cancel { index: harmful }));
			let emergency = propose_on(CHARLIE, TrackKind::Emergency, cancel);
			vote(ALICE, emergency, aye(HOLDER));
			vote(DAVE, emergency, aye(HOLDER));
			vote(EVE, emergency, aye(HOLDER));
			run_to(proposal(emergency).voting_ends);
			assert!(System::block_number() < enact_at);
			close(emergency);
			assert_ok!(Governance::enact(RuntimeOrigin::signed(EVE), emergency, WITNESS));
			event(Event::ProposalCancelled { index: harmful, slashed: 0 });
			assert!(matches!(
				proposal(harmful).status,
				ProposalStatus::Cancelled { slashed: 0, .. }
			));
			// Its enactment block passes: nothing is enacted.
			run_to(enact_at + 1);
			assert!(protocol::Fee::<Test>::get() != 999);
			assert!(EnactmentQueue::<Test>::get().is_empty());
			assert_noop!(
				Governance::enact(RuntimeOrigin::signed(EVE), harmful, WITNESS),
				Error::<Test>::NotApproved
			);
		});
	}

	/// The whale holds half of the issuance. Alone it cannot pass anything: its vote counts at
	/// most 10 % of the issuance toward the 15 % quorum, and conviction never counts toward
	/// turnout. Smaller holders who lock longer out-vote it when it does not lock, and its own
	/// conviction is bounded at 4x.
	#[test]
	fn a_single_whale_cannot_pass_a_proposal_alone() {
		ExtBuilder.build_and_execute(|| {
			let index = propose_on(WHALE, TrackKind::Parameters, set_fee(1));
			// The whale votes with its free balance (its deposit is held and does not vote), but
			// for the deposit of its next proposal, which a vote lock may not pay.
			let stake = WHALE_BALANCE - 200;
			vote(WHALE, index, vote_of(VoteKind::Aye, stake, Conviction::Locked4x));
			let counted = tally(index);
			assert_eq!(counted.ayes, stake * u64::from(MAX_MULTIPLIER));
			assert_eq!(counted.turnout, 1_000);
			assert!(counted.turnout < Governance::quorum(&TestTracks::info(TrackKind::Parameters)));
			close(index);
			assert!(matches!(proposal(index).status, ProposalStatus::QuorumMissed { .. }));
			assert_eq!(Balances::balance(&WHALE), WHALE_BALANCE - 100);

			// With quorum reached, three holders locking 4x out-vote an unlocked whale...
			let index = propose_on(WHALE, TrackKind::Parameters, set_fee(2));
			vote(WHALE, index, aye(4_000));
			for holder in [BOB, CHARLIE, DAVE] {
				vote(holder, index, vote_of(VoteKind::Nay, 400, Conviction::Locked4x));
			}
			assert_eq!(tally(index).nays, 4_800);
			close(index);
			assert!(matches!(proposal(index).status, ProposalStatus::Rejected { .. }));
			assert_eq!(protocol::Fee::<Test>::get(), 0);
		});
	}
}

mod try_state {
	use super::*;

	#[test]
	fn detects_a_broken_enactment_queue() {
		ExtBuilder.build().execute_with(|| {
			let index = propose_fee(42);
			pass(index);
			assert_ok!(Governance::do_try_state());
			// An approved proposal missing from the queue.
			EnactmentQueue::<Test>::kill();
			assert!(Governance::do_try_state().is_err());
			// Queued for the wrong block.
			EnactmentQueue::<Test>::put(
				BoundedVec::try_from(vec![(enact_at(index) + 1, index)]).unwrap(),
			);
			assert!(Governance::do_try_state().is_err());
			// An ongoing proposal in the queue.
			let ongoing = propose_fee(43);
			EnactmentQueue::<Test>::put(
				BoundedVec::try_from(vec![(enact_at(index), index), (99, ongoing)]).unwrap(),
			);
			assert!(Governance::do_try_state().is_err());
		});
	}

	#[test]
	fn catches_broken_invariants() {
		ExtBuilder.build().execute_with(|| {
			let index = propose_fee(5);
			vote(BOB, index, aye(500));
			assert_ok!(Governance::do_try_state());
			// A tally that differs from the recorded votes.
			Proposals::<Test>::mutate(index, |p| {
				p.as_mut().unwrap().status =
					ProposalStatus::Ongoing { tally: Tally { ayes: 1, ..Default::default() } }
			});
			assert!(Governance::do_try_state().is_err());
			Proposals::<Test>::mutate(index, |p| {
				p.as_mut().unwrap().status = ProposalStatus::Ongoing {
					tally: Tally { ayes: 500, turnout: 500, voters: 1, ..Default::default() },
				}
			});
			assert_ok!(Governance::do_try_state());
			// A freeze that is not the largest vote.
			assert_ok!(<Balances as polkadot_sdk::frame_support::traits::fungible::MutateFreeze<
				u64,
			>>::set_freeze(
				&RuntimeFreezeReason::Governance(FreezeReason::Vote), &BOB, 400
			));
			assert!(Governance::do_try_state().is_err());
			assert_ok!(<Balances as polkadot_sdk::frame_support::traits::fungible::MutateFreeze<
				u64,
			>>::set_freeze(
				&RuntimeFreezeReason::Governance(FreezeReason::Vote), &BOB, 500
			));
			// A decided proposal that still holds its deposit.
			Proposals::<Test>::mutate(index, |p| {
				p.as_mut().unwrap().status =
					ProposalStatus::Rejected { tally: Default::default(), decided_at: 1 }
			});
			LiveProposals::<Test>::kill();
			ProposalCalls::<Test>::remove(index);
			assert!(Governance::do_try_state().is_err());
		});
	}
}

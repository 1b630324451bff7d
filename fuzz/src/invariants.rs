//! The invariants: what must hold after every block (the crate docs list them), and the one
//! checked after every transaction that put funds on hold. Each check returns what broke as
//! text, which the case reports with its seed and block.

use deai_runtime::{
	configs::{RuntimeBlockWeights, MAXIMUM_BLOCK_LENGTH},
	AllPalletsWithSystem, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, System,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::DispatchClass,
		traits::{IntegrityTest, TryState, TryStateSelect},
	},
	frame_system, pallet_balances,
};

/// The accounts a transaction put funds on hold for (its events from `from` on) whose free
/// balance no longer covers their freezes: the hold took frozen funds.
pub(crate) fn holds_of_frozen_funds(from: u32) -> Vec<String> {
	System::events()
		.iter()
		.skip(from as usize)
		.filter_map(|record| match &record.event {
			RuntimeEvent::Balances(pallet_balances::Event::Held { reason, who, amount }) => {
				let account = System::account(who).data;
				(account.free < account.frozen).then(|| {
					format!(
						"{who} put {amount} on hold ({reason:?}) out of frozen funds: free {} < \
						 frozen {}",
						account.free, account.frozen
					)
				})
			},
			_ => None,
		})
		.collect()
}

/// The bounds on who gains from a slash, from the block's events (see the crate docs).
fn check_slash_payouts() -> Result<(), String> {
	let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
	for event in &events {
		if let RuntimeEvent::ComputeStaking(pallet_compute_staking::Event::Slashed {
			worker,
			job,
			from_worker,
			to_payee,
			..
		}) = event
		{
			if to_payee > from_worker {
				return Err(format!(
					"job {job}: the payee of {worker}'s slash got {to_payee}, more than the \
					 {from_worker} of the worker's own stake"
				));
			}
		}
		if let RuntimeEvent::Inference(pallet_inference::Event::ChallengeResolved {
			job,
			confirmed: false,
			loser,
			reexecution_paid,
			rewarded,
			..
		}) = event
		{
			let sent = events
				.iter()
				.find_map(|e| match e {
					RuntimeEvent::ComputeStaking(pallet_compute_staking::Event::Slashed {
						worker,
						job: slashed_job,
						to_payee,
						..
					}) if worker == loser && slashed_job == job => Some(*to_payee),
					_ => None,
				})
				.unwrap_or_default();
			if reexecution_paid.saturating_add(*rewarded) > sent {
				return Err(format!(
					"job {job}: the re-execution ({reexecution_paid}) and the challenger \
					 ({rewarded}) were paid more than the {sent} the loser's stake sent"
				));
			}
		}
	}
	Ok(())
}

/// The invariants that hold after every block (see the crate docs).
pub fn check_block(
	number: BlockNumber,
	issuance_before: Balance,
	length: u32,
) -> Result<(), String> {
	// Weight, per class and for the whole block.
	let limits = RuntimeBlockWeights::get();
	let used = System::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		if let Some(max) = limits.get(class).max_total {
			if !used.get(class).all_lte(max) {
				return Err(format!("{class:?} weight {:?} above {max:?}", used.get(class)));
			}
		}
	}
	if !used.total().all_lte(limits.max_block) {
		return Err(format!("block weight {:?} above {:?}", used.total(), limits.max_block));
	}
	if length > MAXIMUM_BLOCK_LENGTH {
		return Err(format!("block length {length} above {MAXIMUM_BLOCK_LENGTH}"));
	}

	// Issuance: changed only by mint and burn events, and equal to what accounts hold.
	let issuance = Balances::total_issuance();
	let (mut minted, mut burned) = (0u128, 0u128);
	for record in System::events() {
		if let RuntimeEvent::Balances(event) = record.event {
			match event {
				pallet_balances::Event::Minted { amount, .. }
				| pallet_balances::Event::Issued { amount } => minted = minted.saturating_add(amount),
				// Dust of reaped accounts is dropped (`DustRemoval = ()`), which burns it.
				pallet_balances::Event::Burned { amount, .. }
				| pallet_balances::Event::Rescinded { amount }
				| pallet_balances::Event::DustLost { amount, .. } => burned = burned.saturating_add(amount),
				_ => {},
			}
		}
	}
	let expected = issuance_before.saturating_add(minted).saturating_sub(burned);
	if issuance != expected {
		let events: Vec<String> =
			System::events().iter().map(|record| format!("{:?}", record.event)).collect();
		return Err(format!(
			"total issuance {issuance} but {issuance_before} + minted {minted} - burned {burned} = \
			 {expected}; the block's events: {events:#?}"
		));
	}
	let mut held_total = 0u128;
	for (who, account) in frame_system::Account::<Runtime>::iter() {
		held_total =
			held_total.saturating_add(account.data.free).saturating_add(account.data.reserved);
		let holds: Balance = pallet_balances::Holds::<Runtime>::get(&who)
			.iter()
			.fold(0, |sum, hold| sum.saturating_add(hold.amount));
		if holds > account.data.reserved {
			return Err(format!(
				"{who} has {holds} on hold but only {} reserved",
				account.data.reserved
			));
		}
	}
	if held_total != issuance {
		return Err(format!("accounts hold {held_total} in all, total issuance is {issuance}"));
	}

	check_slash_payouts()?;

	// Every pallet's own invariants.
	AllPalletsWithSystem::integrity_test();
	<AllPalletsWithSystem as TryState<BlockNumber>>::try_state(number, TryStateSelect::All)
		.map_err(|e| format!("try_state: {e:?}"))
}

//! Enactment: an approved proposal waits in the [`EnactmentQueue`] for its track's delay,
//! then its call is dispatched once with the track's origin, by `on_idle` ([`Pallet::enact_due`])
//! or by anyone's `enact`; the outcome (enacted, or failed and never retried) is recorded.

use crate::*;
use codec::DecodeLimit;
use polkadot_sdk::{
	frame_support::{
		dispatch::{extract_actual_weight, DispatchResultWithPostInfo, GetDispatchInfo},
		traits::Get,
		weights::Weight,
	},
	frame_system,
	sp_runtime::{traits::Dispatchable, DispatchError},
};

impl<T: Config> Pallet<T> {
	/// The origin proposals of `track` are enacted with: root for the Runtime track, the
	/// track's [`Origin`] otherwise.
	pub(crate) fn track_origin(track: TrackKind) -> <T as Config>::RuntimeOrigin {
		match track {
			TrackKind::Runtime => frame_system::RawOrigin::Root.into(),
			other => Origin::Track(other).into(),
		}
	}

	/// The body of [`Pallet::enact`]: enacts a due approved proposal (see
	/// [`Self::enact_proposal`]) and charges the caller only for the weight it used.
	pub(crate) fn do_enact(index: ProposalIndex, max_weight: Weight) -> DispatchResultWithPostInfo {
		let used = Self::enact_proposal(index, max_weight)?;
		Ok(Some(used).into())
	}

	/// Enacts approved proposal `index` if its enactment delay has passed: dispatches its call
	/// once with its track's origin, provided the call weighs at most `max_weight`. Records
	/// the outcome (enacted, or failed and never retried) and takes the proposal out of the
	/// live list and the enactment queue. Returns the weight used: `enact`'s own and the
	/// call's actual weight.
	pub(crate) fn enact_proposal(
		index: ProposalIndex,
		max_weight: Weight,
	) -> Result<Weight, DispatchError> {
		let mut proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		let (tally, enact_at) = match proposal.status {
			ProposalStatus::Approved { tally, enact_at, .. } => (tally, enact_at),
			_ => return Err(Error::<T>::NotApproved.into()),
		};
		let now = frame_system::Pallet::<T>::block_number();
		frame_support::ensure!(now >= enact_at, Error::<T>::EnactmentNotDue);
		let encoded = ProposalCalls::<T>::get(index).unwrap_or_default();

		let mut used = Weight::zero();
		let outcome = match <T as Config>::RuntimeCall::decode_all_with_depth_limit(
			MAX_CALL_DECODE_DEPTH,
			&mut &encoded[..],
		) {
			Err(_) => Err(EnactmentError::Undecodable),
			Ok(call) => {
				let info = call.get_dispatch_info();
				if !info.call_weight.all_lte(T::MaxCallWeight::get()) {
					Err(EnactmentError::TooHeavy)
				} else {
					frame_support::ensure!(
						info.call_weight.all_lte(max_weight),
						Error::<T>::WeightWitnessTooLow
					);
					let result = call.dispatch(Self::track_origin(proposal.track));
					used = extract_actual_weight(&result, &info);
					result
						.map(|_| ())
						.map_err(|error| EnactmentError::Dispatch(error.error.stripped()))
				}
			},
		};

		let track = proposal.track;
		match outcome {
			Ok(()) => {
				proposal.status = ProposalStatus::Enacted { tally, enacted_at: now };
				Self::deposit_event(Event::ProposalEnacted { index, track });
			},
			Err(error) => {
				log::info!(
					target: LOG_TARGET,
					"proposal {index} failed to enact: {error:?}"
				);
				proposal.status = ProposalStatus::EnactmentFailed { tally, enacted_at: now, error };
				Self::deposit_event(Event::EnactmentFailed { index, track, error });
			},
		}
		Self::finish(index, &proposal);
		Proposals::<T>::insert(index, proposal);
		Ok(T::WeightInfo::enact().saturating_add(used))
	}

	/// Puts approved proposal `index` in the enactment queue, due at `enact_at`, after every
	/// proposal due at or before it.
	pub(crate) fn schedule(
		index: ProposalIndex,
		enact_at: frame_system::pallet_prelude::BlockNumberFor<T>,
	) -> Result<(), DispatchError> {
		EnactmentQueue::<T>::try_mutate(|queue| {
			let position = queue.iter().position(|(due, _)| *due > enact_at).unwrap_or(queue.len());
			queue.try_insert(position, (enact_at, index))
		})
		.map_err(|_| Error::<T>::TooManyProposals.into())
	}

	/// Enacts the due proposals of the enactment queue, earliest first, while `remaining`
	/// covers the worst case of the next one (`enact` plus the heaviest call a proposal may
	/// carry). Bounded by the queue's length (`MaxLiveProposals`) and by the weight; a
	/// proposal that does not fit waits for a later block, or for anyone's `enact`. Returns
	/// the weight used.
	pub fn enact_due(
		now: frame_system::pallet_prelude::BlockNumberFor<T>,
		remaining: Weight,
	) -> Weight {
		let db = T::DbWeight::get();
		let mut used = db.reads(1);
		if !used.all_lte(remaining) {
			return Weight::zero();
		}
		let worst = T::WeightInfo::enact().saturating_add(T::MaxCallWeight::get());
		for (due, index) in EnactmentQueue::<T>::get() {
			if due > now || !used.saturating_add(worst).all_lte(remaining) {
				break;
			}
			match Self::enact_proposal(index, T::MaxCallWeight::get()) {
				Ok(weight) => used = used.saturating_add(weight),
				Err(error) => {
					// Never expected: the queue holds only approved proposals. Drop the entry
					// so that it cannot stop the queue.
					log::warn!(
						target: LOG_TARGET,
						"queued proposal {index} could not be enacted: {error:?}"
					);
					EnactmentQueue::<T>::mutate(|queue| {
						queue.retain(|(_, queued)| *queued != index)
					});
					used = used.saturating_add(T::WeightInfo::enact()).saturating_add(db.writes(1));
				},
			}
		}
		used
	}
}

//! What a case did: how many blocks and transactions it made, and how often each DeAI event
//! was emitted, which shows how deep its random calls got into the protocol.

use deai_runtime::RuntimeEvent;

/// What one case did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
	/// Blocks built and checked.
	pub blocks: u32,
	/// Transactions applied (valid ones, whether their calls succeeded or not).
	pub applied: u32,
	/// Of those, the calls that succeeded.
	pub succeeded: u32,
	/// Transactions refused as invalid (rolled back, as a block builder drops them).
	pub invalid: u32,
	/// How often each event of the DeAI pallets was emitted (`Pallet::Event`): how deep
	/// the case got into the protocol.
	pub events: std::collections::BTreeMap<String, u32>,
}

impl Stats {
	/// Adds `other` to these.
	pub fn add(&mut self, other: &Stats) {
		self.blocks = self.blocks.saturating_add(other.blocks);
		self.applied = self.applied.saturating_add(other.applied);
		self.succeeded = self.succeeded.saturating_add(other.succeeded);
		self.invalid = self.invalid.saturating_add(other.invalid);
		for (name, count) in &other.events {
			let total = self.events.entry(name.clone()).or_default();
			*total = total.saturating_add(*count);
		}
	}
}

/// `Pallet::Event` for an event of a DeAI pallet.
pub(crate) fn deai_event_name(event: &RuntimeEvent) -> Option<String> {
	let pallet = match event {
		RuntimeEvent::ModelRegistry(_) => "ModelRegistry",
		RuntimeEvent::DataRewards(_) => "DataRewards",
		RuntimeEvent::ComputeStaking(_) => "ComputeStaking",
		RuntimeEvent::Inference(_) => "Inference",
		RuntimeEvent::Governance(_) => "Governance",
		_ => return None,
	};
	let text = format!("{event:?}");
	// `Pallet(Event::Name { .. })`
	let name = text.split("Event::").nth(1)?.split([' ', '(', '{', ')']).next()?.to_string();
	Some(format!("{pallet}::{name}"))
}

//! `pallet_authorship`: who authored the current block.

use crate::{Aura, CollatorSelection, Runtime};
use polkadot_sdk::{pallet_authorship, pallet_session};

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	/// Collator selection records when each collator last authored (to kick idle ones).
	type EventHandler = (CollatorSelection,);
}

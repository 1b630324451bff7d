//! The runtime API through which dapps (`api.call.modelRegistryApi.*` in polkadot-js) and
//! the DeAI worker read models without knowing the pallet's storage layout.
//!
//! The runtime implements it by calling the pallet's plain functions:
//!
//! ```ignore
//! impl pallet_model_registry::runtime_api::ModelRegistryApi<Block, AccountId, Balance,
//!     ModelDetails<Runtime>> for Runtime
//! {
//!     fn model(id: ModelId) -> Option<ModelDetails<Runtime>> {
//!         ModelRegistry::model_details(id)
//!     }
//!     fn version_history(id: ModelId) -> Vec<ModelDetails<Runtime>> {
//!         ModelRegistry::version_history(id)
//!     }
//!     fn latest_active_version(id: ModelId) -> Option<ModelId> {
//!         ModelRegistry::latest_active_in_family(id)
//!     }
//!     fn models_of(owner: AccountId) -> Vec<ModelId> {
//!         ModelRegistry::models_of(owner)
//!     }
//!     fn fine_tunes_of(id: ModelId) -> Vec<ModelId> {
//!         ModelRegistry::fine_tunes_of(id)
//!     }
//!     fn max_royalty() -> Perbill {
//!         ModelRegistry::max_royalty()
//!     }
//!     fn deposit_for_bytes(bytes: u32) -> Balance {
//!         ModelRegistry::deposit_for_bytes(bytes)
//!     }
//! }
//! ```

use alloc::vec::Vec;
use codec::Codec;
use deai_primitives::model::ModelId;
use polkadot_sdk::sp_runtime::Perbill;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads the model registry. `Details` is the runtime's [`ModelDetails`](crate::ModelDetails).
	pub trait ModelRegistryApi<AccountId, Balance, Details>
	where
		AccountId: Codec,
		Balance: Codec,
		Details: Codec,
	{
		/// The full record of model `id`, with its retirement reason and any pending
		/// ownership offer, or `None` if it does not exist.
		fn model(id: ModelId) -> Option<Details>;

		/// The full records of every version of the family of `id` (a family id or any of
		/// its versions), oldest first; empty if there is no such family.
		fn version_history(id: ModelId) -> Vec<Details>;

		/// The newest active version of the family of `id`, if any.
		fn latest_active_version(id: ModelId) -> Option<ModelId>;

		/// The ids of the models `owner` owns.
		fn models_of(owner: AccountId) -> Vec<ModelId>;

		/// The ids of the models fine-tuned from model `id`.
		fn fine_tunes_of(id: ModelId) -> Vec<ModelId>;

		/// The highest royalty rate a model owner may set.
		fn max_royalty() -> Perbill;

		/// The deposit a model record of `bytes` encoded bytes costs.
		fn deposit_for_bytes(bytes: u32) -> Balance;
	}
}

/// The pallet's answers to the runtime API.
mod views {
	use crate::*;
	use alloc::vec::Vec;
	use deai_primitives::model::ModelId;
	use polkadot_sdk::sp_runtime::Perbill;

	impl<T: Config> Pallet<T> {
		/// The highest royalty rate a model owner may set.
		pub fn max_royalty() -> Perbill {
			MaxRoyalty::<T>::get()
		}

		/// Everything known about the model `id` (for the runtime API).
		pub fn model_details(id: ModelId) -> Option<ModelDetails<T>> {
			let model = Models::<T>::get(id)?;
			let effective_royalty = model.terms.royalty.min(MaxRoyalty::<T>::get());
			Some(ModelDetails {
				id,
				model,
				effective_royalty,
				retirement_reason: Retirements::<T>::get(id).map(|retirement| retirement.reason),
				pending_owner: PendingTransfers::<T>::get(id),
			})
		}

		/// The details of every version of the family of `id` (a family id or any of its
		/// versions), oldest first (for the runtime API).
		pub fn version_history(id: ModelId) -> Vec<ModelDetails<T>> {
			Self::family_of(id)
				.and_then(Families::<T>::get)
				.map(|versions| versions.iter().filter_map(|v| Self::model_details(*v)).collect())
				.unwrap_or_default()
		}

		/// The ids of the models `owner` owns (for the runtime API).
		pub fn models_of(owner: T::AccountId) -> Vec<ModelId> {
			OwnedModels::<T>::iter_key_prefix(owner).collect()
		}

		/// The ids of the models fine-tuned from `id` (for the runtime API).
		pub fn fine_tunes_of(id: ModelId) -> Vec<ModelId> {
			FineTunes::<T>::iter_key_prefix(id).collect()
		}
	}
}

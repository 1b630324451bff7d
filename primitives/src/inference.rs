//! Inference jobs: their ids and the types the inference pallet, the worker and third-party
//! verifiers share.

/// The id of an inference job. Ids are never reused.
pub type JobId = u64;

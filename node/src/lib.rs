//! The library side of `deai-node`: the chain specs it has built in, shared by the binary
//! and by the tests that keep `chain-specs/` in step with the runtime, and the
//! `benchmark pallet` command.

pub mod benchmark;
pub mod chain_spec;

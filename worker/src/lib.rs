//! # deai-worker
//!
//! The off-chain inference worker of the DeAI parachain. It follows a node over WebSocket,
//! runs the jobs the chain assigns to it with candle, and submits commitments, attested
//! reveals and heartbeats. See the crate's README section in the repository README and
//! `../shared/ARCHITECTURE.md` ("Off-chain worker").
//!
//! - [`config`]: the TOML configuration and its checks.
//! - [`keys`]: the account and attestation keys.
//! - [`store`]: the crash-safe local store of salts, outputs and submissions.
//! - [`model`]: loading a model after checking its hash, running it, canonical outputs.
//! - [`chain`]: the typed subxt client.
//! - [`runner`]: the main loop.
//! - [`metrics`]: Prometheus metrics.
//! - [`bench`]: the latency benchmark of `deai-worker bench`.

pub mod bench;
pub mod chain;
pub mod config;
pub mod fetch;
pub mod keys;
pub mod metrics;
pub mod model;
pub mod runner;
pub mod store;

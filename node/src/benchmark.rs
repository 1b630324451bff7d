//! `deai-node benchmark pallet`: measures the weights of the runtime's calls.
//!
//! Omni-node only offers this command when the whole node is compiled with the
//! `runtime-benchmarks` feature, which rebuilds most of polkadot-sdk a second time (more
//! than an hour on a 2-core machine). The command itself needs no such feature: it executes
//! a runtime Wasm that was built with `runtime-benchmarks`. So `deai-node` runs it directly,
//! and `scripts/benchmark.sh` builds only that Wasm and passes it with `--runtime`.
//!
//! `--chain` (a DeAI chain spec name such as `dev`, or a file) is accepted too, for runtimes
//! embedded in a chain spec.

use crate::chain_spec::DeaiChainSpecLoader;
use polkadot_omni_node_lib::chain_spec::LoadSpec;
use polkadot_sdk::{
	cumulus_primitives_proof_size_hostfunction::storage_proof_size,
	frame_benchmarking_cli::PalletCmd, sc_cli::clap::Parser, sp_runtime::traits::BlakeTwo256,
};
use std::ffi::OsString;

/// The host functions the DeAI runtime needs besides Substrate's and the benchmarking ones:
/// the storage-proof-size function of Cumulus' weight reclaim.
type ExtraHostFunctions = storage_proof_size::HostFunctions;

/// Whether `args` (the whole command line, program name first) asks for
/// `benchmark pallet`.
pub fn is_benchmark_pallet(args: &[OsString]) -> bool {
	matches!(
		(args.get(1).and_then(|a| a.to_str()), args.get(2).and_then(|a| a.to_str())),
		(Some("benchmark"), Some("pallet"))
	)
}

/// Runs `benchmark pallet` with the arguments that follow it in `args`.
pub fn run_benchmark_pallet(args: Vec<OsString>) -> Result<(), String> {
	let program = OsString::from("deai-node benchmark pallet");
	let rest = args.into_iter().skip(3);
	let cmd = PalletCmd::parse_from(std::iter::once(program).chain(rest));
	let chain = cmd
		.shared_params
		.chain
		.as_ref()
		.map(|name| DeaiChainSpecLoader.load_spec(name))
		.transpose()?;
	cmd.run_with_spec::<BlakeTwo256, ExtraHostFunctions>(chain)
		.map_err(|error| format!("benchmark pallet failed: {error}"))
}

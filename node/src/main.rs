//! # deai-node
//!
//! The DeAI collator: the polkadot-sdk omni-node with the DeAI runtime's chain specs built
//! in, so that `deai-node --dev` starts a development chain with no file at hand, and
//! `benchmark pallet` available in the normal build (see [`deai_node::benchmark`]).
//!
//! Everything else is omni-node's: `--dev-block-time`, `--instant-seal`,
//! `chain-spec-builder`, `export-genesis-head`, `export-genesis-wasm`, the other
//! `benchmark` commands,
//! Prometheus metrics, and running as a collator of a relay chain (`-- <relay args>`).

use deai_node::{benchmark, chain_spec};
use polkadot_omni_node_lib::{run, runtime::DefaultRuntimeResolver, CliConfig, RunConfig};

/// What `deai-node --version` and `--help` say about the binary.
struct DeaiCli;

impl CliConfig for DeaiCli {
	fn impl_version() -> String {
		env!("CARGO_PKG_VERSION").to_string()
	}

	fn description(executable_name: String) -> String {
		format!(
			"The DeAI parachain collator.\n\n\
			Run a development chain with `{executable_name} --dev`. As a collator of a relay \
			chain, arguments after `--` go to the embedded relay chain node:\n\n\
			{executable_name} [parachain-args] -- [relay-chain-args]"
		)
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").to_string()
	}

	fn support_url() -> String {
		"https://github.com/deai-network/deai/issues".to_string()
	}

	fn copyright_start_year() -> u16 {
		2026
	}
}

fn main() -> color_eyre::eyre::Result<()> {
	color_eyre::install()?;
	let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
	if benchmark::is_benchmark_pallet(&args) {
		return benchmark::run_benchmark_pallet(args).map_err(|e| color_eyre::eyre::eyre!(e));
	}
	let config =
		RunConfig::new(Box::new(DefaultRuntimeResolver), Box::new(chain_spec::DeaiChainSpecLoader));
	Ok(run::<DeaiCli>(config)?)
}

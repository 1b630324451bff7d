//! The worker's TOML configuration, with the messages a user sees when it is wrong.
//!
//! Relative paths in the file are taken relative to the file's own directory, so a config
//! and the keys and models next to it can be moved together.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
};

/// Where the models are run.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Device {
	/// The CPU (always available).
	#[default]
	Cpu,
	/// The first CUDA GPU (needs a worker built with the `cuda` feature).
	Cuda,
}

/// What a served model is, so the worker knows how to run it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
	/// A BERT sentence encoder (config.json, model.safetensors, tokenizer.json): mean-pooled,
	/// L2-normalized embeddings, as sentence-transformers computes them.
	BertEmbedding,
}

/// One model this worker serves.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
	/// Its id in the model registry.
	pub id: u64,
	/// The directory holding its files.
	pub path: PathBuf,
	/// How to run it.
	pub backend: Backend,
}

/// The worker's configuration file.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The node's WebSocket RPC endpoint.
	pub node_url: String,
	/// The file holding the account's secret (a secret URI such as `//Charlie`, a
	/// `0x`-prefixed 32-byte seed, or a mnemonic): it signs transactions.
	pub account_key_file: PathBuf,
	/// The file holding the attestation key's secret (same forms): it signs results.
	pub attestation_key_file: PathBuf,
	/// The worker's local store (a redb file).
	pub store_path: PathBuf,
	/// Where Prometheus metrics are served (`/metrics`); none when absent.
	#[serde(default)]
	pub metrics_addr: Option<SocketAddr>,
	/// The endpoint or description published with the registration.
	#[serde(default)]
	pub endpoint: String,
	/// The capabilities published with the registration (e.g. `cpu=x86_64,ram=16G`).
	#[serde(default)]
	pub capabilities: String,
	/// Where models run.
	#[serde(default)]
	pub device: Device,
	/// Threads per inference (0: all cores).
	#[serde(default)]
	pub threads: usize,
	/// The models served.
	#[serde(default)]
	pub models: Vec<ModelConfig>,
	/// Fault injection for the protocol's own tests, never for a real worker: when true,
	/// every output is altered (its last byte's lowest bit flipped) before the worker
	/// commits to it, so the worker disagrees with honest ones and is slashed. The worker
	/// logs a warning at start while it is set.
	#[serde(default)]
	pub fault_wrong_results: bool,
}

impl Config {
	/// Reads and checks the configuration at `path`.
	pub fn load(path: &Path) -> Result<Self> {
		let text = std::fs::read_to_string(path).with_context(|| {
			format!(
				"cannot read the config file {} (create one with `deai-worker init`)",
				path.display()
			)
		})?;
		let mut config: Config = toml::from_str(&text)
			.with_context(|| format!("the config file {} is malformed", path.display()))?;
		let base = path.parent().unwrap_or(Path::new("."));
		config.resolve_paths(base);
		config.check().with_context(|| format!("the config file {} is invalid", path.display()))?;
		Ok(config)
	}

	fn resolve_paths(&mut self, base: &Path) {
		let resolve = |path: &mut PathBuf| {
			if path.is_relative() {
				*path = base.join(&*path);
			}
		};
		resolve(&mut self.account_key_file);
		resolve(&mut self.attestation_key_file);
		resolve(&mut self.store_path);
		for model in &mut self.models {
			resolve(&mut model.path);
		}
	}

	fn check(&self) -> Result<()> {
		if !(self.node_url.starts_with("ws://") || self.node_url.starts_with("wss://")) {
			bail!("node_url must be a ws:// or wss:// URL, not {:?}", self.node_url);
		}
		for (index, model) in self.models.iter().enumerate() {
			if self.models.iter().take(index).any(|other| other.id == model.id) {
				bail!("model {} is listed twice", model.id);
			}
		}
		if self.device == Device::Cuda && !cfg!(feature = "cuda") {
			bail!("device = \"cuda\" needs a deai-worker built with `--features cuda`");
		}
		Ok(())
	}

	/// The configuration of model `id`, if served.
	pub fn model(&self, id: u64) -> Option<&ModelConfig> {
		self.models.iter().find(|model| model.id == id)
	}
}

/// The commented configuration `deai-worker init` writes.
pub fn template(node_url: &str, models_dir: &Path, metrics_addr: &str) -> String {
	format!(
		r#"# deai-worker configuration. Relative paths are relative to this file.

# The node to follow and submit to (its WebSocket RPC endpoint).
node_url = "{node_url}"

# The account that registers, bonds and signs transactions. The file holds a secret URI
# (`//Charlie`), a 0x-prefixed 32-byte seed or a mnemonic. Keep it private.
account_key_file = "account.key"

# The attestation key that signs results; distinct from the account, and rotatable on
# chain with `computeStaking.rotateAttestationKey`.
attestation_key_file = "attestation.key"

# Salts, commitments and reveals in flight: written before anything is sent, so a
# restarted worker reveals what it committed and never submits twice.
store_path = "state.redb"

# Prometheus metrics at http://<metrics_addr>/metrics (remove the line to turn them off).
metrics_addr = "{metrics_addr}"

# Published with the registration.
endpoint = "deai-worker"
capabilities = "cpu"

# "cpu", or "cuda" for a worker built with `--features cuda`.
device = "cpu"
# Threads per inference (0 = all cores).
threads = 0

# The models served: the registry's model id, the directory with the model's files, and
# how to run it. The weights' blake2-256 hash is checked against the registry before
# loading; a mismatch is refused.
[[models]]
id = 0
path = "{models}/all-minilm-l6-v2"
backend = "bert-embedding"
"#,
		models = models_dir.display()
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn write(dir: &Path, text: &str) -> PathBuf {
		let path = dir.join("worker.toml");
		std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing the config: {e}"));
		path
	}

	#[test]
	fn the_template_loads_with_paths_resolved() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let path = write(
			dir.path(),
			&template("ws://127.0.0.1:9944", Path::new("models"), "127.0.0.1:9615"),
		);
		let config = Config::load(&path)?;
		assert_eq!(config.node_url, "ws://127.0.0.1:9944");
		assert_eq!(config.account_key_file, dir.path().join("account.key"));
		assert_eq!(config.store_path, dir.path().join("state.redb"));
		assert_eq!(config.metrics_addr, Some("127.0.0.1:9615".parse()?));
		assert_eq!(config.models.len(), 1);
		assert_eq!(config.models[0].path, dir.path().join("models/all-minilm-l6-v2"));
		assert_eq!(config.models[0].backend, Backend::BertEmbedding);
		assert_eq!(config.device, Device::Cpu);
		assert!(!config.fault_wrong_results, "fault injection is off unless asked for");
		Ok(())
	}

	#[test]
	fn errors_name_the_problem() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let missing = Config::load(&dir.path().join("absent.toml")).unwrap_err();
		assert!(format!("{missing:#}").contains("deai-worker init"), "{missing:#}");

		let path = write(dir.path(), "node_url = 3");
		let malformed = Config::load(&path).unwrap_err();
		assert!(format!("{malformed:#}").contains("malformed"), "{malformed:#}");

		let base = "account_key_file = \"a\"\nattestation_key_file = \"b\"\nstore_path = \"s\"\n";
		let path = write(dir.path(), &format!("node_url = \"http://x\"\n{base}"));
		let scheme = Config::load(&path).unwrap_err();
		assert!(format!("{scheme:#}").contains("ws://"), "{scheme:#}");

		let twice = "[[models]]\nid = 1\npath = \"m\"\nbackend = \"bert-embedding\"\n";
		let path = write(dir.path(), &format!("node_url = \"ws://x\"\n{base}{twice}{twice}"));
		let duplicate = Config::load(&path).unwrap_err();
		assert!(format!("{duplicate:#}").contains("listed twice"), "{duplicate:#}");

		let path = write(dir.path(), &format!("node_url = \"ws://x\"\n{base}colour = \"red\"\n"));
		let unknown = Config::load(&path).unwrap_err();
		assert!(format!("{unknown:#}").contains("colour"), "{unknown:#}");
		Ok(())
	}
}

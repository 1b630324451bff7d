//! Running models: loading a model only after its artifact hash matches the registry, and
//! turning a job's input into the canonical output the chain compares.
//!
//! The reference backend is a BERT sentence encoder (all-MiniLM-L6-v2 and the tiny models
//! tests build): token ids → BERT → mean pooling over the attention mask → L2
//! normalization, exactly what sentence-transformers computes. Each text is encoded on its
//! own (batch of one, no padding), so the matrix shapes, and with them the floating-point
//! summation order, depend only on the input; the output is then canonicalized as the
//! model's [`OutputSpec`] says ([`deai_primitives::canonical`]).

use crate::config::{Backend, Device as DeviceConfig};
use anyhow::{bail, ensure, Context, Result};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig, DTYPE};
use deai_primitives::{
	canonical::canonicalize_f32,
	inference::{blake2_256, content_hash},
	model::{ArtifactHash, OutputSpec},
};
use std::{collections::HashMap, path::Path};
use tokenizers::{Tokenizer, TruncationParams};

/// The file holding a model's weights; its blake2-256 hash is the registry's artifact hash.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// The model's architecture (BERT `config.json`).
pub const CONFIG_FILE: &str = "config.json";
/// The model's tokenizer (Hugging Face `tokenizer.json`).
pub const TOKENIZER_FILE: &str = "tokenizer.json";
/// The longest input, in tokens, as sentence-transformers uses all-MiniLM-L6-v2.
pub const MAX_TOKENS: usize = 256;

/// The model cannot answer this input, whoever runs it: a fact about the input (not UTF-8
/// for a text model, no tokens at all), not a fault of the worker. The worker answers such
/// a job with [`deai_primitives::inference::UNANSWERABLE_OUTPUT`], which the quorum agrees
/// on like any output and which is paid like any answer.
#[derive(Debug)]
pub struct Unanswerable(pub String);

impl std::fmt::Display for Unanswerable {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "the input cannot be answered: {}", self.0)
	}
}

impl std::error::Error for Unanswerable {}

/// The blake2-256 hash of the weights file in `dir`: what must be registered as the model's
/// artifact hash.
pub fn artifact_hash(dir: &Path) -> Result<ArtifactHash> {
	let path = dir.join(WEIGHTS_FILE);
	let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
	Ok(blake2_256(&bytes))
}

/// A loaded model, ready to run jobs.
pub struct Model {
	bert: BertModel,
	tokenizer: Tokenizer,
	/// The hash of the weights it was loaded from.
	pub hash: ArtifactHash,
}

impl Model {
	/// Loads the model in `dir` if, and only if, the hash of its weights is `expected` (the
	/// registry's artifact hash). The weights are read once, hashed, and loaded from those
	/// same bytes, so the file cannot change between the check and the load.
	pub fn load(
		dir: &Path,
		backend: Backend,
		device: DeviceConfig,
		expected: &ArtifactHash,
	) -> Result<Self> {
		let Backend::BertEmbedding = backend;
		let weights_path = dir.join(WEIGHTS_FILE);
		let weights = std::fs::read(&weights_path)
			.with_context(|| format!("reading the model weights {}", weights_path.display()))?;
		let hash = blake2_256(&weights);
		ensure!(
			hash == *expected,
			"refusing to load {}: its blake2-256 hash is 0x{} but the registry says 0x{} \
			 (a corrupt or tampered file, or the wrong model)",
			weights_path.display(),
			hex::encode(hash),
			hex::encode(expected)
		);
		let device = match device {
			DeviceConfig::Cpu => Device::Cpu,
			DeviceConfig::Cuda => Device::new_cuda(0).context("opening CUDA device 0")?,
		};
		let config_path = dir.join(CONFIG_FILE);
		let config: BertConfig = serde_json::from_slice(
			&std::fs::read(&config_path)
				.with_context(|| format!("reading {}", config_path.display()))?,
		)
		.with_context(|| format!("{} is not a BERT config", config_path.display()))?;
		let vars = VarBuilder::from_slice_safetensors(&weights, DTYPE, &device)
			.with_context(|| format!("{} is not a safetensors file", weights_path.display()))?;
		let bert = BertModel::load(vars, &config)
			.with_context(|| format!("{} does not hold a BERT model", weights_path.display()))?;
		let tokenizer_path = dir.join(TOKENIZER_FILE);
		let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
			.map_err(anyhow::Error::msg)
			.with_context(|| format!("reading the tokenizer {}", tokenizer_path.display()))?;
		tokenizer.with_padding(None);
		tokenizer
			.with_truncation(Some(TruncationParams {
				max_length: MAX_TOKENS,
				..Default::default()
			}))
			.map_err(anyhow::Error::msg)?;
		Ok(Model { bert, tokenizer, hash })
	}

	/// The normalized sentence embedding of `text`.
	pub fn embed(&self, text: &str) -> Result<Vec<f32>> {
		let device = &self.bert.device;
		let encoding = self.tokenizer.encode(text, true).map_err(anyhow::Error::msg)?;
		if encoding.get_ids().is_empty() {
			return Err(Unanswerable("the input has no tokens".into()).into());
		}
		let ids = Tensor::new(encoding.get_ids(), device)?.unsqueeze(0)?;
		let types = Tensor::new(encoding.get_type_ids(), device)?.unsqueeze(0)?;
		let mask = Tensor::new(encoding.get_attention_mask(), device)?.unsqueeze(0)?;
		let hidden = self.bert.forward(&ids, &types, Some(&mask))?;
		let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
		let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
		let count = mask.sum(1)?.clamp(1e-9f32, f32::MAX)?;
		let mean = summed.broadcast_div(&count)?;
		let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12f32, f32::MAX)?;
		Ok(mean.broadcast_div(&norm)?.squeeze(0)?.to_vec1::<f32>()?)
	}

	/// Runs a job: the input must be UTF-8 text; the output is the canonical bytes of its
	/// embedding under `spec`, with their hash. An input no one could answer is an
	/// [`Unanswerable`] error (see [`is_unanswerable`]); any other error is this worker's.
	pub fn run(&self, input: &[u8], spec: &OutputSpec) -> Result<(Vec<u8>, [u8; 32])> {
		let text = std::str::from_utf8(input)
			.map_err(|_| Unanswerable("the job input is not UTF-8 text".into()))?;
		let embedding = self.embed(text)?;
		let output = canonicalize_f32(spec, &embedding)?;
		let hash = content_hash(&output);
		Ok((output, hash))
	}
}

/// Whether `error` says the input cannot be answered (rather than that this worker failed).
pub fn is_unanswerable(error: &anyhow::Error) -> bool {
	error.chain().any(|cause| cause.downcast_ref::<Unanswerable>().is_some())
}

/// A deterministic pseudo-random sequence in `[-scale, scale)` (xorshift), so that a tiny
/// model built from the same seed is the same file, byte for byte, everywhere.
fn pseudo_random(count: usize, seed: u64, scale: f32) -> Vec<f32> {
	let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
	(0..count)
		.map(|_| {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			// The top 24 bits as a fraction in [0, 1): exact in an f32.
			let fraction = (state >> 40) as f32 / (1u64 << 24) as f32;
			(fraction * 2.0 - 1.0) * scale
		})
		.collect()
}

/// The vocabulary of the tiny test models: special tokens, a few words, and every lowercase
/// letter and digit as a word and as a continuation, so any ASCII text tokenizes.
fn tiny_vocab() -> Vec<String> {
	let mut vocab: Vec<String> =
		["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].iter().map(|t| t.to_string()).collect();
	for word in ["the", "a", "of", "and", "to", "is", "model", "data", "chain", "worker", "hello"] {
		vocab.push(word.to_string());
	}
	for c in ('a'..='z').chain('0'..='9') {
		vocab.push(c.to_string());
		vocab.push(format!("##{c}"));
	}
	for c in [".", ",", "!", "?", "'", "-"] {
		vocab.push(c.to_string());
	}
	vocab
}

/// Writes a tiny BERT sentence encoder (hidden size 32, 2 layers, random weights derived
/// from `seed`) with its config and tokenizer into `dir`, for tests and local networks.
/// Returns the artifact hash to register.
pub fn write_tiny_model(dir: &Path, seed: u64) -> Result<ArtifactHash> {
	std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	let vocab = tiny_vocab();
	let (hidden, intermediate, layers, positions, types) =
		(32usize, 64usize, 2usize, 64usize, 2usize);
	let device = Device::Cpu;
	let mut tensors: HashMap<String, Tensor> = HashMap::new();
	let mut counter = seed.wrapping_mul(1_000);
	let mut put = |name: String, shape: &[usize], layer_norm_weight: bool| -> Result<()> {
		counter = counter.wrapping_add(1);
		let count: usize = shape.iter().product();
		let values = if layer_norm_weight {
			vec![1.0f32; count]
		} else {
			pseudo_random(count, counter, 0.2)
		};
		tensors.insert(name, Tensor::from_vec(values, shape, &device)?);
		Ok(())
	};
	put("embeddings.word_embeddings.weight".into(), &[vocab.len(), hidden], false)?;
	put("embeddings.position_embeddings.weight".into(), &[positions, hidden], false)?;
	put("embeddings.token_type_embeddings.weight".into(), &[types, hidden], false)?;
	put("embeddings.LayerNorm.weight".into(), &[hidden], true)?;
	put("embeddings.LayerNorm.bias".into(), &[hidden], false)?;
	for layer in 0..layers {
		let prefix = format!("encoder.layer.{layer}.");
		for part in [
			"attention.self.query",
			"attention.self.key",
			"attention.self.value",
			"attention.output.dense",
		] {
			put(format!("{prefix}{part}.weight"), &[hidden, hidden], false)?;
			put(format!("{prefix}{part}.bias"), &[hidden], false)?;
		}
		put(format!("{prefix}intermediate.dense.weight"), &[intermediate, hidden], false)?;
		put(format!("{prefix}intermediate.dense.bias"), &[intermediate], false)?;
		put(format!("{prefix}output.dense.weight"), &[hidden, intermediate], false)?;
		put(format!("{prefix}output.dense.bias"), &[hidden], false)?;
		for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
			put(format!("{prefix}{norm}.weight"), &[hidden], true)?;
			put(format!("{prefix}{norm}.bias"), &[hidden], false)?;
		}
	}
	let weights_path = dir.join(WEIGHTS_FILE);
	candle_core::safetensors::save(&tensors, &weights_path)
		.with_context(|| format!("writing {}", weights_path.display()))?;

	let config = serde_json::json!({
		"vocab_size": vocab.len(),
		"hidden_size": hidden,
		"num_hidden_layers": layers,
		"num_attention_heads": 2,
		"intermediate_size": intermediate,
		"hidden_act": "gelu",
		"hidden_dropout_prob": 0.0,
		"max_position_embeddings": positions,
		"type_vocab_size": types,
		"initializer_range": 0.02,
		"layer_norm_eps": 1e-12,
		"pad_token_id": 0,
		"model_type": "bert"
	});
	std::fs::write(dir.join(CONFIG_FILE), serde_json::to_vec_pretty(&config)?)?;

	let ids: serde_json::Map<String, serde_json::Value> =
		vocab.iter().enumerate().map(|(id, token)| (token.clone(), id.into())).collect();
	let special = |id: usize, token: &str| {
		serde_json::json!({"id": id, "content": token, "single_word": false, "lstrip": false,
			"rstrip": false, "normalized": false, "special": true})
	};
	let tokenizer = serde_json::json!({
		"version": "1.0",
		"truncation": null,
		"padding": null,
		"added_tokens": [special(0, "[PAD]"), special(1, "[UNK]"), special(2, "[CLS]"),
			special(3, "[SEP]"), special(4, "[MASK]")],
		"normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
			"strip_accents": null, "lowercase": true},
		"pre_tokenizer": {"type": "BertPreTokenizer"},
		"post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
		"decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": 100, "vocab": ids}
	});
	std::fs::write(dir.join(TOKENIZER_FILE), serde_json::to_vec_pretty(&tokenizer)?)?;
	artifact_hash(dir)
}

/// Checks that `dir` holds the files of a model (for clear errors before anything runs).
pub fn check_model_dir(dir: &Path) -> Result<()> {
	for file in [WEIGHTS_FILE, CONFIG_FILE, TOKENIZER_FILE] {
		if !dir.join(file).is_file() {
			bail!(
				"the model directory {} has no {file} (fetch the reference model with \
				 scripts/fetch-model.sh, or build a tiny one with `deai-worker tiny-model`)",
				dir.display()
			);
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn tiny(seed: u64) -> Result<(tempfile::TempDir, ArtifactHash)> {
		let dir = tempfile::tempdir()?;
		let hash = write_tiny_model(dir.path(), seed)?;
		Ok((dir, hash))
	}

	#[test]
	fn tiny_models_are_reproducible_files() -> Result<()> {
		let (_a, first) = tiny(7)?;
		let (_b, again) = tiny(7)?;
		let (_c, other) = tiny(8)?;
		assert_eq!(first, again);
		assert_ne!(first, other);
		Ok(())
	}

	#[test]
	fn a_model_whose_hash_differs_from_the_registry_is_refused() -> Result<()> {
		let (dir, hash) = tiny(1)?;
		let mut wrong = hash;
		wrong[0] ^= 1;
		let error = Model::load(dir.path(), Backend::BertEmbedding, DeviceConfig::Cpu, &wrong)
			.err()
			.context("a wrong hash must be refused")?;
		assert!(format!("{error:#}").contains("refusing to load"), "{error:#}");

		// Tampering with one byte of the weights is caught the same way.
		let path = dir.path().join(WEIGHTS_FILE);
		let mut bytes = std::fs::read(&path)?;
		let last = bytes.len() - 1;
		bytes[last] ^= 0x40;
		std::fs::write(&path, bytes)?;
		let error = Model::load(dir.path(), Backend::BertEmbedding, DeviceConfig::Cpu, &hash)
			.err()
			.context("a tampered file must be refused")?;
		assert!(format!("{error:#}").contains("refusing to load"), "{error:#}");
		Ok(())
	}

	#[test]
	fn embeddings_are_normalized_and_canonical_outputs_repeat() -> Result<()> {
		let (dir, hash) = tiny(3)?;
		let model = Model::load(dir.path(), Backend::BertEmbedding, DeviceConfig::Cpu, &hash)?;
		assert_eq!(model.hash, hash);
		let embedding = model.embed("hello chain")?;
		assert_eq!(embedding.len(), 32);
		let norm: f32 = embedding.iter().map(|v| v * v).sum::<f32>().sqrt();
		assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
		let spec = OutputSpec::QuantizedF32 { decimals: 4 };
		let first = model.run(b"hello chain", &spec)?;
		for _ in 0..5 {
			assert_eq!(model.run(b"hello chain", &spec)?, first);
		}
		assert_ne!(model.run(b"hello worker", &spec)?.1, first.1);
		// A second load of the same file gives the same output.
		let again = Model::load(dir.path(), Backend::BertEmbedding, DeviceConfig::Cpu, &hash)?;
		assert_eq!(again.run(b"hello chain", &spec)?, first);
		Ok(())
	}

	#[test]
	fn bad_inputs_and_missing_files_are_errors() -> Result<()> {
		let (dir, hash) = tiny(4)?;
		let model = Model::load(dir.path(), Backend::BertEmbedding, DeviceConfig::Cpu, &hash)?;
		let error = model.run(&[0xff, 0xfe], &OutputSpec::Exact).err().context("not UTF-8")?;
		assert!(format!("{error:#}").contains("UTF-8"), "{error:#}");
		// Every honest worker would fail the same way: the job is answered "unanswerable".
		assert!(is_unanswerable(&error), "{error:#}");
		check_model_dir(dir.path())?;
		let empty = tempfile::tempdir()?;
		let error = check_model_dir(empty.path()).err().context("no files")?;
		assert!(format!("{error:#}").contains(WEIGHTS_FILE), "{error:#}");
		Ok(())
	}
}

//! The reference model, all-MiniLM-L6-v2, run by the worker gives the embeddings
//! sentence-transformers publishes for it.
//!
//! Needs the model's 87 MB of weights, which are not in the repository, so it is ignored by
//! default and run by `scripts/reference-model-test.sh`, which fetches the model first
//! (`DEAI_REFERENCE_MODEL_DIR` names the directory).

use deai_primitives::model::OutputSpec;
use deai_worker::{
	config::{Backend, Device},
	model::{artifact_hash, Model},
};

/// The first 8 of the 384 values sentence-transformers gives for "hello world".
const HELLO_WORLD: [f32; 8] =
	[-0.034477, 0.031023, 0.006735, 0.026109, -0.039362, -0.160302, 0.066924, -0.006441];

/// The first 8 values for "The quick brown fox jumps over the lazy dog.".
const FOX: [f32; 8] =
	[0.043934, 0.058934, 0.048178, 0.077548, 0.026744, -0.03763, -0.002605, -0.059943];

#[test]
#[ignore = "needs the reference model: run scripts/reference-model-test.sh"]
fn all_minilm_l6_v2_gives_the_published_embeddings() -> anyhow::Result<()> {
	let dir = std::env::var("DEAI_REFERENCE_MODEL_DIR")
		.map_err(|_| anyhow::anyhow!("set DEAI_REFERENCE_MODEL_DIR to the model directory"))?;
	let dir = std::path::Path::new(&dir);
	let hash = artifact_hash(dir)?;
	let model = Model::load(dir, Backend::BertEmbedding, Device::Cpu, &hash)?;
	for (text, expected) in
		[("hello world", HELLO_WORLD), ("The quick brown fox jumps over the lazy dog.", FOX)]
	{
		let embedding = model.embed(text)?;
		assert_eq!(embedding.len(), 384);
		for (index, (got, want)) in embedding.iter().zip(expected.iter()).enumerate() {
			assert!((got - want).abs() < 1e-4, "{text:?}[{index}]: {got} vs {want}");
		}
		let norm: f32 = embedding.iter().map(|v| v * v).sum::<f32>().sqrt();
		assert!((norm - 1.0).abs() < 1e-5);
		// Quantized to 4 decimals, repeated runs give the same canonical bytes.
		let spec = OutputSpec::QuantizedF32 { decimals: 4 };
		let first = model.run(text.as_bytes(), &spec)?;
		assert_eq!(model.run(text.as_bytes(), &spec)?, first);
		assert_eq!(first.0.len(), 2 + 384 * 4, "a compact length and 384 i32s");
	}
	Ok(())
}

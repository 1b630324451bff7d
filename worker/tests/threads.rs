//! Canonical outputs do not depend on the number of threads a worker computes with: the
//! same input gives the same bytes, and so the same hash, on one thread and on several.
//!
//! One test in its own process, because it changes `RAYON_NUM_THREADS`, which candle reads
//! at every matrix product. gemm only splits products above a size threshold; the
//! threshold is set to zero so that even the tiny model's products are split.

use deai_primitives::model::OutputSpec;
use deai_worker::{
	config::{Backend, Device},
	model::{write_tiny_model, Model},
};

#[test]
fn outputs_are_identical_across_thread_counts_and_runs() -> anyhow::Result<()> {
	gemm::set_threading_threshold(0);
	let dir = tempfile::tempdir()?;
	let hash = write_tiny_model(dir.path(), 5)?;
	let model = Model::load(dir.path(), Backend::BertEmbedding, Device::Cpu, &hash)?;
	let inputs = ["hello chain", "the model of the data is a worker", "a"];
	let specs =
		[OutputSpec::Exact, OutputSpec::QuantizedF32 { decimals: 6 }, OutputSpec::TopK { k: 5 }];
	let mut reference = Vec::new();
	for threads in ["1", "2", "1", "2"] {
		std::env::set_var("RAYON_NUM_THREADS", threads);
		assert_eq!(candle_core::utils::get_num_threads().to_string(), threads);
		let mut outputs = Vec::new();
		for input in inputs {
			let bits: Vec<u32> = model.embed(input)?.iter().map(|v| v.to_bits()).collect();
			let canonical: Vec<_> = specs
				.iter()
				.map(|spec| model.run(input.as_bytes(), spec))
				.collect::<Result<_, _>>()?;
			outputs.push((bits, canonical));
		}
		if reference.is_empty() {
			reference = outputs;
		} else {
			assert_eq!(outputs, reference, "outputs differ with RAYON_NUM_THREADS={threads}");
		}
	}
	Ok(())
}

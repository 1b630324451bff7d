//! `deai-runtime-fuzz`: runs fuzz cases on the native DeAI runtime.
//!
//! ```text
//! deai-runtime-fuzz run [--seed S] [--iterations N] [--blocks B] [--calls C]
//! deai-runtime-fuzz replay <seed> [--blocks B] [--calls C]
//! deai-runtime-fuzz try-runtime <snapshot.json>
//! ```
//!
//! `run` runs N cases with seeds S, S+1, …, S+N-1 (default: 200 cases from seed 1) and
//! stops at the first failure, printing its seed; `replay` runs one case and prints what it
//! did; `try-runtime` runs the runtime-upgrade checks on a state snapshot
//! (`e2e/tools/snapshot.js`; see [`deai_runtime_fuzz::check_snapshot`]). Exits with 1 on a
//! failure, 2 on a usage error.

use deai_runtime_fuzz::{check_snapshot, dev_genesis, read_snapshot, run_case, Limits, Stats};
use std::{process::ExitCode, time::Instant};

fn usage(problem: &str) -> ExitCode {
	eprintln!(
		"deai-runtime-fuzz: {problem}\nusage: deai-runtime-fuzz run [--seed S] [--iterations N] \
		 [--blocks B] [--calls C]\n       deai-runtime-fuzz replay <seed> [--blocks B] [--calls C]\n       \
		 deai-runtime-fuzz try-runtime <snapshot.json>"
	);
	ExitCode::from(2)
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let Some(command) = args.first().cloned() else { return usage("no command given") };
	let mut seed = 1u64;
	let mut iterations = 200u64;
	let mut limits = Limits::default();
	let mut rest = args.iter().skip(1);
	let mut positional = Vec::new();
	while let Some(arg) = rest.next() {
		let mut value = |name: &str| -> Result<u64, String> {
			let text = rest.next().ok_or_else(|| format!("{name} needs a value"))?;
			text.parse().map_err(|_| format!("{name} takes a number, not {text:?}"))
		};
		let parsed = match arg.as_str() {
			"--seed" => value("--seed").map(|v| seed = v),
			"--iterations" => value("--iterations").map(|v| iterations = v),
			"--blocks" => value("--blocks").and_then(|v| {
				limits.blocks =
					u32::try_from(v).map_err(|_| "--blocks is too large".to_string())?;
				Ok(())
			}),
			"--calls" => value("--calls").and_then(|v| {
				limits.calls_per_block =
					u32::try_from(v).map_err(|_| "--calls is too large".to_string())?;
				Ok(())
			}),
			other if other.starts_with("--") => Err(format!("unknown option {other}")),
			other => {
				positional.push(other.to_string());
				Ok(())
			},
		};
		if let Err(problem) = parsed {
			return usage(&problem);
		}
	}
	if limits.blocks == 0 {
		return usage("--blocks must be at least 1");
	}
	match command.as_str() {
		"run" if positional.is_empty() => run(seed, iterations, limits),
		"replay" => match positional.as_slice() {
			[one] => match one.parse() {
				Ok(seed) => run(seed, 1, limits),
				Err(_) => usage(&format!("the seed must be a number, not {one:?}")),
			},
			_ => usage("replay takes exactly one seed"),
		},
		"try-runtime" => match positional.as_slice() {
			[path] => try_runtime(std::path::Path::new(path)),
			_ => usage("try-runtime takes exactly one snapshot file"),
		},
		"run" => usage(&format!("unexpected argument {:?}", positional.first())),
		other => usage(&format!("unknown command {other:?}")),
	}
}

fn run(first: u64, iterations: u64, limits: Limits) -> ExitCode {
	// Panics are caught and reported as failures; the default hook would print each one.
	std::panic::set_hook(Box::new(|_| {}));
	let genesis = dev_genesis();
	let started = Instant::now();
	let mut total = Stats::default();
	for seed in first..first.saturating_add(iterations) {
		match run_case(&genesis, seed, limits) {
			Ok(stats) => total.add(&stats),
			Err(failure) => {
				eprintln!("FAILED: {failure}\nreplay with: deai-runtime-fuzz replay {seed}");
				return ExitCode::from(1);
			},
		}
	}
	let secs = started.elapsed().as_secs_f64();
	println!(
		"{iterations} cases (seeds {first}..={}) passed in {secs:.1} s: {} blocks, {} transactions \
		 applied ({} calls succeeded, {} failed with an error), {} refused as invalid; \
		 {:.0} blocks/s",
		first.saturating_add(iterations).saturating_sub(1),
		total.blocks,
		total.applied,
		total.succeeded,
		total.applied.saturating_sub(total.succeeded),
		total.invalid,
		f64::from(total.blocks) / secs.max(1e-9),
	);
	let reached: Vec<String> =
		total.events.iter().map(|(name, count)| format!("{name} {count}")).collect();
	println!("DeAI events emitted: {}", reached.join(", "));
	ExitCode::SUCCESS
}

fn try_runtime(path: &std::path::Path) -> ExitCode {
	std::panic::set_hook(Box::new(|_| {}));
	match read_snapshot(path).and_then(check_snapshot) {
		Ok(report) => {
			println!(
				"try-runtime on {} ({} keys, block #{}): runtime upgrade checks, state decoding \
				 and every pallet's try_state passed, twice, and the second run left the state \
				 unchanged; upgrade weight {:?}",
				path.display(),
				report.keys,
				report.number,
				report.upgrade_weight
			);
			ExitCode::SUCCESS
		},
		Err(problem) => {
			eprintln!("FAILED: try-runtime on {}: {problem}", path.display());
			ExitCode::from(1)
		},
	}
}

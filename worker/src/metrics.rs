//! Prometheus metrics, served as text at `http://<metrics_addr>/metrics`.
//!
//! | metric | kind | meaning |
//! |---|---|---|
//! | `deai_worker_jobs_seen_total` | counter | job rounds assigned to this worker that it saw |
//! | `deai_worker_jobs_committed_total` | counter | commitments included on chain |
//! | `deai_worker_jobs_revealed_total` | counter | reveals included on chain |
//! | `deai_worker_jobs_failed_total` | counter | job rounds it could not run or submit |
//! | `deai_worker_heartbeats_total` | counter | heartbeats included on chain |
//! | `deai_worker_inference_seconds` | histogram | time to run one job's model and canonicalize |
//! | `deai_worker_chain_lag_blocks` | gauge | best block minus the last block the worker processed |
//! | `deai_worker_best_block` | gauge | the last best block the worker processed |

use anyhow::{Context, Result};
use prometheus_client::{
	encoding::text::encode,
	metrics::{
		counter::Counter,
		gauge::Gauge,
		histogram::{exponential_buckets, Histogram},
	},
	registry::Registry,
};
use std::{net::SocketAddr, sync::Arc};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

/// The worker's metrics.
#[derive(Clone)]
pub struct Metrics {
	/// Job rounds seen.
	pub jobs_seen: Counter,
	/// Commitments included.
	pub jobs_committed: Counter,
	/// Reveals included.
	pub jobs_revealed: Counter,
	/// Job rounds that failed.
	pub jobs_failed: Counter,
	/// Heartbeats included.
	pub heartbeats: Counter,
	/// Inference latency, in seconds.
	pub inference_seconds: Histogram,
	/// Best block minus the last processed block.
	pub chain_lag: Gauge,
	/// The last processed best block.
	pub best_block: Gauge,
	registry: Arc<Registry>,
}

impl Default for Metrics {
	fn default() -> Self {
		Self::new()
	}
}

impl Metrics {
	/// Fresh metrics, registered.
	pub fn new() -> Self {
		let mut registry = Registry::with_prefix("deai_worker");
		let jobs_seen = Counter::default();
		let jobs_committed = Counter::default();
		let jobs_revealed = Counter::default();
		let jobs_failed = Counter::default();
		let heartbeats = Counter::default();
		// 1 ms to about 33 s.
		let inference_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 16));
		let chain_lag = Gauge::default();
		let best_block = Gauge::default();
		registry.register("jobs_seen", "Job rounds assigned to this worker", jobs_seen.clone());
		registry.register(
			"jobs_committed",
			"Commitments included on chain",
			jobs_committed.clone(),
		);
		registry.register("jobs_revealed", "Reveals included on chain", jobs_revealed.clone());
		registry.register(
			"jobs_failed",
			"Job rounds that could not be run or submitted",
			jobs_failed.clone(),
		);
		registry.register("heartbeats", "Heartbeats included on chain", heartbeats.clone());
		registry.register(
			"inference_seconds",
			"Time to run a job's model and canonicalize its output",
			inference_seconds.clone(),
		);
		registry.register(
			"chain_lag_blocks",
			"Best block minus the last processed block",
			chain_lag.clone(),
		);
		registry.register("best_block", "The last best block processed", best_block.clone());
		Metrics {
			jobs_seen,
			jobs_committed,
			jobs_revealed,
			jobs_failed,
			heartbeats,
			inference_seconds,
			chain_lag,
			best_block,
			registry: Arc::new(registry),
		}
	}

	/// The metrics in the Prometheus text format.
	pub fn render(&self) -> Result<String> {
		let mut text = String::new();
		encode(&mut text, &self.registry).context("encoding the metrics")?;
		Ok(text)
	}

	/// Serves the metrics over HTTP at `addr` until the task is dropped. Binding errors are
	/// returned at once (a port in use is a clear startup error).
	pub async fn serve(self, addr: SocketAddr) -> Result<tokio::task::JoinHandle<()>> {
		let listener = TcpListener::bind(addr)
			.await
			.with_context(|| format!("cannot serve metrics on {addr} (is the port in use?)"))?;
		tracing::info!(%addr, "serving Prometheus metrics at /metrics");
		Ok(tokio::spawn(async move {
			loop {
				let Ok((mut socket, _)) = listener.accept().await else { continue };
				let metrics = self.clone();
				tokio::spawn(async move {
					let mut request = [0u8; 1024];
					let read = socket.read(&mut request).await.unwrap_or(0);
					let head = String::from_utf8_lossy(request.get(..read).unwrap_or_default());
					let response =
						if head.starts_with("GET /metrics") {
							match metrics.render() {
							Ok(body) => format!(
								"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\
								 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
								body.len()
							),
							Err(_) => "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
								.to_string(),
						}
						} else {
							"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
							.to_string()
						};
					let _ = socket.write_all(response.as_bytes()).await;
					let _ = socket.shutdown().await;
				});
			}
		}))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn metrics_are_served_as_prometheus_text() -> Result<()> {
		let metrics = Metrics::new();
		metrics.jobs_seen.inc();
		metrics.inference_seconds.observe(0.02);
		metrics.chain_lag.set(3);
		let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
		let addr = probe.local_addr()?;
		drop(probe);
		let _server = metrics.clone().serve(addr).await?;
		let mut socket = tokio::net::TcpStream::connect(addr).await?;
		socket.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").await?;
		let mut body = String::new();
		socket.read_to_string(&mut body).await?;
		assert!(body.starts_with("HTTP/1.1 200 OK"), "{body}");
		assert!(body.contains("deai_worker_jobs_seen_total 1"), "{body}");
		assert!(body.contains("deai_worker_chain_lag_blocks 3"), "{body}");
		assert!(body.contains("deai_worker_inference_seconds_count 1"), "{body}");
		// A second server on the same port is a clear error.
		let error = metrics.serve(addr).await.err().context("the port is taken")?;
		assert!(format!("{error:#}").contains("in use"), "{error:#}");
		Ok(())
	}
}

//! Fetching a job input given by reference (`http://` or `https://`).
//!
//! The chain keeps a reference input as a URI and the blake2-256 hash of the bytes. A
//! worker fetches the bytes, and the outcome must be one every honest worker reaches:
//!
//! - the bytes arrive and match the hash: the input is run;
//! - the URI cannot serve them — it answers an HTTP error, the host cannot be resolved or
//!   reached, it stays silent, it sends more than the model accepts, or the bytes do not
//!   match the hash: the input is [`Unanswerable`], which the quorum agrees on and is paid
//!   for (see the inference pallet). Errors that may pass (a refused connection, a
//!   timeout, a 5xx answer) are retried [`ATTEMPTS`] times first;
//! - a scheme this worker cannot fetch (`ipfs://`, …) is this worker's limitation, not the
//!   input's: the worker does not answer rather than claim the input is unanswerable.
//!
//! A worker whose own network is down answers "unanswerable" where the others answer the
//! output and is not paid for the job (the chain does not slash a worker for disagreeing
//! only on whether a referenced input could be fetched, since the URI's server decides who
//! gets it): reaching the Internet is part of serving a model.
//!
//! The client is HTTP/1.0 with `Connection: close` (so the body ends with the connection,
//! never chunked), follows at most [`MAX_REDIRECTS`] redirects, and never reads more than
//! the model's input limit plus the headers.

use crate::model::Unanswerable;
use anyhow::{bail, Context, Result};
use std::{sync::Arc, time::Duration};
use tokio::{
	io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
	net::TcpStream,
};

/// How often a transient failure is tried before the input is unanswerable.
pub const ATTEMPTS: u32 = 3;
/// The pause between attempts.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);
/// How long one attempt (connect, request and the whole response) may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// How many redirects are followed.
pub const MAX_REDIRECTS: u32 = 3;
/// The largest response header block read.
const MAX_HEADER_LEN: usize = 64 * 1024;

/// A parsed `http(s)://host[:port]/path` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUri {
	/// Whether it is `https`.
	pub tls: bool,
	/// The host name or address (IPv6 without brackets).
	pub host: String,
	/// The port (80 or 443 by default).
	pub port: u16,
	/// The path with its query, starting with `/`.
	pub path: String,
}

impl HttpUri {
	/// Parses `uri`; `Ok(None)` for a scheme this worker does not fetch, an error (the
	/// input's fault) for a malformed `http(s)` URI.
	pub fn parse(uri: &str) -> Result<Option<Self>, Unanswerable> {
		let (tls, rest) = if let Some(rest) = uri.strip_prefix("http://") {
			(false, rest)
		} else if let Some(rest) = uri.strip_prefix("https://") {
			(true, rest)
		} else {
			return Ok(None);
		};
		let rest = rest.split('#').next().unwrap_or_default();
		let (authority, path) = match rest.find(['/', '?']) {
			Some(at) => (&rest[..at], &rest[at..]),
			None => (rest, "/"),
		};
		let path = if path.starts_with('?') { format!("/{path}") } else { path.to_string() };
		let bad = |why: &str| Unanswerable(format!("the input's URI {uri:?} {why}"));
		if authority.contains('@') {
			return Err(bad("carries credentials"));
		}
		let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
			let (host, after) = v6.split_once(']').ok_or_else(|| bad("has a malformed host"))?;
			(host, after.strip_prefix(':'))
		} else {
			match authority.rsplit_once(':') {
				Some((host, port)) => (host, Some(port)),
				None => (authority, None),
			}
		};
		if host.is_empty() {
			return Err(bad("has no host"));
		}
		let port = match port {
			Some(port) => port.parse().map_err(|_| bad("has a malformed port"))?,
			None if tls => 443,
			None => 80,
		};
		Ok(Some(HttpUri { tls, host: host.to_string(), port, path }))
	}
}

/// One HTTP response, or why there is none.
enum Attempt {
	/// A response with its status, headers (lower-case names) and body.
	Response { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
	/// Worth trying again (connection refused or reset, timeout).
	Transient(String),
	/// Final: the input cannot be had (too large, malformed response).
	Final(String),
}

/// Fetches the input at `uri` and checks it against `hash`. `Ok(Some(bytes))`: the input;
/// `Err` with an [`Unanswerable`] cause: no honest worker can get it; `Ok(None)`: this
/// worker does not fetch `uri`'s scheme.
pub async fn fetch_input(uri: &str, hash: [u8; 32], max_len: usize) -> Result<Option<Vec<u8>>> {
	let Some(mut target) = HttpUri::parse(uri)? else { return Ok(None) };
	let mut redirects = 0;
	loop {
		let mut last = String::new();
		let mut response = None;
		for attempt in 1..=ATTEMPTS {
			let outcome = tokio::time::timeout(ATTEMPT_TIMEOUT, get(&target, max_len))
				.await
				.unwrap_or_else(|_| Attempt::Transient("no complete answer in time".into()));
			match outcome {
				Attempt::Response { status, .. } if (500..600).contains(&status) => {
					last = format!("it answers HTTP {status}");
				},
				Attempt::Response { status, headers, body } => {
					response = Some((status, headers, body));
					break;
				},
				Attempt::Transient(why) => last = why,
				Attempt::Final(why) => bail!(Unanswerable(format!("the input at {uri}: {why}"))),
			}
			if attempt < ATTEMPTS {
				tokio::time::sleep(RETRY_AFTER).await;
			}
		}
		let Some((status, headers, body)) = response else {
			bail!(Unanswerable(format!("the input at {uri} cannot be fetched: {last}")));
		};
		match status {
			200 => {
				if deai_primitives::inference::content_hash(&body) != hash {
					bail!(Unanswerable(format!(
						"the input at {uri} does not match its hash ({} bytes)",
						body.len()
					)));
				}
				return Ok(Some(body));
			},
			301 | 302 | 303 | 307 | 308 if redirects < MAX_REDIRECTS => {
				redirects = redirects.saturating_add(1);
				let location = headers
					.iter()
					.find(|(name, _)| name == "location")
					.map(|(_, value)| value.clone())
					.ok_or_else(|| Unanswerable(format!("the input at {uri} redirects nowhere")))?;
				target = match HttpUri::parse(&location)? {
					Some(next) => next,
					// A path on the same host.
					None if location.starts_with('/') => HttpUri { path: location, ..target },
					None => bail!(Unanswerable(format!(
						"the input at {uri} redirects to {location:?}, which is not http(s)"
					))),
				};
			},
			_ => bail!(Unanswerable(format!("the input at {uri}: it answers HTTP {status}"))),
		}
	}
}

/// One GET of `target`, reading at most `max_len` body bytes.
async fn get(target: &HttpUri, max_len: usize) -> Attempt {
	let address = (target.host.as_str(), target.port);
	let tcp = match TcpStream::connect(address).await {
		Ok(tcp) => tcp,
		Err(error) => return Attempt::Transient(format!("cannot connect: {error}")),
	};
	if !target.tls {
		return exchange(tcp, target, max_len).await;
	}
	let Ok(name) = rustls::pki_types::ServerName::try_from(target.host.clone()) else {
		return Attempt::Final(format!("{:?} is not a TLS server name", target.host));
	};
	let config = {
		use rustls_platform_verifier::ConfigVerifierExt;
		rustls::ClientConfig::with_platform_verifier()
	};
	match tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await {
		Ok(tls) => exchange(tls, target, max_len).await,
		// A certificate nobody can verify is the URI's fault, as for every other worker.
		Err(error) => Attempt::Final(format!("the TLS handshake fails: {error}")),
	}
}

/// Sends the request on `stream` and reads the response.
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
	mut stream: S,
	target: &HttpUri,
	max_len: usize,
) -> Attempt {
	let host =
		if target.host.contains(':') { format!("[{}]", target.host) } else { target.host.clone() };
	let request = format!(
		"GET {} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: deai-worker/{}\r\nAccept: */*\r\n\
		 Connection: close\r\n\r\n",
		target.path,
		env!("CARGO_PKG_VERSION")
	);
	if let Err(error) = stream.write_all(request.as_bytes()).await {
		return Attempt::Transient(format!("cannot send the request: {error}"));
	}
	let limit = max_len.saturating_add(MAX_HEADER_LEN);
	let mut received = Vec::new();
	let mut buffer = [0u8; 16 * 1024];
	loop {
		match stream.read(&mut buffer).await {
			Ok(0) => break,
			Ok(n) => {
				received.extend_from_slice(buffer.get(..n).unwrap_or_default());
				if received.len() > limit {
					return Attempt::Final(format!(
						"it sends more than the model's {max_len}-byte input limit"
					));
				}
			},
			// A TLS peer that closes without `close_notify` still ended the body.
			Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => break,
			Err(error) => return Attempt::Transient(format!("the connection fails: {error}")),
		}
	}
	parse_response(&received, max_len)
}

/// Parses a whole HTTP/1.x response.
fn parse_response(received: &[u8], max_len: usize) -> Attempt {
	let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") else {
		return Attempt::Transient("the answer ends before its headers do".into());
	};
	let Ok(head) = std::str::from_utf8(received.get(..end).unwrap_or_default()) else {
		return Attempt::Final("its answer's headers are not text".into());
	};
	let mut lines = head.split("\r\n");
	let status = lines
		.next()
		.and_then(|line| line.split(' ').nth(1))
		.and_then(|code| code.parse::<u16>().ok());
	let Some(status) = status else {
		return Attempt::Final("its answer is not HTTP".into());
	};
	let headers: Vec<(String, String)> = lines
		.filter_map(|line| line.split_once(':'))
		.map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
		.collect();
	let mut body = received.get(end.saturating_add(4)..).unwrap_or_default().to_vec();
	let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
	if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
		body = match dechunk(&body) {
			Some(body) => body,
			None => return Attempt::Transient("its chunked answer is cut short".into()),
		};
	} else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
		if body.len() < length {
			return Attempt::Transient("its answer is shorter than announced".into());
		}
		body.truncate(length);
	}
	if status == 200 && body.len() > max_len {
		return Attempt::Final(format!(
			"it sends more than the model's {max_len}-byte input limit"
		));
	}
	Attempt::Response { status, headers, body }
}

/// Decodes a chunked body; `None` if it is cut short.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
	let mut body = Vec::new();
	loop {
		let line_end = data.windows(2).position(|w| w == b"\r\n")?;
		let size_text = std::str::from_utf8(data.get(..line_end)?).ok()?;
		let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
		data = data.get(line_end.checked_add(2)?..)?;
		if size == 0 {
			return Some(body);
		}
		body.extend_from_slice(data.get(..size)?);
		data = data.get(size.checked_add(2)?..)?;
	}
}

/// Reads a reference input for a job, as [`fetch_input`], with the job named in errors.
pub async fn reference_input(
	job: u64,
	uri: &[u8],
	hash: [u8; 32],
	max_len: usize,
) -> Result<Option<Vec<u8>>> {
	let Ok(uri) = std::str::from_utf8(uri) else {
		bail!(Unanswerable(format!("job {job}: the input's URI is not text")));
	};
	fetch_input(uri, hash, max_len).await.with_context(|| format!("job {job}"))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::model::is_unanswerable;
	use deai_primitives::inference::content_hash;
	use tokio::net::TcpListener;

	#[test]
	fn uris_are_parsed_or_named_as_another_scheme() {
		let uri = HttpUri::parse("http://127.0.0.1:8080/a/b?c=d#frag").unwrap().unwrap();
		assert_eq!(
			uri,
			HttpUri { tls: false, host: "127.0.0.1".into(), port: 8080, path: "/a/b?c=d".into() }
		);
		let uri = HttpUri::parse("https://example.org").unwrap().unwrap();
		assert_eq!((uri.tls, uri.port, uri.path.as_str()), (true, 443, "/"));
		let uri = HttpUri::parse("http://[::1]:9/x").unwrap().unwrap();
		assert_eq!((uri.host.as_str(), uri.port), ("::1", 9));
		assert_eq!(HttpUri::parse("ipfs://bafy").unwrap(), None);
		assert!(HttpUri::parse("http://user:pw@host/").is_err());
		assert!(HttpUri::parse("http://host:port/").is_err());
		assert!(HttpUri::parse("http:///path").is_err());
	}

	/// Serves `responses` in turn, one per connection, on a local port.
	async fn serve(responses: Vec<Vec<u8>>) -> String {
		let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
		let address = listener.local_addr().unwrap();
		tokio::spawn(async move {
			for response in responses {
				let (mut socket, _) = listener.accept().await.unwrap();
				let mut request = [0u8; 4096];
				let _ = socket.read(&mut request).await;
				socket.write_all(&response).await.unwrap();
				socket.shutdown().await.unwrap();
			}
		});
		format!("http://{address}")
	}

	fn ok(body: &[u8]) -> Vec<u8> {
		[format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes(), body]
			.concat()
	}

	#[tokio::test]
	async fn a_served_input_is_fetched_and_checked_against_its_hash() {
		let base = serve(vec![ok(b"hello"), ok(b"hellO")]).await;
		let hash = content_hash(b"hello");
		let fetched = fetch_input(&format!("{base}/in"), hash, 64).await.unwrap();
		assert_eq!(fetched, Some(b"hello".to_vec()));
		let error = fetch_input(&format!("{base}/in"), hash, 64).await.unwrap_err();
		assert!(is_unanswerable(&error), "{error:#}");
		assert!(format!("{error:#}").contains("does not match its hash"));
	}

	#[tokio::test]
	async fn redirects_are_followed_and_chunks_joined() {
		let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n";
		let base = serve(vec![
			b"HTTP/1.0 302 Found\r\nLocation: /there\r\n\r\n".to_vec(),
			chunked.to_vec(),
		])
		.await;
		let fetched = fetch_input(&format!("{base}/here"), content_hash(b"hello"), 64).await;
		assert_eq!(fetched.unwrap(), Some(b"hello".to_vec()));
	}

	#[tokio::test]
	async fn a_dead_oversized_or_missing_input_is_unanswerable() {
		let base = serve(vec![b"HTTP/1.0 404 Not Found\r\n\r\n".to_vec(), ok(&[7u8; 65])]).await;
		let hash = content_hash(b"x");
		for why in ["HTTP 404", "input limit"] {
			let error = fetch_input(&format!("{base}/x"), hash, 64).await.unwrap_err();
			assert!(is_unanswerable(&error), "{error:#}");
			assert!(format!("{error:#}").contains(why), "{error:#}");
		}
		// Nothing listens there: tried ATTEMPTS times, then unanswerable.
		let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
		let error = fetch_input(&format!("http://{closed}/x"), hash, 64).await.unwrap_err();
		assert!(is_unanswerable(&error), "{error:#}");
		assert!(format!("{error:#}").contains("cannot connect"), "{error:#}");
	}

	#[tokio::test]
	async fn another_scheme_is_not_claimed_unanswerable() {
		assert_eq!(fetch_input("ipfs://bafy", [0; 32], 64).await.unwrap(), None);
	}
}

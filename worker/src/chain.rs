//! The typed chain client: subxt over WebSocket, generated from the runtime's metadata
//! (`worker/metadata/deai.scale`, refreshed by `scripts/refresh-metadata.sh`; a test fails
//! when it differs from the runtime's).
//!
//! Transactions from one account are sent one at a time, with the nonce read from the
//! node's pool-aware `system_accountNextIndex`, so that several submissions in one block do
//! not collide. Failures come back as `Pallet.Error` names, which the pallets document.

use anyhow::{anyhow, bail, Context, Result};
use std::time::Duration;
use subxt::{
	config::{
		substrate::{BlakeTwo256, SubstrateHeader, H256},
		Config, DefaultExtrinsicParamsBuilder, DefaultTransactionExtensions, HashFor,
		SubstrateConfig,
	},
	error::{DispatchError, TransactionEventsError},
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::{Payload, TransactionStatus},
	utils::{AccountId32, MultiAddress, MultiSignature},
	OnlineClient,
};
use subxt_signer::sr25519::Keypair;

/// The runtime's types and calls, generated from its metadata.
#[subxt::subxt(
	runtime_metadata_path = "metadata/deai.scale",
	derive_for_all_types = "Clone, PartialEq, Eq"
)]
pub mod deai {}

// Rebuild when the metadata file changes (the macro does not tell cargo it reads it).
const _: &[u8] = include_bytes!("../metadata/deai.scale");

/// The chain's configuration: substrate types with a `MultiAddress<AccountId32, ()>`.
#[derive(Debug, Clone, Default)]
pub struct DeaiConfig(SubstrateConfig);

impl Config for DeaiConfig {
	type AccountId = AccountId32;
	type Address = MultiAddress<AccountId32, ()>;
	type Signature = MultiSignature;
	type Hasher = BlakeTwo256;
	type Header = SubstrateHeader<H256>;
	type TransactionExtensions = DefaultTransactionExtensions<Self>;
	type AssetId = u32;

	fn genesis_hash(&self) -> Option<HashFor<Self>> {
		self.0.genesis_hash()
	}

	fn metadata_for_spec_version(&self, version: u32) -> Option<subxt::ArcMetadata> {
		self.0.metadata_for_spec_version(version)
	}

	fn set_metadata_for_spec_version(&self, version: u32, metadata: subxt::ArcMetadata) {
		self.0.set_metadata_for_spec_version(version, metadata)
	}
}

/// A client at one block.
pub type At = subxt::OnlineClientAtBlock<DeaiConfig>;

/// How long to wait for a node to accept a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// How far (in blocks) finality may lag behind the best block for transactions to still
/// count their mortality from the finalized block.
const FINALITY_LAG_LIMIT: u64 = 32;

/// A connection to a node.
#[derive(Clone)]
pub struct Chain {
	/// The typed client.
	pub api: OnlineClient<DeaiConfig>,
	/// Plain RPC methods (best block hash, pool-aware nonces).
	pub rpc: LegacyRpcMethods<subxt::config::RpcConfigFor<DeaiConfig>>,
	url: String,
}

impl Chain {
	/// Connects to the node at `url` (ws:// or wss://), or says clearly why not.
	pub async fn connect(url: &str) -> Result<Self> {
		let connect = async {
			let rpc = RpcClient::from_insecure_url(url).await?;
			let api = OnlineClient::<DeaiConfig>::from_rpc_client_with_config(
				DeaiConfig::default(),
				rpc.clone(),
			)
			.await?;
			Ok::<_, subxt::Error>((rpc, api))
		};
		let (rpc, api) = tokio::time::timeout(CONNECT_TIMEOUT, connect)
			.await
			.map_err(|_| anyhow!("the node at {url} did not answer within {CONNECT_TIMEOUT:?}"))?
			.with_context(|| format!("cannot reach the node at {url} (is deai-node running?)"))?;
		Ok(Chain { api, rpc: LegacyRpcMethods::new(rpc), url: url.to_string() })
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// A client at the current best block.
	pub async fn at_best(&self) -> Result<At> {
		let hash = self
			.rpc
			.chain_get_block_hash(None)
			.await
			.context("reading the best block hash")?
			.context("the node has no best block")?;
		self.api.at_block(hash).await.context("opening the best block")
	}

	/// Signs `call` with `signer` and hands it to the node's pool, without waiting for a
	/// block: the worker's loop sees from the chain's state whether it landed. An error means
	/// the node refused it (invalid, or a nonce race).
	pub async fn send<P: Payload>(&self, call: &P, signer: &Keypair) -> Result<()> {
		let (nonce, at) = self.nonce_and_anchor(signer).await?;
		let params =
			DefaultExtrinsicParamsBuilder::<DeaiConfig>::new().nonce(nonce).mortal(64).build();
		at.tx()
			.sign_and_submit(call, signer, params)
			.await
			.context("submitting the transaction")?;
		Ok(())
	}

	/// The next nonce of `signer`, counting its transactions in the pool, and a client at the
	/// block transactions count their mortality from: the finalized block, so that a reorg
	/// of the best chain (short forks are common on a relay chain) cannot retract it and
	/// invalidate the transaction; the best block when finality lags more than
	/// [`FINALITY_LAG_LIMIT`] blocks, as then a 64-block era from the finalized block would
	/// soon run out.
	async fn nonce_and_anchor(&self, signer: &Keypair) -> Result<(u64, At)> {
		let account = signer.public_key().to_account_id();
		let nonce = self
			.rpc
			.system_account_next_index(&account)
			.await
			.context("reading the account's next nonce")?;
		let best = self.at_best().await?;
		let finalized =
			self.rpc.chain_get_finalized_head().await.context("reading the finalized block")?;
		let finalized =
			self.api.at_block(finalized).await.context("opening the finalized block")?;
		let lag = best.block_number().saturating_sub(finalized.block_number());
		Ok((nonce, if lag <= FINALITY_LAG_LIMIT { finalized } else { best }))
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a best block. Returns
	/// the block hash, or the dispatch error as `Pallet.Error`.
	pub async fn submit<P: Payload>(&self, call: &P, signer: &Keypair) -> Result<H256> {
		let (nonce, at) = self.nonce_and_anchor(signer).await?;
		let params =
			DefaultExtrinsicParamsBuilder::<DeaiConfig>::new().nonce(nonce).mortal(64).build();
		let mut progress = at
			.tx()
			.sign_and_submit_then_watch(call, signer, params)
			.await
			.context("submitting the transaction")?;
		loop {
			match progress.next().await {
				Some(Ok(TransactionStatus::InBestBlock(block)))
				| Some(Ok(TransactionStatus::InFinalizedBlock(block))) => {
					let hash = block.block_hash();
					return match block.wait_for_success().await {
						Ok(_) => Ok(hash),
						Err(TransactionEventsError::ExtrinsicFailed(error)) => {
							Err(anyhow!("{}", dispatch_error_name(&error)))
						},
						Err(other) => Err(other).context("reading the transaction's events"),
					};
				},
				Some(Ok(
					TransactionStatus::Invalid { message }
					| TransactionStatus::Dropped { message }
					| TransactionStatus::Error { message },
				)) => bail!("the node rejected the transaction: {message}"),
				Some(Ok(_)) => continue,
				Some(Err(error)) => return Err(error).context("following the transaction"),
				None => bail!("the node stopped reporting on the transaction"),
			}
		}
	}
}

/// A dispatch error as `Pallet.Error` (e.g. `Inference.NotAssigned`), or its description.
pub fn dispatch_error_name(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(module) => match module.details() {
			Ok(details) => format!("{}.{}", details.pallet.name(), details.variant.name),
			Err(_) => module.to_string(),
		},
		other => other.to_string(),
	}
}

//! The runtime APIs: what the node, the collators and clients (polkadot-js, the DeAI
//! worker) can ask the runtime outside of transactions.

use crate::{
	genesis_config_presets, AccountId, AuraId, Balance, Block, BlockNumber, ComputeStaking,
	ConsensusHook, DataRewards, Executive, Governance, Inference, InherentDataExt, ModelRegistry,
	Nonce, ParachainInfo, ParachainSystem, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys,
	System, TransactionPayment, SLOT_DURATION, VERSION,
};
use alloc::vec::Vec;
use deai_primitives::{
	data::DatasetId,
	inference::{JobId, Verification},
	model::ModelId,
};
use pallet_compute_staking::{
	DelegationDetails, Reputation, StakingParams, WorkerDetails, WorkerSlot,
};
use pallet_governance::{
	Grant, GrantId, ProposalDetails, ProposalIndex, TrackInfo, TrackKind, TreasuryDetails,
	VoterDetails,
};
use pallet_inference::{runtime_api::JobInput, JobReceipts, JobStatus, WorkerJob};
use pallet_model_registry::ModelDetails;
use polkadot_sdk::{
	cumulus_primitives_aura, cumulus_primitives_core,
	frame_support::{
		genesis_builder_helper::{build_state, get_preset},
		weights::Weight,
	},
	frame_system_rpc_runtime_api, pallet_aura, pallet_transaction_payment,
	pallet_transaction_payment_rpc_runtime_api, sp_api,
	sp_api::impl_runtime_apis,
	sp_block_builder, sp_consensus_aura,
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_genesis_builder, sp_inherents, sp_offchain,
	sp_runtime::{
		traits::Block as BlockT,
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult, Perbill,
	},
	sp_session, sp_transaction_pool,
	sp_version::RuntimeVersion,
};

impl_runtime_apis! {
	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(SLOT_DURATION)
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
		fn can_build_upon(
			included_hash: <Block as BlockT>::Hash,
			slot: cumulus_primitives_aura::Slot,
		) -> bool {
			ConsensusHook::can_build_upon(included_hash, slot)
		}
	}

	impl cumulus_primitives_core::RelayParentOffsetApi<Block> for Runtime {
		fn relay_parent_offset() -> u32 {
			0
		}

		fn max_claim_queue_offset() -> u8 {
			1
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(
			header: &<Block as BlockT>::Header,
		) -> polkadot_sdk::sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(
			data: sp_inherents::InherentData,
		) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance>
		for Runtime
	{
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<
		Block,
		Balance,
		RuntimeCall,
	> for Runtime {
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
		fn collect_collation_info(
			header: &<Block as BlockT>::Header,
		) -> cumulus_primitives_core::CollationInfo {
			ParachainSystem::collect_collation_info(header)
		}
	}

	impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
		fn parachain_id() -> cumulus_primitives_core::ParaId {
			ParachainInfo::parachain_id()
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	impl pallet_model_registry::runtime_api::ModelRegistryApi<Block, AccountId, Balance, ModelDetails<Runtime>>
		for Runtime
	{
		fn model(id: ModelId) -> Option<ModelDetails<Runtime>> {
			ModelRegistry::model_details(id)
		}

		fn version_history(id: ModelId) -> Vec<ModelDetails<Runtime>> {
			ModelRegistry::version_history(id)
		}

		fn latest_active_version(id: ModelId) -> Option<ModelId> {
			ModelRegistry::latest_active_in_family(id)
		}

		fn models_of(owner: AccountId) -> Vec<ModelId> {
			ModelRegistry::models_of(owner)
		}

		fn fine_tunes_of(id: ModelId) -> Vec<ModelId> {
			ModelRegistry::fine_tunes_of(id)
		}

		fn max_royalty() -> Perbill {
			ModelRegistry::max_royalty()
		}

		fn deposit_for_bytes(bytes: u32) -> Balance {
			ModelRegistry::deposit_for_bytes(bytes)
		}
	}

	impl pallet_data_rewards::runtime_api::DataRewardsApi<Block, AccountId, Balance> for Runtime {
		fn claimable(dataset: DatasetId, who: AccountId) -> Balance {
			DataRewards::claimable(dataset, &who)
		}

		fn contributors(
			dataset: DatasetId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, u128)> {
			DataRewards::contributors_page(dataset, start_after, limit)
		}
	}

	impl pallet_compute_staking::runtime_api::ComputeStakingApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn worker(who: AccountId) -> Option<WorkerDetails<AccountId, Balance, BlockNumber>> {
			ComputeStaking::worker_details(who)
		}

		fn delegations(
			worker: AccountId,
			start: u32,
			limit: u32,
		) -> Vec<DelegationDetails<AccountId, Balance, BlockNumber>> {
			ComputeStaking::delegations_of(worker, start, limit)
		}

		fn delegation(
			worker: AccountId,
			delegator: AccountId,
		) -> Option<DelegationDetails<AccountId, Balance, BlockNumber>> {
			ComputeStaking::delegation_details(worker, delegator)
		}

		fn eligible_workers(model: ModelId) -> Vec<AccountId> {
			ComputeStaking::eligible_workers(model)
		}

		fn worker_set(model: ModelId) -> Vec<WorkerSlot<AccountId, Balance>> {
			ComputeStaking::worker_set(model)
		}

		fn reputation(who: AccountId) -> Reputation<Balance> {
			ComputeStaking::reputation(&who)
		}

		fn params() -> StakingParams<Balance> {
			ComputeStaking::params()
		}
	}

	impl pallet_inference::runtime_api::InferenceApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn job_status(job: JobId) -> Option<JobStatus<AccountId, Balance, BlockNumber>> {
			Inference::job_status(job)
		}

		fn job_input(job: JobId) -> Option<JobInput> {
			Inference::job_input(job)
		}

		fn job_receipts(job: JobId) -> Option<JobReceipts<AccountId>> {
			Inference::job_receipts(job)
		}

		fn worker_jobs(worker: AccountId) -> Vec<WorkerJob<BlockNumber>> {
			Inference::worker_jobs(worker)
		}

		fn quote(model: ModelId, verification: Verification) -> Option<Balance> {
			Inference::quote(model, verification)
		}
	}

	impl pallet_governance::runtime_api::GovernanceApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn treasury() -> TreasuryDetails<AccountId, Balance> {
			Governance::treasury_details()
		}

		fn open_grants() -> Vec<(GrantId, Grant<AccountId, Balance, BlockNumber>)> {
			Governance::open_grants()
		}

		fn open_proposals() -> Vec<ProposalDetails<AccountId, Balance, BlockNumber>> {
			Governance::open_proposals()
		}

		fn proposal(index: ProposalIndex) -> Option<ProposalDetails<AccountId, Balance, BlockNumber>> {
			Governance::proposal_details(index)
		}

		fn votes_of(who: AccountId) -> VoterDetails<Balance, BlockNumber> {
			Governance::voter_details(who)
		}

		fn tracks() -> Vec<(TrackKind, TrackInfo<Balance, BlockNumber>)> {
			Governance::tracks()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl polkadot_sdk::frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<polkadot_sdk::frame_benchmarking::BenchmarkList>,
			Vec<polkadot_sdk::frame_support::traits::StorageInfo>,
		) {
			crate::benchmarks::metadata(extra)
		}

		fn dispatch_benchmark(
			config: polkadot_sdk::frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<polkadot_sdk::frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			crate::benchmarks::dispatch(config)
		}
	}
}

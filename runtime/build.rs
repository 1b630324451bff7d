//! Builds the runtime's Wasm blob and makes it available as `WASM_BINARY`.

fn main() {
	#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();

	// Release builds for offline signers: the Wasm is built twice so that the metadata hash
	// checked by `CheckMetadataHash` is baked in.
	#[cfg(all(feature = "std", feature = "metadata-hash"))]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("DEAI", 12)
		.build();
}

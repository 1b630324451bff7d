//! The worker's two sr25519 keys: the account (signs transactions) and the attestation key
//! (signs results; registered on chain, distinct from the account so it can be rotated or
//! kept in a different place).
//!
//! A key file holds one secret URI: a `0x`-prefixed 32-byte seed (what `deai-worker init`
//! writes), a BIP-39 mnemonic, or a development URI such as `//Charlie`, optionally with
//! derivation junctions.

use anyhow::{bail, Context, Result};
use rand::RngCore;
use std::{path::Path, str::FromStr};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Reads the key in `path`. `what` names it in errors ("account key", "attestation key").
pub fn load(path: &Path, what: &str) -> Result<Keypair> {
	let text = std::fs::read_to_string(path).with_context(|| {
		format!(
			"cannot read the {what} file {} (create it with `deai-worker init`)",
			path.display()
		)
	})?;
	let uri = SecretUri::from_str(text.trim()).map_err(|e| anyhow::anyhow!("{e}")).with_context(
		|| format!("the {what} file {} does not hold a secret URI", path.display()),
	)?;
	Keypair::from_uri(&uri)
		.map_err(|e| anyhow::anyhow!("{e}"))
		.with_context(|| format!("the {what} file {} holds an invalid secret", path.display()))
}

/// Writes a fresh random key (a `0x` seed) to `path`, readable by the owner only. Refuses to
/// overwrite an existing file, so a key is never lost by running `init` twice.
pub fn create(path: &Path) -> Result<()> {
	let mut seed = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut seed);
	write_secret(path, &format!("0x{}", hex::encode(seed)))
}

/// Writes `secret` (a secret URI) to `path` with owner-only permissions, refusing to
/// overwrite an existing file.
pub fn write_secret(path: &Path, secret: &str) -> Result<()> {
	if path.exists() {
		bail!("{} already exists; not overwriting a key", path.display());
	}
	if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
		std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	}
	use std::{fs::OpenOptions, io::Write, os::unix::fs::OpenOptionsExt};
	let mut file = OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.with_context(|| format!("creating {}", path.display()))?;
	writeln!(file, "{secret}").with_context(|| format!("writing {}", path.display()))?;
	Ok(())
}

/// The SS58 address (generic prefix 42) of a key.
pub fn address(key: &Keypair) -> String {
	key.public_key().to_account_id().to_string()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn created_keys_load_and_are_private() -> Result<()> {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir()?;
		let path = dir.path().join("keys").join("account.key");
		create(&path)?;
		let key = load(&path, "account key")?;
		assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
		assert_eq!(load(&path, "account key")?.public_key().0, key.public_key().0);
		let error = create(&path).unwrap_err();
		assert!(error.to_string().contains("not overwriting"), "{error}");
		Ok(())
	}

	#[test]
	fn development_uris_load() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let path = dir.path().join("dev.key");
		write_secret(&path, "//Charlie")?;
		let key = load(&path, "account key")?;
		assert_eq!(address(&key), "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y");
		Ok(())
	}

	#[test]
	fn bad_key_files_name_the_file() -> Result<()> {
		let dir = tempfile::tempdir()?;
		let missing = load(&dir.path().join("absent.key"), "attestation key").unwrap_err();
		assert!(format!("{missing:#}").contains("attestation key file"), "{missing:#}");
		let path = dir.path().join("bad.key");
		std::fs::write(&path, "0xnothex")?;
		let bad = load(&path, "attestation key").unwrap_err();
		assert!(format!("{bad:#}").contains("bad.key"), "{bad:#}");
		Ok(())
	}
}

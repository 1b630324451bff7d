//! The checks of user input that need no storage (string syntax, URIs, frameworks, specs
//! and lineage weights), so that `lib.rs` keeps to the flow of each call.

use crate::{Config, Error, Framework, ModelSpec, ModelTerms, UrisOf};
use deai_primitives::data::DatasetId;
use polkadot_sdk::{frame_support::pallet_prelude::BoundedVec, sp_runtime::Perbill};

impl<T: Config> ModelSpec<T> {
	/// Checks everything that does not need storage: string syntax, specs and the lineage
	/// weights.
	pub fn check(&self) -> Result<(), Error<T>> {
		ensure_valid_name::<T>(&self.name)?;
		ensure_valid_version::<T>(&self.version)?;
		ensure_valid_framework::<T>(&self.framework)?;
		ensure_valid_license::<T>(&self.license)?;
		if !self.input_spec.is_valid() {
			return Err(Error::<T>::InvalidInputSpec);
		}
		if !self.output_spec.is_valid() {
			return Err(Error::<T>::InvalidOutputSpec);
		}
		ensure_valid_lineage_weights::<T>(&self.datasets)
	}
}

impl<T: Config> ModelTerms<T> {
	/// Checks the URIs (the royalty's bound needs storage and is checked with it).
	pub fn check(&self) -> Result<(), Error<T>> {
		ensure_valid_uris::<T>(&self.uris)
	}
}

/// The total number of bytes of a URI list.
pub fn uris_bytes<S>(uris: &[BoundedVec<u8, S>]) -> usize {
	uris.iter().fold(0usize, |total, uri| total.saturating_add(uri.len()))
}

/// A name is UTF-8, not empty and free of control characters.
pub fn ensure_valid_name<T: Config>(name: &[u8]) -> Result<(), Error<T>> {
	let text = core::str::from_utf8(name).map_err(|_| Error::<T>::InvalidName)?;
	if text.is_empty() || text.chars().any(char::is_control) {
		return Err(Error::<T>::InvalidName);
	}
	Ok(())
}

/// A version label is ASCII letters, digits, `.`, `-` and `+`, starting with a letter or a
/// digit (`1.0.0`, `2.1.0-rc.1+build5`, `v3`).
pub fn ensure_valid_version<T: Config>(version: &[u8]) -> Result<(), Error<T>> {
	match version.first() {
		Some(first) if first.is_ascii_alphanumeric() => {},
		_ => return Err(Error::<T>::InvalidVersion),
	}
	if version.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+')) {
		Ok(())
	} else {
		Err(Error::<T>::InvalidVersion)
	}
}

/// A license is an SPDX identifier or expression: ASCII letters, digits, `.`, `-`, `+`,
/// `:`, parentheses and spaces, starting with a letter, a digit or `(` (`Apache-2.0`,
/// `MIT OR Apache-2.0`, `(MIT AND BSD-2-Clause)`, `LicenseRef-custom`).
pub fn ensure_valid_license<T: Config>(license: &[u8]) -> Result<(), Error<T>> {
	match license.first() {
		Some(first) if first.is_ascii_alphanumeric() || *first == b'(' => {},
		_ => return Err(Error::<T>::InvalidLicense),
	}
	let allowed = |c: &u8| {
		c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b':' | b'(' | b')' | b' ')
	};
	if license.iter().all(allowed) {
		Ok(())
	} else {
		Err(Error::<T>::InvalidLicense)
	}
}

/// A URI is `scheme://rest`: the scheme a lower-case letter followed by lower-case letters,
/// digits, `+`, `-` or `.`; the rest not empty; the whole printable ASCII without spaces.
pub fn ensure_valid_uri<T: Config>(uri: &[u8]) -> Result<(), Error<T>> {
	if !uri.iter().all(|c| c.is_ascii_graphic()) {
		return Err(Error::<T>::InvalidUri);
	}
	let separator = uri.windows(3).position(|w| w == b"://").ok_or(Error::<T>::InvalidUri)?;
	let (scheme, rest) = uri.split_at(separator);
	let scheme_ok = match scheme.split_first() {
		Some((first, tail)) => {
			first.is_ascii_lowercase()
				&& tail.iter().all(|c| {
					c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.')
				})
		},
		None => false,
	};
	// `rest` starts with "://"; something must follow it.
	if scheme_ok && rest.len() > 3 {
		Ok(())
	} else {
		Err(Error::<T>::InvalidUri)
	}
}

/// A URI list has at least one URI, every URI is valid and none appears twice.
pub fn ensure_valid_uris<T: Config>(uris: &UrisOf<T>) -> Result<(), Error<T>> {
	if uris.is_empty() {
		return Err(Error::<T>::NoUri);
	}
	for (i, uri) in uris.iter().enumerate() {
		ensure_valid_uri::<T>(uri)?;
		if uris.iter().take(i).any(|earlier| earlier == uri) {
			return Err(Error::<T>::DuplicateUri);
		}
	}
	Ok(())
}

/// The name of an `Other` framework is 1 to [`MAX_FRAMEWORK_NAME_LEN`] printable ASCII
/// characters without spaces.
pub fn ensure_valid_framework<T: Config>(framework: &Framework) -> Result<(), Error<T>> {
	match framework {
		Framework::Other(name) if name.is_empty() || !name.iter().all(|c| c.is_ascii_graphic()) => {
			Err(Error::<T>::InvalidFramework)
		},
		_ => Ok(()),
	}
}

/// Lineage weights: no dataset twice, no zero weight, and, unless the list is empty, the
/// weights sum to exactly 100 %. Whether the datasets exist is checked by the caller.
pub fn ensure_valid_lineage_weights<T: Config>(
	datasets: &[(DatasetId, Perbill)],
) -> Result<(), Error<T>> {
	let mut total: u64 = 0;
	for (i, (dataset, weight)) in datasets.iter().enumerate() {
		if weight.deconstruct() == 0 {
			return Err(Error::<T>::ZeroDatasetWeight);
		}
		if datasets.iter().take(i).any(|(earlier, _)| earlier == dataset) {
			return Err(Error::<T>::DuplicateDataset);
		}
		total = total.saturating_add(u64::from(weight.deconstruct()));
	}
	if !datasets.is_empty() && total != u64::from(Perbill::one().deconstruct()) {
		return Err(Error::<T>::LineageWeightsNotHundredPercent);
	}
	Ok(())
}

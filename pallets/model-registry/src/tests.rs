//! Tests of the model registry: every call and every error, one module per call in
//! call-index order (with the deposits and indexes each call touches), then the hooks, the
//! traits and runtime API functions other pallets and dapps use, and the invariants. Every
//! test built with `build_and_execute` ends with `do_try_state`.

use crate::{mock::*, *};
use codec::Encode;
use deai_primitives::{
	data::DatasetId,
	model::{InputKind, InputSpec, ModelInspect, OutputSpec},
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{InspectHold, MutateFreeze},
			Get, Hooks,
		},
		BoundedVec,
	},
	sp_runtime::{DispatchError, DispatchResult, TokenError},
};

fn bounded<S: Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().unwrap()
}

fn uri_list(list: &[&[u8]]) -> UrisOf<Test> {
	list.iter().map(|uri| bounded(uri)).collect::<Vec<_>>().try_into().unwrap()
}

fn lineage(list: &[(DatasetId, u32)]) -> DatasetsOf<Test> {
	list.iter()
		.map(|(dataset, percent)| (*dataset, Perbill::from_percent(*percent)))
		.collect::<Vec<_>>()
		.try_into()
		.unwrap()
}

/// A registration: a model's spec and terms.
type Registration = (ModelSpec<Test>, ModelTerms<Test>);

/// Valid spec and terms of a small embedding model.
fn params() -> Registration {
	let spec = ModelSpec {
		name: bounded(b"MiniLM"),
		version: bounded(b"1.0.0"),
		artifact_hash: [7u8; 32],
		framework: Framework::Safetensors,
		license: bounded(b"Apache-2.0"),
		input_spec: InputSpec { kind: InputKind::Text, max_len: 512 },
		output_spec: OutputSpec::QuantizedF32 { decimals: 4 },
		parent: None,
		datasets: Default::default(),
	};
	let terms = ModelTerms {
		uris: uri_list(&[b"ipfs://bafyminilm"]),
		price: 50,
		royalty: Perbill::from_percent(10),
	};
	(spec, terms)
}

/// `registration` changed by `change`.
fn edit(
	registration: Registration,
	change: impl FnOnce(&mut ModelSpec<Test>, &mut ModelTerms<Test>),
) -> Registration {
	let (mut spec, mut terms) = registration;
	change(&mut spec, &mut terms);
	(spec, terms)
}

/// `params()` with another artifact hash.
fn params_with_hash(byte: u8) -> Registration {
	edit(params(), |spec, _| spec.artifact_hash = [byte; 32])
}

fn register_as(owner: u64, (spec, terms): Registration) -> ModelId {
	let id = NextModelId::<Test>::get();
	assert_ok!(ModelRegistry::register(RuntimeOrigin::signed(owner), Box::new(spec), terms));
	id
}

fn publish_as(owner: u64, predecessor: ModelId, (spec, terms): Registration) -> ModelId {
	let id = NextModelId::<Test>::get();
	assert_ok!(ModelRegistry::publish_version(
		RuntimeOrigin::signed(owner),
		predecessor,
		Box::new(spec),
		terms
	));
	id
}

/// The `register` call with `registration`.
fn register_call(origin: RuntimeOrigin, (spec, terms): Registration) -> DispatchResult {
	ModelRegistry::register(origin, Box::new(spec), terms)
}

/// The `publish_version` call with `registration`.
fn publish_call(
	origin: RuntimeOrigin,
	predecessor: ModelId,
	(spec, terms): Registration,
) -> DispatchResult {
	ModelRegistry::publish_version(origin, predecessor, Box::new(spec), terms)
}

fn register_err(owner: u64, (spec, terms): Registration) -> DispatchError {
	ModelRegistry::register(RuntimeOrigin::signed(owner), Box::new(spec), terms).unwrap_err()
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::ModelRegistry(HoldReason::ModelDeposit), &who)
}

/// Freezes `amount` of `who`'s balance, as a governance vote does.
fn vote_lock(who: u64, amount: u64) {
	assert_ok!(<Balances as MutateFreeze<u64>>::set_freeze(&VOTE_LOCK, &who, amount));
}

fn model(id: ModelId) -> Model<Test> {
	Models::<Test>::get(id).unwrap()
}

/// A deposit ticket claiming `amount`, to corrupt a record in try_state tests (a ticket
/// encodes as the balance it holds).
fn ticket(amount: u64) -> DepositOf<Test> {
	codec::Decode::decode(&mut &amount.encode()[..]).unwrap()
}

fn reason(text: &[u8]) -> ReasonOf<Test> {
	bounded(text)
}

mod register {
	use super::*;

	#[test]
	fn stores_the_model_and_holds_its_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			System::set_block_number(5);
			let id = register_as(ALICE, params());
			assert_eq!(id, 0);
			assert_eq!(NextModelId::<Test>::get(), 1);

			let record = model(id);
			assert_eq!(record.owner, ALICE);
			assert_eq!(record.family, id);
			assert_eq!(record.predecessor, None);
			assert_eq!(record.spec.parent, None);
			assert_eq!(record.spec.name.to_vec(), b"MiniLM".to_vec());
			assert_eq!(record.spec.artifact_hash, [7u8; 32]);
			assert_eq!(record.status, ModelStatus::Active);
			assert_eq!(record.created_at, 5);
			assert_eq!(record.terms.price, 50);

			// The deposit is the base plus one unit per encoded byte, and it is held.
			assert_eq!(record.deposit.amount(), 100 + record.encoded_size() as u64);
			assert_eq!(held(ALICE), record.deposit.amount());
			assert_eq!(Balances::free_balance(ALICE), RICH - record.deposit.amount());

			assert!(OwnedModels::<Test>::contains_key(ALICE, id));
			assert_eq!(Families::<Test>::get(id).unwrap().to_vec(), vec![id]);
			assert_eq!(FamilyArtifacts::<Test>::get(id, [7u8; 32]), Some(id));
			System::assert_last_event(
				Event::ModelRegistered {
					model: id,
					owner: ALICE,
					artifact_hash: [7u8; 32],
					deposit: record.deposit.amount(),
				}
				.into(),
			);
		});
	}

	#[test]
	fn deposit_is_base_plus_bytes_of_the_record() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			// owner 8 + family 8 + predecessor 1 + parent 1 + name 1+6 + version 1+5 + hash 32
			// + uris 1+(1+17) + framework 1 + license 1+10 + input 1+4 + output 2 + price 8
			// + royalty 4 + datasets 1 + status 1 + created_at 8 + deposit 8 = 131 bytes.
			assert_eq!(model(id).stored_bytes(), 131);
			assert_eq!(model(id).deposit.amount(), 231);
			assert_eq!(ModelRegistry::deposit_for_bytes(131), 231);
		});
	}

	#[test]
	fn rejects_bad_names_versions_and_licenses() {
		ExtBuilder::default().build_and_execute(|| {
			for name in [&b""[..], &[0xff, 0xfe][..], &b"tab\there"[..]] {
				let p = edit(params(), |s, _| s.name = bounded(name));
				assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidName.into());
			}
			for version in [&b""[..], &b".1"[..], &b"1 0"[..], &b"1_0"[..]] {
				let p = edit(params(), |s, _| s.version = bounded(version));
				assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidVersion.into());
			}
			for license in [&b""[..], &b"-MIT"[..], &b"MIT;rm"[..]] {
				let p = edit(params(), |s, _| s.license = bounded(license));
				assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidLicense.into());
			}
			// Accepted forms.
			let p = edit(params(), |s, _| {
				s.name = bounded("Modèle ünïcode".as_bytes());
				s.version = bounded(b"2.1.0-rc.1+b5");
				s.license = bounded(b"(MIT OR Apache-2.0)");
			});
			register_as(ALICE, p);
			assert_eq!(NextModelId::<Test>::get(), 1);
		});
	}

	#[test]
	fn rejects_bad_uris_and_frameworks() {
		ExtBuilder::default().build_and_execute(|| {
			let p = edit(params(), |_, t| t.uris = uri_list(&[]));
			assert_eq!(register_err(ALICE, p), Error::<Test>::NoUri.into());
			for uri in [
				&b"ipfs:/x"[..],
				&b"IPFS://x"[..],
				&b"://x"[..],
				&b"ipfs://"[..],
				&b"ipfs://a b"[..],
				&b"1pfs://x"[..],
			] {
				let p = edit(params(), |_, t| t.uris = uri_list(&[uri]));
				assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidUri.into());
			}
			let p = edit(params(), |_, t| t.uris = uri_list(&[b"ipfs://a", b"ipfs://a"]));
			assert_eq!(register_err(ALICE, p), Error::<Test>::DuplicateUri.into());
			for name in [&b""[..], &b"my fmt"[..]] {
				let p = edit(params(), |s, _| s.framework = Framework::Other(bounded(name)));
				assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidFramework.into());
			}
			let p = edit(params(), |s, t| {
				t.uris =
					uri_list(&[b"ipfs://a", b"https://mirror.example/m.safetensors", b"ar://tx"]);
				s.framework = Framework::Other(bounded(b"mlx"));
			});
			register_as(ALICE, p);
		});
	}

	#[test]
	fn rejects_bad_specs() {
		ExtBuilder::default().build_and_execute(|| {
			let p = edit(params(), |s, _| {
				s.input_spec = InputSpec { kind: InputKind::Bytes, max_len: 0 }
			});
			assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidInputSpec.into());
			for spec in [OutputSpec::QuantizedF32 { decimals: 8 }, OutputSpec::TopK { k: 0 }] {
				let p = edit(params(), |s, _| s.output_spec = spec);
				assert_eq!(register_err(ALICE, p), Error::<Test>::InvalidOutputSpec.into());
			}
			let id = register_as(
				ALICE,
				edit(params(), |s, _| s.output_spec = OutputSpec::TopK { k: 5 }),
			);
			assert_eq!(model(id).spec.output_spec, OutputSpec::TopK { k: 5 });
		});
	}

	#[test]
	fn rejects_royalty_above_the_maximum() {
		ExtBuilder::default().max_royalty(Perbill::from_percent(20)).build_and_execute(|| {
			let p = edit(params(), |_, t| t.royalty = Perbill::from_percent(21));
			assert_noop!(
				register_call(RuntimeOrigin::signed(ALICE), p),
				Error::<Test>::RoyaltyTooHigh
			);
			register_as(ALICE, edit(params(), |_, t| t.royalty = Perbill::from_percent(20)));
		});
	}

	#[test]
	fn validates_the_lineage() {
		ExtBuilder::default().build_and_execute(|| {
			// The parent must exist: its own future id, or any unknown id, is refused, so a
			// cycle cannot be written.
			let p = edit(params(), |s, _| s.parent = Some(0));
			assert_eq!(register_err(ALICE, p), Error::<Test>::UnknownParent.into());
			let p = edit(params(), |s, _| s.parent = Some(42));
			assert_eq!(register_err(ALICE, p), Error::<Test>::UnknownParent.into());

			let p = edit(params(), |s, _| s.datasets = lineage(&[(1, 50), (9, 50)]));
			assert_eq!(register_err(ALICE, p), Error::<Test>::UnknownDataset.into());
			let p = edit(params(), |s, _| s.datasets = lineage(&[(1, 50), (1, 50)]));
			assert_eq!(register_err(ALICE, p), Error::<Test>::DuplicateDataset.into());
			let p = edit(params(), |s, _| s.datasets = lineage(&[(1, 100), (2, 0)]));
			assert_eq!(register_err(ALICE, p), Error::<Test>::ZeroDatasetWeight.into());
			let p = edit(params(), |s, _| s.datasets = lineage(&[(1, 50), (2, 49)]));
			assert_eq!(
				register_err(ALICE, p),
				Error::<Test>::LineageWeightsNotHundredPercent.into()
			);
			let p = edit(params(), |s, _| s.datasets = lineage(&[(1, 60), (2, 60)]));
			assert_eq!(
				register_err(ALICE, p),
				Error::<Test>::LineageWeightsNotHundredPercent.into()
			);
			// A few parts per billion off is still refused: the sum must be exact.
			let almost: DatasetsOf<Test> = alloc::vec![
				(1, Perbill::from_parts(333_333_333)),
				(2, Perbill::from_parts(333_333_333)),
				(3, Perbill::from_parts(333_333_333)),
			]
			.try_into()
			.unwrap();
			let p = edit(params(), |s, _| s.datasets = almost);
			assert_eq!(
				register_err(ALICE, p),
				Error::<Test>::LineageWeightsNotHundredPercent.into()
			);

			let exact: DatasetsOf<Test> = alloc::vec![
				(1, Perbill::from_parts(333_333_334)),
				(2, Perbill::from_parts(333_333_333)),
				(3, Perbill::from_parts(333_333_333)),
			]
			.try_into()
			.unwrap();
			let base = register_as(ALICE, edit(params(), |s, _| s.datasets = exact.clone()));
			assert_eq!(model(base).spec.datasets, exact);

			let tuned = register_as(
				BOB,
				edit(params(), |s, _| {
					s.parent = Some(base);
					s.datasets = lineage(&[(2, 100)]);
				}),
			);
			assert_eq!(model(tuned).spec.parent, Some(base));
			assert!(FineTunes::<Test>::contains_key(base, tuned));
			assert_eq!(ModelRegistry::fine_tunes_of(base), vec![tuned]);
		});
	}

	#[test]
	fn needs_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				register_call(RuntimeOrigin::signed(POOR), params()),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(register_call(RuntimeOrigin::none(), params()), DispatchError::BadOrigin);
		});
	}

	#[test]
	fn a_model_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			let family = register_as(ALICE, params());
			let deposit = model(family).deposit.amount();
			let free = Balances::free_balance(ALICE);

			// A vote locks all of Alice's free balance but one unit less than a deposit.
			vote_lock(ALICE, free - deposit + 1);
			assert_noop!(
				register_call(RuntimeOrigin::signed(ALICE), params_with_hash(8)),
				Error::<Test>::FundsFrozen
			);
			assert_noop!(
				publish_call(RuntimeOrigin::signed(ALICE), family, params_with_hash(8)),
				Error::<Test>::FundsFrozen
			);

			// Exactly a deposit of unfrozen funds is enough.
			vote_lock(ALICE, free - deposit);
			let other = register_as(ALICE, params_with_hash(8));
			assert_eq!(held(ALICE), deposit + model(other).deposit.amount());
			assert_eq!(Balances::free_balance(ALICE), free - deposit);

			// A version's deposit needs unfrozen funds too.
			let free = Balances::free_balance(ALICE);
			vote_lock(ALICE, free - 2 * deposit);
			let version = publish_as(ALICE, family, params_with_hash(9));
			assert_eq!(held(ALICE), 2 * deposit + model(version).deposit.amount());
		});
	}

	#[test]
	fn the_same_artifact_may_head_different_families() {
		ExtBuilder::default().build_and_execute(|| {
			let a = register_as(ALICE, params());
			let b = register_as(BOB, params());
			assert_ne!(model(a).family, model(b).family);
		});
	}
}

mod publish_version {
	use super::*;

	#[test]
	fn extends_the_family() {
		ExtBuilder::default().build_and_execute(|| {
			let v1 = register_as(ALICE, params());
			let other = register_as(BOB, params_with_hash(1));
			let v2 = publish_as(
				ALICE,
				v1,
				edit(params_with_hash(8), |s, _| s.version = bounded(b"1.1.0")),
			);
			System::assert_last_event(
				Event::VersionPublished {
					model: v2,
					family: v1,
					predecessor: v1,
					owner: ALICE,
					artifact_hash: [8u8; 32],
					deposit: model(v2).deposit.amount(),
				}
				.into(),
			);
			assert_eq!(model(v2).family, v1);
			assert_eq!(model(v2).predecessor, Some(v1));
			assert_eq!(Families::<Test>::get(v1).unwrap().to_vec(), vec![v1, v2]);
			assert_eq!(held(ALICE), model(v1).deposit.amount() + model(v2).deposit.amount());
			assert_eq!(ModelRegistry::latest_active_in_family(v1), Some(v2));
			assert_eq!(ModelRegistry::latest_active_in_family(v2), Some(v2));
			assert_eq!(ModelRegistry::latest_active_in_family(other), Some(other));

			let history = ModelRegistry::version_history(v2);
			assert_eq!(history.iter().map(|d| d.id).collect::<Vec<_>>(), vec![v1, v2]);
			assert_eq!(history[1].model.spec.version, b"1.1.0".to_vec());
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().build_and_execute(|| {
			let v1 = register_as(ALICE, params());
			assert_noop!(
				publish_call(RuntimeOrigin::signed(ALICE), 99, params_with_hash(2)),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				publish_call(RuntimeOrigin::signed(BOB), v1, params_with_hash(2)),
				Error::<Test>::NotOwner
			);
			// A change of artifact is a new version; the same artifact is not.
			assert_noop!(
				publish_call(RuntimeOrigin::signed(ALICE), v1, params()),
				Error::<Test>::DuplicateArtifact
			);
			let v2 = publish_as(ALICE, v1, params_with_hash(2));
			assert_noop!(
				publish_call(RuntimeOrigin::signed(ALICE), v1, params_with_hash(3)),
				Error::<Test>::NotLatestVersion
			);
			// Parameters are checked like at registration.
			assert_noop!(
				publish_call(
					RuntimeOrigin::signed(ALICE),
					v2,
					edit(params_with_hash(3), |s, _| s.name = bounded(b""))
				),
				Error::<Test>::InvalidName
			);
			let v3 = publish_as(ALICE, v2, params_with_hash(3));
			// MaxVersionsPerFamily is 3 in the mock.
			assert_noop!(
				publish_call(RuntimeOrigin::signed(ALICE), v3, params_with_hash(4)),
				Error::<Test>::TooManyVersions
			);
		});
	}
}

mod update_metadata {
	use super::*;

	#[test]
	fn changes_mutable_fields_and_reprices_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			let before = model(id).deposit.amount();

			// Longer URI list: more bytes, more deposit.
			let mirrors = uri_list(&[b"ipfs://bafyminilm", b"https://mirror.example/minilm"]);
			assert_ok!(ModelRegistry::update_metadata(
				RuntimeOrigin::signed(ALICE),
				id,
				Some(mirrors.clone()),
				Some(70),
				Some(Perbill::from_percent(5)),
			));
			let record = model(id);
			assert_eq!(record.terms.uris, mirrors);
			assert_eq!(record.terms.price, 70);
			assert_eq!(record.terms.royalty, Perbill::from_percent(5));
			assert_eq!(record.deposit.amount(), before + 1 + 29);
			assert_eq!(held(ALICE), record.deposit.amount());
			System::assert_last_event(
				Event::MetadataUpdated {
					model: id,
					price: 70,
					royalty: Perbill::from_percent(5),
					deposit: record.deposit.amount(),
				}
				.into(),
			);

			// Back to one URI: the difference is released.
			assert_ok!(ModelRegistry::update_metadata(
				RuntimeOrigin::signed(ALICE),
				id,
				Some(uri_list(&[b"ipfs://bafyminilm"])),
				None,
				None,
			));
			assert_eq!(model(id).deposit.amount(), before);
			assert_eq!(held(ALICE), before);
			assert_eq!(Balances::free_balance(ALICE), RICH - before);

			// Price only: the deposit stays.
			assert_ok!(ModelRegistry::update_metadata(
				RuntimeOrigin::signed(ALICE),
				id,
				None,
				Some(0),
				None
			));
			assert_eq!(model(id).terms.price, 0);
			assert_eq!(model(id).deposit.amount(), before);
			// What never changes did not change.
			assert_eq!(model(id).spec.artifact_hash, [7u8; 32]);
			assert_eq!(model(id).spec.output_spec, OutputSpec::QuantizedF32 { decimals: 4 });
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().max_royalty(Perbill::from_percent(20)).build_and_execute(|| {
			let id = register_as(ALICE, params());
			let origin = || RuntimeOrigin::signed(ALICE);
			assert_noop!(
				ModelRegistry::update_metadata(origin(), id, None, None, None),
				Error::<Test>::NothingToUpdate
			);
			assert_noop!(
				ModelRegistry::update_metadata(origin(), 9, None, Some(1), None),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::update_metadata(RuntimeOrigin::signed(BOB), id, None, Some(1), None),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				ModelRegistry::update_metadata(
					origin(),
					id,
					None,
					None,
					Some(Perbill::from_percent(21))
				),
				Error::<Test>::RoyaltyTooHigh
			);
			assert_noop!(
				ModelRegistry::update_metadata(origin(), id, Some(uri_list(&[])), None, None),
				Error::<Test>::NoUri
			);
			assert_noop!(
				ModelRegistry::update_metadata(
					origin(),
					id,
					Some(uri_list(&[b"nope"])),
					None,
					None
				),
				Error::<Test>::InvalidUri
			);
			assert_noop!(
				ModelRegistry::update_metadata(
					origin(),
					id,
					Some(uri_list(&[b"ar://x", b"ar://x"])),
					None,
					None
				),
				Error::<Test>::DuplicateUri
			);

			// Growing the record needs free balance for the extra deposit.
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), ALICE, 1));
			assert_noop!(
				ModelRegistry::update_metadata(
					origin(),
					id,
					Some(uri_list(&[b"ipfs://bafyminilm", b"https://mirror.example/minilm"])),
					None,
					None
				),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn a_repriced_model_deposit_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			let deposit = model(id).deposit.amount();
			let mirrors = uri_list(&[b"ipfs://bafyminilm", b"https://mirror.example/minilm"]);
			let free = Balances::free_balance(ALICE);

			// Everything free is vote-locked: a larger record cannot be paid for.
			vote_lock(ALICE, free);
			assert_noop!(
				ModelRegistry::update_metadata(
					RuntimeOrigin::signed(ALICE),
					id,
					Some(mirrors.clone()),
					None,
					None
				),
				Error::<Test>::FundsFrozen
			);
			// An update that holds nothing more still works.
			assert_ok!(ModelRegistry::update_metadata(
				RuntimeOrigin::signed(ALICE),
				id,
				None,
				Some(70),
				None
			));

			// The 30 more bytes need 30 unfrozen units.
			vote_lock(ALICE, free - 30);
			assert_ok!(ModelRegistry::update_metadata(
				RuntimeOrigin::signed(ALICE),
				id,
				Some(mirrors),
				None,
				None
			));
			assert_eq!(model(id).deposit.amount(), deposit + 30);
			assert_eq!(held(ALICE), deposit + 30);
		});
	}
}

mod deprecate {
	use super::*;

	#[test]
	fn works_once_and_not_on_retired_models() {
		ExtBuilder::default().build_and_execute(|| {
			let v1 = register_as(ALICE, params());
			let v2 = publish_as(ALICE, v1, params_with_hash(2));
			assert_noop!(
				ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), 9),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::deprecate(RuntimeOrigin::signed(BOB), v2),
				Error::<Test>::NotOwner
			);

			assert_ok!(ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), v2));
			System::assert_last_event(Event::ModelDeprecated { model: v2 }.into());
			assert_eq!(model(v2).status, ModelStatus::Deprecated);
			// The latest active version skips the deprecated one.
			assert_eq!(ModelRegistry::latest_active_in_family(v1), Some(v1));
			assert_noop!(
				ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), v2),
				Error::<Test>::AlreadyDeprecated
			);

			assert_ok!(ModelRegistry::retire(RuntimeOrigin::root(), v1, reason(b"leaks data")));
			assert_noop!(
				ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), v1),
				Error::<Test>::ModelRetired
			);
			assert_eq!(ModelRegistry::latest_active_in_family(v1), None);
		});
	}
}

mod offer_transfer {
	use super::*;

	#[test]
	fn transfer_errors() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			assert_noop!(
				ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), 9, BOB),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::offer_transfer(RuntimeOrigin::signed(BOB), id, BOB),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, ALICE),
				Error::<Test>::AlreadyOwner
			);
			assert_noop!(
				ModelRegistry::accept_transfer(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::NoTransferOffer
			);
			assert_noop!(
				ModelRegistry::accept_transfer(RuntimeOrigin::signed(BOB), 9),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::cancel_transfer(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::NoTransferOffer
			);
			assert_noop!(
				ModelRegistry::cancel_transfer(RuntimeOrigin::signed(ALICE), 9),
				Error::<Test>::UnknownModel
			);

			// The new owner must afford the deposit.
			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, POOR));
			assert_noop!(
				ModelRegistry::accept_transfer(RuntimeOrigin::signed(POOR), id),
				Error::<Test>::InsufficientBalance
			);
			// Only the owner or the recipient may cancel.
			assert_noop!(
				ModelRegistry::cancel_transfer(RuntimeOrigin::signed(CHARLIE), id),
				Error::<Test>::NotOwner
			);
		});
	}
}

mod cancel_transfer {
	use super::*;

	#[test]
	fn offers_can_be_withdrawn_or_declined() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, BOB));
			assert_ok!(ModelRegistry::cancel_transfer(RuntimeOrigin::signed(ALICE), id));
			System::assert_last_event(Event::TransferCancelled { model: id, by: ALICE }.into());
			assert_eq!(PendingTransfers::<Test>::get(id), None);

			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, BOB));
			assert_ok!(ModelRegistry::cancel_transfer(RuntimeOrigin::signed(BOB), id));
			System::assert_last_event(Event::TransferCancelled { model: id, by: BOB }.into());
			assert_noop!(
				ModelRegistry::accept_transfer(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::NoTransferOffer
			);
			assert_eq!(model(id).owner, ALICE);
		});
	}
}

mod accept_transfer {
	use super::*;

	#[test]
	fn ownership_moves_in_two_steps_with_the_deposit() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			let deposit = model(id).deposit.amount();

			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, CHARLIE));
			// A new offer replaces the previous one.
			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, BOB));
			System::assert_last_event(
				Event::TransferOffered { model: id, owner: ALICE, new_owner: BOB }.into(),
			);
			assert_eq!(PendingTransfers::<Test>::get(id), Some(BOB));
			assert_eq!(ModelRegistry::model_details(id).unwrap().pending_owner, Some(BOB));
			// Until accepted nothing moves.
			assert_eq!(model(id).owner, ALICE);
			assert_noop!(
				ModelRegistry::accept_transfer(RuntimeOrigin::signed(CHARLIE), id),
				Error::<Test>::NotOfferedToYou
			);

			assert_ok!(ModelRegistry::accept_transfer(RuntimeOrigin::signed(BOB), id));
			System::assert_last_event(
				Event::OwnershipTransferred { model: id, from: ALICE, to: BOB, deposit }.into(),
			);
			assert_eq!(model(id).owner, BOB);
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::free_balance(ALICE), RICH);
			assert_eq!(held(BOB), deposit);
			assert!(!OwnedModels::<Test>::contains_key(ALICE, id));
			assert!(OwnedModels::<Test>::contains_key(BOB, id));
			assert_eq!(ModelRegistry::models_of(BOB), vec![id]);
			assert!(ModelRegistry::models_of(ALICE).is_empty());
			assert_eq!(PendingTransfers::<Test>::get(id), None);

			// The new owner now controls it.
			assert_noop!(
				ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::NotOwner
			);
			assert_ok!(ModelRegistry::deprecate(RuntimeOrigin::signed(BOB), id));
		});
	}

	#[test]
	fn accepting_a_model_cannot_use_vote_locked_funds() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			let deposit = model(id).deposit.amount();
			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), id, BOB));

			vote_lock(BOB, RICH - deposit + 1);
			assert_noop!(
				ModelRegistry::accept_transfer(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::FundsFrozen
			);

			vote_lock(BOB, RICH - deposit);
			assert_ok!(ModelRegistry::accept_transfer(RuntimeOrigin::signed(BOB), id));
			assert_eq!(model(id).owner, BOB);
			assert_eq!(held(BOB), deposit);
			assert_eq!(held(ALICE), 0);
		});
	}
}

mod remove {
	use super::*;

	#[test]
	fn releases_the_deposit_and_clears_every_index() {
		ExtBuilder::default().build_and_execute(|| {
			let v1 = register_as(ALICE, params());
			let v2 = publish_as(ALICE, v1, params_with_hash(2));
			let deposit_v1 = model(v1).deposit.amount();
			assert_ok!(ModelRegistry::offer_transfer(RuntimeOrigin::signed(ALICE), v1, BOB));
			assert_ok!(ModelRegistry::retire(RuntimeOrigin::root(), v1, reason(b"obsolete")));

			// Removing the first version keeps the family and its later version.
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(ALICE), v1));
			System::assert_last_event(
				Event::ModelRemoved { model: v1, owner: ALICE, deposit: deposit_v1 }.into(),
			);
			assert!(!Models::<Test>::contains_key(v1));
			assert_eq!(held(ALICE), model(v2).deposit.amount());
			assert_eq!(Families::<Test>::get(v1).unwrap().to_vec(), vec![v2]);
			assert_eq!(FamilyArtifacts::<Test>::get(v1, [7u8; 32]), None);
			assert!(!OwnedModels::<Test>::contains_key(ALICE, v1));
			assert_eq!(PendingTransfers::<Test>::get(v1), None);
			assert_eq!(Retirements::<Test>::get(v1), None);
			// History is not rewritten: v2 still names v1.
			assert_eq!(model(v2).predecessor, Some(v1));
			// The family is still reachable by its id.
			assert_eq!(ModelRegistry::latest_active_in_family(v1), Some(v2));
			assert_eq!(ModelRegistry::version_history(v1).len(), 1);

			// Removing the last version deletes the family and refunds everything.
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(ALICE), v2));
			assert_eq!(Families::<Test>::get(v1), None);
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::free_balance(ALICE), RICH);
			assert!(ModelRegistry::version_history(v1).is_empty());
			// Ids are never reused.
			assert_eq!(register_as(ALICE, params()), 2);
		});
	}

	#[test]
	fn errors() {
		ExtBuilder::default().build_and_execute(|| {
			let base = register_as(ALICE, params());
			let tuned = register_as(BOB, edit(params(), |s, _| s.parent = Some(base)));
			assert_noop!(
				ModelRegistry::remove(RuntimeOrigin::signed(ALICE), 9),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::remove(RuntimeOrigin::signed(BOB), base),
				Error::<Test>::NotOwner
			);
			// A model a job uses stays.
			MockUsage::set_in_use(tuned, true);
			assert_noop!(
				ModelRegistry::remove(RuntimeOrigin::signed(BOB), tuned),
				Error::<Test>::ModelInUse
			);
			MockUsage::set_in_use(tuned, false);
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(BOB), tuned));
			assert!(ModelRegistry::fine_tunes_of(base).is_empty());
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(ALICE), base));
		});
	}

	/// Naming a parent needs no consent, so it must not give a stranger a veto over the
	/// parent's removal (before: `HasFineTunes`).
	#[test]
	fn a_stranger_naming_a_model_as_parent_cannot_block_its_removal() {
		ExtBuilder::default().build_and_execute(|| {
			let base = register_as(ALICE, params());
			let squatter =
				register_as(BOB, edit(params_with_hash(7), |s, _| s.parent = Some(base)));
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(ALICE), base));
			assert!(Models::<Test>::get(base).is_none());
			assert_eq!(Balances::free_balance(ALICE), RICH);
			// The child keeps its lineage: it still names the removed parent, and is listed.
			assert_eq!(Models::<Test>::get(squatter).unwrap().spec.parent, Some(base));
			assert_eq!(ModelRegistry::fine_tunes_of(base), vec![squatter]);
			// Removing the child drops the index entry.
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(BOB), squatter));
			assert!(ModelRegistry::fine_tunes_of(base).is_empty());
		});
	}

	#[test]
	fn a_removed_artifact_may_be_published_again_in_its_family() {
		ExtBuilder::default().build_and_execute(|| {
			let v1 = register_as(ALICE, params());
			let v2 = publish_as(ALICE, v1, params_with_hash(2));
			let v3 = publish_as(ALICE, v2, params_with_hash(3));
			assert_ok!(ModelRegistry::remove(RuntimeOrigin::signed(ALICE), v2));
			// The family has room again and the artifact is free again.
			let v4 = publish_as(ALICE, v3, params_with_hash(2));
			assert_eq!(Families::<Test>::get(v1).unwrap().to_vec(), vec![v1, v3, v4]);
		});
	}

	#[test]
	fn token_errors_are_not_swallowed_on_release() {
		// Release of a deposit that is not held fails loudly rather than minting funds.
		ExtBuilder::default().build().execute_with(|| {
			let id = register_as(ALICE, params());
			Models::<Test>::mutate(id, |record| {
				let record = record.as_mut().unwrap();
				record.deposit = ticket(record.deposit.amount() + 1_000)
			});
			assert_noop!(
				ModelRegistry::remove(RuntimeOrigin::signed(ALICE), id),
				TokenError::FundsUnavailable
			);
		});
	}
}

mod retire {
	use super::*;

	#[test]
	fn governance_call_errors() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, params());
			assert_noop!(
				ModelRegistry::retire(RuntimeOrigin::signed(ALICE), id, reason(b"x")),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ModelRegistry::restore(RuntimeOrigin::signed(ALICE), id),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ModelRegistry::set_max_royalty(RuntimeOrigin::signed(ALICE), Perbill::one()),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ModelRegistry::retire(RuntimeOrigin::root(), 9, reason(b"x")),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::retire(RuntimeOrigin::root(), id, reason(b"")),
				Error::<Test>::InvalidReason
			);
			assert_noop!(
				ModelRegistry::retire(RuntimeOrigin::root(), id, reason(&[0xc3, 0x28])),
				Error::<Test>::InvalidReason
			);
			assert_noop!(
				ModelRegistry::restore(RuntimeOrigin::root(), 9),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				ModelRegistry::restore(RuntimeOrigin::root(), id),
				Error::<Test>::NotRetired
			);
			assert_ok!(ModelRegistry::retire(RuntimeOrigin::root(), id, reason(b"x")));
			assert_noop!(
				ModelRegistry::retire(RuntimeOrigin::root(), id, reason(b"y")),
				Error::<Test>::AlreadyRetired
			);
		});
	}
}

mod restore {
	use super::*;

	#[test]
	fn retire_and_restore_round_trip() {
		ExtBuilder::default().build_and_execute(|| {
			let active = register_as(ALICE, params());
			let deprecated = register_as(ALICE, params_with_hash(2));
			assert_ok!(ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), deprecated));
			System::set_block_number(9);

			assert_ok!(ModelRegistry::retire(
				RuntimeOrigin::root(),
				active,
				reason(b"unsafe output")
			));
			System::assert_last_event(
				Event::ModelRetired { model: active, reason: reason(b"unsafe output") }.into(),
			);
			assert_eq!(model(active).status, ModelStatus::Retired);
			let retirement = Retirements::<Test>::get(active).unwrap();
			assert_eq!(retirement.retired_at, 9);
			assert_eq!(retirement.previous_status, ModelStatus::Active);
			assert_eq!(
				ModelRegistry::model_details(active).unwrap().retirement_reason,
				Some(reason(b"unsafe output"))
			);
			// Retirement does not touch the deposit.
			assert_eq!(
				held(ALICE),
				model(active).deposit.amount() + model(deprecated).deposit.amount()
			);

			assert_ok!(ModelRegistry::retire(RuntimeOrigin::root(), deprecated, reason(b"spam")));
			assert_ok!(ModelRegistry::restore(RuntimeOrigin::root(), active));
			System::assert_last_event(
				Event::ModelRestored { model: active, status: ModelStatus::Active }.into(),
			);
			assert_ok!(ModelRegistry::restore(RuntimeOrigin::root(), deprecated));
			assert_eq!(model(active).status, ModelStatus::Active);
			assert_eq!(model(deprecated).status, ModelStatus::Deprecated);
			assert_eq!(ModelRegistry::model_details(active).unwrap().retirement_reason, None);
		});
	}
}

mod set_max_royalty {
	use super::*;

	#[test]
	fn lowering_the_max_royalty_caps_existing_models() {
		ExtBuilder::default().max_royalty(Perbill::from_percent(30)).build_and_execute(|| {
			let id =
				register_as(ALICE, edit(params(), |_, t| t.royalty = Perbill::from_percent(30)));
			assert_ok!(ModelRegistry::set_max_royalty(
				RuntimeOrigin::root(),
				Perbill::from_percent(10)
			));
			System::assert_last_event(
				Event::MaxRoyaltySet { max_royalty: Perbill::from_percent(10) }.into(),
			);
			// The owner's rate is kept, but what is paid is capped.
			assert_eq!(model(id).terms.royalty, Perbill::from_percent(30));
			assert_eq!(
				<ModelRegistry as ModelInspect<u64, u64>>::royalty(id),
				Some(Perbill::from_percent(10))
			);
			let details = ModelRegistry::model_details(id).unwrap();
			assert_eq!(details.model.terms.royalty, Perbill::from_percent(30));
			assert_eq!(details.effective_royalty, Perbill::from_percent(10));
			// New rates must respect the new maximum.
			assert_noop!(
				ModelRegistry::update_metadata(
					RuntimeOrigin::signed(ALICE),
					id,
					None,
					None,
					Some(Perbill::from_percent(11))
				),
				Error::<Test>::RoyaltyTooHigh
			);
		});
	}
}

mod integrity_test {
	use super::*;

	#[test]
	fn accepts_the_mock() {
		ExtBuilder::default().build_and_execute(|| {
			<ModelRegistry as Hooks<u64>>::integrity_test();
		});
	}
}

mod genesis_build {
	use super::*;

	#[test]
	fn sets_the_max_royalty() {
		ExtBuilder::default().max_royalty(Perbill::from_percent(40)).build_and_execute(|| {
			assert_eq!(MaxRoyalty::<Test>::get(), Perbill::from_percent(40));
			assert_eq!(ModelRegistry::max_royalty(), Perbill::from_percent(40));
		});
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(ModelRegistry::max_royalty(), DEFAULT_MAX_ROYALTY);
		});
	}
}

mod model_inspect {
	use super::*;

	#[test]
	fn tells_other_pallets_what_they_need() {
		ExtBuilder::default().build_and_execute(|| {
			type Registry = ModelRegistry;
			let base = register_as(
				ALICE,
				edit(params(), |s, _| s.datasets = lineage(&[(1, 70), (3, 30)])),
			);
			let tuned = register_as(BOB, edit(params_with_hash(2), |s, _| s.parent = Some(base)));

			let info = <Registry as ModelInspect<u64, u64>>::model_info(base).unwrap();
			assert_eq!(info.owner, ALICE);
			assert_eq!(info.family, base);
			assert_eq!(info.parent, None);
			assert_eq!(info.status, ModelStatus::Active);
			assert_eq!(info.artifact_hash, [7u8; 32]);
			assert_eq!(info.input_spec, InputSpec { kind: InputKind::Text, max_len: 512 });
			assert_eq!(info.output_spec, OutputSpec::QuantizedF32 { decimals: 4 });
			assert_eq!(info.price, 50);
			assert_eq!(info.royalty, Perbill::from_percent(10));
			assert!(info.is_active());

			assert!(<Registry as ModelInspect<u64, u64>>::model_exists(base));
			assert!(!<Registry as ModelInspect<u64, u64>>::model_exists(9));
			assert!(<Registry as ModelInspect<u64, u64>>::is_active(base));
			assert_eq!(<Registry as ModelInspect<u64, u64>>::owner(tuned), Some(BOB));
			assert_eq!(<Registry as ModelInspect<u64, u64>>::price(base), Some(50));
			assert_eq!(<Registry as ModelInspect<u64, u64>>::artifact_hash(tuned), Some([2u8; 32]));
			assert_eq!(
				<Registry as ModelInspect<u64, u64>>::output_spec(base),
				Some(OutputSpec::QuantizedF32 { decimals: 4 })
			);
			assert_eq!(
				<Registry as ModelInspect<u64, u64>>::model_info(tuned).unwrap().parent,
				Some(base)
			);
			assert_eq!(
				<Registry as ModelInspect<u64, u64>>::training_datasets(base),
				vec![(1, Perbill::from_percent(70)), (3, Perbill::from_percent(30))]
			);
			assert!(<Registry as ModelInspect<u64, u64>>::training_datasets(9).is_empty());
			assert_eq!(
				<Registry as ModelInspect<u64, u64>>::latest_active_version(base),
				Some(base)
			);
			assert_eq!(<Registry as ModelInspect<u64, u64>>::latest_active_version(9), None);

			assert_ok!(ModelRegistry::deprecate(RuntimeOrigin::signed(ALICE), base));
			assert!(!<Registry as ModelInspect<u64, u64>>::is_active(base));
			assert!(<Registry as ModelInspect<u64, u64>>::model_exists(base));
			assert_eq!(<Registry as ModelInspect<u64, u64>>::price(9), None);
		});
	}
}

mod model_registry_api {
	use super::*;

	#[test]
	fn model_details_show_the_full_record() {
		ExtBuilder::default().build_and_execute(|| {
			let id = register_as(ALICE, edit(params(), |s, _| s.datasets = lineage(&[(2, 100)])));
			let details = ModelRegistry::model_details(id).unwrap();
			let record = model(id);
			assert_eq!(details.id, id);
			assert_eq!(details.model.owner, ALICE);
			assert_eq!(details.model.spec.name, b"MiniLM".to_vec());
			assert_eq!(details.model.spec.version, b"1.0.0".to_vec());
			assert_eq!(details.model.spec.license, b"Apache-2.0".to_vec());
			assert_eq!(details.model.terms.uris, uri_list(&[b"ipfs://bafyminilm"]));
			assert_eq!(details.model.spec.framework, Framework::Safetensors);
			assert_eq!(details.model.spec.datasets, vec![(2, Perbill::one())]);
			assert_eq!(details.effective_royalty, Perbill::from_percent(10));
			assert_eq!(details.model.deposit.amount(), record.deposit.amount());
			assert_eq!(details.model.created_at, 1);
			assert_eq!(details.pending_owner, None);
			assert_eq!(details.retirement_reason, None);
			assert_eq!(ModelRegistry::model_details(9), None);
			assert!(ModelRegistry::version_history(9).is_empty());
			assert_eq!(ModelRegistry::models_of(ALICE), vec![id]);
		});
	}
}

mod try_state {
	use super::*;

	#[test]
	fn detects_a_broken_ownership_index() {
		ExtBuilder::default().build().execute_with(|| {
			let id = register_as(ALICE, params());
			assert_ok!(ModelRegistry::do_try_state());
			OwnedModels::<Test>::remove(ALICE, id);
			assert!(ModelRegistry::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_a_wrong_deposit() {
		ExtBuilder::default().build().execute_with(|| {
			let id = register_as(ALICE, params());
			Models::<Test>::mutate(id, |record| {
				let record = record.as_mut().unwrap();
				record.deposit = ticket(record.deposit.amount() + 1)
			});
			assert!(ModelRegistry::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_a_lineage_cycle() {
		ExtBuilder::default().build().execute_with(|| {
			let a = register_as(ALICE, params());
			let b = register_as(ALICE, edit(params(), |s, _| s.parent = Some(a)));
			assert_ok!(ModelRegistry::do_try_state());
			// Make `a` a child of `b`: a cycle a -> b -> a, which calls cannot produce.
			Models::<Test>::mutate(a, |record| record.as_mut().unwrap().spec.parent = Some(b));
			FineTunes::<Test>::insert(b, a, ());
			assert!(ModelRegistry::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_a_broken_version_chain() {
		ExtBuilder::default().build().execute_with(|| {
			let v1 = register_as(ALICE, params());
			let v2 = publish_as(ALICE, v1, params_with_hash(2));
			Families::<Test>::insert(v1, BoundedVec::truncate_from(vec![v2, v1]));
			assert!(ModelRegistry::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_a_stray_retirement() {
		ExtBuilder::default().build().execute_with(|| {
			let id = register_as(ALICE, params());
			Retirements::<Test>::insert(
				id,
				Retirement {
					reason: reason(b"x"),
					retired_at: 1,
					previous_status: ModelStatus::Active,
				},
			);
			assert!(ModelRegistry::do_try_state().is_err());
		});
	}
}

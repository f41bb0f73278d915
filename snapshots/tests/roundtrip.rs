//! Every construct's generated models decode the JSON the schema allows and encode it back
//! unchanged, and have the Rust shape a careful person would write.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use snapshot_tests::fixtures::*;
use snapshot_tests::runtime::{Base64, Nullable};
use std::fmt::Debug;
use std::str::FromStr;

/// Decodes `input` as `T` from JSON text, checks that encoding it as text gives the same JSON
/// back, returns the value.
fn roundtrip<T: Serialize + DeserializeOwned + Debug>(input: Value) -> T {
    let text = input.to_string();
    let decoded: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("decode {input}: {e}"));
    let encoded: Value = serde_json::from_str(&serde_json::to_string(&decoded).expect("encode"))
        .expect("valid JSON");
    assert_eq!(encoded, input, "re-encoding {decoded:?} changed the JSON");
    decoded
}

#[test]
fn objects() {
    let pet: object::Pet = roundtrip(json!({"id": 7, "name": "Rex", "owner": {"name": "Ann"}}));
    assert_eq!(pet.tag, None);
    assert_eq!(pet.owner.as_ref().map(|o| o.name.as_str()), Some("Ann"));
    roundtrip::<object::Pet>(
        json!({"id": 7, "name": "Rex", "tag": "dog", "vaccinated": true, "weight": 12.5}),
    );
    // Required fields are required; unknown fields are ignored.
    assert!(serde_json::from_value::<object::Pet>(json!({"id": 7})).is_err());
    let pet: object::Pet =
        serde_json::from_value(json!({"id": 1, "name": "x", "added_later": 1})).unwrap();
    assert_eq!(pet.name, "x");
}

/// A property the description requires but never defines is carried, untyped.
#[test]
fn required_but_undefined_properties_are_kept() {
    let sub: real_world::Subscription =
        roundtrip(json!({"target": "t", "callbackUrl": "https://example.com/hook"}));
    assert_eq!(
        sub.callback_url,
        Some(json!("https://example.com/hook")),
        "the undefined property's value is kept"
    );
    let sub: real_world::Subscription = roundtrip(json!({"target": "t"}));
    assert_eq!(sub.callback_url, None);
    // An array with stray object properties is the array.
    let batch: arrays::Batch = roundtrip(json!(["a", "b"]));
    assert_eq!(batch.len(), 2);
}

#[test]
fn string_enums_keep_unknown_values() {
    let listing: enums::Listing = roundtrip(json!({"status": "sold"}));
    assert_eq!(listing.status, enums::Status::Sold);
    let listing: enums::Listing = roundtrip(json!({"status": "archived"}));
    assert_eq!(listing.status, enums::Status::Unknown("archived".into()));
    assert_eq!(listing.status.as_str(), "archived");
    assert_eq!(enums::Status::Pending.to_string(), "pending");
    assert_eq!(
        enums::Status::from_str("available").unwrap(),
        enums::Status::Available
    );
    assert_eq!(
        enums::Status::from_str("new").unwrap(),
        enums::Status::Unknown("new".into())
    );
}

#[test]
fn integer_enums_keep_unknown_values() {
    let listing: enums::Listing = roundtrip(json!({"status": "sold", "level": 8}));
    assert_eq!(listing.level, Some(enums::Level::Administrator));
    let listing: enums::Listing = roundtrip(json!({"status": "sold", "level": 99}));
    assert_eq!(listing.level, Some(enums::Level::Unknown(99)));
    assert_eq!(enums::Level::Owner.value(), 15);
    assert_eq!(enums::Priority::from(-1), enums::Priority::Minus1);
    assert_eq!(enums::Level::Member.to_string(), "1");
}

#[test]
fn colliding_enum_names_stay_distinct() {
    let all = json!(["+1", "-1", "Etc/GMT+1", "Etc/GMT-1", "etc/gmt+1", "1"]);
    let listing: enums::Listing = roundtrip(json!({"status": "sold", "offsets": all}));
    let offsets = listing.offsets.unwrap();
    assert_eq!(offsets[0], enums::Offset::Plus1);
    assert_eq!(offsets[1], enums::Offset::Minus1);
    assert_eq!(offsets[2], enums::Offset::EtcGmtPlus1);
    assert_eq!(offsets[3], enums::Offset::EtcGmtMinus1);
    assert_eq!(offsets[4], enums::Offset::EtcGmtPlus12);
    assert_eq!(offsets[5], enums::Offset::V1);
}

#[test]
fn nullable_enum() {
    let listing: enums::Listing = roundtrip(json!({"status": "sold", "color": null}));
    assert_eq!(listing.color, Nullable::Null);
    let listing: enums::Listing = roundtrip(json!({"status": "sold", "color": "red"}));
    assert_eq!(listing.color, Nullable::Value(enums::NullableColor::Red));
}

#[test]
fn arrays() {
    let tags: arrays::Tags = roundtrip(json!([{"name": "a"}, {"name": "b"}]));
    assert_eq!(tags.len(), 2);
    let bag: arrays::Bag = roundtrip(json!({
        "numbers": [1, 2],
        "maybe_numbers": [1, null, 3],
        "anything": [1, "two", {"three": 3}],
        "matrix": [[1.5, 2.0], []],
        "inline_items": [{"label": "x"}, {}]
    }));
    assert_eq!(bag.maybe_numbers, Some(vec![Some(1), None, Some(3)]));
    assert_eq!(bag.inline_items.unwrap()[0].label.as_deref(), Some("x"));
}

#[test]
fn maps() {
    let counts: maps::Counts = roundtrip(json!({"a": 1, "b": 2}));
    assert_eq!(counts["b"], 2);
    let labels: maps::Labels = roundtrip(json!({"a": "x", "b": [1]}));
    assert_eq!(labels.len(), 2);
    let _: maps::Anything = roundtrip(json!({"anything": {"goes": true}}));
    let scores: maps::Scores = roundtrip(json!({"x": 1.5, "y": null}));
    assert_eq!(scores["y"], None);
    let described: maps::Described = roundtrip(json!({"name": "n", "color": "blue", "size": "L"}));
    assert_eq!(described.additional_properties["color"], "blue");
    let nested: maps::Nested = roundtrip(json!({"by_team": {"core": {"open": 3}}}));
    assert_eq!(nested.by_team.unwrap()["core"]["open"], 3);
}

#[test]
fn references() {
    let person: refs::Person =
        roundtrip(json!({"id": "u1", "home": {"street": "Main"}, "city": "Paris"}));
    let id: refs::UserId = person.id;
    assert_eq!(id, "u1");
    assert_eq!(person.city.as_deref(), Some("Paris"));
    assert!(person.work.is_none());
}

#[test]
fn optional_and_nullable_fields() {
    // Required and not nullable: T. Required and nullable: Option<T>, written as null.
    let p: nullable::Presence =
        roundtrip(json!({"required": "a", "required_nullable": null, "required_json": null}));
    assert_eq!(p.required_nullable, None);
    assert_eq!(p.optional, None);
    assert_eq!(p.optional_nullable, Nullable::Absent);
    assert_eq!(p.optional_json, None);
    // Optional and nullable: absent, null and a value all stay apart.
    let p: nullable::Presence = roundtrip(json!({
        "required": "a", "required_nullable": "b", "required_json": {"k": 1},
        "optional": "c", "optional_nullable": null, "optional_json": null,
        "optional_nullable_object": null
    }));
    assert_eq!(p.optional_nullable, Nullable::Null);
    assert_eq!(p.optional_json, Some(Value::Null));
    assert_eq!(p.optional_nullable_object, Nullable::Null);
    let p: nullable::Presence = roundtrip(json!({
        "required": "a", "required_nullable": "b", "required_json": 1,
        "optional_nullable": "d", "optional_nullable_object": {"x": 1, "y": 2}
    }));
    assert_eq!(p.optional_nullable, Nullable::Value("d".into()));
    assert_eq!(
        p.optional_nullable_object.as_option().map(|pt| pt.x),
        Some(1)
    );
}

#[test]
fn patch_bodies_are_tri_state() {
    // Leave unchanged / set to null / set to a value.
    let unchanged = patch::PatchedReport::default();
    assert_eq!(serde_json::to_value(&unchanged).unwrap(), json!({}));
    // Request types are built with `new` and a setter per optional field; a `Nullable`
    // setter takes a value, `None` (null) or a `Nullable`.
    let cleared = patch::PatchedReport::new()
        .title(Nullable::Null)
        .until_date(None::<chrono::DateTime<chrono::Utc>>);
    assert_eq!(
        serde_json::to_value(&cleared).unwrap(),
        json!({"title": null, "until_date": null})
    );
    let set = patch::PatchedReport::new()
        .title("Weekly".to_owned())
        .interval(2);
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"title": "Weekly", "interval": 2})
    );
    roundtrip::<patch::PatchedReport>(
        json!({"title": null, "until_date": "2024-01-02T03:04:05Z", "enabled": false}),
    );
}

#[test]
fn read_only_fields_stay_out_of_requests_and_write_only_are_never_required() {
    // The response type has the read-only fields; `password` (write-only, yet listed in
    // `required`) may be absent.
    let account: read_write_only::Account = roundtrip(json!({
        "id": 1, "created_at": "2024-01-02T03:04:05Z", "email": "a@example.com",
        "owner": {"id": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f", "name": "Ann"}
    }));
    assert_eq!(account.password, None);
    // The request type has no read-only fields, and requires the write-only one.
    let owner = read_write_only::OwnerRequest::new("Ann");
    let request = read_write_only::AccountRequest::new("a@example.com", "secret", owner);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"email": "a@example.com", "password": "secret", "owner": {"name": "Ann"}})
    );
}

#[test]
fn drf_enum_shapes_become_options_of_the_enum() {
    let s: drf_enums::Settings =
        roundtrip(json!({"theme": "dark", "level": 8, "timezone": "monday"}));
    assert_eq!(s.theme, Some(drf_enums::ThemeEnum::Dark));
    assert_eq!(s.level, Some(drf_enums::LevelEnum::V8));
    assert_eq!(s.timezone, drf_enums::DayEnum::Monday);
    // Blank is its own variant, null is None.
    let s: drf_enums::Settings =
        roundtrip(json!({"theme": "", "level": null, "timezone": "sunday", "week_start": null}));
    assert_eq!(s.theme, Some(drf_enums::ThemeEnum::Blank));
    assert_eq!(s.week_start, Nullable::Null);
    let s: drf_enums::Settings =
        roundtrip(json!({"theme": null, "level": 1, "timezone": "sunday", "week_start": "sunday"}));
    assert_eq!(s.theme, None);
    assert_eq!(s.week_start, Nullable::Value(drf_enums::DayEnum::Sunday));
}

#[test]
fn all_of_merges_into_one_struct() {
    let named: composition::Named =
        roundtrip(json!({"id": 1, "name": "n", "created": "2024-01-02T03:04:05Z"}));
    assert_eq!((named.id, named.name.as_str()), (1, "n"));
}

#[test]
fn discriminated_unions_follow_the_tag() {
    let pet: composition::Pet = roundtrip(json!({"pet_type": "dog", "barks": true, "good": true}));
    assert!(matches!(pet, composition::Pet::Dog(_)));
    let pet: composition::Pet = roundtrip(json!({"pet_type": "cat", "meows": false}));
    assert!(matches!(pet, composition::Pet::Cat(_)));
    // A kind the description does not list (one the API added later) is kept as it came,
    // and written back unchanged.
    let fish: composition::Pet = roundtrip(json!({"pet_type": "fish", "fins": 2}));
    assert!(
        matches!(&fish, composition::Pet::Unknown(v) if v["fins"] == 2),
        "{fish:?}"
    );
}

#[test]
fn a_discriminator_without_a_mapping_accepts_the_variants_own_values() {
    let item: composition::PlayableItem = roundtrip(json!({"type": "episode", "name": "e"}));
    assert!(matches!(item, composition::PlayableItem::Episode(_)));
    let item: composition::PlayableItem = roundtrip(json!({"type": "track", "name": "t"}));
    assert!(matches!(item, composition::PlayableItem::Track(_)));
    // The component names the specification implies are accepted too.
    let item: composition::PlayableItem =
        serde_json::from_value(json!({"type": "Episode", "name": "e"})).unwrap();
    assert!(matches!(item, composition::PlayableItem::Episode(_)));
}

#[test]
fn untagged_unions_pick_the_most_specific_variant() {
    // A dog also has every field a cat needs but `meows`; the dog (more required fields) is
    // tried first, so a dog never decodes as a cat and a cat never as a dog.
    let shape: composition::Shape =
        roundtrip(json!({"pet_type": "dog", "barks": true, "good": true}));
    assert!(matches!(shape, composition::Shape::Dog(_)));
    let shape: composition::Shape = roundtrip(json!({"pet_type": "cat", "meows": true}));
    assert!(matches!(shape, composition::Shape::Cat(_)));
    // Integers before numbers before strings.
    assert_eq!(
        roundtrip::<composition::Scalar>(json!(3)),
        composition::Scalar::Integer(3)
    );
    assert_eq!(
        roundtrip::<composition::Scalar>(json!(3.5)),
        composition::Scalar::Number(3.5)
    );
    assert_eq!(
        roundtrip::<composition::Scalar>(json!("3")),
        composition::Scalar::String("3".into())
    );
    assert_eq!(
        roundtrip::<composition::Scalar>(json!(true)),
        composition::Scalar::Boolean(true)
    );
    let w: composition::Wrapper = roundtrip(json!({"inline_choice": {"name": "x"}}));
    assert!(matches!(
        w.inline_choice,
        Some(composition::WrapperInlineChoice::ByName(_))
    ));
}

#[test]
fn free_form_values() {
    let _: free_form::AnyValue = roundtrip(json!([1, {"a": null}]));
    let config: free_form::Config = roundtrip(json!({"nested": {"deep": [true]}}));
    assert_eq!(config["nested"]["deep"][0], true);
    let event: free_form::Event = roundtrip(
        json!({"name": "e", "properties": {"$browser": "x"}, "payload": null, "extra": null}),
    );
    assert_eq!(event.payload, Some(Value::Null));
    let event: free_form::Event = roundtrip(json!({"name": "e", "properties": {}}));
    assert_eq!(event.payload, None);
}

#[test]
fn formats() {
    let f: formats::Formats = roundtrip(json!({
        "when": "2024-01-02T03:04:05Z", "day": "2024-01-02", "id": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
        "small": 2147483647, "big": 9007199254740993i64, "ratio": 0.1, "precise": 0.1, "blob": "aGVsbG8=",
        "email": "a@example.com", "link": "/relative/link", "secret": "x"
    }));
    assert_eq!(f.blob, Base64(b"hello".to_vec()));
    assert_eq!(f.day, chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap());
    assert_eq!(f.big, 9007199254740993);
    // Any RFC 3339 offset is accepted (and normalised to UTC).
    let f: formats::Formats = serde_json::from_value(json!({
        "when": "2024-01-02T05:04:05+02:00", "day": "2024-01-02", "id": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
        "small": 1, "big": 1, "ratio": 1.0, "precise": 1.0, "blob": ""
    }))
    .unwrap();
    assert_eq!(f.when.to_rfc3339(), "2024-01-02T03:04:05+00:00");
}

#[test]
fn awkward_names_keep_their_wire_names() {
    let input = json!({
        "type": "t", "self": "s", "2fa": true, "@id": "i", "x-rate-limit": 5, "dotted.name": "d",
        "$ref": "r", "with space": "w", "café": "c", "camelCase": "cc", "snake_case": "sc", "camel_case": "c2"
    });
    let t: names::Type = roundtrip(input);
    assert_eq!(t.r#type.as_deref(), Some("t"));
    assert_eq!(t.self_.as_deref(), Some("s"));
    assert_eq!(t._2fa, Some(true));
    assert_eq!(t.camel_case.as_deref(), Some("cc"));
    assert_eq!(t.camel_case2.as_deref(), Some("c2"));
    let _: names::NullableModel = roundtrip(json!({"option": "o"}));
    let _: names::UserProfile = roundtrip(json!({"name": "n"}));
    let _: names::UserProfile2 = roundtrip(json!({"id": 1}));
    assert_eq!(
        roundtrip::<names::V1stPlace>(json!("gold")),
        names::V1stPlace::Gold
    );
}

#[test]
fn documented_types_round_trip() {
    let d: docs::Documented = roundtrip(json!({"count": 3, "code": "ABC"}));
    assert_eq!(d.count, 3);
}

#[test]
fn recursive_types_are_boxed() {
    let tree: recursion::TreeNode = roundtrip(json!({
        "value": 1,
        "children": [{"value": 2, "children": []}],
        "parent": {"value": 0}
    }));
    let parent: Option<Box<recursion::TreeNode>> = tree.parent;
    assert_eq!(parent.map(|p| p.value), Some(0));
    let even: recursion::Even = roundtrip(json!({"next": {"next": {"next": {}}}}));
    assert!(even.next.is_some());
    let expr: recursion::Expr = roundtrip(json!({"left": 1, "right": {"left": 2, "right": 3}}));
    assert!(matches!(expr, recursion::Expr::Sum(_)));
}

#[test]
fn repeated_inline_schemas_share_one_type() {
    use repeated_inline::*;
    let opened: IssueOpened = roundtrip(json!({
        "action": "opened", "permissions": {"checks": "read", "contents": "write"}
    }));
    // The second copy of the inline object is the first one under another name, so values
    // move between them without conversion.
    let permissions: IssueClosedPermissions = opened.permissions.unwrap();
    let contents: &IssueClosedPermissionsChecks = permissions.contents.as_ref().unwrap();
    assert_eq!(contents, &IssueClosedPermissionsChecks::Write);
    // Types only responses carry are built (for tests) with builders; a required field left
    // unset is an error that names it.
    let missing = IssueClosed::builder().build().unwrap_err();
    assert_eq!(
        missing.to_string(),
        "IssueClosed: the required field `action` was not set"
    );
    let closed = IssueClosed::builder()
        .action("closed")
        .permissions(permissions)
        .build()
        .unwrap();
    roundtrip::<IssueClosed>(serde_json::to_value(&closed).unwrap());
    // A copy with other values keeps its own type.
    let edited: IssueEdited = roundtrip(json!({"permissions": {"checks": "admin"}}));
    let checks: IssueEditedPermissionsChecks = edited.permissions.unwrap().checks.unwrap();
    assert_eq!(checks, IssueEditedPermissionsChecks::Admin);
    // A component with the same values stays its own type.
    assert_eq!(Access::from_str("read").unwrap(), Access::Read);
}

#[test]
fn records_told_apart_by_a_constant_decode_as_their_own_variant() {
    use oas31::DnsRecord;
    let a: DnsRecord = roundtrip(json!({"type": "A", "name": "x", "content": "192.0.2.1"}));
    assert!(matches!(a, DnsRecord::ARecord(r) if r.content == "192.0.2.1"));
    let aaaa: DnsRecord = roundtrip(json!({"type": "AAAA", "name": "x", "content": "2001:db8::1"}));
    assert!(matches!(aaaa, DnsRecord::AaaaRecord(_)), "{aaaa:?}");
    let cname: DnsRecord = roundtrip(
        json!({"type": "CNAME", "name": "www", "content": "example.com", "proxied": true}),
    );
    assert!(matches!(cname, DnsRecord::CnameRecord(r) if r.proxied == Some(true)));
    // A value no variant has is kept as JSON in `Unknown`, not decoded as a wrong variant.
    let mx: DnsRecord = roundtrip(json!({"type": "MX", "name": "x", "content": "y"}));
    assert!(
        matches!(&mx, DnsRecord::Unknown(v) if v["type"] == "MX"),
        "{mx:?}"
    );
}

#[test]
fn openapi_3_1_schemas_have_their_3_0_types() {
    let kitchen: oas31::Kitchen = roundtrip(json!({
        "id": null,
        "label": "main",
        "kind": "kitchen",
        "nickname": 7,
        "owner": null,
        "point": [1.5, -2.0, "origin"],
        "photo": "aGVsbG8=",
        "line": {"sku": "a-1", "quantity": 2}
    }));
    assert_eq!(kitchen.id, None);
    assert_eq!(kitchen.point, (1.5, -2.0, "origin".to_owned()));
    assert!(kitchen.owner.is_null());
    assert_eq!(kitchen.photo, Some(Base64(b"hello".to_vec())));
    assert!(matches!(
        kitchen.nickname,
        Some(oas31::KitchenNickname::Integer(7))
    ));
    // A tuple has exactly its positions.
    assert!(serde_json::from_value::<oas31::Kitchen>(json!({
        "id": 1, "label": "l", "kind": "kitchen", "point": [1.0, 2.0]
    }))
    .is_err());
    let owner: oas31::Owner = roundtrip(json!({"name": "Ann", "theme": ""}));
    assert_eq!(owner.theme, Nullable::Value(oas31::ThemeEnum::Blank));
}

#[test]
fn converted_documents_keep_their_meaning() {
    // Swagger 2.0: `x-nullable` is nullable, a string discriminator is kept.
    let pet: swagger2_quirks::Pet =
        roundtrip(json!({"name": "Rex", "petType": "dog", "tag": null}));
    assert!(pet.tag.is_null());
    // Multi-file: a schema from another file refers to itself and to a third file.
    let user: multi_file::User = roundtrip(json!({
        "id": "5f0c1f9e-1b1a-4c2a-9d5e-2f1f2f1f2f1f",
        "name": "Ann",
        "manager": {"id": "5f0c1f9e-1b1a-4c2a-9d5e-2f1f2f1f2f10", "name": "Bo"},
        "address": {"country": "DE"}
    }));
    assert_eq!(user.manager.map(|m| m.name), Some("Bo".to_owned()));
    // The overlay made every field required and `total` a number.
    let order: overlay::Order = roundtrip(json!({"id": "o1", "total": 12.5, "status": "paid"}));
    assert_eq!(order.total, 12.5);
    assert!(serde_json::from_value::<overlay::Order>(json!({"id": "o1"})).is_err());
}

#[test]
fn a_missing_required_field_is_named() {
    let error = |input: Value| {
        serde_json::from_value::<nullable::Point>(input)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(error(json!({"y": 1})), "missing field `x`");
    assert_eq!(error(json!({"x": 1})), "missing field `y`");
    // The first one missing, in the schema's order.
    assert_eq!(error(json!({})), "missing field `x`");
    assert!(error(json!({"x": null, "y": 1})).contains("invalid type: null"));
    // Properties in any order; unknown ones ignored.
    let point: nullable::Point = serde_json::from_value(json!({"y": 2, "z": 3, "x": 1})).unwrap();
    assert_eq!((point.x, point.y), (1, 2));
}

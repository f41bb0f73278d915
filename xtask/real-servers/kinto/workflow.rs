//! An ordinary workflow against Kinto (a JSON storage server: buckets, collections, records;
//! Swagger 2.0, memory backend), through the client generated from the document the running
//! server serves at `/v1/__api__`.
//!
//! Kinto's document names no security scheme, so the client takes no credential of its own;
//! the workflow adds Basic authentication with the builder's `basic_auth`.

mod support;

use futures::TryStreamExt;
use kinto_api::apis::records::CreateRecordResponse;
use kinto_api::models::{
    CreateAccountBody, CreateAccountBodyData, CreateBucketBody, CreateBucketBodyData,
    CreateCollectionBody, CreateCollectionBodyData, CreateRecordBody,
};
use kinto_api::{Client, Decoding, Error};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use support::{ensure, Described, Run};

const BUCKET: &str = "shop";
const COLLECTION: &str = "products";

fn client(run: &Run, user: Option<(&str, &str)>) -> Client {
    let mut builder = Client::builder()
        .base_url(format!("{}/v1", run.base_url))
        .decoding(if run.strict { Decoding::Strict } else { Decoding::Tolerant })
        .record_deviations(&run.deviations);
    if let Some((user, password)) = user {
        builder = builder.basic_auth(user, password);
    }
    builder.build().expect("a client")
}

fn object(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Result<Box<kinto_api::ApiError>, String> {
    match result {
        Err(Error::Api(api)) => Ok(api),
        Err(other) => Err(format!("expected an error status, got: {other}")),
        Ok(value) => Err(format!("expected an error status, got a success: {value:?}")),
    }
}

/// A product record's data.
fn product(name: &str, price: i64) -> CreateRecordBody {
    CreateRecordBody::new().data(object(json!({"name": name, "price": price})))
}

/// The data of a record response (`data`, as the document says: an object of any values).
fn data_of(created: CreateRecordResponse) -> Map<String, Value> {
    let record = match created {
        CreateRecordResponse::Ok(record) | CreateRecordResponse::Created(record) => record,
        _ => return Map::new(),
    };
    record.data.unwrap_or_default().into_iter().collect()
}

#[tokio::main]
async fn main() {
    let mut run = Run::from_args();
    let anonymous = client(&run, None);
    let alice = client(&run, Some(("alice", "alice-password")));
    let bob = client(&run, Some(("bob", "bob-password")));

    run.check("server information", async {
        let info = anonymous.utilities().server_info().send().await.described()?;
        ensure(info.get("project_name") == Some(&json!("kinto")), format!("{info:?}"))
    })
    .await;

    run.check("heartbeat", async {
        anonymous.utilities().heartbeat().send().await.described().map(drop)
    })
    .await;

    run.check("create two accounts", async {
        for (user, password) in [("alice", "alice-password"), ("bob", "bob-password")] {
            let body = CreateAccountBody::new(CreateAccountBodyData::new(password));
            anonymous.accounts().update_account(user, body).send().await.described()?;
        }
        Ok(())
    })
    .await;

    run.check("a 401 for creating a bucket without credentials", async {
        let mut data = CreateBucketBodyData::new();
        data.additional_properties.insert("id".into(), json!("anonymous"));
        let result = anonymous.buckets().create_bucket(CreateBucketBody::new().data(data)).send().await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 401, format!("status {}", api.status))?;
        ensure(api.message().contains("authenticate"), api.message())
    })
    .await;

    run.check("create a bucket", async {
        let mut data = CreateBucketBodyData::new();
        data.additional_properties.insert("id".into(), json!(BUCKET));
        alice.buckets().create_bucket(CreateBucketBody::new().data(data)).send().await.described()?;
        let read = alice.buckets().get_bucket(BUCKET).send().await.described()?;
        let id = read.data.as_ref().and_then(|d| d.additional_properties.get("id").cloned());
        ensure(id == Some(json!(BUCKET)), format!("{id:?}"))
    })
    .await;

    run.check("create a collection with a JSON schema", async {
        let mut data = CreateCollectionBodyData::new().schema(object(json!({
            "type": "object",
            "properties": {"name": {"type": "string"}, "price": {"type": "integer"}},
            "required": ["name"]
        })));
        data.additional_properties.insert("id".into(), json!(COLLECTION));
        alice
            .collections()
            .create_collection(BUCKET, CreateCollectionBody::new().data(data))
            .send()
            .await
            .described()
            .map(drop)
    })
    .await;

    let mut ids = Vec::new();
    run.check("create five records", async {
        for (name, price) in [("lamp", 30), ("desk", 250), ("chair", 90), ("rug", 120), ("mug", 8)] {
            let created = alice
                .records()
                .create_record(BUCKET, COLLECTION, product(name, price))
                .send()
                .await
                .described()?;
            let data = data_of(created);
            let id = data.get("id").and_then(Value::as_str).ok_or("the record has no id")?;
            ids.push(id.to_owned());
        }
        Ok(())
    })
    .await;
    let first = ids.first().cloned().unwrap_or_default();

    run.check("read a record", async {
        let read = alice.records().get_record(BUCKET, COLLECTION, first.as_str()).send().await.described()?;
        let data = read.data.unwrap_or_default();
        ensure(data.get("name") == Some(&json!("lamp")), format!("{data:?}"))
    })
    .await;

    run.check("patch a record", async {
        let patched = alice
            .records()
            .patch_record(BUCKET, COLLECTION, first.as_str(), CreateRecordBody::new().data(object(json!({"price": 35}))))
            .send()
            .await
            .described()?;
        let data = patched.data.unwrap_or_default();
        ensure(data.get("price") == Some(&json!(35)) && data.get("name") == Some(&json!("lamp")), format!("{data:?}"))
    })
    .await;

    run.check("replace a record (PUT)", async {
        let replaced = alice
            .records()
            .update_record(BUCKET, COLLECTION, first.as_str(), product("floor lamp", 40))
            .send()
            .await
            .described()?;
        ensure(format!("{replaced:?}").contains("floor lamp"), format!("{replaced:?}"))
    })
    .await;

    run.check("list records, two at a time (Next-Page header)", async {
        let page = alice.records().get_records(BUCKET, COLLECTION).limit(2).send_with_response().await.described()?;
        let items = page.body().data.as_ref().map_or(0, Vec::len);
        ensure(items == 2, format!("{items} on the first page"))?;
        ensure(page.headers().contains_key("next-page"), "a Next-Page header")
    })
    .await;

    run.check("stream every record (Next-Page header)", async {
        let all: Vec<_> = alice.records().get_records(BUCKET, COLLECTION).limit(2).stream().try_collect().await.described()?;
        ensure(all.len() == 5, format!("{} records", all.len()))
    })
    .await;

    run.check("list records sorted by price", async {
        let page = alice
            .records()
            .get_records(BUCKET, COLLECTION)
            .sort(vec!["-price".into()])
            .send()
            .await
            .described()?;
        let first = page.data.unwrap_or_default().into_iter().next().unwrap_or_default();
        ensure(first.get("name") == Some(&json!("desk")), format!("{first:?}"))
    })
    .await;

    run.check("a 400 names the field at fault", async {
        let result = alice
            .records()
            .create_record(BUCKET, COLLECTION, CreateRecordBody::new().data(object(json!({"name": 42}))))
            .send()
            .await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 400, format!("status {}", api.status))?;
        let fields = api.field_errors();
        ensure(fields.iter().any(|f| f.field.contains("name")), format!("field errors {fields:?}"))?;
        ensure(api.message().contains("is not of type"), api.message())
    })
    .await;

    run.check("a 403 for another account's bucket", async {
        let result = bob.buckets().get_bucket(BUCKET).send().await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 403, format!("status {}", api.status))?;
        ensure(!api.message().is_empty(), "a message")
    })
    .await;

    run.check("a 412 for a stale If-Match", async {
        let result = alice
            .records()
            .patch_record(BUCKET, COLLECTION, first.as_str(), CreateRecordBody::new().data(object(json!({"price": 1}))))
            .if_match("\"1\"")
            .send()
            .await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 412, format!("status {}", api.status))
    })
    .await;

    run.check("delete a record, then it is not found", async {
        alice.records().delete_record(BUCKET, COLLECTION, first.as_str()).send().await.described()?;
        let error = alice
            .records()
            .get_record(BUCKET, COLLECTION, first.as_str())
            .send()
            .await
            .err()
            .ok_or("the deleted record was found")?;
        ensure(error.is_not_found(), error.to_string())
    })
    .await;

    run.check("the raw response, undecoded (send_raw)", async {
        let raw = alice.records().get_records(BUCKET, COLLECTION).send_raw().await.described()?;
        let json: Value = serde_json::from_slice(raw.body()).described()?;
        ensure(json["data"].as_array().map_or(0, Vec::len) == 4, json.to_string())
    })
    .await;

    run.check("delete the collection", async {
        alice.collections().delete_collection(BUCKET, COLLECTION).send().await.described().map(drop)
    })
    .await;

    run.finish();
}

//! An ordinary workflow against Prefect's server (FastAPI, OpenAPI 3.1, SQLite), through the
//! client generated from the document the running server serves at `/api/openapi.json`:
//! flows, flow runs and variables, their lists (counted in the request body) and error paths.
//!
//! The server requires Basic authentication (`PREFECT_SERVER_API_AUTH_STRING`), which its
//! document does not describe; the workflow adds it with the builder's `basic_auth`.

mod support;

use futures::TryStreamExt;
use prefect_api::models::{
    BodyPaginateFlowsFlowsPaginatePost, BodyReadFlowsFlowsFilterPost, FlowCreate,
    FlowRunCreate, FlowUpdate, VariableCreate, VariableCreateValue, VariableUpdate,
};
use prefect_api::{Client, Decoding, Error};
use support::{ensure, Described, Run};

fn client(run: &Run, credentials: Option<(&str, &str)>) -> Client {
    let mut builder = Client::builder()
        .base_url(format!("{}/api", run.base_url))
        .decoding(if run.strict { Decoding::Strict } else { Decoding::Tolerant })
        .record_deviations(&run.deviations);
    if let Some((user, password)) = credentials {
        builder = builder.basic_auth(user, password);
    }
    builder.build().expect("a client")
}

fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Result<Box<prefect_api::ApiError>, String> {
    match result {
        Err(Error::Api(api)) => Ok(api),
        Err(other) => Err(format!("expected an error status, got: {other}")),
        Ok(value) => Err(format!("expected an error status, got a success: {value:?}")),
    }
}

#[tokio::main]
async fn main() {
    let mut run = Run::from_args();
    let prefect = client(&run, Some(("admin", "admin-password")));
    let stranger = client(&run, None);

    run.check("health", async {
        let healthy = prefect.root().health_check().send().await.described()?;
        ensure(healthy, "healthy")
    })
    .await;

    run.check("API version (a JSON string)", async {
        let version = prefect.root().server_version().send().await.described()?;
        ensure(version.split('.').count() == 3 && !version.contains('"'), version)
    })
    .await;

    run.check("a 401 without credentials", async {
        let api = api_error(stranger.flows().read_flows().send().await)?;
        ensure(api.status.as_u16() == 401, format!("status {}", api.status))?;
        ensure(api.message() == "Unauthorized", api.message())
    })
    .await;

    let flow = run
        .check("create a flow", async {
            let body = FlowCreate::new("etl").tags(vec!["nightly".into()]);
            let flow = prefect.flows().create_flow(body).send().await.described()?;
            ensure(flow.name == "etl", flow.name.clone())?;
            Ok(flow)
        })
        .await;
    let Some(flow) = flow else {
        return run.finish();
    };

    run.check("read the flow", async {
        let read = prefect.flows().read_flow(flow.id).send().await.described()?;
        ensure(read.tags.as_deref() == Some(&["nightly".to_owned()][..]), format!("{:?}", read.tags))
    })
    .await;

    run.check("read the flow by name", async {
        let read = prefect.flows().read_flow_by_name("etl").send().await.described()?;
        ensure(read.id == flow.id, "the same flow")
    })
    .await;

    run.check("update the flow's tags (PATCH)", async {
        let body = FlowUpdate::new().tags(vec!["nightly".into(), "critical".into()]);
        prefect.flows().update_flow(flow.id, body).send().await.described()?;
        let read = prefect.flows().read_flow(flow.id).send().await.described()?;
        ensure(read.tags.as_ref().map_or(0, Vec::len) == 2, format!("{:?}", read.tags))
    })
    .await;

    run.check("create four more flows", async {
        for name in ["ingest", "train", "report", "cleanup"] {
            prefect.flows().create_flow(FlowCreate::new(name)).send().await.described()?;
        }
        Ok(())
    })
    .await;

    run.check("count the flows", async {
        let count = prefect.flows().count_flows().send().await.described()?;
        ensure(count == 5, format!("{count} flows"))
    })
    .await;

    run.check("filter flows, two at a time", async {
        let body = BodyReadFlowsFlowsFilterPost::new().limit(2);
        let flows = prefect.flows().read_flows().body(body).send().await.described()?;
        ensure(flows.len() == 2, format!("{} flows", flows.len()))
    })
    .await;

    run.check("stream every flow (an offset in the request body)", async {
        let body = BodyReadFlowsFlowsFilterPost::new().limit(2);
        let all: Vec<_> = prefect.flows().read_flows().body(body).stream().try_collect().await.described()?;
        ensure(all.len() == 5, format!("{} flows", all.len()))
    })
    .await;

    run.check("a page of flows", async {
        let body = BodyPaginateFlowsFlowsPaginatePost::new().limit(2);
        let page = prefect.flows().paginate_flows().body(body).send().await.described()?;
        ensure(page.count == 5 && page.pages == 3 && page.results.len() == 2, format!("{page:?}"))
    })
    .await;

    run.check("stream every flow (a page number in the request body)", async {
        let body = BodyPaginateFlowsFlowsPaginatePost::new().limit(2);
        let all: Vec<_> = prefect.flows().paginate_flows().body(body).stream().try_collect().await.described()?;
        let mut names: Vec<String> = all.into_iter().map(|f| f.name).collect();
        names.sort();
        ensure(names == ["cleanup", "etl", "ingest", "report", "train"], format!("{names:?}"))
    })
    .await;

    run.check("create a flow run, then read it", async {
        let created = prefect
            .flow_runs()
            .create_flow_run(FlowRunCreate::new(flow.id).name("first run"))
            .send()
            .await
            .described()?;
        let read = prefect.flow_runs().read_flow_run(created.id).send().await.described()?;
        ensure(read.flow_id == flow.id, "the run belongs to the flow")
    })
    .await;

    run.check("create, read, update and delete a variable", async {
        let body = VariableCreate::new("region", Some(VariableCreateValue::String("eu-west".into())));
        prefect.variables().create_variable(body).send().await.described()?;
        let read = prefect
            .variables()
            .read_variable_by_name("region")
            .send()
            .await
            .described()?;
        ensure(format!("{:?}", read.value).contains("eu-west"), format!("{:?}", read.value))?;
        let update = VariableUpdate::new().tags(vec!["infra".to_owned()]);
        prefect
            .variables()
            .update_variable_by_name("region", update)
            .send()
            .await
            .described()?;
        prefect
            .variables()
            .delete_variable_by_name("region")
            .send()
            .await
            .described()?;
        let gone = prefect.variables().read_variable_by_name("region").send().await;
        ensure(gone.err().is_some_and(|e| e.is_not_found()), "the variable is gone")
    })
    .await;

    run.check("a 422 names the field at fault", async {
        let body = VariableCreate::new("Not A Valid Name!", None);
        let api = api_error(prefect.variables().create_variable(body).send().await)?;
        ensure(api.status.as_u16() == 422, format!("status {}", api.status))?;
        let fields = api.field_errors();
        ensure(fields.iter().any(|f| f.field == "name"), format!("field errors {fields:?}"))
    })
    .await;

    run.check("a 404 for a flow that does not exist", async {
        let missing = "00000000-0000-4000-8000-000000000000".parse().expect("a UUID");
        let error = prefect.flows().read_flow(missing).send().await.err().ok_or("found")?;
        ensure(error.is_not_found(), error.to_string())?;
        ensure(error.to_string().contains("Flow not found"), error.to_string())
    })
    .await;

    run.check("the raw response, undecoded (send_raw)", async {
        let raw = prefect.flows().read_flow(flow.id).send_raw().await.described()?;
        let json: serde_json::Value = serde_json::from_slice(raw.body()).described()?;
        ensure(json["name"] == "etl", json.to_string())
    })
    .await;

    run.check("delete a flow, then it is not found", async {
        prefect.flows().delete_flow(flow.id).send().await.described()?;
        let gone = prefect.flows().read_flow(flow.id).send().await;
        ensure(gone.err().is_some_and(|e| e.is_not_found()), "the flow is gone")
    })
    .await;

    run.finish();
}

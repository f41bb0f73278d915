//! An ordinary workflow against the tracker application (Django REST framework +
//! drf-spectacular, `xtask/real-servers/drf/`), through the client generated from the schema
//! the running server serves: the calls a PostHog user makes, and their error paths.

mod support;

use futures::TryStreamExt;
use support::{ensure, Described, Maybe, Run};
use tracker_api::models::{
    DashboardRequest, InsightRequest, PatchedDashboardRequest, PatchedProjectRequest,
    ProjectRequest, RestrictionLevelEnum, TimezoneEnum,
};
use tracker_api::{Client, Decoding, Error, Nullable};

/// The suite's users' personal API keys (see the application's `seed` command).
const ALICE: &str = "phx_alice_personal_key";
const BOB: &str = "phx_bob_personal_key";
const CAROL: &str = "phx_carol_personal_key";

fn client(run: &Run, key: &str) -> Client {
    Client::builder()
        .base_url(&run.base_url)
        .api_key(key)
        .decoding(if run.strict { Decoding::Strict } else { Decoding::Tolerant })
        .record_deviations(&run.deviations)
        .build()
        .expect("a client")
}

/// The API error of a failed call, or a message saying the call did not fail as expected.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Result<Box<tracker_api::ApiError>, String> {
    match result {
        Err(Error::Api(api)) => Ok(api),
        Err(other) => Err(format!("expected an error status, got: {other}")),
        Ok(value) => Err(format!("expected an error status, got a success: {value:?}")),
    }
}

#[tokio::main]
async fn main() {
    let mut run = Run::from_args();
    let alice = client(&run, ALICE);
    let bob = client(&run, BOB);
    let carol = client(&run, CAROL);
    let stranger = client(&run, "phx_not_a_key");

    run.check("who am I (users/@me)", async {
        let me = alice.users().retrieve("@me").send().await.described()?;
        ensure(me.username == "alice", format!("signed in as {}", me.username))?;
        ensure(me.avatar_url.maybe().is_some_and(|a| a.contains("gravatar")), "alice has an avatar")
    })
    .await;

    // A user without an email: the server's `avatar_url` is null, although its schema says
    // it is a string.
    run.check("a user without an avatar", async {
        let me = carol.users().retrieve("@me").send().await.described()?;
        ensure(me.username == "carol", format!("signed in as {}", me.username))
    })
    .await;

    let project = run
        .check("create a project", async {
            let body = ProjectRequest::new("Growth").timezone(TimezoneEnum::EuropeLondon);
            let project = alice.projects().create(body).send().await.described()?;
            ensure(project.name == "Growth", format!("created {}", project.name))?;
            Ok(project)
        })
        .await;
    let Some(project) = project else {
        return run.finish();
    };
    let project_id = project.id;

    run.check("read the project", async {
        let read = alice.projects().retrieve(project_id.to_string()).send().await.described()?;
        ensure(read.dashboard_count.maybe() == Some(&0), format!("{:?} dashboards", read.dashboard_count))?;
        ensure(read.timezone == Some(TimezoneEnum::EuropeLondon), "the timezone was kept")
    })
    .await;

    run.check("rename the project (PATCH)", async {
        let renamed = alice
            .projects()
            .partial_update(project_id.to_string())
            .body(PatchedProjectRequest::new().name("Growth team"))
            .send()
            .await
            .described()?;
        ensure(renamed.name == "Growth team", format!("renamed to {}", renamed.name))
    })
    .await;

    run.check("create four more projects", async {
        for name in ["Web", "Mobile", "Data", "Ops"] {
            alice.projects().create(ProjectRequest::new(name)).send().await.described()?;
        }
        Ok(())
    })
    .await;

    run.check("list the first page of projects", async {
        let page = alice.projects().list().send().await.described()?;
        ensure(page.count == 5, format!("count {}", page.count))?;
        ensure(page.results.len() == 2, format!("{} on the first page", page.results.len()))?;
        ensure(page.next.as_option().is_some(), "a next page")
    })
    .await;

    run.check("stream every project (page numbers, next links)", async {
        let all: Vec<_> = alice.projects().list().stream().try_collect().await.described()?;
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        ensure(names == ["Growth team", "Web", "Mobile", "Data", "Ops"], format!("{names:?}"))
    })
    .await;

    let dashboard = run
        .check("create a dashboard", async {
            let body = DashboardRequest::new("Weekly metrics")
                .description("What we look at on Mondays")
                .tags(vec!["weekly".into(), "core".into()]);
            let created = alice.projects().dashboards_create(project_id, body).send().await.described()?;
            ensure(created.tags.as_deref() == Some(&["weekly".to_owned(), "core".to_owned()][..]), "tags kept")?;
            ensure(created.created_by.username == "alice", "created by alice")?;
            Ok(created)
        })
        .await;

    run.check("create two more dashboards", async {
        for name in ["Revenue", "Retention"] {
            alice
                .projects()
                .dashboards_create(project_id, DashboardRequest::new(name))
                .send()
                .await
                .described()?;
        }
        Ok(())
    })
    .await;

    run.check("list dashboards by limit and offset", async {
        let page = alice.projects().dashboards_list(project_id).limit(2).offset(1).send().await.described()?;
        let names: Vec<&str> = page.results.iter().map(|d| d.name.as_str()).collect();
        ensure(names == ["Revenue", "Retention"], format!("{names:?}"))
    })
    .await;

    run.check("stream every dashboard (limit/offset, next links)", async {
        let all: Vec<_> = alice.projects().dashboards_list(project_id).limit(2).stream().try_collect().await.described()?;
        ensure(all.len() == 3, format!("{} dashboards", all.len()))
    })
    .await;

    let dashboard_id = dashboard.as_ref().map_or(0, |d| d.id);
    run.check("create an insight on no dashboard (a null foreign key)", async {
        let body = InsightRequest::new()
            .dashboard(Nullable::Null)
            .query(serde_json::json!({"kind": "TrendsQuery"}));
        let insight = alice.projects().insights_create(project_id).body(body).send().await.described()?;
        ensure(insight.dashboard.is_null(), format!("dashboard {:?}", insight.dashboard))?;
        ensure(
            insight.derived_name.maybe().is_some_and(|n| n.starts_with("TrendsQuery")),
            format!("derived name {:?}", insight.derived_name),
        )
    })
    .await;

    run.check("create named insights on the dashboard", async {
        for name in ["Signups", "Revenue per user", "Churn"] {
            let body = InsightRequest::new()
                .name(name.to_owned())
                .dashboard(dashboard_id)
                .query(serde_json::json!({"kind": "TrendsQuery", "series": [{"event": "signup"}]}));
            let insight = alice.projects().insights_create(project_id).body(body).send().await.described()?;
            ensure(insight.name.as_option().map(String::as_str) == Some(name), "named")?;
        }
        Ok(())
    })
    .await;

    run.check("stream every insight (bare pages; the page after the last is a 404)", async {
        let all: Vec<_> = alice.projects().insights_list(project_id).page_size(2).stream().try_collect().await.described()?;
        ensure(all.len() == 4, format!("{} insights", all.len()))
    })
    .await;

    run.check("duplicate a dashboard (a custom action)", async {
        let copy = alice
            .projects()
            .dashboards_duplicate_create(project_id, dashboard_id.to_string())
            .send()
            .await
            .described()?;
        ensure(copy.name == "Weekly metrics (copy)", copy.name)
    })
    .await;

    run.check("a 400 names the field at fault", async {
        let result = alice
            .projects()
            .dashboards_create(project_id, DashboardRequest::new("Revenue"))
            .send()
            .await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 400, format!("status {}", api.status))?;
        let fields = api.field_errors();
        ensure(
            fields.iter().any(|f| f.field == "name" && f.message.contains("already exists")),
            format!("field errors {fields:?}"),
        )?;
        ensure(api.message().starts_with("name: "), api.message())
    })
    .await;

    run.check("a 400 names a nested field at fault", async {
        let body = InsightRequest::new().query(serde_json::json!({"kind": "PieQuery"}));
        let api = api_error(alice.projects().insights_create(project_id).body(body).send().await)?;
        let fields = api.field_errors();
        ensure(fields.iter().any(|f| f.field == "query.kind"), format!("field errors {fields:?}"))
    })
    .await;

    run.check("a 401 for a key that is not valid", async {
        let result = stranger.users().retrieve("@me").send().await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 401, format!("status {}", api.status))?;
        ensure(api.message() == "Personal API key not valid.", api.message())
    })
    .await;

    run.check("a 403 for editing another user's restricted dashboard", async {
        let shared = bob.projects().list().send().await.described()?;
        let shared = shared.results.first().ok_or("bob has no project")?.id;
        let restricted = bob
            .projects()
            .dashboards_list(shared)
            .send()
            .await
            .described()?
            .results
            .into_iter()
            .find(|d| d.restriction_level == Some(RestrictionLevelEnum::V37))
            .ok_or("no restricted dashboard in the shared project")?;
        let result = bob
            .projects()
            .dashboards_partial_update(shared, restricted.id.to_string())
            .body(PatchedDashboardRequest::new().pinned(true))
            .send()
            .await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 403, format!("status {}", api.status))?;
        ensure(api.message().contains("edit permissions"), api.message())
    })
    .await;

    run.check("delete a dashboard, then it is not found", async {
        alice
            .projects()
            .dashboards_destroy(project_id, dashboard_id.to_string())
            .send()
            .await
            .described()?;
        let result = alice
            .projects()
            .dashboards_retrieve(project_id, dashboard_id.to_string())
            .send()
            .await;
        let error = result.err().ok_or("the deleted dashboard was found")?;
        ensure(error.is_not_found(), format!("{error}"))?;
        ensure(error.to_string().contains("No Dashboard matches"), error.to_string())
    })
    .await;

    run.check("a 404 page outside the API's routes is summarised", async {
        let result = alice.projects().retrieve("1.json").send().await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 404, format!("status {}", api.status))?;
        ensure(api.message() == "Not Found (an HTML page)", api.message())
    })
    .await;

    run.check("the raw response, undecoded (send_raw)", async {
        let raw = alice.projects().retrieve(project_id.to_string()).send_raw().await.described()?;
        let json: serde_json::Value = serde_json::from_slice(raw.body()).described()?;
        ensure(json["name"] == "Growth team", json.to_string())
    })
    .await;

    run.check("decoded into the caller's own type (send_as)", async {
        #[derive(serde::Deserialize)]
        struct Mine {
            name: String,
            dashboard_count: Option<i64>,
        }
        let mine = alice.projects().retrieve(project_id.to_string()).send_as::<Mine>().await.described()?;
        ensure(mine.body().name == "Growth team" && mine.body().dashboard_count == Some(3), "decoded")
    })
    .await;

    run.check("delete a project", async {
        alice.projects().destroy(project_id.to_string()).send().await.described()?;
        let gone = alice.projects().retrieve(project_id.to_string()).send().await;
        ensure(gone.err().is_some_and(|e| e.is_not_found()), "the project is gone")
    })
    .await;

    run.finish();
}

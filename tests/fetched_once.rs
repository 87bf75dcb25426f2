//! A URL is fetched once per run however it is reached: as a cited URL,
//! as a hop of another cited URL's redirect chain, or by several chains;
//! and the archive stores that response once.

use crate::support;

use citevault::archive::Archive;
use citevault::check::{CheckOptions, Checker};
use citevault::model::{CheckStatus, Checked, Conditional};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use support::server::{html, redirect, serve, Reply};

fn article(title: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{}</p></article></body></html>",
        "Officials said on Friday that the measures would take effect next month. ".repeat(30)
    )
}

fn options() -> CheckOptions {
    CheckOptions {
        allow_private: true,
        keep_exchanges: true,
        host_interval: Duration::from_millis(1),
        retry_base: Duration::from_millis(5),
        confirm_after: Some(Duration::from_millis(20)),
        ..CheckOptions::default()
    }
}

async fn check_all(
    opts: CheckOptions,
    urls: Vec<String>,
    conds: HashMap<String, Conditional>,
) -> HashMap<String, Checked> {
    let checker = Checker::new(opts).unwrap();
    checker
        .check_urls(urls, Arc::new(conds))
        .map(|c| (c.url.clone(), c))
        .collect()
        .await
}

#[tokio::test]
async fn a_redirect_target_cited_too_is_fetched_once_and_archived_once() {
    let server = serve(
        "127.0.0.1",
        vec![
            ("/old", redirect(301, "/new")),
            ("/new", html(200, &article("Export curbs"))),
        ],
    )
    .await;
    let (old, new) = (server.url("/old"), server.url("/new"));
    // Host concurrency 1: the chain of /old reaches /new before /new's own turn.
    let opts = CheckOptions {
        host_concurrency: 1,
        ..options()
    };
    let got = check_all(opts, vec![old.clone(), new.clone()], HashMap::new()).await;
    assert_eq!(got[&old].result.status, CheckStatus::Alive);
    assert_eq!(got[&new].result.status, CheckStatus::Alive);
    assert_eq!(got[&old].result.final_url.as_deref(), Some(new.as_str()));
    assert_eq!(server.count("/new"), 1, "{:?}", server.seen());
    assert_eq!(server.count("/old"), 1);
    // Both exchanges hold the same response of /new, with its time.
    let hop_of = |c: &Checked| c.exchange.as_ref().unwrap().hops.last().unwrap().clone();
    assert_eq!(hop_of(&got[&old]).fetched_at, hop_of(&got[&new]).fetched_at);

    let tmp = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(tmp.path()).unwrap();
    archive.begin_run().unwrap();
    for (_, mut c) in got {
        archive.store(&mut c).unwrap();
    }
    archive.finish_run(&Default::default()).unwrap();
    drop(archive);
    let archive = Archive::open_read_only(tmp.path()).unwrap();
    let snaps = archive.snapshots(&new).unwrap();
    assert_eq!(snaps.len(), 1, "{snaps:?}");
    assert_eq!(snaps[0].record_type, "response");
    let checks = archive.checks(&old).unwrap();
    let checks_new = archive.checks(&new).unwrap();
    assert_eq!(checks[0].snapshot_id, Some(snaps[0].id));
    assert_eq!(checks_new[0].snapshot_id, Some(snaps[0].id));
}

#[tokio::test]
async fn chains_that_meet_fetch_their_meeting_point_once() {
    let server = serve(
        "127.0.0.1",
        vec![
            ("/a", redirect(302, "/c")),
            ("/b", redirect(301, "/c")),
            (
                "/c",
                Reply::Slow(
                    Duration::from_millis(150),
                    Box::new(html(200, &article("Landing"))),
                ),
            ),
        ],
    )
    .await;
    let urls = vec![server.url("/a"), server.url("/b")];
    // Both chains reach /c at about the same time: one waits for the other.
    let got = check_all(options(), urls.clone(), HashMap::new()).await;
    assert_eq!(server.count("/c"), 1, "{:?}", server.seen());
    for u in &urls {
        assert_eq!(got[u].result.http_status, Some(200), "{:?}", got[u].result);
    }
}

#[tokio::test]
async fn confirmations_and_retries_ask_the_server_again() {
    let server = serve(
        "127.0.0.1",
        vec![
            ("/gone", redirect(301, "/missing")),
            (
                "/flaky",
                Reply::Sequence(vec![html(503, "busy"), html(200, &article("Back"))]),
            ),
            ("/to-flaky", redirect(301, "/flaky")),
        ],
    )
    .await;
    let urls = vec![server.url("/gone"), server.url("/missing")];
    let got = check_all(options(), urls.clone(), HashMap::new()).await;
    for u in &urls {
        assert_eq!(
            got[u].result.status,
            CheckStatus::Dead,
            "{:?}",
            got[u].result
        );
        assert!(
            got[u].result.reason.contains("confirmed"),
            "{}",
            got[u].result.reason
        );
    }
    // Once for both first verdicts, then once per confirmation.
    assert_eq!(server.count("/missing"), 3, "{:?}", server.seen());

    // A 503 is retried, never shared: the chain through it asks again.
    let opts = CheckOptions {
        host_concurrency: 1,
        ..options()
    };
    let urls = vec![server.url("/flaky"), server.url("/to-flaky")];
    let got = check_all(opts, urls.clone(), HashMap::new()).await;
    for u in &urls {
        assert_eq!(
            got[u].result.status,
            CheckStatus::Alive,
            "{:?}",
            got[u].result
        );
    }
    assert_eq!(server.count("/flaky"), 2, "{:?}", server.seen());
}

#[tokio::test]
async fn a_conditional_recheck_takes_the_full_answer_a_chain_already_has() {
    let server = serve(
        "127.0.0.1",
        vec![
            ("/old", redirect(301, "/page")),
            ("/page", Reply::Etag("\"v1\"", article("Tagged"))),
        ],
    )
    .await;
    let (old, page) = (server.url("/old"), server.url("/page"));
    let conds = HashMap::from([(
        page.clone(),
        Conditional {
            etag: Some("\"v1\"".into()),
            last_modified: None,
        },
    )]);
    let opts = CheckOptions {
        host_concurrency: 1,
        ..options()
    };
    let got = check_all(opts, vec![old.clone(), page.clone()], conds).await;
    assert_eq!(server.count("/page"), 1, "{:?}", server.seen());
    assert_eq!(got[&page].result.status, CheckStatus::Alive);
    assert_eq!(got[&page].result.http_status, Some(200));
}

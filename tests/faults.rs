//! Trust under faults: an unusable network is never a dead link, a host is
//! given up on only when it answers nothing, runs end by their deadline,
//! and a proxy does not open a way around the private-address guard.
//! Name resolution is injected: no test here asks a real resolver.

use crate::support;
use citevault::check::{CheckOptions, Checker, Lookup, LookupError, NameLookup};
use citevault::model::{CheckResult, CheckStatus};
use citevault::run::{Run, RunEvent, Verdict};
use futures_util::StreamExt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::server::*;

/// A resolver with a fixed table: every other name does not exist.
#[derive(Debug)]
struct Table(Vec<(String, IpAddr)>);

fn table(entries: &[(&str, &str)]) -> Arc<Table> {
    Arc::new(Table(
        entries
            .iter()
            .map(|(h, ip)| (h.to_string(), ip.parse().unwrap()))
            .collect(),
    ))
}

impl NameLookup for Table {
    fn lookup(&self, host: &str) -> Lookup {
        let found: Vec<IpAddr> = self
            .0
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(host))
            .map(|(_, ip)| *ip)
            .collect();
        Box::pin(async move {
            if found.is_empty() {
                Err(LookupError::NoSuchName("Name or service not known".into()))
            } else {
                Ok(found)
            }
        })
    }
}

fn opts(lookup: Arc<Table>) -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(2),
        host_interval: Duration::ZERO,
        retry_base: Duration::from_millis(10),
        max_retries: 1,
        lookup,
        dns_canaries: vec!["example.com".into()],
        ..CheckOptions::default()
    }
}

async fn run_digest(
    text: &str,
    options: CheckOptions,
    archive: Option<&std::path::Path>,
) -> (Vec<CheckResult>, citevault::Outcome) {
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("digest.md");
    std::fs::write(&digest, text).unwrap();
    let mut builder = Run::builder().input(&digest).check_options(options);
    if let Some(a) = archive {
        builder = builder.archive(a);
    }
    let mut run = builder.start().unwrap();
    let mut results = Vec::new();
    while let Some(event) = run.next().await {
        if let RunEvent::Document(doc) = event {
            results.extend(
                doc.all_citations()
                    .filter_map(|c| c.check.as_deref().cloned()),
            );
        }
    }
    (results, run.outcome().await.unwrap())
}

#[tokio::test]
async fn offline_nothing_is_dead_the_run_errors_and_history_stays_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let digest = "## Export curbs\n\nBody.\n\nSource: [RFA, November 7, 2023](http://www.rfa.org/a.html)\n\n\
                  ## Another\n\nBody.\n\nSource: [DW, November 8, 2023](https://gone.example.org/x)\n";
    // Offline: the resolver says "no such name" of everything, canaries too.
    let (results, outcome) = run_digest(digest, opts(table(&[])), Some(&archive)).await;
    assert_eq!(results.len(), 2);
    for r in &results {
        assert_eq!(r.status, CheckStatus::Error, "{}", r.reason);
        assert!(r.not_checked, "{r:?}");
        assert!(r.reason.starts_with("network unavailable"), "{}", r.reason);
    }
    assert_eq!(outcome.verdict(), Verdict::Errors, "exit code 1, not 2");
    assert_eq!(outcome.failing, 0);
    assert!(outcome
        .environment_error
        .as_deref()
        .is_some_and(|e| e.contains("network unavailable")));
    let a = citevault::Archive::open_read_only(&archive).unwrap();
    assert!(a.transitions(None).unwrap().is_empty(), "no new → dead");
    // `report` on that run decides as `check` did: an error, not a pass.
    let mut out = Vec::new();
    let mut writer = citevault::report::JsonWriter::new(&mut out);
    let reported = citevault::run::report(
        &a,
        citevault::archive::Selection::LastRun,
        None,
        &mut writer,
    )
    .unwrap();
    assert_eq!(reported.verdict(), Verdict::Errors);
    drop(a);

    // With DNS shown to work (the canary resolves), a vanished host is dead.
    let online = table(&[("example.com", "93.184.216.34")]);
    let (results, outcome) = run_digest(
        "## Another\n\nBody.\n\nSource: [DW, November 8, 2023](https://gone.example.org/x)\n",
        opts(online),
        Some(&archive),
    )
    .await;
    assert_eq!(
        results[0].status,
        CheckStatus::Dead,
        "{}",
        results[0].reason
    );
    assert!(results[0].reason.contains("does not exist"));
    assert_eq!(outcome.verdict(), Verdict::Failing);
    let a = citevault::Archive::open_read_only(&archive).unwrap();
    let moves: Vec<String> = a
        .transitions(None)
        .unwrap()
        .iter()
        .map(|t| format!("{} {}→{}", t.url, t.from, t.to))
        .collect();
    assert_eq!(moves, ["https://gone.example.org/x new→dead"]);
    // Nothing was ever stored for it, yet the report says since when it fails.
    let mut out = Vec::new();
    let mut writer = citevault::report::JsonWriter::new(&mut out);
    citevault::run::report(
        &a,
        citevault::archive::Selection::LastRun,
        None,
        &mut writer,
    )
    .unwrap();
    drop(writer);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let copy = &v["documents"][0]["items"][0]["citations"][0]["archive"];
    assert!(
        copy["failing_since"].is_string() && copy["snapshot_at"].is_null(),
        "{copy}"
    );
}

const ARTICLE: &str = "<html><head><title>A story</title></head><body><article><p>Officials said on Friday that the measures would take effect next month, according to a statement published by the ministry.</p></article></body></html>";

#[tokio::test]
async fn a_host_is_given_up_only_when_it_answers_nothing() {
    let mut routes: Vec<(String, Reply)> = (0..9)
        .map(|i| (format!("/ok/{i}"), html(200, ARTICLE)))
        .collect();
    routes.push(("/gone".into(), html(404, "<title>404</title>")));
    routes.push((
        "/hang/1".into(),
        Reply::Slow(Duration::from_secs(30), Box::new(html(200, ARTICLE))),
    ));
    routes.push((
        "/hang/2".into(),
        Reply::Slow(Duration::from_secs(30), Box::new(html(200, ARTICLE))),
    ));
    routes.push(("/loop".into(), redirect(302, "/loop")));
    let s = serve(
        "127.0.0.1",
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    )
    .await;
    let c = Checker::new(CheckOptions {
        timeout: Duration::from_millis(500),
        host_concurrency: 1,
        allow_private: true,
        ..opts(table(&[]))
    })
    .unwrap();
    // Hanging and looping URLs first, so a per-attempt counter would give up early.
    let mut urls: Vec<String> = ["/hang/1", "/loop", "/hang/2"]
        .iter()
        .map(|p| s.url(p))
        .collect();
    urls.extend((0..9).map(|i| s.url(&format!("/ok/{i}"))));
    urls.push(s.url("/gone"));
    let results: Vec<(String, CheckResult)> = c.check_all(urls).collect().await;
    let status = |path: &str| {
        results
            .iter()
            .find(|(u, _)| u.ends_with(path))
            .map(|(_, r)| r.clone())
            .unwrap()
    };
    assert_eq!(status("/gone").status, CheckStatus::Dead, "the 404 is seen");
    for i in 0..9 {
        let r = status(&format!("/ok/{i}"));
        assert_eq!(r.status, CheckStatus::Alive, "/ok/{i}: {}", r.reason);
    }
    assert_eq!(status("/hang/1").status, CheckStatus::Timeout);
    assert!(
        !status("/hang/1").not_checked,
        "it was tried: a real timeout"
    );
    assert_eq!(status("/loop").status, CheckStatus::Error);
    // Each fetched once; the 404 once more, later, to confirm it.
    assert!(s.count("/ok/0") == 1 && s.count("/gone") == 2);

    // A host that refuses every connection is given up after three URLs.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let urls: Vec<String> = (0..6).map(|i| format!("http://{closed}/{i}")).collect();
    let results: Vec<(String, CheckResult)> = c.check_all(urls).collect().await;
    let given_up = results.iter().filter(|(_, r)| r.not_checked).count();
    assert_eq!(given_up, 3, "{results:#?}");
    assert!(results
        .iter()
        .filter(|(_, r)| !r.not_checked)
        .all(|(_, r)| r.reason.contains("connection refused")));
}

#[tokio::test]
async fn a_run_ends_by_its_deadline_and_says_what_it_did_not_check() {
    let slow = Reply::Slow(Duration::from_secs(20), Box::new(html(200, ARTICLE)));
    let s = serve(
        "127.0.0.1",
        vec![
            ("/slow/1", slow.clone()),
            ("/slow/2", slow.clone()),
            ("/slow/3", slow),
            (
                "/busy",
                Reply::Fixed(503, vec![("retry-after", "100".into())], b"busy".to_vec()),
            ),
        ],
    )
    .await;
    let digest: String = ["/slow/1", "/slow/2", "/slow/3", "/busy"]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "## Story {i}\n\nBody.\n\nSource: [RFA, November 7, 2023]({})\n\n",
                s.url(p)
            )
        })
        .collect();
    let started = Instant::now();
    let (results, outcome) = run_digest(
        &digest,
        CheckOptions {
            timeout: Duration::from_secs(30),
            host_concurrency: 1,
            max_runtime: Some(Duration::from_secs(2)),
            allow_private: true,
            ..opts(table(&[]))
        },
        None,
    )
    .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "the run took {took:?}");
    assert_eq!(results.len(), 4, "every citation has a result");
    let unchecked: Vec<&CheckResult> = results.iter().filter(|r| r.not_checked).collect();
    assert!(!unchecked.is_empty(), "{results:#?}");
    assert!(
        unchecked.iter().all(|r| r.reason.contains("--max-runtime")),
        "{unchecked:#?}"
    );
    assert_eq!(outcome.failing, 0);
}

#[tokio::test]
async fn a_proxy_does_not_open_a_way_to_private_addresses() {
    // A forward proxy that would fetch anything it is asked for.
    let proxy = serve(
        "127.0.0.1",
        vec![
            ("/article", html(200, ARTICLE)),
            ("/to-intranet", redirect(302, "http://intranet.test/admin")),
            ("/admin", html(200, "<title>secret</title>")),
            ("/latest/meta-data", html(200, "secret")),
        ],
    )
    .await;
    let port = proxy.addr.port();
    let lookup = table(&[
        ("news.test", "93.184.216.34"),
        ("intranet.test", "127.0.0.1"),
        ("metadata.test", "169.254.169.254"),
        // The proxy itself is named: the operator's choice, never refused.
        ("proxy.test", "127.0.0.1"),
        ("example.com", "93.184.216.34"),
    ]);
    let c = Checker::new(CheckOptions {
        proxy: Some(format!("http://proxy.test:{port}")),
        ..opts(lookup)
    })
    .unwrap();
    let r = c.check("http://news.test/article").await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert_eq!(proxy.count("/article"), 1);

    for url in [
        "http://intranet.test/admin",
        "http://metadata.test/latest/meta-data",
    ] {
        let r = c.check(url).await;
        assert_eq!(r.status, CheckStatus::Skipped, "{url}: {}", r.reason);
        assert!(r.reason.contains("private"), "{}", r.reason);
    }
    assert_eq!(proxy.count("/admin") + proxy.count("/latest/meta-data"), 0);
    // Redirects are vetted the same way.
    let r = c.check("http://news.test/to-intranet").await;
    assert_eq!(r.status, CheckStatus::Skipped, "{}", r.reason);
    assert_eq!(proxy.count("/admin"), 0);
    // A name that cannot be vetted is not sent to the proxy either.
    let r = c.check("http://unknown.test/article").await;
    assert_ne!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert_eq!(proxy.count("/article"), 1);
    // Special-purpose literals: NAT64, benchmarking, CGNAT.
    for url in [
        "http://[64:ff9b::7f00:1]/article",
        "http://198.18.0.1/article",
        "http://100.64.0.1/article",
    ] {
        assert_eq!(c.check(url).await.status, CheckStatus::Skipped, "{url}");
    }
    assert_eq!(proxy.count("/article"), 1);
}

#[tokio::test]
async fn a_redirect_to_another_scheme_is_skipped_without_retries() {
    let s = serve(
        "127.0.0.1",
        vec![("/r", redirect(302, "ftp://files.example.org/a.pdf"))],
    )
    .await;
    let c = Checker::new(CheckOptions {
        allow_private: true,
        max_retries: 3,
        ..opts(table(&[]))
    })
    .unwrap();
    let r = c.check(&s.url("/r")).await;
    assert_eq!(r.status, CheckStatus::Skipped, "{}", r.reason);
    assert!(
        r.reason.contains("ftp://files.example.org/a.pdf"),
        "{}",
        r.reason
    );
    assert_eq!(s.count("/r"), 1, "no retry");
}

/// A resolver that cannot answer at all (EAI_AGAIN: no server reachable).
#[derive(Debug)]
struct Broken;

impl NameLookup for Broken {
    fn lookup(&self, _: &str) -> Lookup {
        Box::pin(async {
            Err(LookupError::Failed(
                "Temporary failure in name resolution".into(),
            ))
        })
    }
}

#[tokio::test]
async fn a_resolver_that_cannot_answer_is_no_verdict_either() {
    let c = Checker::new(CheckOptions {
        lookup: Arc::new(Broken),
        ..opts(table(&[]))
    })
    .unwrap();
    let r = c.check("http://www.rfa.org/a.html").await;
    assert_eq!(r.status, CheckStatus::Error, "{}", r.reason);
    assert!(
        r.not_checked && r.reason.starts_with("network unavailable"),
        "{r:?}"
    );
    assert!(c.environment_problem().is_some());
}

#[tokio::test]
async fn through_a_proxy_a_name_with_any_private_address_is_refused() {
    let proxy = serve("127.0.0.1", vec![("/article", html(200, ARTICLE))]).await;
    let lookup = table(&[
        ("mixed.test", "93.184.216.34"),
        ("mixed.test", "127.0.0.1"),
        ("example.com", "93.184.216.34"),
    ]);
    let c = Checker::new(CheckOptions {
        proxy: Some(format!("http://{}", proxy.addr)),
        ..opts(lookup)
    })
    .unwrap();
    let r = c.check("http://mixed.test/article").await;
    assert_eq!(r.status, CheckStatus::Skipped, "{}", r.reason);
    assert_eq!(proxy.count("/article"), 0);
}

#[tokio::test]
async fn credentials_in_a_url_are_never_sent() {
    let s = serve("127.0.0.1", vec![("/a", html(200, ARTICLE))]).await;
    let c = Checker::new(CheckOptions {
        allow_private: true,
        keep_exchanges: true,
        ..opts(table(&[]))
    })
    .unwrap();
    let url = format!("http://editor:hunter2@{}/a", s.addr);
    let checked = c.check_one(&url, None).await;
    assert_eq!(
        checked.result.status,
        CheckStatus::Alive,
        "{}",
        checked.result.reason
    );
    let ex = checked.exchange.unwrap();
    let head = String::from_utf8_lossy(&ex.hops[0].request_head).to_string();
    assert!(
        !head.contains("hunter2") && !head.to_lowercase().contains("authorization"),
        "{head}"
    );
    assert!(!ex.hops[0].url.contains("hunter2"), "{}", ex.hops[0].url);
}

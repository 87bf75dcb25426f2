//! Save Page Now 2 (`remote::spn`) against a fake SPN2 server on 127.0.0.1.

use crate::support::spn_server;

use citevault::model::Timestamp;
use citevault::remote::spn::{IaKeys, SaveOptions, SaveOutcome, Saver, IA_KEYS_VAR};
use citevault::remote::{Http, RemoteOptions};
use spn_server::{error, job, job_with_message, pending, raw, serve, success, SpnServer};
use std::time::Duration;
use tokio::time::Instant;

const SECRET: &str = "S3cretKey0987";
const SAVE_INTERVAL: Duration = Duration::from_millis(20);
const POLL: Duration = Duration::from_millis(20);

fn client(server: &SpnServer) -> Http {
    Http::new(RemoteOptions {
        spn_url: server.url(),
        save_interval: SAVE_INTERVAL,
        lookup_interval: Duration::ZERO,
        trusted_endpoints: true,
        wayback_url: None,
        timeout: Duration::from_secs(5),
        max_retries: 0,
        ..Default::default()
    })
    .expect("HTTP client")
}

fn keys() -> IaKeys {
    IaKeys::parse(&format!("AccessKey123:{SECRET}")).unwrap()
}

fn options() -> SaveOptions {
    SaveOptions {
        poll_interval: POLL,
        max_wait: Duration::from_secs(5),
        ..Default::default()
    }
}

fn reason(o: &SaveOutcome) -> &str {
    match o {
        SaveOutcome::Saved(c) => panic!("saved unexpectedly: {c:?}"),
        SaveOutcome::Failed { reason } | SaveOutcome::Stopped { reason } => reason,
    }
}

fn assert_failed(o: &SaveOutcome, needle: &str) {
    assert!(
        matches!(o, SaveOutcome::Failed { reason } if reason.contains(needle)),
        "expected Failed mentioning {needle:?}, got {o:?}"
    );
}

fn assert_stopped(o: &SaveOutcome, needle: &str) {
    assert!(
        matches!(o, SaveOutcome::Stopped { reason } if reason.contains(needle)),
        "expected Stopped mentioning {needle:?}, got {o:?}"
    );
}

#[tokio::test]
async fn polls_until_success_and_sends_keys_headers_and_form() {
    let server = serve(
        vec![job("spn2-abc123")],
        vec![
            pending(),
            pending(),
            success("20251118093000", "https://example.org/a?b=1&c=d"),
        ],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let url = "https://example.org/a?b=1&c=d";
    let outcome = saver.save(url).await;
    let SaveOutcome::Saved(capture) = outcome else {
        panic!("not saved: {outcome:?}");
    };
    assert_eq!(capture.archive, "wayback");
    assert_eq!(
        capture.url,
        format!("{}web/20251118093000/{url}", server.url())
    );
    assert_eq!(capture.captured_at, Timestamp(1_763_458_200));
    assert_eq!(capture.http_status, 200);
    assert!(capture.saved);
    assert_eq!(capture.distance, None);

    let subs = server.submissions();
    assert_eq!(subs.len(), 1);
    let s = &subs[0];
    assert_eq!(s.authorization, format!("LOW AccessKey123:{SECRET}"));
    assert_eq!(s.accept, "application/json");
    assert_eq!(s.content_type, "application/x-www-form-urlencoded");
    assert_eq!(s.field("url"), Some(url));
    assert_eq!(s.field("if_not_archived_within"), Some("30d"));

    let polls = server.polls();
    assert_eq!(polls.len(), 3);
    for p in &polls {
        assert_eq!(p.path, "/save/status/spn2-abc123");
        assert_eq!(p.authorization, format!("LOW AccessKey123:{SECRET}"));
        assert_eq!(p.accept, "application/json");
    }
    assert!(
        polls[0].at - s.at >= POLL,
        "first poll waits a poll interval"
    );
    for w in polls.windows(2) {
        assert!(w[1].at - w[0].at >= POLL, "polls are a poll interval apart");
    }
    assert_eq!(saver.stopped(), None);
}

#[tokio::test]
async fn already_archived_recently_is_saved_with_that_capture() {
    let server = serve(
        vec![job_with_message(
            "spn2-old",
            "The same snapshot had been made 13 hours ago. You can make new capture of this URL after 24 hours.",
        )],
        vec![success("20251117200000", "https://example.org/b")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(
        &http,
        keys(),
        SaveOptions {
            if_not_archived_within: Duration::from_secs(5 * 3600),
            ..options()
        },
    );
    let outcome = saver.save("https://example.org/b").await;
    let SaveOutcome::Saved(capture) = outcome else {
        panic!("not saved: {outcome:?}");
    };
    assert_eq!(
        capture.url,
        format!("{}web/20251117200000/https://example.org/b", server.url())
    );
    assert_eq!(capture.captured_at, Timestamp(1_763_409_600));
    assert_eq!(
        server.submissions()[0].field("if_not_archived_within"),
        Some("5h")
    );
}

#[tokio::test]
async fn daily_quota_stops_every_later_submission() {
    let server = serve(
        vec![error(
            "error:too-many-daily-captures",
            "This URL has been already captured 10 times today.",
        )],
        vec![],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let first = saver.save("https://example.org/1").await;
    assert_stopped(&first, "too-many-daily-captures");
    assert_eq!(server.seen().len(), 1);
    let second = saver.save("https://example.org/2").await;
    assert_stopped(&second, "too-many-daily-captures");
    assert_eq!(server.seen().len(), 1, "no request after the daily limit");
    assert!(saver.stopped().is_some());
}

#[tokio::test]
async fn daily_quota_reported_on_the_status_poll_also_stops() {
    let server = serve(
        vec![job("spn2-q")],
        vec![error("error:too-many-daily-captures", "quota")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    assert_stopped(
        &saver.save("https://example.org/1").await,
        "too-many-daily-captures",
    );
    let n = server.seen().len();
    assert_stopped(
        &saver.save("https://example.org/2").await,
        "too-many-daily-captures",
    );
    assert_eq!(server.seen().len(), n);
}

#[tokio::test]
async fn session_limit_waits_and_resubmits() {
    let server = serve(
        vec![
            error(
                "error:user-session-limit",
                "You have already reached the limit of active sessions.",
            ),
            job("spn2-second"),
        ],
        vec![success("20251118093000", "https://example.org/s")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/s").await;
    assert!(matches!(outcome, SaveOutcome::Saved(_)), "{outcome:?}");
    let subs = server.submissions();
    assert_eq!(subs.len(), 2);
    assert!(
        subs[1].at - subs[0].at >= POLL * 3,
        "waits a few poll intervals before resubmitting: {:?}",
        subs[1].at - subs[0].at
    );
    assert_eq!(server.polls()[0].path, "/save/status/spn2-second");
}

#[tokio::test]
async fn persistent_session_limit_fails_after_a_few_resubmissions() {
    let server = serve(vec![error("error:user-session-limit", "busy")], vec![]).await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/s").await;
    assert_failed(&outcome, "user-session-limit");
    let n = server.submissions().len();
    assert!((2..=5).contains(&n), "bounded resubmissions: {n}");
    assert_eq!(saver.stopped(), None, "not a reason to stop the run");
}

#[tokio::test]
async fn too_many_requests_backs_off_then_succeeds() {
    let server = serve(
        vec![
            error("error:too-many-requests", "slow down"),
            error("error:too-many-requests", "slow down"),
            job("spn2-t"),
        ],
        vec![success("20251118093000", "https://example.org/t")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/t").await;
    assert!(matches!(outcome, SaveOutcome::Saved(_)), "{outcome:?}");
    let subs = server.submissions();
    assert_eq!(subs.len(), 3);
    let first_gap = subs[1].at - subs[0].at;
    let second_gap = subs[2].at - subs[1].at;
    assert!(first_gap >= SAVE_INTERVAL, "{first_gap:?}");
    assert!(
        second_gap >= SAVE_INTERVAL * 2,
        "exponential: {second_gap:?}"
    );
}

#[tokio::test]
async fn persistent_too_many_requests_stops_the_run() {
    let server = serve(vec![error("error:too-many-requests", "slow down")], vec![]).await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/t").await;
    assert_stopped(&outcome, "too-many-requests");
    assert_eq!(server.submissions().len(), 4, "one try and three retries");
    assert_stopped(&saver.save("https://example.org/u").await, "rate-limited");
    assert_eq!(server.submissions().len(), 4);
}

#[tokio::test]
async fn blocked_url_fails_this_url_only() {
    let server = serve(
        vec![
            error(
                "error:blocked-url",
                "This site is excluded from the Wayback Machine.",
            ),
            job("spn2-next"),
        ],
        vec![success("20251118093000", "https://example.org/ok")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://blocked.example/").await;
    assert_failed(&outcome, "blocked-url");
    assert!(reason(&outcome).contains("excluded from the Wayback Machine"));
    assert_eq!(server.submissions().len(), 1, "not resubmitted");
    assert!(matches!(
        saver.save("https://example.org/ok").await,
        SaveOutcome::Saved(_)
    ));
}

#[tokio::test]
async fn error_on_the_status_poll_fails_the_url() {
    let server = serve(
        vec![job("spn2-nf")],
        vec![
            pending(),
            error("error:not-found", "Server returned 404 Not Found."),
        ],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/gone").await;
    assert_failed(&outcome, "error:not-found");
    assert!(reason(&outcome).contains("404 Not Found"));
    assert_eq!(server.submissions().len(), 1);
    assert_eq!(server.polls().len(), 2);
}

#[tokio::test]
async fn unauthorized_stops_without_echoing_the_secret() {
    let server = serve(vec![raw(401, "{\"message\": \"bad keys\"}")], vec![]).await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/x").await;
    assert_stopped(&outcome, IA_KEYS_VAR);
    assert!(!reason(&outcome).contains(SECRET));
    assert!(!format!("{saver:?}").contains(SECRET));
    assert_stopped(&saver.save("https://example.org/y").await, IA_KEYS_VAR);
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn http_429_after_retries_stops_the_run() {
    let server = serve(vec![raw(429, "")], vec![]).await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    assert_stopped(&saver.save("https://example.org/x").await, "rate-limited");
    let n = server.seen().len();
    assert_stopped(&saver.save("https://example.org/y").await, "rate-limited");
    assert_eq!(server.seen().len(), n);
}

#[tokio::test]
async fn malformed_answers_fail() {
    let server = serve(vec![raw(200, "<html>Service Unavailable</html>")], vec![]).await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    assert_failed(
        &saver.save("https://example.org/x").await,
        "malformed answer from Save Page Now",
    );

    let server = serve(
        vec![job("spn2-m")],
        vec![raw(200, "{\"status\": \"success\", \"timestamp\": 2025}")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    assert_failed(
        &saver.save("https://example.org/x").await,
        "malformed answer from Save Page Now",
    );
}

#[tokio::test]
async fn job_pending_past_max_wait_fails() {
    let server = serve(vec![job("spn2-slow")], vec![pending()]).await;
    let http = client(&server);
    let saver = Saver::new(
        &http,
        keys(),
        SaveOptions {
            max_wait: Duration::from_millis(150),
            ..options()
        },
    );
    let start = Instant::now();
    let outcome = saver.save("https://example.org/slow").await;
    assert_failed(&outcome, "still pending after");
    assert!(start.elapsed() < Duration::from_secs(2));
    let polls = server.polls().len();
    assert!((2..=9).contains(&polls), "{polls} polls");
    assert_eq!(saver.stopped(), None);
}

#[tokio::test]
async fn run_deadline_stops_before_asking() {
    let server = serve(vec![job("spn2-d")], vec![pending()]).await;
    let http = Http::new(RemoteOptions {
        spn_url: server.url(),
        save_interval: SAVE_INTERVAL,
        wayback_url: None,
        deadline: Some(Instant::now()),
        ..Default::default()
    })
    .unwrap();
    let saver = Saver::new(&http, keys(), options());
    assert_stopped(&saver.save("https://example.org/x").await, "deadline");
    assert_eq!(server.seen().len(), 0);
}

#[tokio::test]
async fn save_can_run_on_spawned_tasks() {
    fn assert_send<T: Send>(_: &T) {}
    let server = serve(
        vec![job("spn2-s")],
        vec![success("20251118093000", "https://example.org/")],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let future = saver.save("https://example.org/");
    assert_send(&future);
    assert!(matches!(future.await, SaveOutcome::Saved(_)));
}

#[tokio::test]
async fn an_answer_without_a_job_is_malformed_and_quotes_the_message() {
    let server = serve(
        vec![raw(200, "{\"message\": \"Sorry, try later\"}")],
        vec![],
    )
    .await;
    let http = client(&server);
    let saver = Saver::new(&http, keys(), options());
    let outcome = saver.save("https://example.org/x").await;
    assert_failed(&outcome, "malformed answer from Save Page Now");
    assert!(reason(&outcome).contains("Sorry, try later"));
}

#[test]
fn keys_parse_and_debug_redacts_the_secret() {
    let k = IaKeys::parse(&format!("AccessKey123:{SECRET}")).unwrap();
    assert_eq!(k.access(), "AccessKey123");
    let dbg = format!("{k:?}");
    assert!(!dbg.contains(SECRET), "{dbg}");
    assert!(dbg.contains("AccessKey123"));
    for bad in ["", SECRET, &format!(":{SECRET}"), "AccessKey123:"] {
        let e = IaKeys::parse(bad).unwrap_err();
        assert!(e.contains(IA_KEYS_VAR), "{e}");
        assert!(!e.contains(SECRET), "{e}");
    }
}

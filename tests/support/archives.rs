//! Fake public archives for lookup tests: a Wayback Machine (CDX API,
//! `/web/` playback) and Memento TimeGates/TimeMaps, as one scripted axum
//! app on 127.0.0.1 that records every request it sees.
#![allow(dead_code)]

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// One request the archive saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Path and query, as sent.
    pub path: String,
    /// When it arrived.
    pub at: Instant,
    /// Its `Accept-Datetime` header, if any.
    pub accept_datetime: Option<String>,
}

/// What to answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Status, headers, body.
    Fixed(u16, Vec<(String, String)>, Vec<u8>),
    /// One reply per request, the last one repeating.
    Sequence(Vec<Reply>),
}

impl Reply {
    /// The same reply with one more header.
    pub fn with(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Fixed(s, mut h, b) => {
                h.push((name.to_string(), value.to_string()));
                Reply::Fixed(s, h, b)
            }
            Reply::Sequence(list) => {
                Reply::Sequence(list.into_iter().map(|r| r.with(name, value)).collect())
            }
        }
    }
}

/// A fixed answer.
pub fn reply(status: u16, content_type: &str, body: &str) -> Reply {
    Reply::Fixed(
        status,
        vec![("content-type".into(), content_type.into())],
        body.as_bytes().to_vec(),
    )
}

/// An HTML page with this title and text.
pub fn page(status: u16, title: &str, text: &str) -> Reply {
    reply(
        status,
        "text/html; charset=utf-8",
        &format!("<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"),
    )
}

/// A real-looking archived article.
pub fn article(title: &str) -> Reply {
    page(
        200,
        title,
        "The minister said on Tuesday that the plan would go ahead despite protests, \
         and officials in the province confirmed the figures reported last week.",
    )
}

/// A redirect.
pub fn redirect(status: u16, location: &str) -> Reply {
    Reply::Fixed(
        status,
        vec![("location".into(), location.into())],
        Vec::new(),
    )
}

/// A CDX API answer (`output=json`) listing these captures
/// (timestamp, original, statuscode), with the API's header row.
pub fn cdx(rows: &[(&str, &str, &str)]) -> Reply {
    let mut table = vec![vec![
        "urlkey",
        "timestamp",
        "original",
        "mimetype",
        "statuscode",
        "digest",
        "length",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>()];
    for (i, (ts, original, status)) in rows.iter().enumerate() {
        table.push(vec![
            "org,example)/a".to_string(),
            ts.to_string(),
            original.to_string(),
            "text/html".to_string(),
            status.to_string(),
            format!("DIGEST{i}"),
            "1234".to_string(),
        ]);
    }
    if rows.is_empty() {
        table.clear();
    }
    reply(
        200,
        "application/json",
        &serde_json::to_string(&table).expect("a JSON table"),
    )
}

/// A TimeMap (`application/link-format`) of these mementos (URL,
/// datetime as an HTTP date), with the usual `original` and `self` links.
pub fn timemap(original: &str, mementos: &[(&str, &str)]) -> Reply {
    let mut links = vec![
        format!("<{original}>; rel=\"original\""),
        format!("<{original}>; rel=\"self\"; type=\"application/link-format\""),
    ];
    for (i, (url, datetime)) in mementos.iter().enumerate() {
        let rel = if i == 0 { "first memento" } else { "memento" };
        links.push(format!("<{url}>; rel=\"{rel}\"; datetime=\"{datetime}\""));
    }
    reply(200, "application/link-format", &(links.join(",\n") + "\n"))
}

pub struct FakeArchive {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeArchive {
    /// `http://127.0.0.1:<port>` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests whose path and query start with `prefix`.
    pub fn seen_at(&self, prefix: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path.starts_with(prefix))
            .collect()
    }
}

struct AppState {
    routes: Vec<(String, Reply)>,
    hits: Mutex<HashMap<usize, usize>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// Starts an archive on 127.0.0.1; `routes` gets its base
/// (`http://127.0.0.1:<port>`) and returns (path-and-query prefix, reply)
/// pairs: the first whose prefix the request starts with answers, else 404.
pub async fn start(routes: impl FnOnce(&str) -> Vec<(String, Reply)>) -> FakeArchive {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind a fake archive");
    let addr = listener.local_addr().expect("a local address");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(AppState {
        routes: routes(&format!("http://{addr}")),
        hits: Mutex::new(HashMap::new()),
        seen: seen.clone(),
    });
    let app = axum::Router::new().fallback(handle).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    FakeArchive { addr, seen }
}

async fn handle(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let accept_datetime = req
        .headers()
        .get("accept-datetime")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    st.seen.lock().unwrap().push(Seen {
        path: path.clone(),
        at: Instant::now(),
        accept_datetime,
    });
    let Some(route) = st
        .routes
        .iter()
        .position(|(p, _)| path.starts_with(p.as_str()))
    else {
        return render(
            &reply(
                404,
                "text/html",
                "<title>Wayback Machine</title>no such capture",
            ),
            0,
        );
    };
    let n = {
        let mut hits = st.hits.lock().unwrap();
        let e = hits.entry(route).or_insert(0);
        *e += 1;
        *e - 1
    };
    render(&st.routes[route].1, n)
}

fn render(r: &Reply, n: usize) -> Response {
    match r {
        Reply::Fixed(status, headers, body) => {
            let mut resp = Response::new(Body::from(body.clone()));
            *resp.status_mut() = StatusCode::from_u16(*status).unwrap();
            for (k, v) in headers {
                resp.headers_mut().append(
                    HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    HeaderValue::from_str(v).unwrap(),
                );
            }
            resp
        }
        Reply::Sequence(list) => render(&list[n.min(list.len() - 1)], 0),
    }
}

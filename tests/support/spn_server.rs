//! A fake Save Page Now 2 server on 127.0.0.1: scripted answers to
//! `POST /save` and `GET /save/status/<job>`, each request recorded with
//! the headers and form SPN2 cares about.
#![allow(dead_code)]

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: String,
    pub accept: String,
    pub content_type: String,
    /// The decoded form body (empty for a GET).
    pub form: Vec<(String, String)>,
    pub at: Instant,
}

impl Seen {
    /// The form field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One scripted answer: HTTP status and body (JSON unless a test wants
/// otherwise).
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub body: String,
}

/// The submission was accepted as job `id`.
pub fn job(id: &str) -> Resp {
    json(serde_json::json!({"url": "https://example.org/", "job_id": id}))
}

/// Accepted, with SPN2's note that a recent capture exists.
pub fn job_with_message(id: &str, message: &str) -> Resp {
    json(serde_json::json!({"url": "https://example.org/", "job_id": id, "message": message}))
}

/// `{"status":"pending"}`.
pub fn pending() -> Resp {
    json(serde_json::json!({"status": "pending", "job_id": "x", "resources": []}))
}

/// The job succeeded with a capture at `timestamp` of `original_url`.
pub fn success(timestamp: &str, original_url: &str) -> Resp {
    json(serde_json::json!({
        "status": "success",
        "job_id": "x",
        "timestamp": timestamp,
        "original_url": original_url,
        "duration_sec": 6.2,
    }))
}

/// SPN2's error report: HTTP 200 with `status: error`.
pub fn error(status_ext: &str, message: &str) -> Resp {
    json(serde_json::json!({
        "status": "error",
        "status_ext": status_ext,
        "message": message,
    }))
}

/// Any status and body.
pub fn raw(status: u16, body: &str) -> Resp {
    Resp {
        status,
        body: body.to_string(),
    }
}

fn json(v: serde_json::Value) -> Resp {
    Resp {
        status: 200,
        body: v.to_string(),
    }
}

pub struct SpnServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl SpnServer {
    /// The base URL (`spn_url`), with its trailing slash.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.addr)).unwrap()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The `POST /save` requests seen.
    pub fn submissions(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "POST" && s.path == "/save")
            .collect()
    }

    /// The status polls seen.
    pub fn polls(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "GET" && s.path.starts_with("/save/status/"))
            .collect()
    }
}

struct AppState {
    submits: Vec<Resp>,
    statuses: Vec<Resp>,
    counts: Mutex<(usize, usize)>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// Starts the server: the n-th submission gets `submits[n]`, the n-th
/// status poll (of any job) `statuses[n]`, the last of each repeating.
pub async fn serve(submits: Vec<Resp>, statuses: Vec<Resp>) -> SpnServer {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind fake SPN2 server");
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(AppState {
        submits,
        statuses,
        counts: Mutex::new((0, 0)),
        seen: seen.clone(),
    });
    let app = axum::Router::new().fallback(handle).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    SpnServer { addr, seen }
}

fn header_value(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn pick(list: &[Resp], n: usize) -> Option<Resp> {
    list.get(n.min(list.len().saturating_sub(1))).cloned()
}

async fn handle(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let at = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let authorization = header_value(req.headers(), header::AUTHORIZATION);
    let accept = header_value(req.headers(), header::ACCEPT);
    let content_type = header_value(req.headers(), header::CONTENT_TYPE);
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let form = url::form_urlencoded::parse(&body).into_owned().collect();
    st.seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        path: path.clone(),
        authorization,
        accept,
        content_type,
        form,
        at,
    });
    let resp = {
        let mut counts = st.counts.lock().unwrap();
        if method == Method::POST && path == "/save" {
            counts.0 += 1;
            pick(&st.submits, counts.0 - 1)
        } else if method == Method::GET && path.starts_with("/save/status/") {
            counts.1 += 1;
            pick(&st.statuses, counts.1 - 1)
        } else {
            None
        }
    };
    match resp {
        Some(r) => {
            let mut resp = Response::new(Body::from(r.body));
            *resp.status_mut() = StatusCode::from_u16(r.status).unwrap();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            resp
        }
        None => (StatusCode::NOT_FOUND, "no such endpoint").into_response(),
    }
}

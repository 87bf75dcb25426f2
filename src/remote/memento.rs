//! Memento (RFC 7089): TimeGates with `Accept-Datetime`, and TimeMaps in link format.
//!
//! A TimeGate (`<prefix><url>`) answers the memento closest to the
//! `Accept-Datetime` asked for with a redirect, and its `Link` header
//! names the TimeMap: every memento of the URL with its datetime, in the
//! link format of RFC 6690 (`<uri>; rel="memento"; datetime="…", …`).
//! The TimeMap lets the capture be chosen by the cited date's rule (the
//! latest at or before it first), not only the archive's "closest".

use super::{service_for, timestamp_in_path, verify, Candidate, CitedSpan, Found, Http, Problem};
use crate::model::Timestamp;
use url::Url;

/// One link of a link-format document (a TimeMap) or of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target, as written between `<` and `>` (maybe relative).
    pub uri: String,
    /// Its parameters in order, names lowercase, values unquoted
    /// (an empty value for a parameter without one).
    pub params: Vec<(String, String)>,
}

impl Link {
    /// The first parameter named `name` (any case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether one of the words of its `rel` is `rel` (any case):
    /// `rel="first memento"` is a `memento`.
    pub fn has_rel(&self, rel: &str) -> bool {
        self.params
            .iter()
            .filter(|(n, _)| n == "rel")
            .flat_map(|(_, v)| v.split_ascii_whitespace())
            .any(|w| w.eq_ignore_ascii_case(rel))
    }
}

/// A memento a TimeMap or `Link` header lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memento {
    /// Where it is (resolved).
    pub url: Url,
    /// When it was captured.
    pub datetime: Timestamp,
}

/// Parses link format (RFC 6690, the `Link` header syntax of RFC 8288):
/// links separated by commas, each `<uri>` followed by `; name=value`
/// parameters whose values may be quoted strings (holding commas and
/// semicolons, as HTTP dates do) or tokens. Whitespace, line breaks and
/// empty elements between links are allowed. An empty text has no links.
pub fn parse_link_format(text: &str) -> Result<Vec<Link>, String> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut links = Vec::new();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] != b'<' {
            return Err(format!(
                "expected '<' at byte {i}, found {:?}",
                snippet(text, i)
            ));
        }
        let end = text[i + 1..]
            .find('>')
            .map(|n| i + 1 + n)
            .ok_or_else(|| format!("a '<' at byte {i} is never closed"))?;
        let uri = text[i + 1..end].trim().to_string();
        if uri.contains('<') {
            return Err(format!("a '<' inside the link at byte {i}"));
        }
        i = end + 1;
        let mut params = Vec::new();
        loop {
            skip_ws(&mut i);
            if i >= b.len() || b[i] == b',' {
                break;
            }
            if b[i] != b';' {
                return Err(format!(
                    "expected ';' or ',' at byte {i}, found {:?}",
                    snippet(text, i)
                ));
            }
            i += 1;
            skip_ws(&mut i);
            let start = i;
            while i < b.len() && is_token(b[i]) {
                i += 1;
            }
            if i == start {
                return Err(format!("a parameter without a name at byte {start}"));
            }
            let name = text[start..i].to_ascii_lowercase();
            skip_ws(&mut i);
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                skip_ws(&mut i);
                if i < b.len() && b[i] == b'"' {
                    let open = i;
                    i += 1;
                    let mut bytes = Vec::new();
                    loop {
                        match b.get(i) {
                            None => {
                                return Err(format!(
                                    "a quoted value at byte {open} is never closed"
                                ))
                            }
                            Some(b'"') => break,
                            Some(b'\\') if i + 1 < b.len() => {
                                bytes.push(b[i + 1]);
                                i += 2;
                            }
                            Some(&c) => {
                                bytes.push(c);
                                i += 1;
                            }
                        }
                    }
                    i += 1;
                    value = String::from_utf8_lossy(&bytes).into_owned();
                } else {
                    let vstart = i;
                    while i < b.len() && is_token(b[i]) {
                        i += 1;
                    }
                    if i == vstart {
                        return Err(format!("parameter {name:?} has no value at byte {vstart}"));
                    }
                    value = text[vstart..i].to_string();
                }
            }
            params.push((name, value));
        }
        links.push(Link { uri, params });
    }
    Ok(links)
}

/// A byte that may be part of a parameter name or unquoted value.
fn is_token(c: u8) -> bool {
    !c.is_ascii_whitespace() && !matches!(c, b';' | b',' | b'=' | b'"' | b'<' | b'>')
}

fn snippet(text: &str, at: usize) -> String {
    text.get(at..).unwrap_or("").chars().take(20).collect()
}

/// The mementos `links` list (every link whose `rel` has the word
/// `memento`), resolved against `base`. A memento without a readable
/// `datetime` or URL is an error.
pub fn mementos(links: &[Link], base: &Url) -> Result<Vec<Memento>, String> {
    links
        .iter()
        .filter(|l| l.has_rel("memento"))
        .map(|l| {
            let url = base
                .join(&l.uri)
                .map_err(|e| format!("memento <{}> is not a URL: {e}", l.uri))?;
            let datetime = l
                .param("datetime")
                .ok_or_else(|| format!("memento <{}> has no datetime", l.uri))?;
            let datetime = parse_http_datetime(datetime)
                .ok_or_else(|| format!("memento <{}> has a bad datetime {datetime:?}", l.uri))?;
            Ok(Memento { url, datetime })
        })
        .collect()
}

/// The TimeMap `links` name (`rel="timemap"`, link format preferred),
/// resolved against `base`.
pub fn timemap_url(links: &[Link], base: &Url) -> Option<Url> {
    let maps: Vec<&Link> = links.iter().filter(|l| l.has_rel("timemap")).collect();
    maps.iter()
        .find(|l| l.param("type").is_some_and(|t| t.contains("link-format")))
        .or(maps.first())
        .and_then(|l| base.join(&l.uri).ok())
}

/// An HTTP date (`Tue, 18 Nov 2025 23:59:59 GMT`, or the obsolete forms)
/// as a time.
pub fn parse_http_datetime(s: &str) -> Option<Timestamp> {
    let t = httpdate::parse_http_date(s.trim()).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(Timestamp(secs.as_secs()))
}

/// The `Link` headers of an answer, read leniently (a header that does
/// not parse lists nothing).
fn link_header(answer: &super::Answer) -> Vec<Link> {
    answer
        .headers
        .iter()
        .filter(|(n, _)| n == "link")
        .flat_map(|(_, v)| parse_link_format(v).unwrap_or_default())
        .collect()
}

/// Asks the TimeGate `gate` for `url` near `span` (without a date: the
/// latest memento), then its TimeMap when it names one.
pub(super) async fn find(http: &Http, gate: &Url, url: &str, span: Option<CitedSpan>) -> Found {
    let mut found = Found::default();
    let interval = http.options().lookup_interval;
    let service = service_for(http, gate);
    let target = match Url::parse(&format!("{gate}{url}")) {
        Ok(t) => t,
        Err(e) => {
            found.problems.push(
                Problem::Failed(format!("{service}: cannot form the TimeGate URL: {e}"))
                    .to_string(),
            );
            return found;
        }
    };
    let accept = span.map(|s| httpdate::fmt_http_date(s.end().to_system_time()));
    let answer = http
        .send(&service, interval, |c| {
            let request = c.get(target.clone());
            match &accept {
                Some(date) => request.header("Accept-Datetime", date.as_str()),
                None => request,
            }
        })
        .await;
    let answer = match answer {
        Ok(a) => a,
        Err(p) => {
            found.problems.push(p.to_string());
            return found;
        }
    };
    let links = link_header(&answer);
    let memento_datetime = answer
        .header("memento-datetime")
        .and_then(parse_http_datetime);
    // The memento the TimeGate chose, and its datetime when stated.
    let named = match answer.status {
        300..=399 => match answer.header("location").and_then(|l| target.join(l).ok()) {
            Some(u) => Some((u, None)),
            None => {
                found.problems.push(
                    Problem::Malformed(format!(
                        "{service} answered {} without a Location",
                        answer.status
                    ))
                    .to_string(),
                );
                return found;
            }
        },
        200..=299 if memento_datetime.is_some() => {
            let at = answer
                .header("location")
                .or_else(|| answer.header("content-location"))
                .and_then(|l| target.join(l).ok())
                .unwrap_or_else(|| target.clone());
            Some((at, memento_datetime))
        }
        200..=299 => None,
        404 | 410 => return found,
        status => {
            found
                .problems
                .push(Problem::Failed(format!("{service} answered {status}")).to_string());
            return found;
        }
    };
    let mut listed = mementos(&links, &target).unwrap_or_default();
    if let Some(map) = timemap_url(&links, &target) {
        match timemap(http, &map).await {
            Ok(more) => listed.extend(more),
            Err(p) => found.problems.push(p.to_string()),
        }
    }
    if named.is_none() && listed.is_empty() {
        found.problems.push(
            Problem::Malformed(format!(
                "{service} answered {} naming no memento",
                answer.status
            ))
            .to_string(),
        );
        return found;
    }
    let mut named_dated = None;
    if let Some((at, stated)) = named {
        let known = listed.iter().find(|m| m.url == at).map(|m| m.datetime);
        let dated = stated.or(known).or_else(|| timestamp_in_path(&at));
        match dated {
            Some(t) => named_dated = Some((at, t)),
            None => {
                // Only fetching it tells when it was captured.
                let mut cand = memento_candidate(http, at, None);
                found.verifications += 1;
                match verify(http, &cand).await {
                    Ok(Some(v)) => match v.captured_at {
                        Some(t) => {
                            cand.captured_at = Some(t);
                            cand.verified = Some(v);
                            found.candidates.push(cand);
                        }
                        None => found.problems.push(
                            Problem::Malformed(format!("memento {} states no datetime", cand.url))
                                .to_string(),
                        ),
                    },
                    Ok(None) => {}
                    Err(p) => found.problems.push(p.to_string()),
                }
            }
        }
    }
    found.candidates.extend(
        named_dated
            .into_iter()
            .chain(listed.into_iter().map(|m| (m.url, m.datetime)))
            .map(|(u, t)| memento_candidate(http, u, Some(t))),
    );
    found
}

/// Reads the TimeMap at `map`: its mementos (none for a 404).
async fn timemap(http: &Http, map: &Url) -> Result<Vec<Memento>, Problem> {
    let service = service_for(http, map);
    let interval = http.options().lookup_interval;
    let answer = http
        .send(&service, interval, |c| c.get(map.clone()))
        .await?;
    match answer.status {
        200 => {}
        404 | 410 => return Ok(Vec::new()),
        status => {
            return Err(Problem::Failed(format!(
                "{service} answered {status} for the TimeMap"
            )))
        }
    }
    let text = String::from_utf8_lossy(&answer.body);
    parse_link_format(&text)
        .and_then(|links| mementos(&links, map))
        .map_err(|e| Problem::Malformed(format!("TimeMap {map}: {e}")))
}

fn memento_candidate(http: &Http, url: Url, captured_at: Option<Timestamp>) -> Candidate {
    let service = service_for(http, &url);
    Candidate {
        archive: service.clone(),
        url: url.to_string(),
        fetch: url,
        service,
        captured_at,
        wayback: None,
        verified: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn timemaps_with_commas_in_dates_and_several_rels() {
        let text = "<http://a.example.org/>;rel=\"original\",\n\
            <http://arxiv.example.net/timemap/http://a.example.org/>\n ; rel=\"self\";type=\"application/link-format\"\n ; from=\"Tue, 20 Jun 2000 18:02:59 GMT\",\n\
            <http://arxiv.example.net/web/20000620180259/http://a.example.org/>\n ; rel=\"first memento\";datetime=\"Tue, 20 Jun 2000 18:02:59 GMT\" ,\n\
            <http://arxiv.example.net/web/20091027204954/http://a.example.org/>\n ; rel=\"last memento\";datetime=\"Tue, 27 Oct 2009 20:49:54 GMT\",\n\
            <http://arxiv.example.net/web/20010101000000/http://a.example.org/?q=a,b;c>;REL=memento;Datetime=\"Mon, 01 Jan 2001 00:00:00 GMT\",";
        let links = parse_link_format(text).unwrap();
        assert_eq!(links.len(), 5);
        assert_eq!(
            links[1].param("from"),
            Some("Tue, 20 Jun 2000 18:02:59 GMT")
        );
        assert!(links[2].has_rel("memento") && links[2].has_rel("first"));
        assert!(!links[0].has_rel("memento"));
        let base = Url::parse("http://arxiv.example.net/timemap/x").unwrap();
        let ms = mementos(&links, &base).unwrap();
        assert_eq!(ms.len(), 3);
        assert_eq!(ms[0].datetime, ts("2000-06-20T18:02:59Z"));
        assert_eq!(ms[1].datetime, ts("2009-10-27T20:49:54Z"));
        assert_eq!(
            ms[2].url.as_str(),
            "http://arxiv.example.net/web/20010101000000/http://a.example.org/?q=a,b;c"
        );
        assert_eq!(
            timemap_url(&links, &base),
            None,
            "rel=\"self\" is no TimeMap link"
        );
        let header = "<http://a.example.org/>; rel=\"original\", \
            </timemap/json/http://a.example.org/>; rel=\"timemap\"; type=\"application/json\", \
            </timemap/link/http://a.example.org/>; rel=\"timemap\"; type=\"application/link-format\"";
        let links = parse_link_format(header).unwrap();
        assert_eq!(
            timemap_url(&links, &base).unwrap().as_str(),
            "http://arxiv.example.net/timemap/link/http://a.example.org/"
        );
    }

    #[test]
    fn the_crates_own_timemaps_are_read_back() {
        use crate::archive::Snapshot;
        let at = |t: &str| Snapshot {
            id: 0,
            url: "http://a.example.org/".into(),
            fetched_at: ts(t),
            http_status: 200,
            sha256: String::new(),
            size: 0,
            content_type: None,
            title: None,
            record_type: "response".into(),
            warc_file: String::new(),
            warc_offset: 0,
            warc_length: 0,
            refers_to: None,
        };
        let snaps = [
            at("2000-06-21T01:17:31Z"),
            at("2000-06-20T18:02:59Z"),
            at("2009-10-27T20:49:54Z"),
        ];
        let map = crate::archive::export::timemap(
            "http://a.example.org/",
            &snaps,
            "http://replay.example.net/coll/",
        )
        .unwrap();
        let links = parse_link_format(&map).unwrap();
        let base = Url::parse("http://replay.example.net/coll/timemap/link/").unwrap();
        let ms = mementos(&links, &base).unwrap();
        let got: Vec<(String, Timestamp)> = ms
            .into_iter()
            .map(|m| (m.url.to_string(), m.datetime))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "http://replay.example.net/coll/20000620180259/http://a.example.org/".into(),
                    ts("2000-06-20T18:02:59Z")
                ),
                (
                    "http://replay.example.net/coll/20000621011731/http://a.example.org/".into(),
                    ts("2000-06-21T01:17:31Z")
                ),
                (
                    "http://replay.example.net/coll/20091027204954/http://a.example.org/".into(),
                    ts("2009-10-27T20:49:54Z")
                ),
            ]
        );
        assert!(links.iter().any(|l| l.has_rel("self")));
    }

    #[test]
    fn relative_uris_escapes_and_bare_params() {
        let links =
            parse_link_format(r#"</20251118/x>; rel=memento; datetime="Tue, 18 Nov 2025 10:00:00 GMT"; title="a \"b\", c"; anchor"#)
                .unwrap();
        assert_eq!(links[0].param("title"), Some(r#"a "b", c"#));
        assert_eq!(links[0].param("anchor"), Some(""));
        let base = Url::parse("https://archive.example/timegate/http://x/").unwrap();
        let ms = mementos(&links, &base).unwrap();
        assert_eq!(ms[0].url.as_str(), "https://archive.example/20251118/x");
        assert_eq!(ms[0].datetime, ts("2025-11-18T10:00:00Z"));
        assert_eq!(parse_link_format("").unwrap(), vec![]);
        assert_eq!(parse_link_format(" ,\n ").unwrap(), vec![]);
    }

    #[test]
    fn malformed_link_format_is_an_error() {
        for bad in [
            "not a timemap",
            "<http://x/",
            "<http://x/>; rel=\"memento",
            "<http://x/> rel=memento",
            "<http://x/>; =memento",
            "<http://x/>; rel=",
            "<http://x/>; rel=memento <http://y/>",
            "<http://x/>, garbage",
        ] {
            assert!(parse_link_format(bad).is_err(), "{bad}");
        }
        // Well-formed, but a memento must say when it was captured.
        let base = Url::parse("http://a/").unwrap();
        for bad in [
            "<http://x/>; rel=memento",
            "<http://x/>; rel=memento; datetime=\"yesterday\"",
        ] {
            let links = parse_link_format(bad).unwrap();
            assert!(mementos(&links, &base).is_err(), "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_datetime("Tue, 18 Nov 2025 23:59:59 GMT"),
            Some(ts("2025-11-18T23:59:59Z"))
        );
        assert_eq!(parse_http_datetime("18 Nov 2025"), None);
    }
}

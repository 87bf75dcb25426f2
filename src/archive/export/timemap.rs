//! RFC 7089 TimeMaps: every capture of a URL as a memento on a replay
//! server (pywb's URL scheme: `BASE/<14-digit timestamp>/<URL>`), so
//! Memento clients and link checkers can find the archived copies.

use super::timestamp14;
use crate::archive::Snapshot;
use crate::model::Timestamp;

/// The TimeMap (`application/link-format`) of `url`'s captures on the
/// replay server at `replay_base` (its collection URL, e.g.
/// `http://localhost:8080/citevault/`). Captures are listed oldest first,
/// one memento per capture time; `None` when there is no capture.
pub fn timemap(url: &str, snapshots: &[Snapshot], replay_base: &str) -> Option<String> {
    let mut times: Vec<Timestamp> = snapshots.iter().map(|s| s.fetched_at).collect();
    times.sort();
    times.dedup();
    let (first, last) = (*times.first()?, *times.last()?);
    let base = if replay_base.ends_with('/') {
        replay_base.to_string()
    } else {
        format!("{replay_base}/")
    };
    let mut links = vec![
        format!("<{url}>; rel=\"original\""),
        format!(
            "<{base}timemap/link/{url}>; rel=\"self\"; type=\"application/link-format\"; \
             from=\"{}\"; until=\"{}\"",
            http_date(first),
            http_date(last)
        ),
        format!("<{base}{url}>; rel=\"timegate\""),
    ];
    for &t in &times {
        let rel = match (t == first, t == last) {
            (true, true) => "first last memento",
            (true, false) => "first memento",
            (false, true) => "last memento",
            (false, false) => "memento",
        };
        links.push(format!(
            "<{base}{}/{url}>; rel=\"{rel}\"; datetime=\"{}\"",
            timestamp14(t),
            http_date(t)
        ));
    }
    Some(links.join(",\n") + "\n")
}

/// `Sun, 22 Nov 2026 09:14:03 GMT` (RFC 1123, as Memento requires).
fn http_date(t: Timestamp) -> String {
    httpdate::fmt_http_date(t.to_system_time())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> Snapshot {
        Snapshot {
            id: 0,
            url: "http://a.example.org/".into(),
            fetched_at: t.parse().expect("valid time"),
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
        }
    }

    #[test]
    fn mementos_are_listed_as_rfc_7089_shows() {
        let snaps = [
            at("2000-06-21T01:17:31Z"),
            at("2000-06-20T18:02:59Z"),
            at("2009-10-27T20:49:54Z"),
        ];
        let map = timemap(
            "http://a.example.org/",
            &snaps,
            "http://arxiv.example.net/web",
        )
        .unwrap();
        let lines: Vec<&str> = map.lines().collect();
        assert_eq!(lines[0], "<http://a.example.org/>; rel=\"original\",");
        assert!(lines[1].contains(
            "from=\"Tue, 20 Jun 2000 18:02:59 GMT\"; until=\"Tue, 27 Oct 2009 20:49:54 GMT\""
        ));
        assert_eq!(
            lines[3],
            "<http://arxiv.example.net/web/20000620180259/http://a.example.org/>; rel=\"first memento\"; datetime=\"Tue, 20 Jun 2000 18:02:59 GMT\","
        );
        assert!(lines[4].contains("rel=\"memento\""));
        assert!(
            lines[5].ends_with("rel=\"last memento\"; datetime=\"Tue, 27 Oct 2009 20:49:54 GMT\"")
        );
        assert_eq!(timemap("http://a.example.org/", &[], "x"), None);
        let one = timemap("http://a.example.org/", &snaps[..1], "b/").unwrap();
        assert!(one.contains("rel=\"first last memento\""));
    }
}

//! Reading stored HTTP responses: the one parser of response heads, shared
//! by `show`, re-indexing and revisit resolution.

/// The status line and headers of a stored HTTP response, and where its
/// payload starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// Status code.
    pub status: u16,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Offset of the payload in the block.
    pub payload_at: usize,
}

impl ResponseHead {
    /// Parses the head of `block` (a WARC response record's block). `None`
    /// when it is not a complete HTTP response head.
    pub fn parse(block: &[u8]) -> Option<ResponseHead> {
        let mut headers = vec![httparse::EMPTY_HEADER; 256];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(block) {
            Ok(httparse::Status::Complete(payload_at)) => Some(ResponseHead {
                status: resp.code?,
                headers: resp
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_string(),
                            String::from_utf8_lossy(h.value).trim().to_string(),
                        )
                    })
                    .collect(),
                payload_at,
            }),
            _ => None,
        }
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_headers_and_payload_offset() {
        let block = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nX-A:  b \r\n\r\nbody";
        let h = ResponseHead::parse(block).unwrap();
        assert_eq!(h.status, 404);
        assert_eq!(h.header("content-type"), Some("text/html"));
        assert_eq!(h.header("x-a"), Some("b"));
        assert_eq!(&block[h.payload_at..], b"body");
        assert!(ResponseHead::parse(b"HTTP/1.1 200 OK\r\nA: b\r\n").is_none());
        assert!(ResponseHead::parse(b"garbage").is_none());
    }
}

//! Bytes to text: BOM, then UTF-8, then the document's own `<meta charset>`,
//! then statistical detection (GBK, Big5, Shift_JIS, EUC-KR, windows-125x…).
//! Input that no encoding reads cleanly is an error, not mojibake.

use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A NUL byte (at this offset) and no BOM: an image, PDF or archive
    /// given by mistake.
    #[error(
        "looks like a binary file (NUL byte at offset {0}), not a text, Markdown or HTML document"
    )]
    Binary(usize),
    /// The chosen encoding (BOM, declared or detected) does not read the
    /// bytes cleanly; reported rather than producing mojibake.
    #[error("is not valid {encoding} (malformed bytes{detail})")]
    Malformed {
        /// Name of the encoding tried (`UTF-8`, `GBK`…).
        encoding: &'static str,
        /// Where the first bad byte is and what else was ruled out, written
        /// to follow "malformed bytes" (` at offset 12; not UTF-8 either`).
        detail: String,
    },
}

/// Decoded text and the encoding it was read as.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static Encoding), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return enc
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| (t, enc))
            .ok_or_else(|| malformed(enc, body));
    }
    if let Some(nul) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary(nul));
    }
    // Every input is checked here: SIMD validation is several times faster
    // than std's on text that is not all ASCII (the same answer; where it
    // fails, `malformed` asks std where).
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok((Cow::Borrowed(text), UTF_8));
    }
    let declared = meta_charset(bytes).filter(|e| *e != UTF_8);
    let enc = declared.unwrap_or_else(|| {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
        det.feed(bytes, true);
        det.guess(None, chardetng::Utf8Detection::Allow)
    });
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| (t, enc))
        .ok_or_else(|| malformed(enc, bytes))
}

fn malformed(enc: &'static Encoding, bytes: &[u8]) -> DecodeError {
    let detail = if enc == UTF_8 {
        match std::str::from_utf8(bytes) {
            Err(e) => format!(" at offset {}", e.valid_up_to()),
            Ok(_) => String::new(),
        }
    } else {
        let mut decoder = enc.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(bytes.len() * 3);
        let (_, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
        format!(" near offset {read}")
    };
    DecodeError::Malformed {
        encoding: if enc == UTF_8 { "UTF-8" } else { enc.name() },
        detail: if enc == UTF_8 {
            format!("{detail}; not UTF-8 and no other encoding reads it")
        } else {
            format!("{detail}; not UTF-8 either")
        },
    }
}

/// The charset an HTML document declares in its first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let pos = memchr::memmem::find(&lower, b"charset=")? + b"charset=".len();
    let rest = &head[pos..];
    let rest = rest
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b' '))
        .map_or(&rest[rest.len()..], |i| &rest[i..]);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let (t, e) = decode("新闻 news".as_bytes()).unwrap();
        assert_eq!(t, "新闻 news");
        assert_eq!(e, UTF_8);
    }

    #[test]
    fn gbk_and_big5_are_detected() {
        let text = "来源：人民日报，2025年11月14日。中国外交部发言人表示，日本领导人公然发表涉台错误言论。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (t, e) = decode(&gbk).unwrap();
        assert_eq!(t, text);
        assert_eq!(e, encoding_rs::GBK);

        let text =
            "來源：中央社，2025年11月18日。外交部發言人表示，日本領導人公然發表涉台錯誤言論。";
        let (big5, _, _) = encoding_rs::BIG5.encode(text);
        let (t, e) = decode(&big5).unwrap();
        assert_eq!(t, text);
        assert_eq!(e, encoding_rs::BIG5);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Source: DW https://www.dw.com/zh/a-1".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!(t, "Source: DW https://www.dw.com/zh/a-1");
        assert_eq!(e, encoding_rs::UTF_16LE);
    }

    #[test]
    fn meta_charset_wins_over_guessing() {
        let html = "<meta charset=\"gbk\"><p>中文</p>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!(t, html);
        assert_eq!(e, encoding_rs::GBK);
    }

    #[test]
    fn binary_and_broken_input_is_an_error() {
        assert!(matches!(decode(b"abc\0def"), Err(DecodeError::Binary(3))));
        let bad_utf8_bom = [0xEF, 0xBB, 0xBF, b'a', 0xFF, 0xFE, b'b'];
        let err = decode(&bad_utf8_bom).unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}

//! WARC 1.1 records, one gzip member each, so any record can be read on its
//! own from its offset (what the index stores) and a truncated last record
//! cannot damage the ones before it.

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// A record to write.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// `warcinfo`, `request`, `response`, `revisit`…
    pub kind: &'static str,
    /// `WARC-Target-URI`: the URL the record is about (none for `warcinfo`).
    pub target_uri: Option<String>,
    /// RFC 3339 UTC.
    pub date: String,
    /// `Content-Type` of the block (`application/http;msgtype=response`,
    /// `application/warc-fields`).
    pub content_type: &'static str,
    /// Extra named fields, in order (`WARC-Concurrent-To`, `WARC-Profile`…).
    pub fields: Vec<(&'static str, String)>,
    /// `sha256:<hex>` of the HTTP payload (the body), for response/revisit.
    pub payload_digest: Option<String>,
    /// The record's content: for request/response records, the HTTP message
    /// as exchanged.
    pub block: Vec<u8>,
}

/// Where a written record lies in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Byte offset of the record's gzip member, for [`read_record_at`].
    pub offset: u64,
    /// Compressed length of the record's gzip member.
    pub length: u64,
}

/// `sha256:<lowercase hex>`, the digest form citevault writes.
pub fn sha256_label(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// A fresh `<urn:uuid:…>` record id (random, version 4).
pub fn new_record_id() -> String {
    let mut b: [u8; 16] = fastrand::u128(..).to_le_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        h[0..4].concat(),
        h[4..6].concat(),
        h[6..8].concat(),
        h[8..10].concat(),
        h[10..16].concat()
    )
}

impl Record {
    /// The record's bytes before compression; assigns `id` as its
    /// `WARC-Record-ID`.
    pub fn to_bytes(&self, id: &str) -> Vec<u8> {
        let mut head = String::with_capacity(512);
        head.push_str("WARC/1.1\r\n");
        head.push_str(&format!("WARC-Type: {}\r\n", self.kind));
        head.push_str(&format!("WARC-Record-ID: {id}\r\n"));
        head.push_str(&format!("WARC-Date: {}\r\n", self.date));
        if let Some(uri) = &self.target_uri {
            head.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
        }
        for (k, v) in &self.fields {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(d) = &self.payload_digest {
            head.push_str(&format!("WARC-Payload-Digest: {d}\r\n"));
        }
        // An empty block (a `304`'s revisit) has nothing to digest.
        if !self.block.is_empty() {
            head.push_str(&format!(
                "WARC-Block-Digest: {}\r\n",
                sha256_label(&self.block)
            ));
        }
        head.push_str(&format!("Content-Type: {}\r\n", self.content_type));
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.block.len()));
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }
}

/// Appends records to one `.warc.gz` file.
pub struct WarcWriter {
    file: File,
    offset: u64,
}

impl WarcWriter {
    /// Opens (creating or appending) a WARC file.
    pub fn open(path: &Path) -> io::Result<WarcWriter> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)?;
        let offset = file.seek(SeekFrom::End(0))?;
        Ok(WarcWriter { file, offset })
    }

    /// Flushes written records to disk.
    pub fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    /// Bytes written so far (the next record's offset).
    pub fn len(&self) -> u64 {
        self.offset
    }

    /// Whether the file holds no bytes yet: it was empty when opened and
    /// nothing has been written since.
    pub fn is_empty(&self) -> bool {
        self.offset == 0
    }

    /// Writes one record as its own gzip member. Call [`WarcWriter::sync`]
    /// before committing index rows that point to it.
    pub fn write(&mut self, record: &Record, id: &str) -> io::Result<Placement> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&record.to_bytes(id))?;
        let member = gz.finish()?;
        self.file.write_all(&member)?;
        let placement = Placement {
            offset: self.offset,
            length: member.len() as u64,
        };
        self.offset += member.len() as u64;
        Ok(placement)
    }
}

/// A record read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    /// The WARC header fields, in file order, names as written.
    pub headers: Vec<(String, String)>,
    /// The record's content (`Content-Length` bytes).
    pub block: Vec<u8>,
}

impl ReadRecord {
    /// The first WARC header field of this name (case-insensitive), e.g.
    /// `WARC-Type` or `WARC-Target-URI`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the block matches its `WARC-Block-Digest` (true when absent).
    pub fn block_digest_ok(&self) -> bool {
        self.header("WARC-Block-Digest")
            .is_none_or(|d| d == sha256_label(&self.block))
    }

    /// The HTTP payload of a response record: the block after its headers.
    pub fn http_payload(&self) -> Option<&[u8]> {
        let head = super::ResponseHead::parse(&self.block)?;
        Some(&self.block[head.payload_at..])
    }
}

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened, read or decompressed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The bytes are not a WARC record (wrong offset, or another format);
    /// says what was found instead.
    #[error("not a WARC record: {0}")]
    Format(String),
    /// The record ends early, as after a crash mid-write.
    #[error("record is cut short (truncated file?)")]
    Truncated,
}

/// Reads the single record whose gzip member starts at `offset`.
pub fn read_record_at(path: &Path, offset: u64) -> Result<ReadRecord, ReadError> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut reader = BufReader::new(GzDecoder::new(BufReader::new(file)));
    read_record(&mut reader)?.ok_or(ReadError::Truncated)
}

/// Reads one record from decompressed WARC bytes; `None` at a clean end.
pub(crate) fn read_record(r: &mut impl BufRead) -> Result<Option<ReadRecord>, ReadError> {
    let mut line = String::new();
    let n = r.read_line(&mut line).map_err(eof_as_truncated)?;
    if n == 0 {
        return Ok(None);
    }
    if !line.starts_with("WARC/") {
        return Err(ReadError::Format(format!(
            "expected a WARC version line, found {:?}",
            line.trim_end()
        )));
    }
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line).map_err(eof_as_truncated)? == 0 {
            return Err(ReadError::Truncated);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (k, v) = l
            .split_once(':')
            .ok_or_else(|| ReadError::Format(format!("bad header line {l:?}")))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| ReadError::Format("missing Content-Length".into()))?;
    let mut block = vec![0u8; len];
    r.read_exact(&mut block).map_err(eof_as_truncated)?;
    let mut end = [0u8; 4];
    r.read_exact(&mut end).map_err(eof_as_truncated)?;
    if &end != b"\r\n\r\n" {
        return Err(ReadError::Format(
            "record does not end with CRLF CRLF".into(),
        ));
    }
    Ok(Some(ReadRecord { headers, block }))
}

fn eof_as_truncated(e: io::Error) -> ReadError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        ReadError::Truncated
    } else {
        ReadError::Io(e)
    }
}

/// What [`scan`] found at one place of a `.warc.gz` file.
#[derive(Debug)]
pub(crate) enum Scanned {
    /// A whole record: its gzip member decoded (checksum included) to one
    /// WARC record.
    Record(Placement, ReadRecord),
    /// Bytes `offset..end` that decode to no record, followed by a record
    /// that does (or by the end of the file, when they are a whole gzip
    /// member that is corrupt rather than cut short): a damaged record.
    Damaged {
        /// Where the undecodable bytes start.
        offset: u64,
        /// Where the next readable record (or the file) starts.
        end: u64,
        /// Why the member at `offset` could not be read.
        reason: String,
    },
}

/// A `.warc.gz` file read member by member.
#[derive(Debug)]
pub(crate) struct Scan {
    /// Records and damaged spans, in file order.
    pub entries: Vec<Scanned>,
    /// Where a truncated tail starts: bytes after the last whole record
    /// that end before their gzip member does (a write cut short) and are
    /// followed by no readable record. `None` when there is no such tail.
    pub tail: Option<u64>,
    /// The file's length.
    pub len: u64,
}

/// How decoding one gzip member went.
enum Member {
    /// A whole record, in `length` compressed bytes.
    Whole(ReadRecord, usize),
    /// The data ends before the member does: a write cut short.
    Cut(String),
    /// The member is corrupt, or does not hold a WARC record.
    Bad(String),
}

/// Decodes the gzip member at the start of `data` (its CRC checked) and
/// reads the one WARC record it must hold.
fn decode_member(data: &[u8]) -> Member {
    let mut cursor = io::Cursor::new(data);
    // bufread's decoder consumes exactly one member from the cursor.
    let mut decoder = flate2::bufread::GzDecoder::new(&mut cursor);
    let mut raw = Vec::new();
    let read = decoder.read_to_end(&mut raw);
    let used = usize::try_from(cursor.position()).unwrap_or(data.len());
    match read {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Member::Cut(format!("gzip: {e}")),
        Err(e) => Member::Bad(format!("gzip: {e}")),
        Ok(_) if used == 0 => Member::Cut("no gzip member".into()),
        Ok(_) => match read_record(&mut io::Cursor::new(&raw)) {
            Ok(Some(rec)) => Member::Whole(rec, used),
            Ok(None) => Member::Bad("empty gzip member".into()),
            Err(e) => Member::Bad(e.to_string()),
        },
    }
}

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// The first offset at or after `from` where a gzip member holding a whole
/// record starts, with that record and its compressed length.
fn resync(data: &[u8], from: usize) -> Option<(usize, ReadRecord, usize)> {
    let mut at = from;
    while at < data.len() {
        let i = data[at..]
            .windows(GZIP_MAGIC.len())
            .position(|w| w == GZIP_MAGIC)?;
        let start = at + i;
        if let Member::Whole(rec, used) = decode_member(&data[start..]) {
            return Some((start, rec, used));
        }
        at = start + 1;
    }
    None
}

/// Walks a `.warc.gz` file member by member. After a member that cannot be
/// read, searches forward for the next gzip member that decodes to a whole
/// record and goes on from there, so one damaged record hides no other:
/// the bytes in between are reported as damaged. Undecodable bytes with no
/// readable record after them are a truncated tail when their member is
/// cut short, and a damaged (last) record otherwise.
pub(crate) fn scan(path: &Path) -> io::Result<Scan> {
    let data = std::fs::read(path)?;
    let mut entries = Vec::new();
    let mut tail = None;
    let mut offset = 0usize;
    while offset < data.len() {
        let failure = match decode_member(&data[offset..]) {
            Member::Whole(rec, used) => {
                entries.push(Scanned::Record(placement(offset, used), rec));
                offset += used;
                continue;
            }
            other => other,
        };
        match resync(&data, offset + 1) {
            Some((start, rec, used)) => {
                entries.push(Scanned::Damaged {
                    offset: offset as u64,
                    end: start as u64,
                    reason: failure_reason(failure),
                });
                entries.push(Scanned::Record(placement(start, used), rec));
                offset = start + used;
            }
            None => {
                match failure {
                    Member::Cut(_) => tail = Some(offset as u64),
                    other => entries.push(Scanned::Damaged {
                        offset: offset as u64,
                        end: data.len() as u64,
                        reason: failure_reason(other),
                    }),
                }
                break;
            }
        }
    }
    Ok(Scan {
        entries,
        tail,
        len: data.len() as u64,
    })
}

fn placement(offset: usize, length: usize) -> Placement {
    Placement {
        offset: offset as u64,
        length: length as u64,
    }
}

fn failure_reason(m: Member) -> String {
    match m {
        Member::Cut(r) | Member::Bad(r) => r,
        Member::Whole(..) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Record {
        let block = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        Record {
            kind: "response",
            target_uri: Some("https://www.rfa.org/a.html".into()),
            date: "2026-11-22T09:14:03Z".into(),
            content_type: "application/http;msgtype=response",
            fields: vec![],
            payload_digest: Some(sha256_label(body.as_bytes())),
            block: block.into_bytes(),
        }
    }

    #[test]
    fn records_read_back_from_their_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.warc.gz");
        let mut w = WarcWriter::open(&path).unwrap();
        let a = w.write(&response("first"), &new_record_id()).unwrap();
        let b = w.write(&response("second body"), &new_record_id()).unwrap();
        assert_eq!(b.offset, a.length);
        let r = read_record_at(&path, b.offset).unwrap();
        assert_eq!(r.http_payload(), Some(&b"second body"[..]));
        assert!(r.block_digest_ok());
        assert_eq!(r.header("WARC-Type"), Some("response"));
        assert_eq!(
            r.header("WARC-Payload-Digest").unwrap(),
            sha256_label(b"second body")
        );
        let scanned = scan(&path).unwrap();
        assert_eq!(records(&scanned).len(), 2);
        assert_eq!(scanned.tail, None);
        assert_eq!(scanned.len, a.length + b.length);
    }

    #[test]
    fn a_truncated_tail_is_detected_and_earlier_records_survive() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.warc.gz");
        let mut w = WarcWriter::open(&path).unwrap();
        let a = w.write(&response("kept"), &new_record_id()).unwrap();
        let b = w.write(&response("cut"), &new_record_id()).unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len(b.offset + b.length / 2).unwrap();
        let scanned = scan(&path).unwrap();
        assert_eq!(
            scanned.tail,
            Some(a.length),
            "the good prefix ends where the cut record starts"
        );
        assert_eq!(records(&scanned), [a]);
        assert!(damaged(&scanned).is_empty());
        assert!(read_record_at(&path, b.offset).is_err());
        assert!(read_record_at(&path, a.offset).is_ok());
    }

    fn records(s: &Scan) -> Vec<Placement> {
        s.entries
            .iter()
            .filter_map(|e| match e {
                Scanned::Record(p, _) => Some(*p),
                Scanned::Damaged { .. } => None,
            })
            .collect()
    }

    fn damaged(s: &Scan) -> Vec<(u64, u64)> {
        s.entries
            .iter()
            .filter_map(|e| match e {
                Scanned::Damaged { offset, end, .. } => Some((*offset, *end)),
                Scanned::Record(..) => None,
            })
            .collect()
    }

    /// Ten records with bodies that do not compress to nothing.
    fn ten_records(path: &Path) -> Vec<Placement> {
        let mut w = WarcWriter::open(path).unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        (0..10)
            .map(|i| {
                let body: String = (0..3000).map(|_| rng.alphanumeric()).collect();
                w.write(&response(&format!("{i} {body}")), &new_record_id())
                    .unwrap()
            })
            .collect()
    }

    fn flip(path: &Path, at: u64, n: usize) {
        let mut data = std::fs::read(path).unwrap();
        for b in &mut data[at as usize..at as usize + n] {
            *b ^= 0xff;
        }
        std::fs::write(path, data).unwrap();
    }

    #[test]
    fn scanning_resynchronises_after_a_damaged_member() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.warc.gz");
        let all = ten_records(&path);
        for (n, at) in [
            (6, all[2].length / 2),
            (3, 0),
            (4, 9),
            (2, all[2].length - 6),
        ] {
            let path = dir.path().join(format!("t{n}-{at}.warc.gz"));
            std::fs::copy(dir.path().join("t.warc.gz"), &path).unwrap();
            // Header, deflate data, trailer: each damaged in turn.
            flip(&path, all[2].offset + at, n);
            let scanned = scan(&path).unwrap();
            let mut others = all.clone();
            others.remove(2);
            assert_eq!(records(&scanned), others, "damage at +{at}");
            assert_eq!(
                damaged(&scanned),
                [(all[2].offset, all[2].offset + all[2].length)],
                "damage at +{at}"
            );
            assert_eq!(scanned.tail, None);
        }
    }

    #[test]
    fn a_corrupt_last_member_is_damage_and_a_cut_one_a_truncated_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.warc.gz");
        let all = ten_records(&path);
        let last = all[9];
        let pristine = std::fs::read(&path).unwrap();
        flip(&path, last.offset + last.length / 2, 6);
        let scanned = scan(&path).unwrap();
        assert_eq!(records(&scanned), all[..9]);
        assert_eq!(
            damaged(&scanned),
            [(last.offset, last.offset + last.length)]
        );
        assert_eq!(scanned.tail, None, "a whole member is not a cut write");
        // Cut anywhere inside its member, the last record is a truncated tail.
        for cut in [1, 5, 10, 11, last.length / 2, last.length - 1] {
            std::fs::write(&path, &pristine[..(last.offset + cut) as usize]).unwrap();
            let scanned = scan(&path).unwrap();
            assert_eq!(records(&scanned), all[..9], "cut at +{cut}");
            assert!(damaged(&scanned).is_empty(), "cut at +{cut}");
            assert_eq!(scanned.tail, Some(last.offset), "cut at +{cut}");
        }
        // Damage in the middle and a cut tail: each is what it is.
        std::fs::write(&path, &pristine[..(last.offset + 40) as usize]).unwrap();
        flip(&path, all[4].offset + 100, 6);
        let scanned = scan(&path).unwrap();
        assert_eq!(records(&scanned).len(), 8);
        assert_eq!(
            damaged(&scanned),
            [(all[4].offset, all[4].offset + all[4].length)]
        );
        assert_eq!(scanned.tail, Some(last.offset));
    }

    #[test]
    fn record_ids_are_uuids() {
        let id = new_record_id();
        assert!(
            id.starts_with("<urn:uuid:") && id.ends_with('>') && id.len() == 47,
            "{id}"
        );
        assert_ne!(id, new_record_id());
    }
}

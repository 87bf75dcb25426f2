//! Stage 1: documents → items → citations.
//!
//! Each input format is read into the same line form (`extract::lines`), and one
//! set of rules (`extract::structure`) finds items and citations in it, so a
//! "Source:" line means the same thing in text, Markdown and HTML.

mod cite;
mod decode;
mod html;
mod lines;
mod markdown;
mod structure;
mod text;
pub mod urls;

/// What counts as a void or block element and as page chrome: one
/// definition for the extractor and for reading checked pages
/// (`check::page`), so both skip the same share bars and sidebars.
pub(crate) use html::{
    attr, has_main_content, is_block, is_chrome_token, tokenize, CHROME_ROLES, CHROME_TAGS, VOID,
};
/// Whitespace folded as headlines are: one definition for titles read by
/// `verify`, pages read by `check` and search words.
pub(crate) use lines::fold_whitespace;

pub use decode::DecodeError;

/// Decodes bytes as `extract` does (BOM, UTF-8, meta charset, detection),
/// falling back to lossy UTF-8 for binary or broken input.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    match decode::decode(bytes) {
        Ok((text, _)) => text.into_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The visible lines of an HTML page (text, whether it is a heading) and
/// its `<title>`: the reference `check::page`'s streaming reader is tested
/// against.
#[cfg(test)]
pub(crate) fn read_html_outline(text: &str) -> (Vec<(String, bool)>, Option<String>) {
    let (lines, title) = html::read(text);
    let outline = lines
        .into_iter()
        .filter(|l| !l.is_blank())
        .map(|l| {
            let heading = l.kind == lines::LineKind::Heading;
            (l.text.into_owned(), heading)
        })
        .collect();
    (outline, title)
}

use crate::model::{Document, Format};
use crate::outlets::OutletRegistry;
use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

/// Why one input could not be extracted. Other inputs are still processed.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The input could not be read (or a directory could not be walked).
    #[error("{path}: {source}")]
    Io {
        /// The input, as reports name it.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The bytes are not text in any encoding citevault reads.
    #[error("{path}: {source}")]
    Decode {
        /// The input, as reports name it.
        path: String,
        /// Why decoding failed.
        source: DecodeError,
    },
    /// A path given on the command line does not exist.
    #[error("{path}: no such file or directory")]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// The input is not a regular file (a FIFO, a device, a socket): it
    /// could block forever or never end, so it is not read.
    #[error("{path}: {}", not_regular(kind))]
    NotRegular {
        /// The input, as reports name it.
        path: String,
        /// What it is instead ("a FIFO", "a character device").
        kind: &'static str,
    },
    /// The input is larger than the per-document cap.
    #[error("{path}: {}", too_large(*.limit))]
    TooLarge {
        /// The input, as reports name it.
        path: String,
        /// The cap, in bytes.
        limit: u64,
    },
}

fn too_large(limit: u64) -> String {
    format!(
        "larger than the limit of {} per document (--max-document-size, max_document_size in citevault.toml)",
        format_size(limit)
    )
}

fn not_regular(kind: &'static str) -> String {
    format!("not a regular file ({kind}); only files, directories and - (standard input) are read")
}

/// A byte count for people: `64 MiB`, `1.5 KiB`, `100 bytes`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            return if bytes.is_multiple_of(unit) {
                format!("{} {name}", bytes / unit)
            } else {
                // Display only: the precision lost in the cast does not matter.
                format!("{:.1} {name}", bytes as f64 / unit as f64)
            };
        }
    }
    format!("{bytes} bytes")
}

/// Parses a size as written on the command line or in `citevault.toml`:
/// a number of bytes, or a number with a unit (`64MiB`, `500k`, `2 GB`;
/// `k`/`KB` = 1000, `KiB` = 1024, likewise M and G).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let factor: u64 = match unit.as_str() {
        "" | "b" | "byte" | "bytes" => 1,
        "k" | "kb" => 1000,
        "ki" | "kib" => 1 << 10,
        "m" | "mb" => 1000 * 1000,
        "mi" | "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gi" | "gib" => 1 << 30,
        _ => return Err("unknown unit (examples: 1048576, 500k, 64MiB, 1GB)".to_string()),
    };
    let bytes = if let Ok(n) = number.parse::<u64>() {
        n.checked_mul(factor)
    } else {
        match number.parse::<f64>() {
            // Fractions of a unit (`1.5MiB`); rounding to a byte is fine.
            Ok(x) if x.is_finite() && x >= 0.0 && x * (factor as f64) < u64::MAX as f64 => {
                Some((x * factor as f64) as u64)
            }
            _ => return Err("not a size (examples: 1048576, 500k, 64MiB, 1GB)".to_string()),
        }
    };
    match bytes {
        Some(0) => Err("must be at least 1 byte".to_string()),
        Some(n) => Ok(n),
        None => Err("too large".to_string()),
    }
}

/// The per-document cap when none is configured: 64 MiB.
pub const DEFAULT_MAX_DOCUMENT_SIZE: u64 = 64 << 20;

/// What kind of non-regular file `t` is, for messages.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// How reading a file with [`read_regular_file`] can fail.
#[derive(Debug)]
pub(crate) enum ReadFileError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// Not a regular file; what it is instead.
    NotRegular(&'static str),
    /// More than the cap.
    TooLarge,
}

/// Reads a regular file of at most `cap` bytes. A FIFO, a device or a
/// socket is refused before it is opened (opening a FIFO blocks), and no
/// more than `cap + 1` bytes are ever read, so a file that never ends
/// cannot fill the memory.
pub(crate) fn read_regular_file(path: &Path, cap: u64) -> Result<Vec<u8>, ReadFileError> {
    let meta = std::fs::metadata(path).map_err(ReadFileError::Io)?;
    if !meta.is_file() {
        return Err(ReadFileError::NotRegular(file_kind(&meta.file_type())));
    }
    let file = std::fs::File::open(path).map_err(ReadFileError::Io)?;
    // The path may have been replaced between the two looks.
    let meta = file.metadata().map_err(ReadFileError::Io)?;
    if !meta.is_file() {
        return Err(ReadFileError::NotRegular(file_kind(&meta.file_type())));
    }
    if meta.len() > cap {
        return Err(ReadFileError::TooLarge);
    }
    read_capped(file, cap, meta.len())
}

/// Reads at most `cap + 1` bytes of `reader`; more than `cap` is an error.
fn read_capped(reader: impl Read, cap: u64, hint: u64) -> Result<Vec<u8>, ReadFileError> {
    let mut bytes = Vec::with_capacity(usize::try_from(hint.min(cap)).unwrap_or(0));
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadFileError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadFileError::TooLarge);
    }
    Ok(bytes)
}

impl ExtractError {
    /// The input the error is about.
    pub fn path(&self) -> &str {
        match self {
            ExtractError::Io { path, .. }
            | ExtractError::Decode { path, .. }
            | ExtractError::NotFound { path }
            | ExtractError::NotRegular { path, .. }
            | ExtractError::TooLarge { path, .. } => path,
        }
    }

    /// The problem, without the path.
    pub fn problem(&self) -> String {
        match self {
            ExtractError::Io { source, .. } => source.to_string(),
            ExtractError::Decode { source, .. } => source.to_string(),
            ExtractError::NotFound { .. } => "no such file or directory".to_string(),
            ExtractError::NotRegular { kind, .. } => not_regular(kind),
            ExtractError::TooLarge { limit, .. } => too_large(*limit),
        }
    }
}

/// One thing to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-` on the command line), read to its end.
    Stdin,
    /// A file, read whatever its extension.
    File(PathBuf),
}

impl Input {
    /// The name reports use for this input.
    pub fn source_name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// File extensions read when walking a directory.
pub const DOCUMENT_EXTENSIONS: [&str; 5] = ["txt", "md", "markdown", "html", "htm"];

/// Expands command-line paths into inputs: `-` is stdin, directories are
/// walked recursively for document files (sorted, so output is stable),
/// files are taken as given whatever their extension. A path that is not a
/// regular file (a FIFO, `/dev/zero`) is an error for that path alone.
pub fn expand_inputs(paths: &[PathBuf]) -> impl Iterator<Item = Result<Input, ExtractError>> + '_ {
    paths.iter().flat_map(
        |p| -> Box<dyn Iterator<Item = Result<Input, ExtractError>>> {
            if p.as_os_str() == "-" {
                return Box::new(std::iter::once(Ok(Input::Stdin)));
            }
            if p.is_dir() {
                let walk = walkdir::WalkDir::new(p)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(|entry| match entry {
                        Ok(e) if e.file_type().is_file() && has_document_extension(e.path()) => {
                            Some(Ok(Input::File(e.into_path())))
                        }
                        Ok(_) => None,
                        Err(err) => Some(Err(ExtractError::Io {
                            path: err.path().map_or_else(
                                || p.display().to_string(),
                                |x| x.display().to_string(),
                            ),
                            source: err
                                .into_io_error()
                                .unwrap_or_else(|| std::io::Error::other("directory loop")),
                        })),
                    });
                return Box::new(walk);
            }
            let path = p.display().to_string();
            let one = match std::fs::metadata(p) {
                Ok(meta) if meta.is_file() => Ok(Input::File(p.clone())),
                Ok(meta) => Err(ExtractError::NotRegular {
                    path,
                    kind: file_kind(&meta.file_type()),
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(ExtractError::NotFound { path })
                }
                Err(source) => Err(ExtractError::Io { path, source }),
            };
            Box::new(std::iter::once(one))
        },
    )
}

fn has_document_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        DOCUMENT_EXTENSIONS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(e))
    })
}

/// Format implied by a file name, if any.
pub fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        _ => None,
    }
}

/// Chooses the format from the extension, corrected by the content: a file
/// that is clearly an HTML page is HTML whatever its name, and a ".html"
/// file without a single tag is not.
pub fn detect_format(path: Option<&Path>, text: &str) -> Format {
    let head = head_chars(text, 4096).to_ascii_lowercase();
    // Every sign of HTML below is a tag: text without `<` has none.
    let any_tag = memchr::memchr(b'<', head.as_bytes()).is_some();
    let trimmed = head.trim_start();
    let html_page = any_tag
        && (trimmed.starts_with("<!doctype html")
            || trimmed.starts_with("<html")
            || trimmed.starts_with("<?xml") && head.contains("<html")
            || head.contains("<body")
            || head.contains("<head>"));
    if html_page {
        return Format::Html;
    }
    let has_tags = any_tag
        && [
            "<p>", "<p ", "<div", "<a href", "<br", "<li>", "<h1", "<h2", "<span",
        ]
        .iter()
        .any(|t| head.contains(t));
    match path.and_then(format_from_extension) {
        Some(Format::Html) if !has_tags => sniff_text_or_markdown(text),
        Some(f) => f,
        None if has_tags => Format::Html,
        None => sniff_text_or_markdown(text),
    }
}

/// The first `n` characters of `text` (all of it if shorter), not copied.
fn head_chars(text: &str, n: usize) -> &str {
    let prefix = &text.as_bytes()[..text.len().min(n)];
    if prefix.is_ascii() {
        return &text[..prefix.len()];
    }
    text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i])
}

fn sniff_text_or_markdown(text: &str) -> Format {
    let head = head_chars(text, 16 * 1024);
    let heading = head.lines().any(|l| {
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        (1..=6).contains(&hashes) && l.as_bytes().get(hashes) == Some(&b' ')
    });
    let links = head.matches("](http").count() + head.matches("]: http").count();
    let fence = head.contains("\n```") || head.starts_with("```");
    if links >= 1 || (heading && fence) || (heading && head.contains("**")) {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Turns documents into items and citations. Cheap to share; holds only the
/// outlet list and options.
#[derive(Debug, Clone)]
pub struct Extractor {
    outlets: OutletRegistry,
    input_format: Option<Format>,
    max_document_size: u64,
    /// Worker threads for [`Extractor::extract_all`]; 0: one per core.
    threads: usize,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor {
            outlets: OutletRegistry::default(),
            input_format: None,
            max_document_size: DEFAULT_MAX_DOCUMENT_SIZE,
            threads: 0,
        }
    }
}

impl Extractor {
    /// An extractor with the built-in outlet list and format detection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this outlet list for `outlet_id`.
    pub fn outlets(mut self, outlets: OutletRegistry) -> Self {
        self.outlets = outlets;
        self
    }

    /// The outlet list in use.
    pub fn outlet_registry(&self) -> &OutletRegistry {
        &self.outlets
    }

    /// Reads every input as this format instead of detecting it.
    pub fn input_format(mut self, format: Option<Format>) -> Self {
        self.input_format = format;
        self
    }

    /// Refuses an input larger than `bytes` ([`ExtractError::TooLarge`]);
    /// no more than `bytes + 1` bytes of it are read. Default:
    /// [`DEFAULT_MAX_DOCUMENT_SIZE`]. At least 1.
    pub fn max_document_size(mut self, bytes: u64) -> Self {
        self.max_document_size = bytes.max(1);
        self
    }

    /// How many documents [`Extractor::extract_all`] reads and extracts at
    /// once: 0 (the default) for one per available core, at most
    /// [`MAX_DEFAULT_THREADS`]; 1 for none in parallel.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The number of threads [`Extractor::extract_all`] extracts on: the
    /// calling thread and one fewer workers.
    pub fn thread_count(&self) -> usize {
        if self.threads > 0 {
            return self.threads;
        }
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, MAX_DEFAULT_THREADS)
    }

    /// Reads and extracts every input, several at once (see
    /// [`Extractor::threads`]), and yields the results in input order: an
    /// input that cannot be read or decoded, or an error of
    /// [`expand_inputs`], keeps its place. The same documents as
    /// [`Extractor::extract_input`] on each input in turn; memory stays
    /// bounded by a few documents (see [`ExtractAll`]).
    ///
    /// ```
    /// use citevault::extract::{Extractor, Input};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.md"));
    /// # std::fs::write(&a, "Title\n\nSource: https://a.example/x\n").unwrap();
    /// # std::fs::write(&b, "# Title\n\n[x](https://b.example/y)\n").unwrap();
    /// let inputs = [Input::File(a.clone()), Input::File(b.clone())].map(Ok);
    /// let docs: Vec<_> = Extractor::new().extract_all(inputs).collect();
    /// assert_eq!(docs[0].as_ref().unwrap().source, a.display().to_string());
    /// assert_eq!(docs[1].as_ref().unwrap().source, b.display().to_string());
    /// ```
    pub fn extract_all<I>(&self, inputs: I) -> ExtractAll<I::IntoIter>
    where
        I: IntoIterator<Item = Result<Input, ExtractError>>,
    {
        ExtractAll::new(self, inputs.into_iter())
    }

    /// Extracts from already decoded text in a known format.
    pub fn extract_str(&self, source: &str, format: Format, text: &str) -> Document {
        let (mut lines, markup_title) = match format {
            Format::Text => (text::read(text), None),
            Format::Markdown => (markdown::read(text), None),
            Format::Html => html::read(text),
        };
        if lines::has_archived_copies(&lines) {
            lines.iter_mut().for_each(lines::drop_archived_copies);
        }
        structure::build(
            source.to_string(),
            format,
            &lines,
            &self.outlets,
            markup_title,
        )
    }

    /// Extracts from raw bytes: decodes them and picks the format (the
    /// configured one, else from `path`'s extension and the content).
    pub fn extract_bytes(
        &self,
        source: &str,
        path: Option<&Path>,
        bytes: &[u8],
    ) -> Result<Document, ExtractError> {
        let (text, _) = decode::decode(bytes).map_err(|e| ExtractError::Decode {
            path: source.to_string(),
            source: e,
        })?;
        let format = self
            .input_format
            .unwrap_or_else(|| detect_format(path, &text));
        Ok(self.extract_str(source, format, &text))
    }

    /// Reads and extracts one input: a regular file or standard input, of
    /// at most the configured size.
    pub fn extract_input(&self, input: &Input) -> Result<Document, ExtractError> {
        let source = input.source_name();
        let cap = self.max_document_size;
        let (bytes, path) = match input {
            Input::Stdin => (read_capped(std::io::stdin().lock(), cap, 0), None),
            Input::File(path) => (read_regular_file(path, cap), Some(path.as_path())),
        };
        let bytes = bytes.map_err(|e| match e {
            ReadFileError::Io(e) => ExtractError::Io {
                path: source.clone(),
                source: e,
            },
            ReadFileError::NotRegular(kind) => ExtractError::NotRegular {
                path: source.clone(),
                kind,
            },
            ReadFileError::TooLarge => ExtractError::TooLarge {
                path: source.clone(),
                limit: cap,
            },
        })?;
        self.extract_bytes(&source, path, &bytes)
    }
}

/// How many documents [`Extractor::extract_all`] reads at once when no
/// count is configured: one per available core, at most this many.
pub const MAX_DEFAULT_THREADS: usize = 8;

/// Documents larger than this are extracted on the thread that iterates
/// [`Extractor::extract_all`], one at a time (see [`ExtractAll`]): 1 MiB.
pub const PARALLEL_MAX_DOCUMENT_SIZE: u64 = 1 << 20;

/// How many more small documents may be in flight per MiB of a large one
/// being extracted on the calling thread. Measured on 50 MB corpora with an
/// 8 MiB document: one per MiB left a worker idle for most of the large
/// one; three cost 1.5–2 MB of peak memory and saved 5–10% of the wall time
/// on Markdown and HTML; four saved no more.
const EXTRA_PER_MIB: usize = 3;

/// What a worker sends back: the extraction's result, or the payload of
/// a panic (re-raised on the thread that iterates, as if extraction had
/// run there).
type WorkerOutcome = std::thread::Result<Result<Document, ExtractError>>;

/// A document of [`ExtractAll`] between being taken from the inputs and
/// being returned.
enum Slot {
    /// With a worker.
    Working,
    /// Extracted (or failed), waiting for the documents before it.
    Done(Result<Document, ExtractError>),
    /// A large document (or standard input), extracted by the thread that
    /// iterates when its turn comes.
    Large(Input),
}

/// The documents of [`Extractor::extract_all`], in input order.
///
/// Inputs are read and extracted by [`Extractor::thread_count`] threads:
/// the thread that iterates and a pool of one fewer workers. The thread that
/// iterates expands the inputs, puts finished documents back in order,
/// extracts the large ones (below) and, rather than wait for a worker, the
/// documents still queued for them, so there are never more threads at
/// work than were asked for (on two cores, a third thread slowed the large
/// document everything waits for). At most twice as many documents as
/// there are threads are in flight (being read, extracted, or finished and
/// waiting for an earlier one or for the caller to take it), so memory
/// stays bounded by a few documents whatever the number of inputs.
///
/// A document larger than [`PARALLEL_MAX_DOCUMENT_SIZE`], and standard
/// input, are extracted on the calling thread when their turn comes, one
/// at a time (a second one is not even read before the first has been
/// taken), so the peak memory is that of extracting the largest document,
/// as when documents are extracted one after the other — and always in the
/// same allocator arena: a large document on a worker would leave its
/// pages to that worker's arena, and the next large one on another worker
/// would add its own. Meanwhile the workers go on with the documents after
/// it: while a large document waits or is extracted, three more small
/// documents per MiB of it (`EXTRA_PER_MIB`) may be in flight, so the
/// workers have about as much to do as the calling thread (a large
/// document costs more per byte than small ones: its memory is all fresh
/// pages). With one thread, each input is read
/// and extracted only when the iterator is advanced, exactly as calling
/// [`Extractor::extract_input`] in a loop.
///
/// Dropping the iterator early is fine: queued inputs are discarded and the
/// workers exit after the document in hand.
pub struct ExtractAll<I: Iterator> {
    inputs: std::iter::Fuse<I>,
    extractor: Arc<Extractor>,
    /// Worker threads to use (1: no worker, extract on the caller's thread).
    threads: usize,
    /// Most documents in flight, a large one waiting aside.
    window: usize,
    /// More documents allowed in flight while a large one waits.
    extra: usize,
    /// Index of the document `next` returns next.
    next_out: usize,
    /// Documents `next_out..`, in input order.
    pending: VecDeque<Slot>,
    /// A large input, taken but held back until the large one before it
    /// has been taken.
    held: Option<Input>,
    /// Jobs handed to workers whose results have not come back.
    busy: usize,
    jobs: Option<mpsc::Sender<(usize, Input)>>,
    job_queue: Arc<Mutex<mpsc::Receiver<(usize, Input)>>>,
    results_tx: mpsc::Sender<(usize, WorkerOutcome)>,
    results: mpsc::Receiver<(usize, WorkerOutcome)>,
    workers: usize,
}

/// Whether `input` is extracted on the calling thread, and if so its size
/// (0 for standard input, whose size is not known): standard input and
/// files larger than [`PARALLEL_MAX_DOCUMENT_SIZE`]. A file that cannot be
/// looked at is not (a worker reports its error).
fn extracted_alone(input: &Input) -> Option<u64> {
    match input {
        Input::Stdin => Some(0),
        Input::File(path) => std::fs::metadata(path)
            .ok()
            .map(|m| m.len())
            .filter(|&len| len > PARALLEL_MAX_DOCUMENT_SIZE),
    }
}

impl<I: Iterator> std::fmt::Debug for ExtractAll<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtractAll")
            .field("threads", &self.threads)
            .field("window", &self.window)
            .field("next_out", &self.next_out)
            .field("in_flight", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl<I> ExtractAll<I>
where
    I: Iterator<Item = Result<Input, ExtractError>>,
{
    fn new(extractor: &Extractor, inputs: I) -> Self {
        let threads = extractor.thread_count();
        let (jobs, job_queue) = mpsc::channel();
        let (results_tx, results) = mpsc::channel();
        ExtractAll {
            inputs: inputs.fuse(),
            extractor: Arc::new(extractor.clone()),
            threads,
            window: if threads == 1 { 1 } else { 2 * threads },
            extra: 0,
            next_out: 0,
            pending: VecDeque::new(),
            held: None,
            busy: 0,
            jobs: Some(jobs),
            job_queue: Arc::new(Mutex::new(job_queue)),
            results_tx,
            results,
            workers: 0,
        }
    }

    /// Whether a large document is waiting in `pending`.
    fn large_waiting(&self) -> bool {
        self.pending.iter().any(|s| matches!(s, Slot::Large(_)))
    }

    /// Takes inputs until the window is full: errors of expansion take
    /// their place at once, small documents go to the workers, a large one
    /// waits for its turn (unless another large one is waiting: then it is
    /// held back, and nothing after it is taken).
    fn fill(&mut self) {
        while self.pending.len() < self.window + self.extra {
            let input = match self.held.take() {
                Some(held) => held,
                None => match self.inputs.next() {
                    None => return,
                    Some(Err(e)) => {
                        self.pending.push_back(Slot::Done(Err(e)));
                        continue;
                    }
                    Some(Ok(input)) => input,
                },
            };
            if self.threads == 1 {
                let done = self.extractor.extract_input(&input);
                self.pending.push_back(Slot::Done(done));
                // Nothing more until the caller has taken it.
                return;
            }
            if let Some(size) = extracted_alone(&input) {
                if self.large_waiting() {
                    self.held = Some(input);
                    return;
                }
                let mib = usize::try_from(size / PARALLEL_MAX_DOCUMENT_SIZE).unwrap_or(0);
                self.extra = mib.saturating_mul(EXTRA_PER_MIB).min(192);
                self.pending.push_back(Slot::Large(input));
                continue;
            }
            let index = self.next_out + self.pending.len();
            self.pending.push_back(Slot::Working);
            self.dispatch(index, input);
        }
    }

    /// Hands one input to the workers, starting one more if all are busy.
    fn dispatch(&mut self, index: usize, input: Input) {
        // The calling thread is one of the `threads`: one worker fewer.
        if self.busy >= self.workers && self.workers + 1 < self.threads && !self.spawn_worker() {
            // No more threads to be had: make do with those running, or
            // extract here.
            self.threads = self.workers + 1;
            if self.workers == 0 {
                let done = self.extractor.extract_input(&input);
                self.pending[index - self.next_out] = Slot::Done(done);
                return;
            }
        }
        self.busy += 1;
        if let Some(jobs) = &self.jobs {
            // The receiver lives in `self.job_queue`: sending cannot fail.
            let _ = jobs.send((index, input));
        }
    }

    /// Starts one more worker; false if the system has no thread to give.
    fn spawn_worker(&mut self) -> bool {
        let queue = Arc::clone(&self.job_queue);
        let results = self.results_tx.clone();
        let extractor = Arc::clone(&self.extractor);
        let spawned = std::thread::Builder::new()
            .name("citevault-extract".to_string())
            .spawn(move || loop {
                // The lock is held only to take a job, never while working.
                let job = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                let Ok((index, input)) = job else {
                    return;
                };
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    extractor.extract_input(&input)
                }));
                if results.send((index, outcome)).is_err() {
                    return;
                }
            });
        if spawned.is_ok() {
            self.workers += 1;
        }
        spawned.is_ok()
    }

    /// A job still in the queue, taken back to be done on the calling
    /// thread; none when the queue is empty (a worker waiting for a job
    /// holds the queue's lock) or a worker is just taking one.
    fn take_queued(&self) -> Option<(usize, Input)> {
        self.job_queue.try_lock().ok()?.try_recv().ok()
    }

    /// Takes the first document out of `pending`.
    fn pop(&mut self) -> Option<Slot> {
        self.next_out += 1;
        self.pending.pop_front()
    }
}

impl<I> Iterator for ExtractAll<I>
where
    I: Iterator<Item = Result<Input, ExtractError>>,
{
    type Item = Result<Document, ExtractError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.fill();
            match self.pending.front() {
                None => return None,
                Some(Slot::Done(_)) => {
                    if let Some(Slot::Done(done)) = self.pop() {
                        return Some(done);
                    }
                }
                Some(Slot::Large(_)) => {
                    if let Some(Slot::Large(input)) = self.pop() {
                        let done = self.extractor.extract_input(&input);
                        self.extra = 0;
                        return Some(done);
                    }
                }
                Some(Slot::Working) => {}
            }
            // The first document is still being extracted: take a result if
            // one is in, else extract a document still queued here rather
            // than wait, else wait for a result.
            let (index, outcome) = match self.results.try_recv() {
                Ok(result) => result,
                Err(_) => match self.take_queued() {
                    Some((index, input)) => (index, Ok(self.extractor.extract_input(&input))),
                    None => self
                        .results
                        .recv()
                        .expect("every job is answered while the iterator holds a sender"),
                },
            };
            self.busy -= 1;
            match outcome {
                Ok(done) => self.pending[index - self.next_out] = Slot::Done(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (lo, hi) = self.inputs.size_hint();
        let n = self.pending.len() + usize::from(self.held.is_some());
        (lo.saturating_add(n), hi.and_then(|h| h.checked_add(n)))
    }
}

impl<I: Iterator> Drop for ExtractAll<I> {
    fn drop(&mut self) {
        // Discard queued jobs so workers stop after the document in hand.
        // The sender goes first: a worker waiting for a job holds the queue's
        // lock until it gets one or the channel closes.
        self.jobs = None;
        if let Ok(queue) = self.job_queue.lock() {
            while queue.try_recv().is_ok() {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_counted_in_characters() {
        for text in ["", "ab", "abcdef", "aé中\u{1F600}bc", "中文字"] {
            for n in 0..8 {
                let want: String = text.chars().take(n).collect();
                assert_eq!(head_chars(text, n), want, "{text:?} {n}");
            }
        }
    }

    #[test]
    fn format_detection() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(detect_format(Some(&p("a.txt")), "hello"), Format::Text);
        assert_eq!(detect_format(Some(&p("a.md")), "hello"), Format::Markdown);
        assert_eq!(
            detect_format(Some(&p("a.txt")), "<!DOCTYPE html><p>x</p>"),
            Format::Html
        );
        assert_eq!(detect_format(Some(&p("a.html")), "just text"), Format::Text);
        assert_eq!(
            detect_format(None, "see [x](https://a.example)"),
            Format::Markdown
        );
        assert_eq!(
            detect_format(None, "<p>see <a href=x>x</a></p>"),
            Format::Html
        );
        assert_eq!(
            detect_format(None, "Source: X\nhttps://a.example"),
            Format::Text
        );
    }
}

//! A whole run, as a library user or the command line starts it:
//! documents are extracted, every cited URL checked once, what was fetched
//! archived, and each document comes back annotated (every citation with
//! its verdict and archived copy), followed by the [`Outcome`] a CI job
//! acts on. `report` renders the archive through the same annotation
//! ([`report`]), so both tell the same story.
//!
//! ```
//! use citevault::model::CheckStatus;
//! use citevault::run::{Run, RunEvent, Verdict};
//! use futures_util::StreamExt;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("citevault-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(
//!     dir.join("digest.txt"),
//!     "China Weighs New Export Curbs\n\n\
//!      Beijing is weighing new export controls on rare earths.\n\n\
//!      Source: RFA, November 7, 2023\n\n\
//!      Talks Resume in Geneva\n\n\
//!      Negotiators met again this week.\n\n\
//!      Source: https://www.example.com/talks.html\n",
//! )?;
//! let options = citevault::check::CheckOptions {
//!     // No network in this example: the one URL is excluded (`skipped`).
//!     exclude: vec![regex::Regex::new("example\\.com")?],
//!     ..Default::default()
//! };
//! let runtime = tokio::runtime::Runtime::new()?;
//! let (docs, outcome) = runtime.block_on(async {
//!     let mut run = Run::builder()
//!         .input(dir.join("digest.txt"))
//!         .check_options(options)
//!         .fail_on([CheckStatus::Dead, CheckStatus::Soft404])
//!         // .archive("archive") would store every exchange as WARC.
//!         .start()?;
//!     let mut docs = Vec::new();
//!     while let Some(event) = run.next().await {
//!         if let RunEvent::Document(doc) = event {
//!             docs.push(doc);
//!         }
//!     }
//!     Ok::<_, citevault::run::RunError>((docs, run.outcome().await?))
//! })?;
//! let verdicts: Vec<CheckStatus> = docs[0]
//!     .all_citations()
//!     .map(|c| c.check.as_ref().map(|r| r.status))
//!     .collect::<Option<_>>()
//!     .expect("every citation is annotated");
//! assert_eq!(verdicts, [CheckStatus::Unlinked, CheckStatus::Skipped]);
//! assert_eq!(outcome.verdict(), Verdict::Passed);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

mod annotate;
mod packed;
mod remote;
mod verdicts;

pub use annotate::{FailOn, FailPolicy};
pub(crate) use remote::saved_copy;
pub use remote::{publicly_archivable, RemoteSettings, DEFAULT_REMOTE_MAX_AGE};

use crate::archive::{Archive, ArchiveError, RecordedDocument, RunRecord, Selection, WarcInfo};
use crate::check::{CheckError, CheckOptions, Checker};
use crate::extract::{expand_inputs, Extractor};
use crate::model::{CheckStatus, Document, Timestamp};
use crate::overrides::{Override, Overrides};
use annotate::{Annotation, Annotator, RunAnnotator};
use futures_util::{Stream, StreamExt};
use packed::PackedDocs;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use verdicts::Verdicts;

/// Why a run could not be carried out at all (a document that cannot be
/// read, or an archive that fails midway, do not stop a run: they are
/// [`RunEvent`]s and counted in the [`Outcome`]).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The archive could not be opened or read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The HTTP client could not be built (an invalid proxy, say).
    #[error(transparent)]
    Check(#[from] CheckError),
    /// A report could not be written.
    #[error("cannot write the report: {0}")]
    Output(#[from] std::io::Error),
    /// The run's task ended abnormally.
    #[error("the run stopped unexpectedly: {0}")]
    Aborted(String),
}

/// What a run reports while it goes.
#[derive(Debug)]
pub enum RunEvent {
    /// Documents are extracted; this many unique URLs will be checked.
    Checking {
        /// Unique URLs to check.
        urls: usize,
    },
    /// One URL was checked (and archived).
    Checked {
        /// The URL as cited.
        url: String,
        /// Its verdict.
        status: CheckStatus,
    },
    /// A document, every citation annotated with its verdict and archived copy.
    Document(Box<Document>),
    /// An input that could not be read; the run goes on without it.
    InputError {
        /// The input as named.
        source: String,
        /// What was wrong with it.
        problem: String,
    },
    /// Archiving stopped (a full disk, say); what was stored stays stored
    /// and checking goes on.
    ArchiveStopped(String),
    /// Something the user should know that changes no verdict.
    Notice(String),
}

/// The result of a run: what a CI job decides on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Citations per status.
    pub statuses: BTreeMap<CheckStatus, usize>,
    /// Citations that fail the run: a `fail_on` status, confirmed over
    /// `fail_after` checks.
    pub failing: usize,
    /// Inputs that could not be read.
    pub input_errors: usize,
    /// Why archiving stopped, when it did.
    pub archive_error: Option<String>,
    /// Why no verdict could be reached for some URLs (the network or DNS
    /// was unusable, a local resource ran out): their citations say
    /// `not_checked`, and the run is an error, never a list of dead links.
    pub environment_error: Option<String>,
    /// Citations whose status an override gave (counted in `statuses`
    /// under that status).
    pub overridden: usize,
}

/// How a run ended, in the order of precedence exit codes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every citation passed.
    Passed,
    /// Some citation fails the run.
    Failing,
    /// An input could not be read or archiving failed.
    Errors,
}

impl Outcome {
    /// Errors win over failing citations.
    pub fn verdict(&self) -> Verdict {
        if self.input_errors > 0 || self.archive_error.is_some() || self.environment_error.is_some()
        {
            Verdict::Errors
        } else if self.failing > 0 {
            Verdict::Failing
        } else {
            Verdict::Passed
        }
    }

    /// Counts an annotated (and verified) document of a run.
    fn add_document(&mut self, doc: &Document, fail: &FailPolicy) {
        self.failing += annotate::failing_by_findings(doc, fail);
        self.count(doc);
    }

    fn count(&mut self, doc: &Document) {
        for c in doc.all_citations() {
            if let Some(r) = &c.check {
                *self.statuses.entry(r.status).or_default() += 1;
                self.overridden += usize::from(r.overridden.is_some());
            }
        }
    }
}

/// Configures a [`Run`].
#[derive(Debug, Default)]
pub struct RunBuilder {
    inputs: Vec<PathBuf>,
    extractor: Extractor,
    check: CheckOptions,
    archive: Option<PathBuf>,
    warc_info: WarcInfo,
    fail: FailPolicy,
    never_read: Vec<PathBuf>,
    overrides: Vec<Override>,
    remote: RemoteSettings,
    verify: Option<crate::verify::VerifyOptions>,
}

impl RunBuilder {
    /// A document, a folder of documents, or `-` for standard input.
    pub fn input(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(path.into());
        self
    }

    /// Several inputs.
    pub fn inputs(mut self, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        self.inputs.extend(paths);
        self
    }

    /// How documents are read (outlets, input format).
    pub fn extractor(mut self, extractor: Extractor) -> Self {
        self.extractor = extractor;
        self
    }

    /// What the `warcinfo` record opening each WARC file says (collection,
    /// operator, user agent).
    pub fn warc_info(mut self, info: WarcInfo) -> Self {
        self.warc_info = info;
        self
    }

    /// How URLs are checked.
    pub fn check_options(mut self, options: CheckOptions) -> Self {
        self.check = options;
        self
    }

    /// Archive what is fetched in this folder (none by default).
    pub fn archive(mut self, dir: impl Into<PathBuf>) -> Self {
        self.archive = Some(dir.into());
        self
    }

    /// Statuses that fail the run (default `dead`, `soft-404`).
    pub fn fail_on(mut self, statuses: impl IntoIterator<Item = CheckStatus>) -> Self {
        self.fail.fail_on = statuses.into_iter().collect();
        self
    }

    /// The whole failure policy at once: statuses, findings, `fail_after`.
    pub fn fail_policy(mut self, policy: FailPolicy) -> Self {
        self.fail = policy;
        self.fail.fail_after = self.fail.fail_after.max(1);
        self
    }

    /// Only fail for a citation that failed each of its last `n` checks
    /// recorded in the archive (this one included).
    pub fn fail_after(mut self, n: u32) -> Self {
        self.fail.fail_after = n.max(1);
        self
    }

    /// Overrides for false positives (`[[override]]` of `citevault.toml`):
    /// applied to the checker's verdicts before they are archived and
    /// reported, with the marks recorded in the archive (a mark wins over
    /// an override of the same URL or prefix).
    pub fn overrides(mut self, overrides: impl IntoIterator<Item = Override>) -> Self {
        self.overrides.extend(overrides);
        self
    }

    /// Ask the public archives (the Wayback Machine, Memento archives)
    /// for the capture closest to the cited date of every citation that
    /// fails the run (none are asked by default).
    pub fn remote(mut self, options: crate::remote::RemoteOptions) -> Self {
        self.remote.options = Some(options);
        self
    }

    /// Verify every citation after checking (outlet, dates, title, drift
    /// from the first archived snapshot): findings on each citation, and
    /// the run fails on those in the policy's `fail_on_findings`.
    pub fn verify(mut self, options: crate::verify::VerifyOptions) -> Self {
        self.verify = Some(options);
        self
    }

    /// Reuse the archives' answers stored in the archive for this long
    /// (default 30 days) instead of asking again.
    pub fn remote_max_age(mut self, age: std::time::Duration) -> Self {
        self.remote.max_age = Some(age);
        self
    }

    /// Submit alive sources to Save Page Now with these keys (needs
    /// [`RunBuilder::remote`]).
    pub fn save_remote(
        mut self,
        keys: crate::remote::spn::IaKeys,
        options: crate::remote::spn::SaveOptions,
    ) -> Self {
        self.remote.save = Some((keys, options));
        self
    }

    /// Files and folders never read as documents, even inside an input
    /// folder: the run's own reports and archive.
    pub fn never_read(mut self, path: impl Into<PathBuf>) -> Self {
        self.never_read.push(path.into());
        self
    }

    /// Builds the run.
    pub fn build(self) -> Run {
        Run { config: self }
    }

    /// Builds and starts the run on the current tokio runtime.
    pub fn start(self) -> Result<RunStream, RunError> {
        self.build().start()
    }
}

/// A check run: extract, check, archive, annotate.
#[derive(Debug)]
pub struct Run {
    config: RunBuilder,
}

/// The events of a started run, then its [`Outcome`].
pub struct RunStream {
    events: mpsc::Receiver<RunEvent>,
    task: tokio::task::JoinHandle<Result<Outcome, RunError>>,
}

impl Stream for RunStream {
    type Item = RunEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<RunEvent>> {
        self.events.poll_recv(cx)
    }
}

impl RunStream {
    /// Waits for the run to end (events not yet read are dropped).
    pub async fn outcome(mut self) -> Result<Outcome, RunError> {
        self.events.close();
        while self.events.recv().await.is_some() {}
        self.task
            .await
            .map_err(|e| RunError::Aborted(e.to_string()))?
    }
}

impl Run {
    /// A builder with the defaults: no inputs, no archive, fail on
    /// `dead` and `soft-404`.
    pub fn builder() -> RunBuilder {
        RunBuilder::default()
    }

    /// Starts the run on the current tokio runtime. The HTTP client and
    /// the archive are set up before this returns, so their errors come
    /// back here.
    pub fn start(self) -> Result<RunStream, RunError> {
        let cfg = self.config;
        let mut check = cfg.check.clone();
        check.keep_exchanges = cfg.archive.is_some();
        let checker = Checker::new(check)?;
        let mut archive = cfg.archive.as_deref().map(Archive::open).transpose()?;
        if let Some(a) = archive.as_mut() {
            let mut info = cfg.warc_info.clone();
            info.user_agent
                .get_or_insert_with(|| cfg.check.user_agent.clone());
            a.set_info(info);
        }
        let (tx, events) = mpsc::channel(64);
        let task = tokio::spawn(execute(cfg, checker, archive, tx));
        Ok(RunStream { events, task })
    }
}

/// The run's events, for whoever listens.
struct Events(mpsc::Sender<RunEvent>);

impl Events {
    async fn send(&self, e: RunEvent) {
        // A caller that stopped listening still gets the outcome.
        let _ = self.0.send(e).await;
    }
}

async fn execute(
    cfg: RunBuilder,
    checker: Checker,
    mut archive: Option<Archive>,
    tx: mpsc::Sender<RunEvent>,
) -> Result<Outcome, RunError> {
    let events = Events(tx);
    let mut outcome = Outcome::default();
    let (docs, mut urls, input_errors) = read_inputs(&cfg, &events).await?;
    outcome.input_errors = input_errors.len();
    let verdicts = Verdicts::for_cited(&urls);
    urls.dedup();

    let mut archiving = ArchiveWriter::new(archive.as_mut());
    let started_at = Timestamp::now();
    archiving.record(|a| a.begin_run_at(started_at).map(drop));
    record_documents(&docs, &mut archiving)?;
    // Without validators every URL is simply fetched in full.
    let conditionals = match archiving.archive().map(|a| a.conditionals(&urls)) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            events
                .send(RunEvent::Notice(format!(
                    "{e}; re-checking without conditional requests"
                )))
                .await;
            HashMap::new()
        }
        None => HashMap::new(),
    };
    let (overrides, unread) = overrides_of_run(&cfg.overrides, archiving.archive());
    if let Some(e) = unread {
        events
            .send(RunEvent::Notice(format!(
                "{e}; checking without the marks of the archive"
            )))
            .await;
    }
    let checking = Checking {
        urls,
        conditionals,
        overrides: &overrides,
        events: &events,
    };
    let verdicts = check_urls(&checker, checking, verdicts, &mut archiving).await;
    let environment_error = checker.environment_problem();
    // Checking is over: the responses kept for reuse (up to the shared
    // budget), the connection pool and the host gates go now, not at the
    // end of the run.
    drop(checker);
    let mut remote_settings = cfg.remote.clone();
    remote_settings.allow_private = cfg.check.allow_private;
    let (public, notices, trouble) = remote::ask(
        &remote_settings,
        &docs,
        &verdicts,
        &cfg.fail.fail_on,
        archiving.archive_mut(),
    )
    .await;
    for notice in notices {
        events.send(RunEvent::Notice(notice)).await;
    }
    if let Some(e) = trouble {
        events
            .send(RunEvent::Notice(format!(
                "{e}; the public archives' answers are not all cached"
            )))
            .await;
    }
    let record = RunRecord {
        fail_on: cfg.fail.fail_on.clone(),
        fail_on_findings: cfg.fail.fail_on_findings.clone(),
        fail_after: cfg.fail.fail_after,
        input_errors,
        environment_error: environment_error.clone(),
    };
    archiving.record(|a| a.finish_run(&record));
    outcome.environment_error = environment_error;
    if let Some(e) = archiving.stopped.take() {
        events.send(RunEvent::ArchiveStopped(e.clone())).await;
        outcome.archive_error = Some(e);
    }
    if archive.is_none() && cfg.fail.fail_after > 1 {
        events
            .send(RunEvent::Notice(
                "--fail-after needs the archive; failing on this run's results alone".into(),
            ))
            .await;
    }
    let annotating = RunAnnotator::new(verdicts, started_at);
    annotate_run(
        docs,
        annotating,
        &public,
        &cfg,
        archive,
        &events,
        &mut outcome,
    )
    .await?;
    Ok(outcome)
}

/// Records the run's documents in the archive, until archiving stops.
fn record_documents(docs: &PackedDocs, archiving: &mut ArchiveWriter<'_>) -> Result<(), RunError> {
    for doc in docs.iter() {
        if archiving.archive().is_none() {
            break;
        }
        let doc = doc?;
        archiving.record(|a| a.record_document(&doc));
    }
    Ok(())
}

/// What checking the URLs of a run takes beside the checker and the
/// archive.
struct Checking<'a> {
    /// The URLs, sorted and unique.
    urls: Vec<String>,
    /// Validators from earlier snapshots.
    conditionals: HashMap<String, crate::model::Conditional>,
    overrides: &'a Overrides,
    events: &'a Events,
}

/// Checks every URL, each verdict archived (overrides applied first: the
/// index records what is reported) and told as it comes, and holds the
/// verdicts in `verdicts` for the annotation.
async fn check_urls(
    checker: &Checker,
    checking: Checking<'_>,
    mut verdicts: Verdicts,
    archiving: &mut ArchiveWriter<'_>,
) -> Verdicts {
    let Checking {
        urls,
        conditionals,
        overrides,
        events,
    } = checking;
    events.send(RunEvent::Checking { urls: urls.len() }).await;
    let mut stream = Box::pin(checker.check_urls(urls, Arc::new(conditionals)));
    while let Some(mut one) = stream.next().await {
        overrides.apply(&one.url, &mut one.result);
        let check_id = archiving.store(&mut one);
        let status = one.result.status;
        verdicts.insert(&one.url, one.result, check_id);
        events
            .send(RunEvent::Checked {
                url: one.url,
                status,
            })
            .await;
    }
    verdicts.seal();
    verdicts
}

/// Reads the run's inputs: the documents (packed until checking is over),
/// the URLs they cite (sorted, each as often as cited), and the inputs
/// that could not be read, each also told as it is met.
async fn read_inputs(
    cfg: &RunBuilder,
    events: &Events,
) -> Result<(PackedDocs, Vec<String>, Vec<(String, String)>), RunError> {
    let never_read = NeverRead::new(&cfg.never_read);
    let mut docs = PackedDocs::default();
    let mut urls = Vec::new();
    let mut input_errors = Vec::new();
    let inputs: Vec<_> = expand_inputs(&cfg.inputs)
        .filter(|i| !i.as_ref().is_ok_and(|i| never_read.covers(i)))
        .collect();
    // Several documents at once, in input order (`Extractor::extract_all`).
    for doc in cfg.extractor.extract_all(inputs) {
        match doc {
            Ok(doc) => {
                urls.extend(doc.all_citations().filter_map(|c| c.url.clone()));
                docs.push(&doc)?;
            }
            Err(e) => {
                input_errors.push((e.path().to_string(), e.problem()));
                events
                    .send(RunEvent::InputError {
                        source: e.path().to_string(),
                        problem: e.problem(),
                    })
                    .await;
            }
        }
    }
    urls.sort_unstable();
    Ok((docs, urls, input_errors))
}

/// Annotates the run's documents (what was stored is read back even when
/// archiving stopped midway), verifies them when asked, and sends each.
async fn annotate_run(
    docs: PackedDocs,
    mut annotating: RunAnnotator,
    public: &remote::PublicCopies,
    cfg: &RunBuilder,
    mut archive: Option<Archive>,
    events: &Events,
    outcome: &mut Outcome,
) -> Result<(), RunError> {
    // Without verification each document goes as soon as it is annotated:
    // the run never holds every document annotated at once.
    let streaming = cfg.verify.is_none();
    let mut annotated = Vec::new();
    for doc in docs.into_docs() {
        let mut doc = doc?;
        outcome.failing += annotating.apply(&mut doc, archive.as_ref(), &cfg.fail);
        if let Some(e) = annotating.failed.take() {
            return Err(e);
        }
        public.attach(&mut doc);
        if let Some(t) = annotating.take_trouble() {
            events.send(RunEvent::Notice(t)).await;
        }
        if streaming {
            outcome.add_document(&doc, &cfg.fail);
            events.send(RunEvent::Document(Box::new(doc))).await;
        } else {
            annotated.push(doc);
        }
    }
    drop(annotating);
    if let Some(options) = &cfg.verify {
        let archived = archive.as_mut().filter(|_| outcome.archive_error.is_none());
        if let Some(notice) = verify_documents(&mut annotated, cfg, options, archived) {
            events.send(RunEvent::Notice(notice)).await;
        }
    }
    for doc in annotated {
        outcome.add_document(&doc, &cfg.fail);
        events.send(RunEvent::Document(Box::new(doc))).await;
    }
    Ok(())
}

/// Verifies the run's documents and records the findings in the archive;
/// says what went wrong, if anything (the run goes on).
fn verify_documents(
    docs: &mut [Document],
    cfg: &RunBuilder,
    options: &crate::verify::VerifyOptions,
    archive: Option<&mut Archive>,
) -> Option<String> {
    let mut trouble = None;
    {
        let verifier = crate::verify::Verifier::new(
            cfg.extractor.outlet_registry(),
            archive.as_deref(),
            options.clone(),
        );
        for doc in docs.iter_mut() {
            if let Err(e) = verifier.verify(doc) {
                trouble.get_or_insert_with(|| format!("{e}; some pages were not verified"));
            }
        }
    }
    if let Some(a) = archive {
        let stored = docs
            .iter()
            .try_for_each(|d| a.store_findings(d))
            .and_then(|()| a.commit());
        if let Err(e) = stored {
            trouble.get_or_insert_with(|| format!("{e}; the findings are not all archived"));
        }
    }
    trouble
}

/// The overrides a run applies: those it was given and the marks in force
/// in its archive. Marks that cannot be read are left out, and why is
/// returned to be reported (the run goes on, as for any archive read that
/// fails).
fn overrides_of_run(
    given: &[Override],
    archive: Option<&Archive>,
) -> (Overrides, Option<ArchiveError>) {
    let mut all = given.to_vec();
    let mut unread = None;
    match archive.map(|a| a.marks(false)) {
        Some(Ok(marks)) => all.extend(marks.iter().map(|m| m.to_override())),
        Some(Err(e)) => unread = Some(e),
        None => {}
    }
    (Overrides::new(all), unread)
}

/// Renders the archive as `check` reported it, into `writer`: the
/// documents `selection` covers, each with the verdicts its run gave and
/// the archived copies as they stood then, the inputs that run could not
/// read, and the same outcome. Without a `fail` policy, the one the last
/// run was made with applies.
pub fn report(
    archive: &Archive,
    selection: Selection,
    fail: Option<&FailPolicy>,
    writer: &mut dyn crate::report::ReportWriter,
) -> Result<Outcome, RunError> {
    let last = archive.last_run()?.map(|(_, record)| record);
    let recorded = last.as_ref().map(|r| FailPolicy {
        fail_on: r.fail_on.clone(),
        fail_on_findings: r.fail_on_findings.clone(),
        fail_after: r.fail_after.max(1),
    });
    let fail = fail
        .cloned()
        .or(recorded.filter(|p| !p.fail_on.is_empty()))
        .unwrap_or_default();
    let annotator = Annotator::new(Some(archive), &fail);
    let mut outcome = Outcome::default();
    let mut cache: HashMap<(String, Option<i64>), Option<Annotation>> = HashMap::new();
    let mut public: HashMap<Option<i64>, remote::PublicCopies> = HashMap::new();
    let mut run_starts: HashMap<i64, Option<Timestamp>> = HashMap::new();
    for RecordedDocument {
        mut document,
        run_id,
        seen_at,
    } in archive.documents(selection)?
    {
        // The time its run judged citations without a URL (documents
        // recorded before runs were: when they were recorded).
        let judged_at = match run_id {
            Some(id) => match run_starts.entry(id) {
                std::collections::hash_map::Entry::Occupied(e) => *e.get(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    *e.insert(archive.run_started_at(id)?)
                }
            },
            None => None,
        }
        .unwrap_or(seen_at);
        let mut urls: Vec<String> = document
            .all_citations()
            .filter_map(|c| c.url.clone())
            .collect();
        urls.sort_unstable();
        urls.dedup();
        for url in urls {
            let key = (url, run_id);
            if cache.contains_key(&key) {
                continue;
            }
            let annotation = match archive.check_in_run(&key.0, run_id)? {
                Some(row) => {
                    let result = archive.check_result(&row)?;
                    Some(annotator.annotate_url(&key.0, result, Some(row.id))?)
                }
                None => None,
            };
            cache.insert(key, annotation);
        }
        outcome.failing += annotate::apply(&mut document, &fail, judged_at, |url| {
            cache.get(&(url.to_string(), run_id)).cloned().flatten()
        });
        if let std::collections::hash_map::Entry::Vacant(e) = public.entry(run_id) {
            e.insert(match run_id {
                Some(id) => remote::PublicCopies::of_run(archive, id)?,
                None => remote::PublicCopies::default(),
            });
        }
        if let Some(copies) = public.get(&run_id) {
            copies.attach(&mut document);
        }
        if let Some(id) = run_id {
            let found = archive.findings_of(id, &document.source)?;
            attach_findings(&mut document, &found);
            outcome.failing += annotate::failing_by_findings(&document, &fail);
        }
        outcome.count(&document);
        writer.document(&document)?;
    }
    if let Some(record) = last {
        for (source, problem) in &record.input_errors {
            writer.error(source, problem)?;
        }
        outcome.input_errors = record.input_errors.len();
        outcome.environment_error = record.environment_error;
    }
    writer.finish()?;
    Ok(outcome)
}

/// Verifies documents against what the archive holds, fetching nothing
/// (`citevault verify --offline`): each cited URL as its last recorded
/// check left it (verdict, snapshot), then every finding the pages in the
/// archive allow. A URL never checked has no verdict and no findings
/// beyond the citation's own (unlinked). Nothing is written to the archive.
pub fn verify_offline(
    inputs: &[PathBuf],
    extractor: &Extractor,
    archive: &Archive,
    fail: &FailPolicy,
    options: crate::verify::VerifyOptions,
    writers: &mut [&mut dyn crate::report::ReportWriter],
) -> Result<Outcome, RunError> {
    let annotator = Annotator::new(Some(archive), fail);
    let verifier =
        crate::verify::Verifier::new(extractor.outlet_registry(), Some(archive), options);
    let mut outcome = Outcome::default();
    let mut known: HashMap<String, Option<Annotation>> = HashMap::new();
    for input in expand_inputs(inputs) {
        let mut doc = match input.and_then(|i| extractor.extract_input(&i)) {
            Ok(doc) => doc,
            Err(e) => {
                outcome.input_errors += 1;
                for w in writers.iter_mut() {
                    w.error(e.path(), &e.problem())?;
                }
                continue;
            }
        };
        for url in doc.all_citations().filter_map(|c| c.url.clone()) {
            if known.contains_key(&url) {
                continue;
            }
            let annotation = match archive.checks(&url)?.last() {
                Some(row) => {
                    let result = archive.check_result(row)?;
                    Some(annotator.annotate_url(&url, result, Some(row.id))?)
                }
                None => None,
            };
            known.insert(url, annotation);
        }
        // Nothing is fetched: citations without a URL are judged now.
        let now = Timestamp::now();
        outcome.failing +=
            annotate::apply(&mut doc, fail, now, |url| known.get(url).cloned().flatten());
        verifier.verify(&mut doc)?;
        outcome.failing += annotate::failing_by_findings(&doc, fail);
        outcome.count(&doc);
        for w in writers.iter_mut() {
            w.document(&doc)?;
        }
    }
    for w in writers.iter_mut() {
        w.finish()?;
    }
    Ok(outcome)
}

/// Gives each citation the findings its run recorded.
fn attach_findings(doc: &mut Document, found: &crate::archive::DocumentFindings) {
    if found.is_empty() {
        return;
    }
    for c in doc.all_citations_mut() {
        let key = (c.line, c.url.clone().unwrap_or_default());
        if let Some(f) = found.get(&key) {
            c.findings = f.clone();
        }
    }
}

/// The archive during a run: the first failure stops archiving (what is
/// stored stays stored), checking goes on.
struct ArchiveWriter<'a> {
    archive: Option<&'a mut Archive>,
    stopped: Option<String>,
}

impl<'a> ArchiveWriter<'a> {
    fn new(archive: Option<&'a mut Archive>) -> Self {
        ArchiveWriter {
            archive,
            stopped: None,
        }
    }

    fn archive(&self) -> Option<&Archive> {
        match self.stopped {
            None => self.archive.as_deref(),
            Some(_) => None,
        }
    }

    fn record<R>(&mut self, f: impl FnOnce(&mut Archive) -> Result<R, ArchiveError>) -> Option<R> {
        if self.stopped.is_some() {
            return None;
        }
        let archive = self.archive.as_deref_mut()?;
        match f(archive) {
            Ok(r) => Some(r),
            Err(e) => {
                archive.abandon();
                self.stopped = Some(format!("{e}; archiving stopped, checking continues"));
                None
            }
        }
    }

    fn archive_mut(&mut self) -> Option<&mut Archive> {
        match self.stopped {
            None => self.archive.as_deref_mut(),
            Some(_) => None,
        }
    }

    fn store(&mut self, checked: &mut crate::model::Checked) -> Option<i64> {
        self.record(|a| a.store(checked))
    }
}

/// Paths a run never reads as documents, compared by where they are.
struct NeverRead {
    places: Vec<PathBuf>,
}

impl NeverRead {
    fn new(paths: &[PathBuf]) -> Self {
        NeverRead {
            places: paths.iter().filter_map(|p| place(p)).collect(),
        }
    }

    fn covers(&self, input: &crate::extract::Input) -> bool {
        let crate::extract::Input::File(path) = input else {
            return false;
        };
        place(path).is_some_and(|p| self.places.iter().any(|n| p.starts_with(n)))
            || starts_like_a_report(path)
    }
}

fn starts_like_a_report(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 512];
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.take(512).read(&mut start).unwrap_or(0);
    crate::report::is_own_report(&start[..n])
}

/// The absolute, resolved form of a path, also for a file not yet written.
fn place(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(parent.join(path.file_name()?))
}

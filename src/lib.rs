#![warn(missing_docs)]
//! citevault keeps the sources of published writing alive.
//!
//! The pipeline runs one way: [`extract`] (documents → items → citations),
//! [`check`] (citations → results), [`archive`] (exchanges → WARC + index)
//! and [`report`] (results → formats). Types that cross stages live in
//! [`model`]. A whole run — what `citevault check` does — is a [`Run`]
//! (see [`run`] for a runnable example); [`run::report`] renders the
//! archive through the same code, which is why `check` and `report` agree.
//! The command line only turns arguments into options and picks writers.
//!
//! ```
//! use citevault::{Extractor, Format};
//!
//! let digest = "China Weighs New Export Curbs\n\n\
//!     Beijing is weighing new export controls on rare earths, officials said on Friday.\n\n\
//!     Source: RFA, November 7, 2023\n\
//!     https://www.rfa.org/mandarin/a.html\n";
//! let doc = Extractor::new().extract_str("digest.txt", Format::Text, digest);
//! let item = &doc.items[0];
//! assert_eq!(item.title, "China Weighs New Export Curbs");
//! let c = &item.citations[0];
//! assert_eq!(c.url.as_deref(), Some("https://www.rfa.org/mandarin/a.html"));
//! assert_eq!(c.outlet_id.as_deref(), Some("rfa"));
//! assert_eq!(c.date.as_deref(), Some("2023-11-07"));
//! assert_eq!(c.line, 6);
//! ```

pub mod archive;
mod bytes;
pub mod check;
#[doc(hidden)]
pub mod cli;
pub mod config;
pub mod extract;
pub mod model;
pub mod outlets;
pub mod overrides;
pub mod remote;
pub mod report;
pub mod robustify;
pub mod run;
pub mod verify;

pub use archive::Archive;
pub use check::{CheckOptions, Checker};
pub use extract::Extractor;
pub use model::{CheckResult, CheckStatus, Citation, CitedVia, Document, Format, Item};
pub use outlets::OutletRegistry;
pub use run::{Outcome, Run, RunEvent, Verdict};

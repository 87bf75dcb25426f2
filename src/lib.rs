#![warn(missing_docs)]
//! citevault keeps the sources of published writing alive.
//!
//! The pipeline runs one way: [`extract`] (documents → items → citations),
//! then check, archive and [`report`]. Types that cross stages live in
//! [`model`]; the `cli` module only wires stages together.
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
pub mod check;
#[doc(hidden)]
pub mod cli;
pub mod config;
pub mod extract;
pub mod model;
pub mod outlets;
pub mod report;
pub mod run;

pub use extract::Extractor;
pub use model::{Citation, CitedVia, Document, Format, Item};
pub use outlets::OutletRegistry;

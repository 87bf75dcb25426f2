//! citevault keeps the sources of published writing alive.
//!
//! The pipeline runs one way: [`extract`] (documents → items → citations),
//! then check, archive and [`report`]. Types that cross stages live in
//! [`model`]; the [`cli`] module only wires stages together.

pub mod cli;
pub mod extract;
pub mod model;
pub mod outlets;
pub mod report;

pub use extract::Extractor;
pub use model::{Citation, CitedVia, Document, Format, Item};
pub use outlets::OutletRegistry;

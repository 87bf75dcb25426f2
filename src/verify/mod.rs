//! Citation verification: is the source the one cited, from the date
//! cited, and does it still say what it said when first archived?
//!
//! A link that answers 200 is not yet a verified citation. Each check here
//! gives [`Finding`](crate::model::Finding)s:
//!
//! * [`outlet`]: the cited outlet against the URL's final host
//!   (`outlet-mismatch`, or the milder `syndicated`);
//! * [`dates`]: the date an outlet writes in its URLs (patterns are data,
//!   in the outlet list) and the page's own date against the cited date
//!   (`date-mismatch`);
//! * [`page`]: what a page says of itself (title, publication date), read
//!   with `scraper` selectors;
//! * [`drift`]: the page's main text against the first archived snapshot
//!   (`unchanged`, `changed`, `drifted`);
//! * [`Verifier`] applies them all to checked documents (pages come from
//!   the archive: without one, only the URL-level findings are made).

pub mod dates;
pub mod drift;
pub mod outlet;
pub mod page;
mod verifier;

pub use verifier::{Verifier, VerifyOptions};

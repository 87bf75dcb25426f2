//! The Wayback Machine: the CDX API, and the `/web/<timestamp>/<url>` redirect as a fallback.

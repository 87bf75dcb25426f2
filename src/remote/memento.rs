//! Memento (RFC 7089): TimeGates with `Accept-Datetime`, and TimeMaps in link format.

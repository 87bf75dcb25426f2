//! Is the source the outlet the citation names?

//! Is the source from the date the citation states?

//! pmap-sim placeholder.

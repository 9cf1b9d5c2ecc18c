//! companion-core placeholder.

//! Engine behaviour tests.

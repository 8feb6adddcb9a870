//! sync conformance suite (being written).

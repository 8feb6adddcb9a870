//! sync conformance tests (being written).

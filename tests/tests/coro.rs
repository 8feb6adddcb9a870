//! coro conformance tests (being written).

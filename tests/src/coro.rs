//! coro conformance suite (being written).

//! Bitmaps and succinct structures conformance (issue 16, in progress).
#![cfg(feature = "bitmap")]

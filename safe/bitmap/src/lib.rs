//! Bitmaps and succinct structures (issue 16, in progress).

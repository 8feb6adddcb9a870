//! Hash tables, trees and heaps (issue 16, in progress).

//! Hash tables, trees and heaps conformance (issue 16, in progress).

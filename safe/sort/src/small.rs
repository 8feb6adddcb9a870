//! Sorting small slices.

use crate::key::SortKey;

/// Insertion sort by the keys' ordered images: stable, the base case of the other sorts.
pub(crate) fn insertion_sort<K: SortKey>(keys: &mut [K], descending: bool) {
    for i in 1..keys.len() {
        let k = keys[i];
        let b = k.ordered();
        let mut j = i;
        while j > 0 && {
            let p = keys[j - 1].ordered();
            if descending {
                p < b
            } else {
                p > b
            }
        } {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = k;
    }
}

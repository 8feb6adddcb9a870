//! Compressed bitmaps (`arsenal-bitmap`): the portable Roaring format read from
//! untrusted bytes by CRoaring, cross-checked with the pure-Rust `roaring` crate.

use arsenal_bitmap::{Bitmap, CRoaring};

/// `bitmap_portable`: any bytes either fail to decode or give a bitmap whose values are
/// strictly increasing and as many as its cardinality, that serialises and decodes back
/// equal, answers rank/select consistently — and holds exactly the values the `roaring`
/// crate reads from the same bytes whenever both accept them.
pub fn bitmap_portable(data: &[u8]) {
    let ours = CRoaring::deserialize_portable(data);
    if let Ok(b) = &ours {
        let values = b.to_vec();
        assert_eq!(values.len() as u64, b.len());
        assert!(values.windows(2).all(|w| w[0] < w[1]));
        let again = CRoaring::deserialize_portable(&b.serialize_portable()).expect("own bytes");
        assert_eq!(&again, b);
        if let Some(&last) = values.last() {
            assert_eq!(b.rank(last), b.len());
            assert_eq!(b.select(b.len() - 1), Some(last));
        }
        let mut c = b.clone();
        c.run_optimize();
        assert_eq!(&c, b);
    }
    if let (Ok(b), Ok(theirs)) = (ours, roaring::RoaringBitmap::deserialize_from(data)) {
        assert!(
            theirs.iter().eq(b.iter()),
            "CRoaring and roaring read different sets"
        );
    }
}

/// Seeds for `fuzz/corpus/bitmap`: array, bitmap and run containers, whole and cut.
pub fn bitmap_seeds() -> Vec<(String, Vec<u8>)> {
    let sets: [(&str, Vec<u32>); 4] = [
        ("array", vec![1, 5, 70_000, u32::MAX]),
        ("bitmap", (0..10_000).map(|i| i * 3).collect()),
        ("runs", (100..5_000).chain(1 << 20..(1 << 20) + 300).collect()),
        ("empty", vec![]),
    ];
    let mut seeds = Vec::new();
    for (name, values) in sets {
        let mut b = CRoaring::from_slice(&values);
        b.run_optimize();
        let bytes = b.serialize_portable();
        seeds.push((format!("{name}_cut"), bytes[..bytes.len() / 2].to_vec()));
        seeds.push((name.to_owned(), bytes));
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_hold() {
        for (_, seed) in bitmap_seeds() {
            bitmap_portable(&seed);
        }
    }
}

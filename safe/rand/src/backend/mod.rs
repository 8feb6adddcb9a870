//! One module per generator family.

pub mod chacha;
pub mod pcg;
pub mod rdrand;
pub mod xoshiro;

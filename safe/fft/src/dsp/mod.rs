//! Native DSP building blocks (pure Rust, on top of the crate's FFT for overlap-add):
//! - [`window`]: Hann, Hamming and Blackman windows (symmetric and periodic);
//! - [`Biquad`] / [`Coefficients`]: RBJ Audio EQ Cookbook filters (low-pass, high-pass,
//!   band-pass, notch, peaking EQ, low and high shelf), Direct Form II transposed;
//! - [`butterworth`]: Butterworth low- and high-pass of any order by the bilinear
//!   transform with prewarping, as a [`Cascade`] of second-order sections;
//! - [`Fir`] (direct convolution, vectorised inner loop, AVX2 chosen at run time) and
//!   [`OverlapAdd`] (FFT convolution on one of the crate's backends);
//! - [`ParametricEq`]: a chain of peaking biquads.
//!
//! Samples are `f32`; filter design runs in `f64` and [`Coefficients::response`] gives
//! the exact frequency response of a design.

mod biquad;
mod fir;
pub mod window;

pub use biquad::{butterworth, Band, Biquad, Cascade, Coefficients, ParametricEq, Pass};
pub use fir::{Fir, OverlapAdd};

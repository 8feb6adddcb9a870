//! The FFT conformance suite, once per backend (FFTW twice: planned by heuristics over
//! every size, and by measurement over the sizes up to 4096).
#![cfg(feature = "fft")]

#[cfg(feature = "fftw")]
arsenal_conformance::fft_conformance!(
    fftw,
    arsenal_fft::Backend::Fftw,
    arsenal_fft::Rigor::Estimate
);
#[cfg(feature = "fftw")]
arsenal_conformance::fft_conformance!(
    fftw_measure,
    arsenal_fft::Backend::Fftw,
    arsenal_fft::Rigor::Measure
);
#[cfg(feature = "kissfft")]
arsenal_conformance::fft_conformance!(
    kissfft,
    arsenal_fft::Backend::KissFft,
    arsenal_fft::Rigor::Measure
);

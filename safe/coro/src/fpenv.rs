//! Keeps the SSE control/status register (MXCSR) of a coroutine equal to its resumer's.
//!
//! Boost.Context's `jump_fcontext`, minicoro's and libaco's switches and glibc's
//! `swapcontext` save the MXCSR of the context they leave and load the one of the context
//! they enter (`stmxcsr`/`ldmxcsr`). Loading a value that differs from the current one
//! serialises the pipeline, and the values differ as soon as one side has done
//! floating-point arithmetic that the other has not: the sticky exception flags (bits
//! 0-5, e.g. "precision" after `1.0 / 3.0`) are set by arithmetic and never cleared by
//! it. Measured on this project's Xeon: a `jump_fcontext` round trip takes 6.7 ns when
//! the two MXCSR values are equal and 106 ns when only the precision flag differs.
//!
//! So before a coroutine suspends, its MXCSR is set to the value its resumer had when it
//! resumed it (one `stmxcsr` and a compare per switch; an `ldmxcsr` only when they
//! differ): the switches then load equal values. Rust code cannot observe MXCSR (LLVM
//! assumes the default floating-point environment and Rust has no `fenv` API), so the
//! coroutine losing its own sticky flags, or taking its resumer's rounding mode, is not
//! visible to it.

//!
//! The equalising costs two `stmxcsr` per round trip, and `stmxcsr` is slow on AMD Zen
//! (about 7 ns each on an AMD EPYC, Zen 3: most of `arsenal:fcontext`'s 2.2× over
//! `raw:fcontext` in `coro/switch/round-trip`), where loading a differing MXCSR costs
//! nothing measurable (`raw:fcontext` takes the same time in
//! `coro/switch/round-trip-fp-flags-differ` as in `round-trip`). So it runs only where
//! the penalty was measured or cannot be ruled out: [`needed`] is false on AMD and
//! Hygon CPUs, true elsewhere.

/// Whether coroutines on this CPU equalise MXCSR (see the module docs): false for AMD
/// and Hygon x86 CPUs (CPUID vendor `AuthenticAMD` / `HygonGenuine`), true for every
/// other x86 CPU; false where there is no MXCSR. Detected once.
pub(crate) fn needed() -> bool {
    cfg!(any(
        target_arch = "x86_64",
        all(target_arch = "x86", target_feature = "sse")
    )) && arsenal_core::cpu::vendor() != arsenal_core::cpu::Vendor::Amd
}

/// The current thread's MXCSR (0 on targets without SSE).
#[inline(always)]
pub(crate) fn read() -> u32 {
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "x86", target_feature = "sse")
    ))]
    {
        let mut value: u32 = 0;
        // SAFETY: `stmxcsr` stores the 4-byte MXCSR into `value`, a live local; it has no
        // other effect.
        unsafe {
            core::arch::asm!(
                "stmxcsr [{}]",
                in(reg) &mut value,
                options(nostack, preserves_flags)
            )
        };
        value
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "x86", target_feature = "sse")
    )))]
    {
        0
    }
}

/// Sets the current thread's MXCSR to `resumer` if it differs (no-op without SSE).
#[inline(always)]
pub(crate) fn match_resumer(resumer: u32) {
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "x86", target_feature = "sse")
    ))]
    if read() != resumer {
        // SAFETY: `resumer` was read with `stmxcsr` on the resuming context, so it is a
        // valid MXCSR value (no reserved bits set); loading it changes only the SSE
        // rounding/exception state, which Rust code does not observe.
        unsafe {
            core::arch::asm!(
                "ldmxcsr [{}]",
                in(reg) &resumer,
                options(nostack, preserves_flags, readonly)
            )
        };
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "x86", target_feature = "sse")
    )))]
    let _ = resumer;
}

#[cfg(test)]
mod tests {
    #[test]
    fn match_resumer_makes_the_values_equal() {
        let before = super::read();
        // Precision flag (bit 5) toggled: a value that differs only in a sticky flag.
        let other = before ^ 0x20;
        super::match_resumer(other);
        #[cfg(target_arch = "x86_64")]
        assert_eq!(super::read(), other);
        super::match_resumer(before);
        assert_eq!(super::read(), before);
    }
}

//! Which CPUs run `pdep`/`pext` in microcode, and the CPUID reading behind it.
//!
//! AMD's cores before Zen 3 run BMI2's `pdep` and `pext` in microcode, with a cost that
//! grows with the mask's set bits (published measurements, uops.info and Agner Fog's
//! tables, range from a few tens of cycles for sparse masks to about 300 for dense
//! 64-bit ones), where Intel since Haswell and AMD since Zen 3 take 3 cycles whatever
//! the mask. On those cores the portable kernels (a loop over the set bits of sparse
//! masks, Hacker's Delight's bit-group `compress`/`expand` for dense ones) are faster for
//! all but the sparsest masks, so [`BitOps::auto`](crate::BitOps::auto) routes `pext`,
//! `pdep` and word `select` to the portable backend there, keeping the widest backend for
//! the slice popcounts.
//!
//! The rule is a pure function of the CPUID vendor and family, [`pdep_is_microcoded`],
//! so that it is tested on every machine; [`CpuId::detect`] reads this CPU's values.
//!
//! | vendor | family (CPUID, with the extended family added) | cores | `pdep`/`pext` |
//! |---|---|---|---|
//! | AMD | `0x15` | Bulldozer … Excavator (BMI2 from Excavator on) | microcoded |
//! | AMD | `0x16` | Jaguar, Puma (no BMI2: never routed to hardware anyway) | — |
//! | AMD | `0x17` | Zen, Zen+, Zen 2 | microcoded |
//! | Hygon | `0x18` | Dhyana (a Zen 1 licence) | microcoded |
//! | AMD | `0x19`, `0x1A` | Zen 3, Zen 4, Zen 5 | fast (3 cycles) |
//! | Intel | any with BMI2 | Haswell and later | fast |

use arsenal_core::cpu::Vendor;

/// The CPUID identity of a processor: vendor, display family and display model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuId {
    /// Who designed it (Hygon counts as AMD).
    pub vendor: Vendor,
    /// The display family: the base family, plus the extended family when the base is
    /// `0xF` (so Zen 2 is `0x17`, Zen 3 and Zen 4 are `0x19`).
    pub family: u32,
    /// The display model: the base model, with the extended model as its high nibble
    /// when the family is `0x6` or `0xF` and above.
    pub model: u32,
}

impl CpuId {
    /// Decodes the `eax` of CPUID leaf 1 (family, model, stepping).
    ///
    /// ```
    /// use arsenal_bits::cpu::CpuId;
    /// use arsenal_core::cpu::Vendor;
    /// // An AMD EPYC 7742 (Zen 2) reports eax = 0x0083_0F10.
    /// let id = CpuId::from_leaf1(Vendor::Amd, 0x0083_0F10);
    /// assert_eq!((id.family, id.model), (0x17, 0x31));
    /// ```
    pub fn from_leaf1(vendor: Vendor, eax: u32) -> CpuId {
        let base_family = (eax >> 8) & 0xF;
        let base_model = (eax >> 4) & 0xF;
        let ext_family = (eax >> 20) & 0xFF;
        let ext_model = (eax >> 16) & 0xF;
        let family = if base_family == 0xF {
            base_family + ext_family
        } else {
            base_family
        };
        let model = if base_family == 0x6 || base_family == 0xF {
            (ext_model << 4) | base_model
        } else {
            base_model
        };
        CpuId {
            vendor,
            family,
            model,
        }
    }

    /// This CPU's identity, read once with `CPUID` (leaf 1); `Vendor::Other` with family
    /// and model 0 on other targets.
    ///
    /// ```
    /// let id = arsenal_bits::cpu::CpuId::detect();
    /// assert_eq!(id, arsenal_bits::cpu::CpuId::detect());
    /// ```
    pub fn detect() -> CpuId {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        {
            // SAFETY: CPUID leaf 1 exists on every x86-64 CPU. (`__cpuid` is a safe
            // function on recent toolchains, unsafe before: hence the allow.)
            #[allow(unused_unsafe)]
            let leaf1 = unsafe { core::arch::x86_64::__cpuid(1) };
            CpuId::from_leaf1(arsenal_core::cpu::vendor(), leaf1.eax)
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        {
            CpuId {
                vendor: Vendor::Other,
                family: 0,
                model: 0,
            }
        }
    }
}

/// Whether a CPU of this vendor and family runs `pdep`/`pext` in microcode (slow, with a
/// cost growing with the mask's set bits): AMD (and Hygon) families `0x15` to `0x18`.
/// The model does not matter today (every model of those families is microcoded); it is
/// a parameter so that a future exception needs no API change.
///
/// ```
/// use arsenal_bits::cpu::pdep_is_microcoded;
/// use arsenal_core::cpu::Vendor;
/// assert!(pdep_is_microcoded(Vendor::Amd, 0x17, 0x71)); // Zen 2 (Ryzen 3000)
/// assert!(!pdep_is_microcoded(Vendor::Amd, 0x19, 0x21)); // Zen 3 (Ryzen 5000)
/// assert!(!pdep_is_microcoded(Vendor::Intel, 0x6, 0x3C)); // Haswell
/// ```
pub fn pdep_is_microcoded(vendor: Vendor, family: u32, model: u32) -> bool {
    let _ = model;
    vendor == Vendor::Amd && (0x15..=0x18).contains(&family)
}

/// Whether this CPU runs `pdep`/`pext` in microcode ([`pdep_is_microcoded`] of
/// [`CpuId::detect`]), detected once.
pub fn this_cpu_pdep_is_microcoded() -> bool {
    static MICROCODED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MICROCODED.get_or_init(|| {
        let id = CpuId::detect();
        pdep_is_microcoded(id.vendor, id.family, id.model)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        // (vendor, leaf-1 eax, microcoded): real CPUID signatures.
        let table = [
            (Vendor::Amd, 0x0060_0F20, true),    // Excavator (family 0x15)
            (Vendor::Amd, 0x0080_0F11, true),    // Zen 1 EPYC 7001
            (Vendor::Amd, 0x0080_0F82, true),    // Zen+ Ryzen 2000
            (Vendor::Amd, 0x0083_0F10, true),    // Zen 2 EPYC 7002
            (Vendor::Amd, 0x0087_0F10, true),    // Zen 2 Ryzen 3000
            (Vendor::Amd, 0x0090_0F11, true),    // Hygon Dhyana (family 0x18)
            (Vendor::Amd, 0x00A0_0F11, false),   // Zen 3 EPYC 7003
            (Vendor::Amd, 0x00A2_0F10, false),   // Zen 3 Ryzen 5000
            (Vendor::Amd, 0x00A1_0F11, false),   // Zen 4 EPYC 9004
            (Vendor::Amd, 0x00B0_0F00, false),   // Zen 5 (family 0x1A)
            (Vendor::Intel, 0x0003_06C3, false), // Haswell
            (Vendor::Intel, 0x0005_0654, false), // Skylake-SP
            (Vendor::Other, 0x0080_0F11, false), // a non-AMD vendor with AMD's numbers
        ];
        for (vendor, eax, microcoded) in table {
            let id = CpuId::from_leaf1(vendor, eax);
            assert_eq!(
                pdep_is_microcoded(id.vendor, id.family, id.model),
                microcoded,
                "{vendor:?} eax {eax:#x} = family {:#x} model {:#x}",
                id.family,
                id.model
            );
        }
        assert_eq!(CpuId::from_leaf1(Vendor::Amd, 0x00A1_0F11).family, 0x19);
        assert_eq!(CpuId::from_leaf1(Vendor::Amd, 0x00B0_0F00).family, 0x1A);
        assert_eq!(CpuId::from_leaf1(Vendor::Intel, 0x0003_06C3).model, 0x3C);
        assert_eq!(CpuId::from_leaf1(Vendor::Intel, 0x0003_06C3).family, 0x6);
    }
}

//! The Rust side of the two backends whose libraries share one decoder API: libaom began
//! as a fork of libvpx and kept `*_codec_dec_init` / `*_codec_decode` /
//! `*_codec_get_frame`, the same error codes (`*_CODEC_MEM_ERROR` = 2, …) and an image
//! struct that our two shims (`arsenal-aom-sys`, `arsenal-vpx-sys`) flatten into the same
//! fields. [`vpx_family_decoder!`] writes one decoder type over either shim; `aom.rs`
//! and `vpx.rs` instantiate it with the library's names and docs.
//!
//! Both libraries reuse their output buffers on the next call, so each [`Frame`] is a
//! copy.
//!
//! [`Frame`]: crate::Frame

/// The decoder type over one shim of the libvpx family. `$ffi` is the sys crate,
/// `$prefix` the shim's symbol prefix as used below (`arsenal_aom`), `$c` the C
/// library's prefix for messages (`aom`), `$CODE` the error-code prefix (`AOM`).
macro_rules! vpx_family_decoder {
    (
        $(#[$doc:meta])*
        decoder: $decoder:ident,
        ffi: $ffi:ident,
        name: $name:literal,
        codec: $codec:expr,
        backend: $backend:expr,
        fns: {
            version: $version:ident,
            open: $open:ident,
            error: $error:ident,
            decode: $decode:ident,
            next: $next:ident,
            close: $close:ident,
        },
        types: { decoder: $raw:ident, image: $image:ident },
        codes: {
            error: $e_error:ident,
            mem: $e_mem:ident,
            incapable: $e_incapable:ident,
            unsup_bitstream: $e_unsup_bitstream:ident,
            unsup_feature: $e_unsup_feature:ident,
            corrupt: $e_corrupt:ident,
            invalid: $e_invalid:ident,
        },
        messages: { init: $m_init:literal, decode: $m_decode:literal },
    ) => {
        use std::collections::VecDeque;
        use std::ffi::{c_char, CStr};
        use std::ptr::{self, NonNull};

        use $ffi as ffi;

        use crate::picture::{ChromaSampling, ColorInfo, RawPicture};
        use crate::{Backend, Codec, Decoder, Error, ErrorKind, Frame, Result, Settings};

        const NAME: &str = $name;

        /// The library's version string as it reports it at run time.
        pub fn version() -> String {
            // SAFETY: a static NUL-terminated string.
            unsafe { CStr::from_ptr(ffi::$version()) }
                .to_string_lossy()
                .into_owned()
        }

        fn kind_of(rc: i32) -> ErrorKind {
            match rc {
                ffi::$e_mem => ErrorKind::OutOfMemory,
                ffi::$e_invalid => ErrorKind::InvalidArgument,
                ffi::$e_unsup_bitstream | ffi::$e_unsup_feature | ffi::$e_incapable => {
                    ErrorKind::Unsupported
                }
                ffi::$e_corrupt | ffi::$e_error => ErrorKind::Corrupt,
                _ => ErrorKind::Other,
            }
        }

        $(#[$doc])*
        pub struct $decoder {
            dec: NonNull<ffi::$raw>,
            queue: VecDeque<Frame>,
            max_pixels: u64,
        }

        // SAFETY: a libaom/libvpx decoder context has no thread affinity; calls are
        // serialised by `&mut self`.
        unsafe impl Send for $decoder {}

        impl std::fmt::Debug for $decoder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($decoder))
                    .field("queued", &self.queue.len())
                    .finish()
            }
        }

        impl $decoder {
            /// A decoder with `settings` (threads → `cfg.threads`; `max_frame_delay`
            /// and `apply_grain` do not apply: the library decodes one frame per call;
            /// `max_pixels` is checked on every decoded picture).
            pub fn new(settings: &Settings) -> Result<Self> {
                settings.validate(NAME)?;
                let mut dec = ptr::null_mut();
                let mut msg = [0 as c_char; 256];
                let (threads, text_ptr, text_len) = (settings.threads, msg.as_mut_ptr(), msg.len());
                // SAFETY: valid out-pointer and message buffer of the given length.
                let rc = unsafe { ffi::$open(&mut dec, threads, text_ptr, text_len) };
                if rc != 0 {
                    // SAFETY: the shim NUL-terminated the message.
                    let text = unsafe { CStr::from_ptr(msg.as_ptr()) }.to_string_lossy();
                    return Err(Error::new(kind_of(rc), NAME, format!("{}: {text}", $m_init))
                        .with_code(i64::from(rc)));
                }
                let dec = NonNull::new(dec)
                    .ok_or_else(|| Error::new(ErrorKind::OutOfMemory, NAME, "no decoder"))?;
                Ok($decoder {
                    dec,
                    queue: VecDeque::new(),
                    max_pixels: settings.max_pixels,
                })
            }

            #[cold]
            fn last_error(&self, rc: i32, what: &str) -> Error {
                let mut msg = [0 as c_char; 512];
                // SAFETY: live decoder; the shim writes a NUL-terminated message.
                let text = unsafe {
                    ffi::$error(self.dec.as_ptr(), msg.as_mut_ptr(), msg.len());
                    CStr::from_ptr(msg.as_ptr())
                }
                .to_string_lossy()
                .into_owned();
                Error::new(kind_of(rc), NAME, format!("{what}: {text}")).with_code(i64::from(rc))
            }

            fn decode(&mut self, data: *const u8, len: usize, timestamp: Option<i64>) -> Result<()> {
                // SAFETY: live decoder; `data` is null (flush) or points to `len` bytes.
                let rc = unsafe { ffi::$decode(self.dec.as_ptr(), data, len) };
                if rc != 0 {
                    return Err(self.last_error(rc, $m_decode));
                }
                loop {
                    let mut img = std::mem::MaybeUninit::<ffi::$image>::zeroed();
                    // SAFETY: live decoder; the shim fills `img` when it returns 1.
                    if unsafe { ffi::$next(self.dec.as_ptr(), img.as_mut_ptr()) } == 0 {
                        return Ok(());
                    }
                    // SAFETY: filled by the shim (and all-zero is a valid value anyway).
                    let img = unsafe { img.assume_init() };
                    let raw = RawPicture {
                        planes: img.planes,
                        strides: img.strides.map(|s| s as isize),
                        width: img.width,
                        height: img.height,
                        bit_depth: img.bit_depth,
                        bytes_per_sample: img.bytes_per_sample,
                        chroma: ChromaSampling::from_shifts(
                            NAME,
                            img.monochrome != 0,
                            img.chroma_shift_x,
                            img.chroma_shift_y,
                        )?,
                        color: ColorInfo::from_c(
                            img.primaries,
                            img.transfer,
                            img.matrix,
                            img.full_range != 0,
                        ),
                        // The library outputs the frames of one unit (an AV1 temporal unit,
                        // a VP9 superframe) during its decode call.
                        timestamp,
                    };
                    raw.validate(NAME, self.max_pixels)?;
                    // SAFETY: validated; the planes stay valid until the next decode call.
                    self.queue.push_back(Frame::owned(unsafe { raw.copy() }));
                }
            }
        }

        impl Decoder for $decoder {
            fn backend(&self) -> Backend {
                $backend
            }

            fn codec(&self) -> Codec {
                $codec
            }

            fn send(&mut self, data: &[u8], timestamp: Option<i64>) -> Result<()> {
                crate::check_input(NAME, data)?;
                self.decode(data.as_ptr(), data.len(), timestamp)
            }

            fn receive(&mut self) -> Result<Option<Frame>> {
                Ok(self.queue.pop_front())
            }

            fn flush(&mut self) -> Result<Vec<Frame>> {
                let result = self.decode(ptr::null(), 0, None);
                let frames = self.queue.drain(..).collect();
                result.map(|()| frames)
            }
        }

        impl Drop for $decoder {
            fn drop(&mut self) {
                // SAFETY: the decoder from the shim's open, closed once.
                unsafe { ffi::$close(self.dec.as_ptr()) }
            }
        }
    };
}

pub(crate) use vpx_family_decoder;

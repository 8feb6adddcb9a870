//! dav1d 1.4.3 (VideoLAN's AV1 decoder, the reference for speed), bundled and built by
//! `libdav1d-sys` with meson + ninja + nasm. Pictures are dav1d's reference-counted
//! buffers: a [`Frame`] holds the `Dav1dPicture` and unrefs it on drop (zero-copy).

use std::collections::VecDeque;
use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};

use libdav1d_sys as ffi;

use crate::picture::{ChromaSampling, ColorInfo, KeepAlive, RawPicture};
use crate::{Backend, Codec, Decoder, Error, ErrorKind, Frame, Result, Settings};

const NAME: &str = "dav1d";

/// dav1d's version string, e.g. `1.4.3`.
pub fn version() -> String {
    // SAFETY: dav1d_version returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::dav1d_version()) }
        .to_string_lossy()
        .into_owned()
}

#[cold]
fn error(rc: i32, what: &str) -> Error {
    let errno = -rc;
    let (kind, text) = match errno {
        libc_errno::EINVAL => (ErrorKind::Corrupt, "invalid data (EINVAL)"),
        libc_errno::ENOMEM => (ErrorKind::OutOfMemory, "out of memory (ENOMEM)"),
        libc_errno::ENOPROTOOPT => (
            ErrorKind::Unsupported,
            "unsupported bitstream feature (ENOPROTOOPT)",
        ),
        libc_errno::ERANGE => (ErrorKind::OutputLimit, "frame size limit exceeded (ERANGE)"),
        _ => (ErrorKind::Other, "decoding error"),
    };
    Error::new(kind, NAME, format!("{what}: {text}")).with_code(i64::from(rc))
}

/// The errno values dav1d returns (negated), as on Linux.
mod libc_errno {
    pub const EAGAIN: i32 = 11;
    pub const ENOMEM: i32 = 12;
    pub const EINVAL: i32 = 22;
    pub const ERANGE: i32 = 34;
    pub const ENOPROTOOPT: i32 = 92;
}

const AGAIN: i32 = -libc_errno::EAGAIN;

/// An AV1 decoder over dav1d.
///
/// ```
/// use arsenal_video::{Dav1dDecoder, Decoder, Settings};
/// let mut decoder = Dav1dDecoder::new(&Settings::new().with_threads(2))?;
/// assert!(decoder.send(&[0x12, 0x00], None).is_ok()); // a temporal delimiter
/// assert!(decoder.flush()?.is_empty());
/// # Ok::<(), arsenal_video::Error>(())
/// ```
pub struct Dav1dDecoder {
    ctx: NonNull<ffi::Dav1dContext>,
    queue: VecDeque<Frame>,
    max_pixels: u64,
}

// SAFETY: a dav1d context may be used from any thread as long as calls are not
// concurrent (dav1d's API is not re-entrant per context); `&mut self` on every call that
// touches it guarantees that. Its worker threads are internal.
unsafe impl Send for Dav1dDecoder {}

impl std::fmt::Debug for Dav1dDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dav1dDecoder")
            .field("queued", &self.queue.len())
            .finish()
    }
}

impl Dav1dDecoder {
    /// A decoder with `settings` (threads → `n_threads`, `max_frame_delay`,
    /// `apply_grain`, `max_pixels` → `frame_size_limit`).
    pub fn new(settings: &Settings) -> Result<Self> {
        settings.validate(NAME)?;
        let mut s = MaybeUninit::<ffi::Dav1dSettings>::uninit();
        // SAFETY: dav1d_default_settings initialises every field of the struct.
        let mut s = unsafe {
            ffi::dav1d_default_settings(s.as_mut_ptr());
            s.assume_init()
        };
        // Validated ranges: threads 1..=256, delay 0..=256, pixels 1..=u32::MAX.
        s.n_threads = settings.threads as i32;
        s.max_frame_delay = settings.max_frame_delay as i32;
        s.apply_grain = i32::from(settings.apply_grain);
        s.frame_size_limit = settings.max_pixels as u32;
        // dav1d logs to stderr by default; errors come back as return codes instead.
        s.logger.callback = None;
        let mut ctx = ptr::null_mut();
        // SAFETY: `s` is initialised; `ctx` receives the new context.
        let rc = unsafe { ffi::dav1d_open(&mut ctx, &s) };
        if rc < 0 {
            return Err(error(rc, "dav1d_open"));
        }
        let ctx = NonNull::new(ctx).ok_or_else(|| error(-libc_errno::ENOMEM, "dav1d_open"))?;
        Ok(Dav1dDecoder {
            ctx,
            queue: VecDeque::new(),
            max_pixels: settings.max_pixels,
        })
    }

    /// Moves every picture dav1d has ready into the queue. Ok(true) when one was moved.
    fn pull(&mut self) -> Result<bool> {
        let mut any = false;
        loop {
            let mut pic = Box::new(DavPicture(
                // SAFETY: all-zero is a valid Dav1dPicture (null pointers, layout I400 = 0).
                unsafe { MaybeUninit::<ffi::Dav1dPicture>::zeroed().assume_init() },
            ));
            // SAFETY: the context is live; `pic` is an empty picture to fill.
            let rc = unsafe { ffi::dav1d_get_picture(self.ctx.as_ptr(), &mut pic.0) };
            if rc == AGAIN {
                return Ok(any);
            }
            if rc < 0 {
                return Err(error(rc, "dav1d_get_picture"));
            }
            // From here `pic` owns a reference: its Drop unrefs it on every path.
            let raw = describe(&pic.0)?;
            raw.validate(NAME, self.max_pixels)?;
            // SAFETY: validated; the picture's planes stay valid and unmodified while
            // the reference held by `pic` lives (dav1d's refcounted picture pool).
            self.queue.push_back(unsafe { Frame::shared(raw, pic) });
            any = true;
        }
    }
}

/// A picture reference of ours: `dav1d_picture_unref` on drop.
struct DavPicture(ffi::Dav1dPicture);

// SAFETY: dav1d's picture references are atomically reference counted; unref may run on
// any thread, and the plane memory is read-only once output.
unsafe impl Send for DavPicture {}
// SAFETY: shared access only reads.
unsafe impl Sync for DavPicture {}
impl KeepAlive for DavPicture {}

impl Drop for DavPicture {
    fn drop(&mut self) {
        // SAFETY: a picture from dav1d_get_picture (or all-zero, which unref ignores).
        unsafe { ffi::dav1d_picture_unref(&mut self.0) }
    }
}

fn describe(pic: &ffi::Dav1dPicture) -> Result<RawPicture> {
    let p = &pic.p;
    // SAFETY: `layout` was written by dav1d with one of its enum's values; read it as
    // the underlying integer so no enum validity is assumed.
    let layout = unsafe { ptr::addr_of!(p.layout).cast::<u32>().read() };
    let chroma = match layout {
        0 => ChromaSampling::Monochrome,
        1 => ChromaSampling::Cs420,
        2 => ChromaSampling::Cs422,
        3 => ChromaSampling::Cs444,
        other => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                format!("pixel layout {other}"),
            ))
        }
    };
    let color = if pic.seq_hdr.is_null() {
        ColorInfo::UNSPECIFIED
    } else {
        // SAFETY: the sequence header is kept alive by the picture reference. The CICP
        // fields are bitstream values stored into C enums (any 8-bit value): read them
        // as integers, never as Rust enums.
        unsafe {
            let h = pic.seq_hdr;
            ColorInfo::from_c(
                ptr::addr_of!((*h).pri).cast::<u32>().read() as i32,
                ptr::addr_of!((*h).trc).cast::<u32>().read() as i32,
                ptr::addr_of!((*h).mtrx).cast::<u32>().read() as i32,
                (*h).color_range != 0,
            )
        }
    };
    let timestamp = (pic.m.timestamp != i64::MIN).then_some(pic.m.timestamp);
    let bpc = u32::try_from(p.bpc).unwrap_or(0);
    Ok(RawPicture {
        planes: pic.data.map(|d| d.cast_const().cast::<u8>()),
        strides: [pic.stride[0], pic.stride[1], pic.stride[1]],
        width: u32::try_from(p.w).unwrap_or(0),
        height: u32::try_from(p.h).unwrap_or(0),
        bit_depth: bpc,
        bytes_per_sample: if bpc > 8 { 2 } else { 1 },
        chroma,
        color,
        timestamp,
    })
}

impl Decoder for Dav1dDecoder {
    fn backend(&self) -> Backend {
        Backend::Dav1d
    }

    fn codec(&self) -> Codec {
        Codec::Av1
    }

    fn send(&mut self, data: &[u8], timestamp: Option<i64>) -> Result<()> {
        crate::check_input(NAME, data)?;
        let mut buf = MaybeUninit::<ffi::Dav1dData>::zeroed();
        // SAFETY: dav1d_data_create allocates `len` bytes into the (zeroed) Dav1dData and
        // returns the buffer, or null on failure.
        let dst = unsafe { ffi::dav1d_data_create(buf.as_mut_ptr(), data.len()) };
        if dst.is_null() {
            return Err(error(-libc_errno::ENOMEM, "dav1d_data_create"));
        }
        // SAFETY: initialised by dav1d_data_create (all-zero is valid too).
        let mut buf = unsafe { buf.assume_init() };
        // SAFETY: `dst` has room for `data.len()` bytes and does not overlap `data`.
        unsafe { ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len()) };
        buf.m.timestamp = timestamp.unwrap_or(i64::MIN);
        let result = loop {
            // SAFETY: live context; `buf` is a valid data reference we own.
            let rc = unsafe { ffi::dav1d_send_data(self.ctx.as_ptr(), &mut buf) };
            if rc == AGAIN {
                // dav1d wants pictures taken first; it always makes progress then.
                if let Err(e) = self.pull() {
                    break Err(e);
                }
                continue;
            }
            if rc < 0 {
                break Err(error(rc, "dav1d_send_data"));
            }
            if buf.sz == 0 {
                break Ok(());
            }
        };
        // SAFETY: releases what is left of our reference (no-op when consumed).
        unsafe { ffi::dav1d_data_unref(&mut buf) };
        result?;
        self.pull().map(|_| ())
    }

    /// The pictures `send` pulled. No extra `dav1d_get_picture` call here: a second
    /// call with no data sent in between puts a frame-threaded dav1d into drain mode,
    /// which waits for the frames in flight and stalls the pipeline (measured: 0.92× of
    /// the raw loop with two threads); `send` and `flush` pull everything ready.
    fn receive(&mut self) -> Result<Option<Frame>> {
        Ok(self.queue.pop_front())
    }

    fn flush(&mut self) -> Result<Vec<Frame>> {
        // At end of stream dav1d_get_picture drains every frame in flight before it
        // answers EAGAIN.
        let result = self.pull();
        let frames = self.queue.drain(..).collect();
        // SAFETY: live context: forget the stream's state, ready for a new one.
        unsafe { ffi::dav1d_flush(self.ctx.as_ptr()) };
        result.map(|_| frames)
    }
}

impl Drop for Dav1dDecoder {
    fn drop(&mut self) {
        self.queue.clear();
        let mut ctx = self.ctx.as_ptr();
        // SAFETY: the context from dav1d_open, closed once. Frames already returned keep
        // their own picture references, which stay valid after close.
        unsafe { ffi::dav1d_close(&mut ctx) };
    }
}

//! Streaming: the step-wise encoder/decoder traits every streaming backend implements,
//! and the generic [`io::Write`] / [`io::Read`] adapters built on them ([`Writer`],
//! [`Reader`]).
//!
//! The adapters own one reusable 64 KiB buffer each. [`Reader`] enforces an output limit
//! (a decompression bomb gives [`ErrorKind::OutputLimit`] as an `io::Error` of kind
//! `InvalidData` carrying our [`Error`]), reports a stream that ends inside a frame as
//! [`ErrorKind::Truncated`] (`UnexpectedEof`) and by default decodes concatenated frames
//! (as `zstd -d`, `lz4 -d` and `gzip -d` do).

use std::io::{self, BufRead, BufReader, Read, Write};

use crate::{sealed, Error, ErrorKind, Result};

/// Size of the adapters' internal buffers.
pub const STREAM_BUFFER: usize = 64 * 1024;

/// Step-wise compression into caller-provided output buffers.
///
/// Contract (relied on by [`Writer`]): every call accepts any non-empty `output`; a call
/// with non-empty `input` and non-empty `output` consumes or writes at least one byte
/// (backends whose C API needs more room stage output internally and drain it on later
/// calls).
pub trait StreamEncoder: sealed::Sealed {
    /// The backend name (`"zstd"`, ...).
    fn name(&self) -> &'static str;
    /// Compresses from `input` into `output`; returns `(consumed, written)`.
    fn encode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize)>;
    /// Makes everything consumed so far decodable by the other side. Returns
    /// `(written, done)`; call again with fresh room until `done`.
    fn flush(&mut self, output: &mut [u8]) -> Result<(usize, bool)>;
    /// Ends the frame (trailer, checksums). Returns `(written, done)`; call again with
    /// fresh room until `done`.
    fn finish(&mut self, output: &mut [u8]) -> Result<(usize, bool)>;
    /// Starts a new frame with the same parameters (after `finish` reported done, or to
    /// abandon the current one).
    fn reset(&mut self) -> Result<()>;
}

/// What one [`StreamDecoder::decode`] call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecodeStep {
    /// Input bytes consumed.
    pub consumed: usize,
    /// Output bytes written.
    pub written: usize,
    /// The frame ended: everything it holds has been written and its checksums verified.
    pub frame_done: bool,
}

/// Step-wise decompression into caller-provided output buffers.
///
/// Contract (relied on by [`Reader`]): a call with non-empty `input` and non-empty
/// `output` consumes or writes at least one byte, or reports `frame_done`; input that
/// cannot yet produce output is consumed and buffered by the decoder. At the end of the
/// input [`Reader`] calls `decode` with an empty `input` to drain output the decoder still
/// holds (a call that then writes nothing and does not finish the frame means the input
/// was truncated). Corrupt input gives an [`Error`] of kind [`ErrorKind::Corrupt`].
pub trait StreamDecoder: sealed::Sealed {
    /// The backend name (`"zstd"`, ...).
    fn name(&self) -> &'static str;
    /// Decompresses from `input` into `output`.
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep>;
    /// Forgets the current frame; the next `decode` starts a new one. Input the decoder
    /// consumed past the end of the finished frame ([`pending_input`](Self::pending_input))
    /// is kept: it is the start of the next frame.
    fn reset(&mut self) -> Result<()>;

    /// Bytes consumed by earlier calls that lie past the end of the finished frame
    /// (decoders that read ahead keep them for the next frame). `0` for most backends.
    fn pending_input(&self) -> usize {
        0
    }
}

/// [`StreamEncoder::flush`] or [`StreamEncoder::finish`].
type EncoderStep<E> = fn(&mut E, &mut [u8]) -> Result<(usize, bool)>;

/// An [`io::Write`] that compresses everything written to it into `W`.
///
/// Call [`Writer::finish`] to end the frame and get `W` back (errors are reported
/// there). Dropping an unfinished writer finishes the frame on a best-effort basis and
/// ignores errors, like `flate2`'s encoders.
#[derive(Debug)]
pub struct Writer<W: Write, E: StreamEncoder> {
    inner: Option<W>,
    encoder: E,
    buf: Vec<u8>,
    finished: bool,
}

impl<W: Write, E: StreamEncoder> Writer<W, E> {
    /// Wraps `inner`, compressing with `encoder`.
    pub fn new(inner: W, encoder: E) -> Self {
        Writer {
            inner: Some(inner),
            encoder,
            buf: vec![0; STREAM_BUFFER],
            finished: false,
        }
    }

    /// The wrapped writer.
    pub fn get_ref(&self) -> &W {
        self.inner
            .as_ref()
            .expect("inner writer present until finish")
    }

    /// The encoder (e.g. to inspect its name).
    pub fn encoder(&self) -> &E {
        &self.encoder
    }

    fn sink(&mut self) -> &mut W {
        self.inner
            .as_mut()
            .expect("inner writer present until finish")
    }

    /// Ends the frame, flushes and returns the wrapped writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.try_finish()?;
        Ok(self
            .inner
            .take()
            .expect("inner writer present until finish"))
    }

    /// Ends the frame and flushes, keeping the writer (further writes are refused).
    pub fn try_finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.drain(E::finish)?;
        self.finished = true;
        self.sink().flush()
    }

    /// Calls `step` (the encoder's `flush` or `finish`) with the buffer and writes what it
    /// produced to the sink, until it reports done.
    fn drain(&mut self, step: EncoderStep<E>) -> io::Result<()> {
        loop {
            let (written, done) = step(&mut self.encoder, &mut self.buf)?;
            self.emit(written)?;
            if done {
                return Ok(());
            }
        }
    }

    /// Writes the first `len` bytes of the buffer to the sink.
    fn emit(&mut self, len: usize) -> io::Result<()> {
        let Writer { inner, buf, .. } = self;
        inner
            .as_mut()
            .expect("inner writer present until finish")
            .write_all(&buf[..len])
    }
}

impl<W: Write, E: StreamEncoder> Write for Writer<W, E> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.finished {
            return Err(io::Error::other("arsenal-compress: write after finish"));
        }
        if data.is_empty() {
            return Ok(0);
        }
        loop {
            let (consumed, written) = self.encoder.encode(data, &mut self.buf)?;
            self.emit(written)?;
            if consumed > 0 {
                return Ok(consumed);
            }
            if written == 0 {
                return Err(Error::new(
                    ErrorKind::Other,
                    self.encoder.name(),
                    "encoder made no progress",
                )
                .into());
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.finished {
            return self.sink().flush();
        }
        self.drain(E::flush)?;
        self.sink().flush()
    }
}

impl<W: Write, E: StreamEncoder> Drop for Writer<W, E> {
    fn drop(&mut self) {
        if self.inner.is_some() && !std::thread::panicking() {
            let _ = self.try_finish();
        }
    }
}

/// An [`io::Read`] that decompresses what it reads from `R`, never producing more than
/// its limit.
#[derive(Debug)]
pub struct Reader<R: BufRead, D: StreamDecoder> {
    inner: R,
    decoder: D,
    limit: u64,
    produced: u64,
    /// Inside a frame: input of the current frame has been consumed, end not seen.
    in_frame: bool,
    /// At least one frame has completed.
    frames_done: u64,
    multi_frame: bool,
    eof: bool,
}

impl<R: Read, D: StreamDecoder> Reader<BufReader<R>, D> {
    /// Wraps a plain reader in a [`BufReader`] of [`STREAM_BUFFER`] bytes.
    pub fn from_read(inner: R, decoder: D, limit: u64) -> Self {
        Reader::new(
            BufReader::with_capacity(STREAM_BUFFER, inner),
            decoder,
            limit,
        )
    }
}

impl<R: BufRead, D: StreamDecoder> Reader<R, D> {
    /// Wraps `inner`; at most `limit` decompressed bytes are returned, more gives an
    /// error of kind [`ErrorKind::OutputLimit`].
    pub fn new(inner: R, decoder: D, limit: u64) -> Self {
        Reader {
            inner,
            decoder,
            limit,
            produced: 0,
            in_frame: false,
            frames_done: 0,
            multi_frame: true,
            eof: false,
        }
    }

    /// Whether frames after the first are decoded too (default `true`). With `false`
    /// the reader stops after the first frame and leaves the rest of the input in the
    /// wrapped reader.
    pub fn multi_frame(mut self, yes: bool) -> Self {
        self.multi_frame = yes;
        self
    }

    /// Decompressed bytes returned so far.
    pub fn produced(&self) -> u64 {
        self.produced
    }

    /// The wrapped reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The wrapped reader, positioned after the input consumed so far.
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn err(&self, kind: ErrorKind, msg: &'static str) -> io::Error {
        Error::new(kind, self.decoder.name(), msg).into()
    }
}

impl<R: BufRead, D: StreamDecoder> Read for Reader<R, D> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || self.eof {
            return Ok(0);
        }
        let mut stalled = 0;
        loop {
            let input = self.inner.fill_buf()?;
            // At the end of the input inside a frame, the decoder may still hold output for
            // input it already consumed: drain it with an empty `input` before calling the
            // stream truncated.
            let at_end = input.is_empty();
            let pending = self.decoder.pending_input() > 0;
            if at_end && !self.in_frame && !(pending && self.multi_frame && self.frames_done > 0) {
                if self.frames_done == 0 {
                    return Err(self.err(ErrorKind::Truncated, "input ended inside a frame"));
                }
                self.eof = true;
                return Ok(0);
            }
            if (!at_end || pending) && !self.in_frame && self.frames_done > 0 {
                if !self.multi_frame {
                    self.eof = true;
                    return Ok(0);
                }
                self.decoder.reset()?;
            }
            // One byte more than the limit allows: producing it proves the limit is exceeded.
            let room = self.limit.saturating_sub(self.produced).saturating_add(1);
            let len = out.len().min(usize::try_from(room).unwrap_or(usize::MAX));
            let step = self.decoder.decode(input, &mut out[..len])?;
            self.inner.consume(step.consumed);
            self.in_frame = !step.frame_done;
            if step.frame_done {
                self.frames_done += 1;
            }
            if step.written as u64 > self.limit - self.produced {
                return Err(self.err(
                    ErrorKind::OutputLimit,
                    "decompressed data exceeds the output limit",
                ));
            }
            self.produced += step.written as u64;
            if step.written > 0 {
                return Ok(step.written);
            }
            if step.frame_done {
                continue;
            }
            if at_end {
                return Err(self.err(ErrorKind::Truncated, "input ended inside a frame"));
            }
            if step.consumed == 0 {
                stalled += 1;
                if stalled > 2 {
                    return Err(self.err(ErrorKind::Other, "decoder made no progress"));
                }
            }
        }
    }
}

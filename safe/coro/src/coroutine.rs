//! The typed, safe layer over any [`ContextBackend`]: [`Coroutine`], [`Yielder`], [`Generator`].

use std::cell::Cell;
use std::ffi::c_void;
use std::fmt;
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;

use crate::stack::{checked_stack_size, DEFAULT_STACK_SIZE};
use crate::{Backend, ContextBackend, DefaultContextBackend, Error, ErrorKind};

/// What [`Coroutine::resume`] produced: a value passed to [`Yielder::suspend`], or the
/// closure's return value (after which the coroutine is finished).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoroutineResult<Y, R> {
    /// The coroutine suspended itself with this value.
    Yield(Y),
    /// The coroutine's closure returned this value; the coroutine is finished.
    Return(R),
}

impl<Y, R> CoroutineResult<Y, R> {
    /// The yielded value, if it is one.
    pub fn yielded(self) -> Option<Y> {
        match self {
            CoroutineResult::Yield(y) => Some(y),
            CoroutineResult::Return(_) => None,
        }
    }

    /// The returned value, if it is one.
    pub fn returned(self) -> Option<R> {
        match self {
            CoroutineResult::Yield(_) => None,
            CoroutineResult::Return(r) => Some(r),
        }
    }
}

/// The payload of the unwind that [`Drop`] forces through a suspended coroutine. Private:
/// user code that catches it cannot name it, and the entry trampoline drops it.
struct ForcedUnwind;

type Body<I, Y, R> = Box<dyn FnOnce(&Yielder<I, Y>, I) -> R>;

/// What the [`Yielder`] needs: the values passed each way and the backend to switch with.
struct Channel<I, Y> {
    input: Cell<Option<I>>,
    yielded: Cell<Option<Y>>,
    cancel: Cell<bool>,
    /// The resumer's MXCSR at the latest `resume` (see `crate::fpenv`).
    resumer_fp: Cell<u32>,
    /// Whether this CPU needs the MXCSR equalised (`crate::fpenv::needed`), fixed at
    /// creation.
    fp_sync: bool,
    /// The coroutine's [`ContextBackend::suspend_handle`](crate::ContextBackend::suspend_handle).
    raw: Cell<*mut ()>,
    /// The backend of `raw`, for [`crate::backend::suspend`].
    backend: Backend,
}

/// State shared between the resumer and the coroutine's stack: a heap block that never
/// moves, owned by the [`Coroutine`] through a raw pointer (the coroutine's stack holds
/// pointers into it too, so no `Box` uniqueness is claimed while it runs).
struct Shared<I, Y, R> {
    channel: Channel<I, Y>,
    outcome: Cell<Option<std::thread::Result<R>>>,
    body: Cell<Option<Body<I, Y, R>>>,
}

/// The handle a coroutine's closure gets to suspend itself: [`suspend`](Self::suspend)
/// hands a value to the resumer and returns the next input. It exists only inside the
/// closure (which receives it by reference), so it cannot suspend any other coroutine.
pub struct Yielder<I, Y> {
    channel: NonNull<Channel<I, Y>>,
    _not_send: PhantomData<*mut ()>,
}

impl<I, Y> fmt::Debug for Yielder<I, Y> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Yielder").finish_non_exhaustive()
    }
}

impl<I, Y> Yielder<I, Y> {
    /// Suspends the coroutine, making [`Coroutine::resume`] return
    /// `Ok(CoroutineResult::Yield(value))`; returns the input of the next `resume`.
    ///
    /// When the coroutine is dropped while suspended here, this call does not return: it
    /// unwinds the coroutine's stack (running destructors) with a private payload that
    /// the coroutine's entry catches. Code that catches that unwind
    /// (`std::panic::catch_unwind`) and suspends again unwinds again.
    #[inline]
    pub fn suspend(&self, value: Y) -> I {
        // SAFETY: the channel lives in the `Shared` block of the running coroutine, which
        // outlives its closure (and so this borrow of the Yielder).
        let channel = unsafe { self.channel.as_ref() };
        if channel.cancel.get() {
            panic::resume_unwind(Box::new(ForcedUnwind));
        }
        channel.yielded.set(Some(value));
        if channel.fp_sync {
            crate::fpenv::match_resumer(channel.resumer_fp.get());
        }
        // SAFETY: we run on this coroutine's stack (the Yielder cannot leave its closure,
        // and the closure runs only there); `raw` is a coroutine of `backend`.
        unsafe { crate::backend::suspend(channel.backend, channel.raw.get()) };
        if channel.cancel.get() {
            panic::resume_unwind(Box::new(ForcedUnwind));
        }
        channel
            .input
            .take()
            .expect("arsenal-coro: resumed without an input")
    }
}

/// Where a coroutine is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    NotStarted,
    Suspended,
    Finished,
}

/// A stackful coroutine on backend `B`: a closure running on its own stack that can
/// [`suspend`](Yielder::suspend) itself with a `Y`, be [`resume`](Self::resume)d with an
/// `I`, and finally return an `R`.
///
/// * **Panics** inside the closure are caught on the coroutine's stack (they never unwind
///   into C frames) and re-raised by `resume` in the caller with
///   [`std::panic::resume_unwind`]; the coroutine is finished afterwards.
/// * **Dropping** a suspended coroutine resumes it once more so that its `suspend` call
///   unwinds: every destructor of a value on its stack runs, as for a thread's stack
///   (this keeps the promise of [`Pin`](std::pin::Pin) for values pinned there). This
///   holds while the dropping thread is itself panicking too (the forced unwind runs on
///   the coroutine's stack and is caught at its entry). A never-started coroutine just
///   drops its closure; a finished one frees its stack. If the backend cannot resume it
///   (libaco inside another coroutine), or the program is built with `panic = "abort"`
///   (where the forced unwind would abort the process), the suspended coroutine's stack
///   is **leaked** instead: its memory is never reused and the destructors of the values
///   on it do not run.
/// * **Stack overflow** hits a `PROT_NONE` guard page below the stack and kills the
///   process with `SIGSEGV` instead of corrupting memory.
/// * Coroutines are neither `Send` nor `Sync`: code running on a coroutine may cache the
///   address of thread-local variables across a suspension, and minicoro/libaco keep the
///   running coroutine in C thread-locals, so moving a suspended coroutine to another
///   thread is not sound on any backend.
///
/// ```
/// use arsenal_coro::{Coroutine, CoroutineResult};
///
/// // Sums its inputs, reporting the running total each time.
/// let mut co = Coroutine::<u32, u32, &str>::new(|y, mut n| {
///     let mut total = 0;
///     while n != 0 {
///         total += n;
///         n = y.suspend(total);
///     }
///     "done"
/// })?;
/// assert_eq!(co.resume(5)?, CoroutineResult::Yield(5));
/// assert_eq!(co.resume(2)?, CoroutineResult::Yield(7));
/// assert_eq!(co.resume(0)?, CoroutineResult::Return("done"));
/// assert!(co.is_finished());
/// # Ok::<(), arsenal_coro::Error>(())
/// ```
pub struct Coroutine<I, Y, R, B: ContextBackend = DefaultContextBackend> {
    shared: NonNull<Shared<I, Y, R>>,
    raw: NonNull<B>,
    /// `B::suspend_handle(raw)`, for resuming without a pointer chase.
    handle: *mut (),
    state: State,
    _not_send: PhantomData<*mut ()>,
}

impl<I, Y, R, B: ContextBackend> fmt::Debug for Coroutine<I, Y, R, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Coroutine")
            .field("backend", &B::BACKEND.name())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<I: 'static, Y: 'static, R: 'static> Coroutine<I, Y, R, DefaultContextBackend> {
    /// A coroutine on the [`DefaultContextBackend`] with a [`DEFAULT_STACK_SIZE`] stack that will
    /// run `body(yielder, first_input)` on its first [`resume`](Self::resume).
    pub fn new<F>(body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        Self::create(DEFAULT_STACK_SIZE, body)
    }

    /// Like [`new`](Self::new) with `stack_size` bytes of stack (raised to
    /// [`MIN_STACK_SIZE`](crate::MIN_STACK_SIZE), rounded up to pages).
    pub fn with_stack_size<F>(stack_size: usize, body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        Self::create(stack_size, body)
    }
}

impl<I: 'static, Y: 'static, R: 'static, B: ContextBackend> Coroutine<I, Y, R, B> {
    /// A coroutine on backend `B` with `stack_size` bytes of stack (raised to
    /// [`MIN_STACK_SIZE`](crate::MIN_STACK_SIZE), rounded up to pages, above a guard page).
    ///
    /// The closure and the types must be `'static`: a coroutine can outlive the stack
    /// frame that created it, and this keeps one coroutine's [`Yielder`] out of another.
    ///
    /// ```
    /// # #[cfg(feature = "ucontext")] {
    /// use arsenal_coro::{backend::Ucontext, Coroutine};
    /// let mut co = Coroutine::<(), i32, (), Ucontext>::create(64 * 1024, |y, ()| {
    ///     y.suspend(1);
    /// })?;
    /// assert_eq!(co.resume(())?.yielded(), Some(1));
    /// # }
    /// # Ok::<(), arsenal_coro::Error>(())
    /// ```
    pub fn create<F>(stack_size: usize, body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        let stack_size = checked_stack_size(stack_size, B::BACKEND.name())?;
        // SAFETY: `B::create` is the backend's own constructor, called with our entry.
        unsafe { Self::create_with(|entry, arg| B::create(stack_size, entry, arg), body) }
    }

    /// Like [`create`](Self::create), but the backend value is made by `make(entry, arg)`:
    /// for backend-specific constructors such as
    /// `backend::Libaco::create_on_shared` (feature `libaco`).
    ///
    /// # Safety
    /// `make` must return a coroutine of `B` that runs exactly `entry(arg)` (as
    /// [`ContextBackend::create`] would), and whatever that constructor requires must hold.
    pub unsafe fn create_with<M, F>(make: M, body: F) -> Result<Self, Error>
    where
        M: FnOnce(crate::Entry, *mut c_void) -> Result<B, Error>,
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        let shared = Box::new(Shared::<I, Y, R> {
            channel: Channel {
                input: Cell::new(None),
                yielded: Cell::new(None),
                cancel: Cell::new(false),
                resumer_fp: Cell::new(0),
                fp_sync: B::SWITCHES_MXCSR && crate::fpenv::needed(),
                raw: Cell::new(std::ptr::null_mut()),
                backend: B::BACKEND,
            },
            outcome: Cell::new(None),
            body: Cell::new(Some(Box::new(body))),
        });
        let shared = NonNull::from(Box::leak(shared));
        let raw = match make(entry::<I, Y, R>, shared.as_ptr().cast()) {
            Ok(raw) => NonNull::from(Box::leak(Box::new(raw))),
            Err(err) => {
                // SAFETY: leaked just above and not shared with anything yet.
                drop(unsafe { Box::from_raw(shared.as_ptr()) });
                return Err(err);
            }
        };
        // SAFETY: `raw` is live and boxed (it no longer moves).
        let handle = unsafe { B::suspend_handle(raw.as_ptr()) };
        // SAFETY: `shared` is live; nothing runs on the coroutine yet.
        unsafe { shared.as_ref() }.channel.raw.set(handle);
        Ok(Coroutine {
            shared,
            raw,
            handle,
            state: State::NotStarted,
            _not_send: PhantomData,
        })
    }

    /// Runs the coroutine until it suspends (`Ok(Yield(y))`) or returns (`Ok(Return(r))`).
    /// The first call passes `input` as the closure's second argument; later calls make
    /// the pending [`Yielder::suspend`] return it.
    ///
    /// # Errors
    /// [`ErrorKind::Finished`] once the coroutine has returned or panicked;
    /// [`ErrorKind::NotResumable`] / [`ErrorKind::Backend`] when the backend refuses the
    /// switch (the coroutine is left as it was).
    ///
    /// # Panics
    /// Re-raises a panic of the coroutine's closure (with its original payload).
    #[inline]
    pub fn resume(&mut self, input: I) -> Result<CoroutineResult<Y, R>, Error> {
        if self.state == State::Finished {
            return Err(Error::finished(B::BACKEND.name()));
        }
        // SAFETY: the coroutine is not running (we hold `&mut self` and it is not
        // finished), so nothing else touches the shared block now.
        let shared = unsafe { self.shared.as_ref() };
        shared.channel.input.set(Some(input));
        // (`fp_sync` is false whenever the backend does not switch MXCSR: the constant
        // lets the compiler drop the check for those.)
        if B::SWITCHES_MXCSR && shared.channel.fp_sync {
            shared.channel.resumer_fp.set(crate::fpenv::read());
        }
        // SAFETY: `raw` is live, boxed (never moves), created on this thread (`!Send`)
        // and suspended or not started; `&mut self` rules out re-entrance.
        if let Err(err) = unsafe { B::resume_by_handle(self.raw.as_ptr(), self.handle) } {
            drop(shared.channel.input.take());
            return Err(err);
        }
        self.state = State::Suspended;
        // A yield and a return exclude each other (a value yielded is taken by the
        // resume it returns to): test the common case first.
        if let Some(value) = shared.channel.yielded.take() {
            return Ok(CoroutineResult::Yield(value));
        }
        if let Some(outcome) = shared.outcome.take() {
            self.state = State::Finished;
            return match outcome {
                Ok(value) => Ok(CoroutineResult::Return(value)),
                Err(payload) => panic::resume_unwind(payload),
            };
        }
        self.state = State::Finished;
        Err(Error::new(
            ErrorKind::Backend,
            B::BACKEND.name(),
            "the backend returned from resume without a yield or a return",
        ))
    }

    /// Whether the coroutine has returned or panicked (it can no longer be resumed).
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Whether [`resume`](Self::resume) has been called at least once.
    pub fn is_started(&self) -> bool {
        self.state != State::NotStarted
    }

    /// The backend this coroutine runs on.
    pub fn backend(&self) -> Backend {
        B::BACKEND
    }

    /// Usable bytes of this coroutine's stack.
    pub fn stack_size(&self) -> usize {
        // SAFETY: `raw` is live; `stack_size` only reads fields set at creation.
        unsafe { self.raw.as_ref() }.stack_size()
    }
}

impl<I, Y, R, B: ContextBackend> Drop for Coroutine<I, Y, R, B> {
    fn drop(&mut self) {
        let mut free_stack = true;
        if self.state == State::Suspended && cfg!(panic = "abort") {
            // Unwinding its stack is impossible when panics abort (the forced unwind
            // would end the process): leak the stack instead, so values that live on it
            // (possibly pinned) are never freed under them; their destructors do not run.
            free_stack = false;
        } else if self.state == State::Suspended {
            // SAFETY: as in `resume`; the coroutine is suspended inside `Yielder::suspend`.
            let shared = unsafe { self.shared.as_ref() };
            shared.channel.cancel.set(true);
            // SAFETY: as in `resume`.
            match unsafe { B::resume(self.raw.as_ptr()) } {
                // The coroutine unwound to its entry (whatever it did with the payload).
                Ok(()) => drop(shared.outcome.take()),
                // Cannot unwind it: leak its stack rather than free memory that values
                // (possibly pinned) still live in.
                Err(_) => free_stack = false,
            }
        }
        if free_stack {
            // SAFETY: leaked in `create`; the coroutine is finished or never started.
            drop(unsafe { Box::from_raw(self.raw.as_ptr()) });
        }
        // SAFETY: leaked in `create`; nothing runs on the coroutine any more (or its
        // stack is leaked and will never run again).
        drop(unsafe { Box::from_raw(self.shared.as_ptr()) });
    }
}

/// The coroutine's first frame: runs the closure, catching every panic (including the
/// forced unwind of `Drop`) so nothing unwinds into the backend's C frames, and stores
/// the outcome for `resume` (after `catch_unwind` only a `Cell::set` runs: panic-free). Returning hands control back to the backend, which finishes
/// the coroutine.
unsafe extern "C" fn entry<I, Y, R>(arg: *mut c_void) {
    // SAFETY: `arg` is the `Shared` block `create` passed, live while the coroutine runs.
    let shared = unsafe { &*arg.cast::<Shared<I, Y, R>>() };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let body = shared.body.take().expect("arsenal-coro: started twice");
        let input = shared
            .channel
            .input
            .take()
            .expect("arsenal-coro: started without an input");
        let yielder = Yielder {
            channel: NonNull::from(&shared.channel),
            _not_send: PhantomData,
        };
        body(&yielder, input)
    }));
    shared.outcome.set(Some(outcome));
}

/// A generator: a coroutine that takes no input and is consumed as an [`Iterator`] of
/// the values it yields; its return value is kept for [`return_value`](Self::return_value).
///
/// ```
/// use arsenal_coro::Generator;
///
/// let fib = Generator::<u64>::new(|y| {
///     let (mut a, mut b) = (0, 1);
///     loop {
///         y.suspend(a);
///         (a, b) = (b, a + b);
///     }
/// })?;
/// let first: Vec<u64> = fib.take(10).collect();
/// assert_eq!(first, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]);
/// # Ok::<(), arsenal_coro::Error>(())
/// ```
pub struct Generator<Y, R = (), B: ContextBackend = DefaultContextBackend> {
    co: Coroutine<(), Y, R, B>,
    returned: Option<R>,
}

impl<Y, R, B: ContextBackend> fmt::Debug for Generator<Y, R, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("coroutine", &self.co)
            .finish_non_exhaustive()
    }
}

impl<Y: 'static, R: 'static> Generator<Y, R, DefaultContextBackend> {
    /// A generator on the [`DefaultContextBackend`] with a [`DEFAULT_STACK_SIZE`] stack.
    pub fn new<F>(body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<(), Y>) -> R + 'static,
    {
        Self::create(DEFAULT_STACK_SIZE, body)
    }
}

impl<Y: 'static, R: 'static, B: ContextBackend> Generator<Y, R, B> {
    /// A generator on backend `B` with `stack_size` bytes of stack.
    pub fn create<F>(stack_size: usize, body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<(), Y>) -> R + 'static,
    {
        Ok(Generator {
            co: Coroutine::create(stack_size, move |y, ()| body(y))?,
            returned: None,
        })
    }

    /// The closure's return value, once the iterator is exhausted.
    pub fn return_value(&self) -> Option<&R> {
        self.returned.as_ref()
    }

    /// Takes the closure's return value, once the iterator is exhausted.
    pub fn take_return_value(&mut self) -> Option<R> {
        self.returned.take()
    }

    /// Whether the generator's closure has returned (or panicked).
    pub fn is_finished(&self) -> bool {
        self.co.is_finished()
    }
}

impl<Y: 'static, R: 'static, B: ContextBackend> Iterator for Generator<Y, R, B> {
    type Item = Y;

    /// The next yielded value; `None` once the closure returned (a panic in the closure
    /// is re-raised here).
    fn next(&mut self) -> Option<Y> {
        if self.co.is_finished() {
            return None;
        }
        match self.co.resume(()) {
            Ok(CoroutineResult::Yield(value)) => Some(value),
            Ok(CoroutineResult::Return(value)) => {
                self.returned = Some(value);
                None
            }
            Err(_) => None,
        }
    }
}

impl<Y: 'static, R: 'static, B: ContextBackend> std::iter::FusedIterator for Generator<Y, R, B> {}

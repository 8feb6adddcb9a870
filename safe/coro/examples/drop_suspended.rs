//! Drops a suspended coroutine on every available backend and reports what happened to
//! the values on its stack. Built normally, they are dropped (the coroutine's stack is
//! unwound); built with `panic = "abort"` the stack is leaked instead (the unwind would
//! abort the process), and the program still exits normally:
//!
//! ```text
//! cargo run -p arsenal-coro --example drop_suspended
//! RUSTFLAGS="-C panic=abort" cargo run -p arsenal-coro --example drop_suspended
//! ```
//!
//! `scripts/test` runs the second form; the example checks its own outcome and exits
//! non-zero on a surprise.

use arsenal_coro::{AnyCoroutine, Backend, CoroutineResult};
use std::cell::Cell;
use std::rc::Rc;

/// Sets its flag when dropped.
struct Flag(Rc<Cell<bool>>);

impl Drop for Flag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let aborts = cfg!(panic = "abort");
    for backend in Backend::available() {
        let dropped = Rc::new(Cell::new(false));
        let flag = Flag(dropped.clone());
        let mut co = AnyCoroutine::<(), u32, ()>::new(backend, 64 * 1024, move |y, ()| {
            let _on_stack = flag;
            y.suspend(1);
            unreachable!("resumed after being dropped");
        })?;
        assert_eq!(co.resume(())?, CoroutineResult::Yield(1));
        drop(co);
        let outcome = if dropped.get() { "unwound" } else { "leaked" };
        println!("{backend}: suspended coroutine dropped, its stack {outcome}");
        if dropped.get() == aborts {
            return Err(format!(
                "{backend}: expected the stack to be {} (panic = {})",
                if aborts { "leaked" } else { "unwound" },
                if aborts { "abort" } else { "unwind" }
            )
            .into());
        }
    }
    println!(
        "drop_suspended: ok (panic = {})",
        if aborts { "abort" } else { "unwind" }
    );
    Ok(())
}

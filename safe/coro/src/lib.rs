//! Stackful coroutines over Boost.Context, minicoro, ucontext and libaco behind one trait, with guard-page stacks and panic propagation. (skeleton: being written).

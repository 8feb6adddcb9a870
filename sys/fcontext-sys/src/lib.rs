//! Raw FFI to Boost.Context's fcontext (make_fcontext, jump_fcontext, ontop_fcontext); no logic. (skeleton: being written).

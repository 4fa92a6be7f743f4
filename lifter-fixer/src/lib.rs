//! IR fixer for code lifted from existing binaries: will rewrite GOT/PLT calls into
//! direct external calls and drop duplicate startup symbols (`_start`, `_start_c`,
//! `__libc_csu_init`, crt globals).
//!
//! Empty for now: hetcc compiles C from source; lifting comes later.

//! Differential tests: every corpus program is built with hetcc, run on every ISA
//! (x86-64 natively, the others under qemu-user) and compared with a plain
//! `clang-22 -O2` build of the same source.

//! What hetcc's musl asks of the runtime about threads (the hooks its thread-area patch
//! calls, `scripts/musl/thread-area.patch`), and the per-thread unsafe-stack pointer.
//!
//! - The main thread's area (descriptor, TLS block, thread control block) goes to
//!   [`MAIN_THREAD_AREA`], the same address on every ISA. musl lays the area out alike on
//!   every ISA, so `&errno`, `pthread_self()` and the address of every thread-local
//!   variable are the same on the destination of a migration (docs/threads.md).
//! - Every thread of a `-fhet-migratable` program gets its own unsafe stack: musl maps
//!   [`__het_unsafe_stack_size`] bytes (in the window, through `__mmap`) when it creates
//!   the thread, the thread points its `__het_unsafe_sp` at the top before it runs any
//!   program code ([`__het_thread_begin`]), and musl unmaps it when the thread exits.
//!
//! `__het_unsafe_sp` itself is a thread-local variable of the program (hetcc defines it
//! in migratable programs, `passes/src/unsafe_stack.rs`), so that the aligner gives it
//! one TLS offset; the runtime reaches it through the program's
//! `__het_unsafe_sp_location`. A program built without `-fhet-migratable` defines
//! neither and has no unsafe stack.

use crate::window;
use het_format::migration::{MAIN_THREAD_AREA, MAIN_THREAD_AREA_SIZE};

/// Unsafe stack of every thread but the main one, at least: the locals of a
/// migratable program live there, and glibc, which programs are written against,
/// gives a thread this much stack by default (musl's native default is 128 KiB). Only
/// the pages a thread touches cost memory.
const MIN_THREAD_UNSAFE_STACK: usize = 8 << 20;

extern "C" {
    /// The calling thread's `__het_unsafe_sp`: hetcc emits the function in migratable
    /// programs only, so the reference is weak (null elsewhere).
    #[linkage = "extern_weak"]
    static __het_unsafe_sp_location: Option<unsafe extern "C" fn() -> *mut usize>;
    /// hetcc's musl: re-reads what the kernel owns in the calling thread's descriptor
    /// (its tid, its robust-list registration) after a restore overwrote it.
    fn __het_thread_restored();
}

/// The calling thread's unsafe-stack pointer variable, `None` in a program built
/// without `-fhet-migratable`.
fn unsafe_sp_location() -> Option<*mut usize> {
    // SAFETY: a weak reference reads as `None` when the program does not define it;
    // hetcc's definition returns the address of the calling thread's variable.
    unsafe { __het_unsafe_sp_location.map(|location| location()) }
}

/// The calling thread's unsafe-stack pointer (0 without an unsafe stack).
pub fn unsafe_stack_pointer() -> u64 {
    match unsafe_sp_location() {
        // SAFETY: the calling thread's own variable.
        Some(location) => unsafe { location.read_volatile() as u64 },
        None => 0,
    }
}

/// Moves the calling thread's unsafe-stack pointer (`longjmp` returns it to its value
/// at `setjmp`).
pub fn set_unsafe_stack_pointer(value: u64) {
    if let Some(location) = unsafe_sp_location() {
        // SAFETY: the calling thread's own variable.
        unsafe { location.write_volatile(value as usize) };
    }
}

/// Called by musl's `__init_tls`, before the thread pointer exists (no TLS, no errno):
/// maps the main thread's area at [`MAIN_THREAD_AREA`]. Null if it does not fit or the
/// address is taken; musl then places the area itself, and a migration of the program
/// would be refused ([`main_area_in_place`]).
#[no_mangle]
pub extern "C" fn __het_main_thread_area(size: usize) -> *mut u8 {
    if size as u64 > MAIN_THREAD_AREA_SIZE {
        return core::ptr::null_mut();
    }
    match window::map_exactly(MAIN_THREAD_AREA, size as u64) {
        Ok(()) => MAIN_THREAD_AREA as usize as *mut u8,
        Err(_) => core::ptr::null_mut(),
    }
}

/// Called by musl's `pthread_create`: the size of the new thread's unsafe stack, 0 in
/// a program without one.
#[no_mangle]
pub extern "C" fn __het_unsafe_stack_size(native_stack_size: usize) -> usize {
    if unsafe_sp_location().is_none() {
        return 0;
    }
    native_stack_size.max(MIN_THREAD_UNSAFE_STACK)
}

/// Called by musl on a new thread before its start routine: `top` is the end of the
/// unsafe stack musl mapped for it.
#[no_mangle]
pub extern "C" fn __het_thread_begin(top: *mut u8) {
    set_unsafe_stack_pointer(top as u64);
}

/// After a restore wrote the source's main-thread area over this process's: the
/// kernel's view of the thread (tid, robust list) is this process's again.
pub fn refresh_after_restore() {
    // SAFETY: musl's function only reads and writes the calling thread's descriptor.
    unsafe { __het_thread_restored() }
}

/// Whether the main thread's area lies at [`MAIN_THREAD_AREA`], so that a migration
/// keeps every thread-local address.
pub fn main_area_in_place() -> bool {
    let tp = thread_pointer();
    (MAIN_THREAD_AREA..MAIN_THREAD_AREA + MAIN_THREAD_AREA_SIZE).contains(&tp)
}

fn thread_pointer() -> u64 {
    let tp: u64;
    // SAFETY: reading the thread pointer register has no side effects.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly));
        #[cfg(target_arch = "aarch64")]
        core::arch::asm!("mrs {}, tpidr_el0", out(reg) tp, options(nostack, nomem));
        #[cfg(target_arch = "riscv64")]
        core::arch::asm!("mv {}, tp", out(reg) tp, options(nostack, nomem));
    }
    tp
}

// `__het_thread_call(routine, arg)`: musl's thread start calls the start routine
// through it, so that the start routine's frame returns to a known address
// (`__het_thread_return_address`, a word: a label inside the function would sit at a
// different offset on each ISA, which the aligner refuses). A walk that reaches it has
// walked the whole thread (walk.rs).
#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".section .text.__het_thread_call,\"ax\",@progbits",
    ".globl __het_thread_call",
    ".type __het_thread_call,@function",
    ".p2align 4",
    "__het_thread_call:",
    "push rbp",
    "mov rbp, rsp",
    "mov rax, rdi",
    "mov rdi, rsi",
    "call rax",
    "2:",
    "pop rbp",
    "ret",
    ".size __het_thread_call, . - __het_thread_call",
    ".section .rodata.__het_thread_return_address,\"a\",@progbits",
    ".globl __het_thread_return_address",
    ".type __het_thread_return_address,@object",
    ".p2align 3",
    "__het_thread_return_address:",
    ".quad 2b",
    ".size __het_thread_return_address, 8",
    ".text",
);

#[cfg(target_arch = "aarch64")]
core::arch::global_asm!(
    ".section .text.__het_thread_call,\"ax\",%progbits",
    ".globl __het_thread_call",
    ".type __het_thread_call,%function",
    ".p2align 2",
    "__het_thread_call:",
    "stp x29, x30, [sp, #-16]!",
    "mov x29, sp",
    "mov x2, x0",
    "mov x0, x1",
    "blr x2",
    "2:",
    "ldp x29, x30, [sp], #16",
    "ret",
    ".size __het_thread_call, . - __het_thread_call",
    ".section .rodata.__het_thread_return_address,\"a\",%progbits",
    ".globl __het_thread_return_address",
    ".type __het_thread_return_address,%object",
    ".p2align 3",
    "__het_thread_return_address:",
    ".quad 2b",
    ".size __het_thread_return_address, 8",
    ".text",
);

#[cfg(target_arch = "riscv64")]
core::arch::global_asm!(
    ".section .text.__het_thread_call,\"ax\",%progbits",
    ".globl __het_thread_call",
    ".type __het_thread_call,%function",
    ".p2align 2",
    "__het_thread_call:",
    "addi sp, sp, -16",
    "sd ra, 8(sp)",
    "sd s0, 0(sp)",
    "addi s0, sp, 16",
    "mv t0, a0",
    "mv a0, a1",
    "jalr t0",
    "2:",
    "ld ra, 8(sp)",
    "ld s0, 0(sp)",
    "addi sp, sp, 16",
    "ret",
    ".size __het_thread_call, . - __het_thread_call",
    ".section .rodata.__het_thread_return_address,\"a\",%progbits",
    ".globl __het_thread_return_address",
    ".type __het_thread_return_address,%object",
    ".p2align 3",
    "__het_thread_return_address:",
    ".quad 2b",
    ".size __het_thread_return_address, 8",
    ".text",
);

extern "C" {
    /// Where a thread's start routine returns to, in `__het_thread_call`.
    static __het_thread_return_address: u64;
}

/// Whether `ra` is the return address of a thread's outermost program frame (its start
/// routine, called by `__het_thread_call`).
pub fn is_thread_start_return(ra: u64) -> bool {
    // SAFETY: a constant word of the runtime.
    ra == unsafe { __het_thread_return_address }
}

extern "C" {
    /// musl's: the calling thread's descriptor.
    fn pthread_self() -> usize;
}

/// Offset of `stack` (the top of the thread's stack; 0 for the main thread, whose
/// stack is the kernel's) in hetcc musl's one-layout `struct pthread`
/// (`scripts/musl/thread-area.patch`).
const DESCRIPTOR_STACK: usize = 72;

/// The top of the calling thread's stack if it is not the main thread: a walk on it
/// reads nothing above.
pub fn own_stack_top() -> Option<u64> {
    // SAFETY: musl's pthread_self has no preconditions; the descriptor it returns is
    // the calling thread's, alive while it runs.
    let top = unsafe { ((pthread_self() + DESCRIPTOR_STACK) as *const u64).read() };
    (top != 0).then_some(top)
}

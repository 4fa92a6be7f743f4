//! The program's start. With `-fhet-migratable`, hetcc renames the program's `main` to
//! `__het_user_main` and gives the binary a `main` that calls [`__het_runtime_main`]
//! with it, so the runtime runs between libc's start-up and the program.
//!
//! [`__het_runtime_init`] runs first, as the first entry of `.init_array` (hetcc puts it
//! there), before the program's constructors: a restore happens there, so no
//! constructor runs a second time on the destination; a fresh start maps the unsafe
//! stack and activates the window for anonymous mappings there, so that constructors
//! have their unsafe-stack frames and what they allocate migrates. Then [`start_fresh`]
//! maps the start-up area, copies argv and envp into it, points musl's `__environ`,
//! `__progname` and `__progname_full` at the copies, and calls the program. Everything
//! a program can point to then lives at the same address on every ISA; only libc's
//! ISA-local state (auxv, TLS placement, the initial stack itself) stays outside.

use crate::out::Line;
use crate::{syscall, window};
use het_format::migration::{STARTUP_AREA, STARTUP_AREA_SIZE, UNSAFE_STACK_SIZE, WINDOW_BASE};

/// Exit status when the runtime cannot set up the program's memory.
const START_FAILED: i32 = 127;

/// The program's `main` as the wrapper passes it: always called with three arguments,
/// which is harmless for a `main` declared with fewer on all three ABIs.
pub type UserMain = extern "C" fn(i32, *mut *mut u8, *mut *mut u8) -> i32;

// Weak references: the runtime object is in every hetcc link, but only migratable
// programs define these two (hetcc's `main` wrapper and program identity). In any
// other program the code that uses them is never called, and a weak undefined symbol
// lets such a program link whether or not --gc-sections drops that code.
core::arch::global_asm!(".weak __het_program_id", ".weak __het_user_main");

extern "C" {
    fn free(pointer: *mut u8);
    static mut __environ: *mut *mut u8;
    static mut __progname: *mut u8;
    static mut __progname_full: *mut u8;
    /// Hash of the program's canonical bitcode, emitted by hetcc (`[2 x i64]`): the
    /// same in every ISA's binary of one build.
    static __het_program_id: [u64; 2];
}

/// The build's identity: a checkpoint records it and a restore refuses another build's.
pub fn program_id() -> [u64; 2] {
    // SAFETY: hetcc defines the constant in every migratable program.
    unsafe { __het_program_id }
}

/// Runs before the program's constructors (see the module docs). Returns only for a
/// fresh start.
///
/// # Safety
/// Called once, by libc's start-up, before any program code.
#[no_mangle]
pub unsafe extern "C" fn __het_runtime_init() {
    crate::settings::read_from_env();
    crate::files::note_inherited();
    syscall::allow_any_tracer();
    if let Some(path) = crate::env::var(het_format::migration::ENV_RESTORE) {
        // Returns only if the restore failed.
        let Err(e) = crate::restore::restore(path);
        let mut line = Line::new();
        line.str("het-rt: cannot restore ");
        line.bytes(path);
        line.str(": ");
        line.display(&e);
        line.finish();
        syscall::exit_group(START_FAILED);
    }
    // The only reference the runtime needs to keep the identity through --gc-sections.
    core::hint::black_box(program_id());
    // A program that never frees would otherwise get musl's lite_malloc, which takes
    // memory from brk, outside the window; referencing `free` links mallocng instead.
    core::hint::black_box(free as unsafe extern "C" fn(*mut u8));
    if let Err(e) = window::map_exactly(WINDOW_BASE, UNSAFE_STACK_SIZE) {
        fail_mapping("the unsafe stack", WINDOW_BASE, e);
    }
    window::activate();
}

/// Called by the `main` hetcc synthesizes; returns the program's exit status.
///
/// # Safety
/// `argv` and `envp` must be the NULL-terminated vectors libc passed to `main`, with
/// `argc` entries in `argv`.
#[no_mangle]
pub unsafe extern "C" fn __het_runtime_main(
    argc: i32,
    argv: *mut *mut u8,
    envp: *mut *mut u8,
    user_main: UserMain,
) -> i32 {
    // The kernel's argv array sits above every frame of the initial stack: the walk's
    // upper bound (a restore sets the rebuilt stack's instead).
    crate::walk::set_stack_top(argv as u64);
    crate::requests::arm();
    // SAFETY: forwarded to the caller.
    unsafe { start_fresh(argc, argv, envp, user_main) }
}

/// Starts the program from its beginning (no checkpoint to restore).
///
/// # Safety
/// As for [`__het_runtime_main`].
pub unsafe fn start_fresh(argc: i32, argv: *mut *mut u8, envp: *mut *mut u8, user_main: UserMain) -> i32 {
    // SAFETY: forwarded to the caller.
    let (argv_copy, envp_copy) = unsafe { copy_arguments(argc, argv, envp) };
    user_main(argc, argv_copy, envp_copy)
}

/// Copies argv and envp (pointer vectors, then strings) into the start-up area and
/// repoints musl's globals that point into them; returns the copies.
///
/// # Safety
/// As for [`__het_runtime_main`].
unsafe fn copy_arguments(argc: i32, argv: *mut *mut u8, envp: *mut *mut u8) -> (*mut *mut u8, *mut *mut u8) {
    let argc = argc.max(0) as usize;
    // SAFETY: envp is NULL-terminated.
    let envc = unsafe { count(envp) };
    let vectors = (argc + 1 + envc + 1) * 8;
    let mut strings = 0usize;
    for i in 0..argc {
        // SAFETY: argv has argc entries; each is NULL or a C string.
        strings += unsafe { string_size(*argv.add(i)) };
    }
    for i in 0..envc {
        // SAFETY: envp has envc entries before its NULL.
        strings += unsafe { string_size(*envp.add(i)) };
    }
    let total = (vectors + strings) as u64;
    if total > STARTUP_AREA_SIZE {
        let mut line = Line::new();
        line.str("het-rt: cannot start: arguments and environment take ");
        line.u64(total);
        line.str(" bytes, the migration window's start-up area holds ");
        line.u64(STARTUP_AREA_SIZE);
        line.finish();
        syscall::exit_group(START_FAILED);
    }
    let mapped = total.div_ceil(window::GRANULE) * window::GRANULE;
    if let Err(e) = window::map_exactly(STARTUP_AREA, mapped) {
        fail_mapping("the start-up area", STARTUP_AREA, e);
    }
    let argv_copy = STARTUP_AREA as usize as *mut *mut u8;
    // SAFETY: the start-up area was just mapped with room for both vectors and every
    // string; the sources are the caller's live vectors.
    unsafe {
        let envp_copy = argv_copy.add(argc + 1);
        let mut next = envp_copy.add(envc + 1) as *mut u8;
        for i in 0..argc {
            let original = *argv.add(i);
            *argv_copy.add(i) = copy_string(original, &mut next);
            repoint(&raw mut __progname_full, original, *argv_copy.add(i));
            repoint(&raw mut __progname, original, *argv_copy.add(i));
        }
        *argv_copy.add(argc) = core::ptr::null_mut();
        let mut kept = 0;
        for i in 0..envc {
            let entry = *envp.add(i);
            if is_runtime_variable(entry) {
                continue;
            }
            *envp_copy.add(kept) = copy_string(entry, &mut next);
            kept += 1;
        }
        *envp_copy.add(kept) = core::ptr::null_mut();
        if __environ == envp {
            __environ = envp_copy;
        }
        (argv_copy, envp_copy)
    }
}

/// If `*global` points into the string `original`, points it at the same offset in
/// `copy`. musl's `__progname` is a suffix of `argv[0]`; when `argv[0]` is NULL both
/// point at a string in libc's own data, which needs no copy.
///
/// # Safety
/// `global` is a live pointer variable; `original` is NULL or a C string whose copy is
/// `copy`.
unsafe fn repoint(global: *mut *mut u8, original: *mut u8, copy: *mut u8) {
    if original.is_null() {
        return;
    }
    // SAFETY: as documented.
    unsafe {
        let len = string_size(original);
        let at = (*global as usize).wrapping_sub(original as usize);
        if at < len {
            *global = copy.add(at);
        }
    }
}

/// Whether `entry` (`NAME=value`) sets one of the runtime's own variables, which the
/// program must not see: its environment is the same with and without migration.
///
/// # Safety
/// `entry` is NULL or a C string.
unsafe fn is_runtime_variable(entry: *const u8) -> bool {
    if entry.is_null() {
        return false;
    }
    // SAFETY: as documented.
    let text = unsafe { core::ffi::CStr::from_ptr(entry.cast()) }.to_bytes();
    het_format::migration::RUNTIME_VARIABLES
        .iter()
        .any(|name| text.len() > name.len() && text.starts_with(name.as_bytes()) && text[name.len()] == b'=')
}

/// Number of entries before the NULL of a pointer vector.
///
/// # Safety
/// `vector` is NULL or NULL-terminated.
unsafe fn count(vector: *mut *mut u8) -> usize {
    if vector.is_null() {
        return 0;
    }
    let mut n = 0;
    // SAFETY: as documented.
    while unsafe { !(*vector.add(n)).is_null() } {
        n += 1;
    }
    n
}

/// Bytes of a C string including its NUL (0 for NULL).
///
/// # Safety
/// `s` is NULL or a C string.
unsafe fn string_size(s: *const u8) -> usize {
    if s.is_null() {
        return 0;
    }
    // SAFETY: as documented.
    unsafe { core::ffi::CStr::from_ptr(s.cast()).to_bytes_with_nul().len() }
}

/// Copies the C string `s` to `*next` and advances it; NULL stays NULL.
///
/// # Safety
/// `s` is NULL or a C string; `*next` has room for it.
unsafe fn copy_string(s: *mut u8, next: &mut *mut u8) -> *mut u8 {
    if s.is_null() {
        return s;
    }
    // SAFETY: as documented.
    unsafe {
        let len = string_size(s);
        let copy = *next;
        core::ptr::copy_nonoverlapping(s, copy, len);
        *next = copy.add(len);
        copy
    }
}

/// Reports a window range that could not be mapped and stops the program.
fn fail_mapping(what: &str, address: u64, errno: isize) -> ! {
    let mut line = Line::new();
    line.str("het-rt: cannot start: ");
    line.str(what);
    line.display(&format_args!(
        " at {address:#x} in the migration window could not be mapped"
    ));
    if errno == -17 {
        line.str(" (the address range is already in use)");
    } else {
        line.str(" (errno ");
        line.u64(errno.unsigned_abs() as u64);
        line.str(")");
    }
    line.finish();
    syscall::exit_group(START_FAILED)
}

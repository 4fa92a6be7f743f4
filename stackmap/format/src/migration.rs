//! The conventions between a migratable program's runtime and the tools that drive it
//! (`het run`, `het migrate`, `het restore`, the test harness): environment variables,
//! the request signal, the exit status of a checkpointed process, and the fixed
//! address window that holds every piece of memory that must keep its address across
//! a migration. Defined once here so the runtime and the tools cannot drift apart.

/// Path the process writes its checkpoint to when a migration is requested. Without
/// it the runtime writes `het-<pid>.ckpt` in the current directory.
pub const ENV_CHECKPOINT: &str = "HET_CHECKPOINT";

/// When set at start-up, the runtime restores this checkpoint instead of calling the
/// program's `main`, and removes the variable from the environment it hands on.
pub const ENV_RESTORE: &str = "HET_RESTORE";

/// Test mode: request a migration at the k-th migration point the program passes
/// (1-based; counted from the start of each hop: a restore reads it afresh, so a chain
/// of hops is driven by giving each hop its own count).
pub const ENV_MIGRATE_AT: &str = "HET_MIGRATE_AT";

/// The ISA a requested checkpoint is meant for (`x86_64`, `aarch64`, `riscv64`); the
/// checkpoint records it and a restore on any other ISA is refused. Unset: any ISA.
pub const ENV_TARGET: &str = "HET_TARGET";

/// When set, the runtime reports on stderr how long each migration step took
/// (`het-rt: checkpoint …`, `het-rt: restore …`, `het-rt: rebuild …`), for benchmarks.
pub const ENV_TIMING: &str = "HET_TIMING";

/// Every variable above: the runtime reads them at start-up and hides them from the
/// program, whose environment must look the same with and without migration.
pub const RUNTIME_VARIABLES: [&str; 5] = [ENV_CHECKPOINT, ENV_RESTORE, ENV_MIGRATE_AT, ENV_TARGET, ENV_TIMING];

/// Signal number (the same on all three ISAs' Linux ABIs) that asks a migratable
/// process to migrate at its next migration point: SIGUSR2, sent with `sigqueue` and
/// [`REQUEST_VALUE`]. The program keeps the signal: any SIGUSR2 without that value
/// (its own `kill`, `raise`, another process's) gets the program's disposition.
pub const REQUEST_SIGNAL: i32 = 12;

/// The `sigqueue` value that marks a [`REQUEST_SIGNAL`] as a migration request.
pub const REQUEST_VALUE: u64 = 0x6865_745f_6d69_6772;

/// The runtime's request flag: `het` asks for a migration by writing
/// [`REQUEST_MIGRATE_VALUE`] there (the address is the symbol's, the same in every ISA's
/// binary), and falls back to [`REQUEST_SIGNAL`] when it may not write the process's
/// memory.
pub const REQUEST_FLAG_SYMBOL: &str = "__het_migration_request";

/// The flag value of a real migration request.
pub const REQUEST_MIGRATE_VALUE: u32 = 1;

/// Where the runtime says what became of the last request (a `u32`).
pub const STATUS_SYMBOL: &str = "__het_migration_status";

/// Status: deferred (a libc frame that calls back into the program is on the stack);
/// ask again later.
pub const STATUS_VALUE_DEFERRED: u32 = 1;

/// Status: refused, the program continues; the reason is at [`REASON_SYMBOL`].
pub const STATUS_VALUE_REFUSED: u32 = 2;

/// A NUL-terminated reason for the last refusal, [`REASON_BYTES`] long.
pub const REASON_SYMBOL: &str = "__het_migration_reason";

/// Size of the reason buffer.
pub const REASON_BYTES: usize = 160;

/// Exit status of a process that wrote its checkpoint and stopped for migration
/// (EX_TEMPFAIL). Tools must also see the checkpoint file: a program may exit with 75
/// on its own.
pub const CHECKPOINT_EXIT_STATUS: i32 = 75;

/// Start of the migration window: heap, anonymous mappings, the unsafe stack and the
/// copies of argv/envp live here, at the same addresses on every ISA. Measured to be
/// free natively and under qemu-user on all three ISAs (docs/migration-runtime.md).
pub const WINDOW_BASE: u64 = 0x1000_0000_0000;

/// Size of the window's address range (virtual; only what is used is mapped).
pub const WINDOW_SIZE: u64 = 1 << 40;

/// The unsafe stack (address-taken locals) occupies the window's first bytes, growing
/// down from `WINDOW_BASE + UNSAFE_STACK_SIZE`.
pub const UNSAFE_STACK_SIZE: u64 = 256 << 20;

/// argv/envp copies and other start-up data follow the unsafe stack.
pub const STARTUP_AREA: u64 = WINDOW_BASE + UNSAFE_STACK_SIZE;

/// Size of the start-up area.
pub const STARTUP_AREA_SIZE: u64 = 16 << 20;

/// The main thread's area (its descriptor, TLS block and thread control block, laid
/// out alike on every ISA by hetcc's musl) follows the start-up area, so that `&errno`
/// and the addresses of thread-local variables are the same on every ISA.
pub const MAIN_THREAD_AREA: u64 = STARTUP_AREA + STARTUP_AREA_SIZE;

/// Size of the main thread's area: the largest TLS a program can have and still
/// migrate (virtual; only what musl asks for is mapped).
pub const MAIN_THREAD_AREA_SIZE: u64 = 64 << 20;

/// Heap and anonymous mappings are placed from here upwards.
pub const HEAP_BASE: u64 = MAIN_THREAD_AREA + MAIN_THREAD_AREA_SIZE;

/*
 * Adapters between the canonical ABI of hetcc programs and this ISA's musl.
 *
 * hetcc compiles every program once, against riscv64's musl headers (the canonical
 * target), and runs that one IR on every ISA. Where this ISA's libc disagrees with
 * those headers, calls go through an adapter named __het_<function> (see
 * passes/src/abi.rs for the list), compiled here per ISA against this ISA's own
 * headers:
 *   - struct stat: x86-64 lays it out differently from riscv64/aarch64;
 *   - struct epoll_event: packed (12 bytes) on x86-64, 16 bytes elsewhere;
 *   - open()/fcntl() flags: aarch64 numbers O_DIRECTORY, O_NOFOLLOW, O_DIRECT and
 *     O_LARGEFILE differently;
 *   - va_list: the program's va_list is a pointer to 8-byte argument slots (riscv64's
 *     representation); the adapters build this ISA's va_list over the same slots;
 *   - calls through variadic function pointers pass their variadic arguments in such
 *     slots too, so where the program takes the address of a libc variadic function it
 *     gets an adapter that takes the slots: printf's is __het_vprintf's (the slots are
 *     the canonical va_list), the __het_slots_* ones below read them for libc
 *     functions without a v variant.
 * On an ISA whose layout already matches, the adapter is a plain call; static
 * assertions check that claim against this ISA's headers.
 */
/* Each part below becomes an archive member of its own (scripts/setup.sh compiles this
 * file once per part with HET_PART set), so that an adapter the program uses pulls in
 * only the libc members it calls: a program that defines its own warn() and uses
 * fprintf() through a pointer must not get musl's err.o, and its warn(), too. */
#define HET_PARTS 13
#ifdef HET_PART
#define HET_IN(n) (HET_PART == (n))
#else
#define HET_IN(n) 1
#endif

#include <err.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <syslog.h>
#include <unistd.h>
#include <wchar.h>

/* ---- struct stat ------------------------------------------------------------ */

/* The canonical layout: riscv64 musl's struct stat (arch/riscv64/bits/stat.h). */
struct het_timespec { int64_t tv_sec; int64_t tv_nsec; };
struct het_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	struct het_timespec st_atim, st_mtim, st_ctim;
	uint32_t unused[2];
};
_Static_assert(sizeof(struct het_stat) == 128, "canonical struct stat is 128 bytes");

#if defined(__x86_64__)
static inline int stat_result(int rc, const struct stat *in, struct het_stat *out)
{
	if (rc != 0)
		return rc;
	memset(out, 0, sizeof *out);
	out->st_dev = in->st_dev;
	out->st_ino = in->st_ino;
	out->st_mode = in->st_mode;
	out->st_nlink = (uint32_t)in->st_nlink;
	out->st_uid = in->st_uid;
	out->st_gid = in->st_gid;
	out->st_rdev = in->st_rdev;
	out->st_size = in->st_size;
	out->st_blksize = (int32_t)in->st_blksize;
	out->st_blocks = in->st_blocks;
	out->st_atim = (struct het_timespec){ in->st_atim.tv_sec, in->st_atim.tv_nsec };
	out->st_mtim = (struct het_timespec){ in->st_mtim.tv_sec, in->st_mtim.tv_nsec };
	out->st_ctim = (struct het_timespec){ in->st_ctim.tv_sec, in->st_ctim.tv_nsec };
	return rc;
}
#define STAT_CALL(call, out) do { struct stat native; return stat_result(call(&native), &native, out); } while (0)
#else
#define SAME_FIELD(f) _Static_assert(offsetof(struct stat, f) == offsetof(struct het_stat, f) && \
	sizeof(((struct stat *)0)->f) == sizeof(((struct het_stat *)0)->f), "struct stat field " #f " differs from canonical")
SAME_FIELD(st_dev); SAME_FIELD(st_ino); SAME_FIELD(st_mode); SAME_FIELD(st_nlink);
SAME_FIELD(st_uid); SAME_FIELD(st_gid); SAME_FIELD(st_rdev); SAME_FIELD(st_size);
SAME_FIELD(st_blksize); SAME_FIELD(st_blocks); SAME_FIELD(st_atim); SAME_FIELD(st_mtim); SAME_FIELD(st_ctim);
_Static_assert(sizeof(struct stat) == sizeof(struct het_stat), "struct stat size differs from canonical");
#define STAT_CALL(call, out) return call((struct stat *)(out))
#endif

#if HET_IN(1)
int __het_stat(const char *restrict path, struct het_stat *restrict out)
{
#define CALL(st) stat(path, st)
	STAT_CALL(CALL, out);
#undef CALL
}

int __het_lstat(const char *restrict path, struct het_stat *restrict out)
{
#define CALL(st) lstat(path, st)
	STAT_CALL(CALL, out);
#undef CALL
}

int __het_fstat(int fd, struct het_stat *out)
{
#define CALL(st) fstat(fd, st)
	STAT_CALL(CALL, out);
#undef CALL
}

int __het_fstatat(int dirfd, const char *restrict path, struct het_stat *restrict out, int flags)
{
#define CALL(st) fstatat(dirfd, path, st, flags)
	STAT_CALL(CALL, out);
#undef CALL
}
#endif /* part 1 */

/* nftw() and ftw() hand their callback this ISA's struct stat: a trampoline passes on
 * the canonical one. nftw has no user pointer, so the program's callback waits in a
 * static, saved around the walk (a callback may walk again), and one thread walks at
 * a time (a lock its owner may take again). Every ISA takes the same path, a copy
 * where the layouts agree, so that every ISA has the same globals. */
typedef int (*het_nftw_fn)(const char *, const struct het_stat *, int, struct FTW *);
typedef int (*het_ftw_fn)(const char *, const struct het_stat *, int);

#if HET_IN(2)
static het_nftw_fn nftw_callback;
static het_ftw_fn ftw_callback;
static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t walk_owner;
static int walk_depth;

static void walk_begin(void)
{
	/* Only the owner itself can find its own id here while it walks. */
	if (walk_depth > 0 && pthread_equal(walk_owner, pthread_self())) {
		walk_depth++;
		return;
	}
	pthread_mutex_lock(&walk_lock);
	walk_owner = pthread_self();
	walk_depth = 1;
}

static void walk_end(void)
{
	if (--walk_depth == 0)
		pthread_mutex_unlock(&walk_lock);
}

static void canonical_stat(const struct stat *native, struct het_stat *out)
{
#if defined(__x86_64__)
	stat_result(0, native, out);
#else
	memcpy(out, native, sizeof *out);
#endif
}

static int nftw_trampoline(const char *path, const struct stat *native, int type, struct FTW *ftw)
{
	struct het_stat canonical;
	canonical_stat(native, &canonical);
	return nftw_callback(path, &canonical, type, ftw);
}

static int ftw_trampoline(const char *path, const struct stat *native, int type)
{
	struct het_stat canonical;
	canonical_stat(native, &canonical);
	return ftw_callback(path, &canonical, type);
}

int __het_nftw(const char *dir, het_nftw_fn fn, int fd_limit, int flags)
{
	walk_begin();
	het_nftw_fn outer = nftw_callback;
	nftw_callback = fn;
	int rc = nftw(dir, nftw_trampoline, fd_limit, flags);
	nftw_callback = outer;
	walk_end();
	return rc;
}

int __het_ftw(const char *dir, het_ftw_fn fn, int fd_limit)
{
	walk_begin();
	het_ftw_fn outer = ftw_callback;
	ftw_callback = fn;
	int rc = ftw(dir, ftw_trampoline, fd_limit);
	ftw_callback = outer;
	walk_end();
	return rc;
}
#endif /* part 2 */

/* ---- struct epoll_event ---------------------------------------------------- */

/* The canonical layout: naturally aligned, 16 bytes. */
struct het_epoll_event { uint32_t events; uint64_t data; };

#if HET_IN(3)
#if defined(__x86_64__)
int __het_epoll_ctl(int epfd, int op, int fd, struct het_epoll_event *event)
{
	struct epoll_event native;
	if (event) {
		native.events = event->events;
		native.data.u64 = event->data;
	}
	return epoll_ctl(epfd, op, fd, event ? &native : NULL);
}

/* The kernel fills 12-byte records; they fit in the caller's 16-byte ones and are
 * spread out from the last to the first, so none is overwritten before it is read. */
static int widen_events(struct het_epoll_event *events, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		struct epoll_event native;
		memcpy(&native, (char *)events + i * sizeof native, sizeof native);
		events[i].events = native.events;
		events[i].data = native.data.u64;
	}
	return n;
}

int __het_epoll_wait(int epfd, struct het_epoll_event *events, int max, int timeout)
{
	return widen_events(events, epoll_wait(epfd, (struct epoll_event *)events, max, timeout));
}

int __het_epoll_pwait(int epfd, struct het_epoll_event *events, int max, int timeout, const sigset_t *mask)
{
	return widen_events(events, epoll_pwait(epfd, (struct epoll_event *)events, max, timeout, mask));
}
#else
_Static_assert(sizeof(struct epoll_event) == sizeof(struct het_epoll_event), "epoll_event differs from canonical");
int __het_epoll_ctl(int epfd, int op, int fd, struct het_epoll_event *event)
{
	return epoll_ctl(epfd, op, fd, (struct epoll_event *)event);
}

int __het_epoll_wait(int epfd, struct het_epoll_event *events, int max, int timeout)
{
	return epoll_wait(epfd, (struct epoll_event *)events, max, timeout);
}

int __het_epoll_pwait(int epfd, struct het_epoll_event *events, int max, int timeout, const sigset_t *mask)
{
	return epoll_pwait(epfd, (struct epoll_event *)events, max, timeout, mask);
}
#endif
#endif /* part 3 */

/* ---- open() and fcntl() flags ------------------------------------------------ */

/* The canonical (riscv64) values of the flags whose numbers differ on some ISA. */
static const struct { int canonical, native; } open_flags[] __attribute__((unused)) = {
	{ 0200000, O_DIRECTORY },
	{ 0400000, O_NOFOLLOW },
	{ 040000, O_DIRECT },
	{ 0100000, O_LARGEFILE },
};
#define N_OPEN_FLAGS (sizeof open_flags / sizeof open_flags[0])

static inline int to_native_flags(int flags)
{
	int out = flags;
	for (size_t i = 0; i < N_OPEN_FLAGS; i++)
		out &= ~open_flags[i].canonical;
	for (size_t i = 0; i < N_OPEN_FLAGS; i++)
		if (flags & open_flags[i].canonical)
			out |= open_flags[i].native;
	return out;
}

static inline int to_canonical_flags(int flags)
{
	int out = flags;
	for (size_t i = 0; i < N_OPEN_FLAGS; i++)
		out &= ~open_flags[i].native;
	for (size_t i = 0; i < N_OPEN_FLAGS; i++)
		if (flags & open_flags[i].native)
			out |= open_flags[i].canonical;
	return out;
}

/* mode_t is read only when the flags say it was passed, as open(2) specifies. */
static inline mode_t mode_argument(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

static inline int fcntl_canonical(int fd, int cmd, unsigned long arg)
{
	if (cmd == F_SETFL)
		return fcntl(fd, cmd, to_native_flags((int)arg));
	int rc = fcntl(fd, cmd, arg);
	return cmd == F_GETFL && rc >= 0 ? to_canonical_flags(rc) : rc;
}

#if HET_IN(4)
int __het_open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int native = to_native_flags(flags);
	mode_t mode = mode_argument(native, ap);
	va_end(ap);
	return open(path, native, mode);
}

int __het_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int native = to_native_flags(flags);
	mode_t mode = mode_argument(native, ap);
	va_end(ap);
	return openat(dirfd, path, native, mode);
}

int __het_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	unsigned long arg = va_arg(ap, unsigned long);
	va_end(ap);
	return fcntl_canonical(fd, cmd, arg);
}
#endif /* part 4 */

/* ---- libc variadic functions called through pointers ------------------------- */

/* A call through a variadic function pointer passes its variadic arguments in 8-byte
 * slots; an integer narrower than a slot is widened as riscv64 passes it in a register.
 * Every caller's slot area has at least one slot, so reading the first is always in
 * bounds, whatever the caller passed. */
static inline unsigned long first_slot(const void *slots)
{
	unsigned long value;
	memcpy(&value, slots, sizeof value);
	return value;
}

#if HET_IN(5)
int __het_slots_open(const char *path, int flags, void *slots)
{
	int native = to_native_flags(flags);
	int wants_mode = (native & O_CREAT) || (native & O_TMPFILE) == O_TMPFILE;
	return open(path, native, wants_mode ? (mode_t)first_slot(slots) : 0);
}

int __het_slots_openat(int dirfd, const char *path, int flags, void *slots)
{
	int native = to_native_flags(flags);
	int wants_mode = (native & O_CREAT) || (native & O_TMPFILE) == O_TMPFILE;
	return openat(dirfd, path, native, wants_mode ? (mode_t)first_slot(slots) : 0);
}

int __het_slots_fcntl(int fd, int cmd, void *slots)
{
	return fcntl_canonical(fd, cmd, first_slot(slots));
}

int __het_slots_ioctl(int fd, int request, void *slots)
{
	return ioctl(fd, request, (void *)first_slot(slots));
}
#endif /* part 5 */

/* mremap's new address is passed only with MREMAP_FIXED. Both are GNU extensions,
 * declared here rather than with _GNU_SOURCE for the whole file; the flag is 2 on
 * every Linux ISA. */
void *mremap(void *old, size_t old_size, size_t new_size, int flags, ...);
#define MREMAP_FIXED 2

#if HET_IN(6)
void *__het_slots_mremap(void *old, size_t old_size, size_t new_size, int flags, void *slots)
{
	void *fixed = (flags & MREMAP_FIXED) ? (void *)first_slot(slots) : 0;
	return mremap(old, old_size, new_size, flags, fixed);
}
#endif /* part 6 */

/* execl(path, arg0, ...): arg0 is fixed, the rest of the list (up to and including its
 * NULL) is in the slots; execle's environment is the slot after that NULL. */
static inline size_t list_length(const char *arg0, char *const *rest)
{
	size_t n = 0;
	if (arg0)
		while (rest[n])
			n++;
	return n;
}

#define EXEC_ARGV(argv, arg0, rest, n) \
	char *argv[(n) + 2]; \
	argv[0] = (char *)(arg0); \
	memcpy(argv + 1, (rest), (n) * sizeof *argv); \
	argv[(n) + 1] = NULL

#if HET_IN(7)
int __het_slots_execl(const char *path, const char *arg0, void *slots)
{
	char *const *rest = slots;
	size_t n = list_length(arg0, rest);
	EXEC_ARGV(argv, arg0, rest, n);
	return execv(path, argv);
}

int __het_slots_execlp(const char *file, const char *arg0, void *slots)
{
	char *const *rest = slots;
	size_t n = list_length(arg0, rest);
	EXEC_ARGV(argv, arg0, rest, n);
	return execvp(file, argv);
}

int __het_slots_execle(const char *path, const char *arg0, void *slots)
{
	char *const *rest = slots;
	size_t n = list_length(arg0, rest);
	char *const *envp = arg0 ? (char *const *)rest[n + 1] : (char *const *)rest[0];
	EXEC_ARGV(argv, arg0, rest, n);
	return execve(path, argv, envp);
}
#endif /* part 7 */

/* ---- va_list consumers ------------------------------------------------------------ */

/* Makes *ap, this ISA's va_list, read its arguments from canonical 8-byte slots. */
static inline void native_va_list(va_list *ap, void *slots)
{
#if defined(__x86_64__)
	/* All register areas marked used up: every va_arg reads overflow_arg_area. */
	struct { unsigned gp_offset, fp_offset; void *overflow_arg_area, *reg_save_area; } *tag = (void *)*ap;
	tag->gp_offset = 48;
	tag->fp_offset = 176;
	tag->overflow_arg_area = slots;
	tag->reg_save_area = NULL;
#elif defined(__aarch64__)
	/* Non-negative offsets mean both register areas are used up: va_arg reads __stack. */
	struct { void *stack, *gr_top, *vr_top; int gr_offs, vr_offs; } *list = (void *)ap;
	list->stack = slots;
	list->gr_top = NULL;
	list->vr_top = NULL;
	list->gr_offs = 0;
	list->vr_offs = 0;
#elif defined(__riscv) && __riscv_xlen == 64
	memcpy(ap, &slots, sizeof slots);
#else
#error "hetcc: no va_list adapter for this ISA"
#endif
}

#define VA_ADAPTER(ret, name, params, args) \
	ret __het_##name params \
	{ \
		va_list ap; \
		native_va_list(&ap, slots); \
		return name args; \
	}

#if HET_IN(8)
VA_ADAPTER(int, vprintf, (const char *restrict fmt, void *slots), (fmt, ap))
VA_ADAPTER(int, vfprintf, (FILE *restrict f, const char *restrict fmt, void *slots), (f, fmt, ap))
VA_ADAPTER(int, vsprintf, (char *restrict s, const char *restrict fmt, void *slots), (s, fmt, ap))
VA_ADAPTER(int, vsnprintf, (char *restrict s, size_t n, const char *restrict fmt, void *slots), (s, n, fmt, ap))
VA_ADAPTER(int, vdprintf, (int fd, const char *restrict fmt, void *slots), (fd, fmt, ap))
VA_ADAPTER(int, vasprintf, (char **s, const char *fmt, void *slots), (s, fmt, ap))
#endif /* part 8 */

#if HET_IN(9)
VA_ADAPTER(int, vscanf, (const char *restrict fmt, void *slots), (fmt, ap))
VA_ADAPTER(int, vfscanf, (FILE *restrict f, const char *restrict fmt, void *slots), (f, fmt, ap))
VA_ADAPTER(int, vsscanf, (const char *restrict s, const char *restrict fmt, void *slots), (s, fmt, ap))
#endif /* part 9 */

#if HET_IN(10)
VA_ADAPTER(int, vwprintf, (const wchar_t *restrict fmt, void *slots), (fmt, ap))
VA_ADAPTER(int, vfwprintf, (FILE *restrict f, const wchar_t *restrict fmt, void *slots), (f, fmt, ap))
VA_ADAPTER(int, vswprintf, (wchar_t *restrict s, size_t n, const wchar_t *restrict fmt, void *slots), (s, n, fmt, ap))
#endif /* part 10 */

#if HET_IN(11)
VA_ADAPTER(int, vwscanf, (const wchar_t *restrict fmt, void *slots), (fmt, ap))
VA_ADAPTER(int, vfwscanf, (FILE *restrict f, const wchar_t *restrict fmt, void *slots), (f, fmt, ap))
VA_ADAPTER(int, vswscanf, (const wchar_t *restrict s, const wchar_t *restrict fmt, void *slots), (s, fmt, ap))
#endif /* part 11 */

#define VA_ADAPTER_VOID(name, params, args) \
	void __het_##name params \
	{ \
		va_list ap; \
		native_va_list(&ap, slots); \
		name args; \
	}

#if HET_IN(12)
VA_ADAPTER_VOID(vsyslog, (int priority, const char *fmt, void *slots), (priority, fmt, ap))
#endif /* part 12 */

#if HET_IN(13)
VA_ADAPTER_VOID(vwarn, (const char *fmt, void *slots), (fmt, ap))
VA_ADAPTER_VOID(vwarnx, (const char *fmt, void *slots), (fmt, ap))
_Noreturn VA_ADAPTER_VOID(verr, (int status, const char *fmt, void *slots), (status, fmt, ap))
_Noreturn VA_ADAPTER_VOID(verrx, (int status, const char *fmt, void *slots), (status, fmt, ap))
#endif /* part 13 */


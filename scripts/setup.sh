#!/usr/bin/env bash
# scripts/setup.sh — everything hetcc needs outside Cargo, idempotent:
#   1. Debian packages (LLVM/clang/lld 22, cross gccs for libgcc, qemu-user, rustc-web…)
#   2. musl 1.2.3 from Debian's source package, built by clang-22 for x86_64, aarch64
#      and riscv64 with identical flags, installed into $HETCC_SYSROOT/<isa>
#   3. runtime-lib (no_std Rust) -> <isa>/lib/libhet_rt.a
#   4. runtime-lib/abi/het_abi.c  -> <isa>/lib/libhet_abi.a, then a link test per ISA
# Every step is guarded by a stamp, so a run with nothing to do takes well under 5 s
# and never touches the network. See docs/setup.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$REPO/scripts/lib/common.sh"

MUSL_UPSTREAM=1.2.3
JOBS=${HETCC_JOBS:-$(nproc)}
BUILD=$HETCC_CACHE/build
# Bump when the musl recipe below changes in a way that needs a rebuild.
MUSL_RECIPE=5
RT_RECIPE=6 # likewise for libhet_rt.a

# Debian packages (bookworm + bookworm-security). llvm-22 carries llvm-ar/ranlib-22;
# gcc and the cross gccs are here for their libgcc.a; dpkg-dev unpacks source packages;
# csmith and its headers make the random programs of the csmith test.
PACKAGES=(llvm-22 llvm-22-dev clang-22 lld-22 libclang-22-dev libpolly-22-dev libzstd-dev
          qemu-user gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross
          gcc-riscv64-linux-gnu libc6-dev-riscv64-cross musl-dev musl-tools
          rustc-web rust-web-src dpkg-dev patch make xz-utils csmith libcsmith-dev)

t_start=$(date +%s)
# Progress goes to stderr, so functions can print results on stdout.
log() { printf '[setup %3ss] %s\n' "$(($(date +%s) - t_start))" "$*" >&2; }
# fail MESSAGE [DEBIAN-PACKAGE]: say what failed (and what to install) and stop.
fail() {
    echo "setup.sh: FAILED: $1" >&2
    [[ -n ${2:-} ]] && echo "setup.sh: install the Debian package: apt-get install $2" >&2
    exit 1
}
# Show the end of a build log on failure, so CI output says why.
fail_log() {
    echo "---- last lines of $2 ----" >&2
    tail -n 30 "$2" >&2 || true
    fail "$1 (full log: $2)" "${3:-}"
}
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
sha() { sha256sum | cut -c1-64; }
# Install $2 as $1 atomically (others may be linking against the sysroot right now).
install_file() { cp "$2" "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"; }

# ---------------------------------------------------------------------------------------
# 1. apt packages: dpkg-query only; apt-get update/install only when something is missing.
step_packages() {
    local -A have=()
    local pkg status missing=()
    while read -r pkg status; do
        [[ $status == installed ]] && have[$pkg]=1
    done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
    for pkg in "${PACKAGES[@]}"; do [[ -n ${have[$pkg]:-} ]] || missing+=("$pkg"); done
    if ((${#missing[@]})); then
        log "installing: ${missing[*]}"
        as_root apt-get update -q || fail "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${missing[@]}" || fail "apt-get install ${missing[*]}" "${missing[*]}"
    fi
    # The tools the later steps call, and the package that provides each.
    local -A tools=([clang-22]=clang-22 [ld.lld-22]=lld-22 [llvm-ar-22]=llvm-22
        [llvm-ranlib-22]=llvm-22 [llvm-nm-22]=llvm-22 [llvm-objcopy-22]=llvm-22
        [/usr/bin/rustc]=rustc-web [patch]=patch
        [gcc]=gcc [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
        [riscv64-linux-gnu-gcc]=gcc-riscv64-linux-gnu [qemu-aarch64]=qemu-user
        [qemu-riscv64]=qemu-user [dpkg-source]=dpkg-dev [make]=make)
    local t
    for t in "${!tools[@]}"; do
        command -v "$t" >/dev/null || fail "$t not found" "${tools[$t]}"
    done
    [[ -d /usr/lib/rustlib/src/rust/library ]] || fail "Rust library source missing" rust-web-src
    # cargo is the host (rustup) toolchain's; Debian's rustc-web comes without one.
    command -v cargo >/dev/null || fail "cargo not found on PATH (install the rustup toolchain)"
}

# ---------------------------------------------------------------------------------------
# 2. musl. Stamp key = everything that shapes libc.a; nothing here needs the network.
musl_key() {
    local isa=$1
    printf '%s\n' "recipe=$MUSL_RECIPE musl=$MUSL_UPSTREAM" \
        "clang=$(dpkg-query -W -f='${Version}' clang-22)" \
        "cflags=${HET_LIBC_CFLAGS[*]} $(het_abi_flags "$isa") $(het_layout_flags "$isa")" \
        "cc=$(sha <"$REPO/scripts/lib/libc-cc")" \
        "patches=$(cat "$REPO"/scripts/musl/*.patch | sha)" | sha
}
musl_ok() {
    local isa=$1 f
    for f in include/stdio.h lib/crt1.o lib/crti.o lib/crtn.o lib/libc.a lib/libgcc.a; do
        [[ -e $HETCC_SYSROOT/$isa/$f ]] || return 1
    done
    [[ $(cat "$HETCC_SYSROOT/$isa/.musl.stamp" 2>/dev/null) == "$(musl_key "$isa")" ]]
}

# apt-get source needs a deb-src entry; add one for bookworm main if there is none.
ensure_deb_src() {
    if grep -rqsE '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
       grep -rqsE '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
        return
    fi
    log "adding a deb-src entry (/etc/apt/sources.list.d/hetcc-debian-src.sources)"
    as_root tee /etc/apt/sources.list.d/hetcc-debian-src.sources >/dev/null <<'EOF'
# Added by hetcc scripts/setup.sh: musl is built from Debian's source package.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    as_root apt-get update -q >&2 || fail "apt-get update (after adding deb-src)"
}

# Download Debian's musl source once (kept in the cache); print the .dsc path.
musl_dsc() {
    local src=$HETCC_CACHE/src dsc
    mkdir -p "$src"
    dsc=$(find "$src" -maxdepth 1 -name "musl_$MUSL_UPSTREAM-*.dsc" | sort | tail -n1)
    if [[ -z $dsc ]]; then
        ensure_deb_src
        log "apt-get source musl"
        # As root apt warns that its _apt sandbox user can't write here; harmless.
        (cd "$src" && apt-get source -q --download-only musl) >"$src/apt-source.log" 2>&1 ||
            fail_log "apt-get source musl" "$src/apt-source.log" dpkg-dev
        dsc=$(find "$src" -maxdepth 1 -name "musl_$MUSL_UPSTREAM-*.dsc" | sort | tail -n1)
        [[ -n $dsc ]] || fail "Debian's musl source is not version $MUSL_UPSTREAM ($(ls "$src"))"
    fi
    echo "$dsc"
}

build_musl() {
    local isas=("$@") dsc tree isa t0
    dsc=$(musl_dsc)
    # A pristine tree with Debian's patches applied, unpacked fresh for every build.
    tree=$BUILD/musl-src
    rm -rf "$tree"
    mkdir -p "$BUILD"
    dpkg-source -q -x "$dsc" "$tree" >"$BUILD/musl-unpack.log" 2>&1 ||
        fail_log "dpkg-source -x $dsc" "$BUILD/musl-unpack.log" dpkg-dev
    # Debian's rules add musl-fts (fts.h/fts_open…) to libc; do the same so the headers
    # and library match Debian's musl-dev.
    mkdir -p "$tree/src/fts"
    cp "$tree"/debian/musl-fts/{fts.c,config.h} "$tree/src/fts/"
    cp "$tree/debian/musl-fts/fts.h" "$tree/include/"
    # mallocng takes its metadata pages from brk while it can, and the brk heap sits at
    # an ISA- and run-specific address (randomised natively, after .bss under qemu), so
    # a migrated program's metadata pointers would dangle. With brk always failing,
    # alloc_meta's `brk(new) != new` sets ctx.brk = -1 and never tries again: the
    # metadata then comes from __mmap, which the runtime places in the migration window
    # (runtime-lib/src/window.rs). Only mallocng's private brk macro changes; brk() and
    # sbrk() stay real for programs that call them.
    local glue=$tree/src/malloc/mallocng/glue.h
    sed -i 's|^#define brk(p) ((uintptr_t)__syscall(SYS_brk, p))$|#define brk(p) ((uintptr_t)0)|' "$glue"
    grep -qx '#define brk(p) ((uintptr_t)0)' "$glue" || fail "patching mallocng's brk in $glue"

    # long double is IEEE binary128 on every ISA (clang: -mlong-double-128 on x86-64, in
    # het_abi_flags). musl's x86-64 port assumes x87's 80-bit format: its float.h
    # describes it and src/math/x86_64 computes the *l functions with x87 instructions.
    # aarch64's float.h describes binary128 exactly as riscv64's does; without the x87
    # files the generic C implementations (ld128 paths) are built, as on the others.
    cp "$tree/arch/aarch64/bits/float.h" "$tree/arch/x86_64/bits/float.h"
    rm -f "$tree"/src/math/x86_64/*l.[cs] "$tree/src/math/x86_64/__invtrigl.s"
    # Each ISA's fenv assembly puts all its functions in one .text, at per-ISA offsets,
    # which no per-section layout can align. One section per function (each is
    # self-contained: its local labels are its own), like the C objects' -ffunction-sections.
    # Programs cannot call fenv (hetcc refuses it), but libm's lrintl, fmal and
    # nearbyint do.
    local fenv
    for fenv in "$tree"/src/fenv/{x86_64,aarch64,riscv64}/fenv.[sS]; do
        sed -i -E 's/^\.global[[:space:]]+([A-Za-z_0-9]+)$/.section .text.\1,"ax",%progbits\n&/' "$fenv"
        grep -q '^\.section \.text\.fegetround,' "$fenv" || fail "splitting $fenv into sections"
    done
    # printf formats doubles in double arithmetic, not through long double (software
    # binary128 on x86-64 now, and always on aarch64/riscv64). Same output for every
    # double: the patch says why.
    local patch
    for patch in "$REPO"/scripts/musl/*.patch; do
        patch -d "$tree" -p1 --quiet <"$patch" >"$BUILD/musl-patch.log" 2>&1 ||
            fail_log "applying $(basename "$patch") to musl" "$BUILD/musl-patch.log" patch
    done

    # __FILE__ (fts.c's asserts) must not embed the cache path: same libc.a bytes
    # wherever it is built.
    local prefix_map="-ffile-prefix-map=$tree/=musl-$MUSL_UPSTREAM/"
    for isa in "${isas[@]}"; do
        t0=$(date +%s)
        local obj=$BUILD/musl-$isa stage=$BUILD/musl-stage-$isa logf=$BUILD/musl-$isa.log
        rm -rf "$obj" "$stage"
        mkdir -p "$obj"
        log "musl $MUSL_UPSTREAM for $isa (log: $logf)"
        # Out-of-tree build from the one source tree. Providing -O2 in CFLAGS makes
        # configure use exactly that everywhere (no -Os/-O3 per directory).
        (
            cd "$obj"
            "$tree/configure" --target="$isa" --prefix="$stage" --disable-shared --disable-wrapper \
                CC="$REPO/scripts/lib/libc-cc --target=$(het_triple "$isa")" AR=llvm-ar-22 RANLIB=llvm-ranlib-22 \
                CFLAGS="${HET_LIBC_CFLAGS[*]} $(het_abi_flags "$isa") $(het_layout_flags "$isa") $prefix_map"
            make -j"$JOBS"
            make install-headers install-libs
        ) >"$logf" 2>&1 || fail_log "musl build for $isa" "$logf" clang-22

        local dst=$HETCC_SYSROOT/$isa libgcc
        mkdir -p "$dst/lib"
        # Headers: swap the whole directory so no one sees a half-copied tree.
        rm -rf "$dst/include.new" "$dst/include.old"
        cp -a "$stage/include" "$dst/include.new"
        [[ -d $dst/include ]] && mv "$dst/include" "$dst/include.old"
        mv "$dst/include.new" "$dst/include"
        rm -rf "$dst/include.old"
        # crt files, libc.a and musl's empty libm.a/libpthread.a/… (so -lm etc. resolve
        # here and never to the host's glibc).
        local f
        for f in crt1.o crti.o crtn.o "$stage"/lib/*.a; do
            install_file "$dst/lib/$(basename "$f")" "$stage/lib/$(basename "$f")"
        done
        libgcc=$("$(het_gcc "$isa")" -print-libgcc-file-name)
        [[ -f $libgcc ]] || fail "libgcc.a for $isa not found ($libgcc)" "$(het_gcc_package "$isa")"
        install_file "$dst/lib/libgcc.a" "$libgcc"
        musl_key "$isa" >"$dst/.musl.stamp"
        rm -rf "$obj" "$stage"
        log "musl for $isa done in $(($(date +%s) - t0)) s"
    done
    rm -rf "$tree"
}

step_musl() {
    local isa todo=()
    for isa in "${HET_ISAS[@]}"; do musl_ok "$isa" || todo+=("$isa"); done
    ((${#todo[@]} == 0)) || build_musl "${todo[@]}"
}

# ---------------------------------------------------------------------------------------
# 3./4. Runtime pieces: rebuilt when their sources (or the musl underneath) change.
tree_hash() { # hash of all files under $1 (paths included) except build output and ./$2
    (cd "$1" && find . \( -path ./target -o -path "./${2:-target}" \) -prune -o -type f -print0 |
        LC_ALL=C sort -z |
        xargs -0 sha256sum) | sha
}
rt_key() {
    # runtime-lib depends on het-format (the transform-table reader) by path: its
    # sources are part of the runtime too.
    printf '%s\n' "rt-recipe=$RT_RECIPE" "$(tree_hash "$REPO/runtime-lib" abi)" \
        "$(tree_hash "$REPO/stackmap/format")" "$(/usr/bin/rustc --version)" \
        "$(het_rust_target "$1")" "$(cat "$HETCC_SYSROOT/$1/.musl.stamp")" | sha
}

build_rt() {
    local isa=$1 t logf target_dir out t0
    t=$(het_rust_target "$isa")
    logf=$BUILD/rt-$isa.log
    target_dir=$BUILD/cargo-rt-$isa
    t0=$(date +%s)
    log "runtime-lib for $isa ($t, log: $logf)"
    # Debian's rustc (the rustup one has no rust-src and no cross std); build-std for
    # core only. NOT compiler-builtins-mem: that feature makes compiler_builtins define
    # memcpy/memset/memcmp/bcmp/strlen (weak, hidden), which would silently replace
    # musl's versions in C code whenever libhet_rt.a is scanned before libc.a. Without
    # it the runtime's memcpy calls resolve to musl's, like any other code's.
    # -enable-global-merge=false: like musl's, the runtime's statics must each keep their
    # own symbol and slot (riscv64's GlobalMerge packed them into one blob otherwise).
    # aarch64 without outline atomics: those calls bring compiler_builtins' constructor
    # that probes for LSE, and a constructor only one ISA has breaks the aligned
    # .init_array (the others would call a null entry).
    local features=""
    [[ $isa == aarch64 ]] && features="-C target-feature=-outline-atomics"
    (
        cd "$REPO/runtime-lib"
        RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$target_dir \
            RUSTFLAGS="-C llvm-args=-enable-global-merge=false $features" \
            cargo build --release -Zbuild-std=core,compiler_builtins --target "$t"
    ) >"$logf" 2>&1 || fail_log "runtime-lib build for $isa" "$logf" rust-web-src
    out=$target_dir/$t/release/libhet_runtime.a
    [[ -f $out ]] || fail "runtime-lib build for $isa produced no $out"
    cp "$out" "$BUILD/libhet_rt-$isa.a"
    hide_builtins_clashes "$isa" "$BUILD/libhet_rt-$isa.a"
    install_file "$HETCC_SYSROOT/$isa/lib/libhet_rt.a" "$BUILD/libhet_rt-$isa.a"
    rt_key "$isa" >"$HETCC_SYSROOT/$isa/.rt.stamp" # after the build: cargo may write Cargo.lock
    log "runtime-lib for $isa done in $(($(date +%s) - t0)) s"
}

# The staticlib carries Rust's compiler_builtins, which defines (weak, hidden) many
# symbols musl and libgcc also define: libm functions (floor, ceil, fmod, sqrt, trunc…),
# soft-float/int128 helpers (__addtf3, __udivti3…), aarch64 outline atomics. With lld
# the first archive on the command line that defines a symbol wins, so with libhet_rt.a
# before libc.a a C program's floor() would silently become Rust's, differently on each
# ISA. Make those copies local to libhet_rt.a: then every such symbol comes from musl or
# libgcc whatever the link order, and libhet_rt.a exports only what nobody else has
# (__het_*, __rust_* helpers, f16 helpers missing from gcc 12's libgcc). A *strong*
# runtime symbol that libc/libgcc also define is a real clash: fail.
hide_builtins_clashes() {
    local isa=$1 a=$2 lib=$HETCC_SYSROOT/$1/lib tmp=$BUILD/syms-$1
    mkdir -p "$tmp"
    # posix format: "name type value size"; archive member headers end in ':'.
    llvm-nm-22 -g --defined-only --format=posix "$lib/libc.a" "$lib/libgcc.a" 2>/dev/null |
        awk 'NF >= 2 && $1 !~ /:$/ {print $1}' | LC_ALL=C sort -u >"$tmp/provided"
    llvm-nm-22 -g --defined-only --format=posix "$a" 2>/dev/null |
        awk 'NF >= 2 && $1 !~ /:$/ && $2 ~ /^[WV]$/ {print $1}' | LC_ALL=C sort -u >"$tmp/weak"
    llvm-nm-22 -g --defined-only --format=posix "$a" 2>/dev/null |
        awk 'NF >= 2 && $1 !~ /:$/ && $2 !~ /^[WVwv]$/ {print $1}' | LC_ALL=C sort -u >"$tmp/strong"
    # The runtime replaces musl's mmap.o and mremap.o on purpose (runtime-lib/src/window.rs):
    # its definitions, weak __vm_wait included, are found first, so musl's objects are
    # never loaded; they must stay global. Likewise signal.o and the weak `sigaction`
    # alias (runtime-lib/src/signals.rs records handlers so a restore reinstalls them).
    printf '%s\n' __mmap mmap mmap64 __mremap mremap __vm_wait signal bsd_signal __sysv_signal sigaction |
        LC_ALL=C sort >"$tmp/replaced"
    LC_ALL=C comm -12 "$tmp/strong" "$tmp/provided" | LC_ALL=C comm -23 - "$tmp/replaced" >"$tmp/clash"
    if [[ -s $tmp/clash ]]; then
        fail "libhet_rt.a ($isa) defines symbols that musl/libgcc also define: $(tr '\n' ' ' <"$tmp/clash")"
    fi
    LC_ALL=C comm -12 "$tmp/weak" "$tmp/provided" | LC_ALL=C comm -23 - "$tmp/replaced" >"$tmp/localize"
    llvm-objcopy-22 --localize-symbols="$tmp/localize" "$a" ||
        fail "llvm-objcopy-22 --localize-symbols on libhet_rt.a ($isa)" llvm-22
    log "libhet_rt.a ($isa): $(wc -l <"$tmp/localize") compiler_builtins symbols that musl/libgcc provide made local"
}

ABI_SRC=$REPO/runtime-lib/abi/het_abi.c
abi_cflags() { # like libc (same contraction/sections/layout), plus hetcc's signed char
    echo "${HET_LIBC_CFLAGS[*]} $(het_abi_flags "$1") $(het_layout_flags "$1") -fsigned-char"
}
abi_key() {
    printf '%s\n' "$(tree_hash "$REPO/runtime-lib/abi")" "$(abi_cflags "$1")" "abi-recipe=4" \
        "$(cat "$HETCC_SYSROOT/$1/.musl.stamp")" "$(cat "$HETCC_SYSROOT/riscv64/.musl.stamp")" | sha
}
# canonical_syscalls.h for het_syscall.c: per riscv64 (canonical) system call, its
# number and this ISA's number (HET_NATIVE_<name>: SYS_<name>, or -1 if the ISA has no
# such call). The native number is a separate argument because a name like pread64 is
# also a libc macro, which would expand if it were pasted later.
canonical_syscalls() {
    awk '$1 == "#define" && $2 ~ /^__NR_/ && $3 ~ /^[0-9]+$/ {
        n = substr($2, 6)
        printf "#ifdef SYS_%s\n#define HET_NATIVE_%s SYS_%s\n#else\n#define HET_NATIVE_%s (-1)\n#endif\n", n, n, n, n
        printf "HET_SYSCALL(%s, %s, HET_NATIVE_%s)\n", n, $3, n
    }' "$HETCC_SYSROOT/riscv64/include/bits/syscall.h"
}
build_abi() {
    # Members must be called the same on every ISA: the aligner pairs input sections
    # by archive member name.
    local isa=$1 sr=$HETCC_SYSROOT/$1 dir=$BUILD/abi-$1 lib=$BUILD/libhet_abi-$1.a src objs=()
    log "libhet_abi.a for $isa"
    mkdir -p "$dir"
    {
        echo "/* Generated by scripts/setup.sh from riscv64's bits/syscall.h. */"
        canonical_syscalls
    } >"$dir/canonical_syscalls.h"
    grep -q '^HET_SYSCALL(gettid, ' "$dir/canonical_syscalls.h" ||
        fail "no system calls found in $HETCC_SYSROOT/riscv64/include/bits/syscall.h"
    # A file that defines HET_PARTS is compiled once per part (-DHET_PART=n), each its
    # own member, so that one adapter pulls in only the libc members it calls.
    local parts part defines
    for src in "$REPO"/runtime-lib/abi/*.c; do
        parts=$(sed -n 's/^#define HET_PARTS \([0-9][0-9]*\)$/\1/p' "$src")
        for part in $(if [[ -n $parts ]]; then seq 1 "$parts"; else echo whole; fi); do
            if [[ $part == whole ]]; then
                objs+=("$dir/$(basename "${src%.c}").o") defines=()
            else
                objs+=("$dir/$(basename "${src%.c}")_$part.o") defines=(-DHET_PART="$part")
            fi
            # shellcheck disable=SC2046  # flag lists are single words
            "$REPO/scripts/lib/libc-cc" --target="$(het_triple "$isa")" $(abi_cflags "$isa") \
                -nostdinc -isystem "$sr/include" -isystem "$(clang-22 -print-resource-dir)/include" \
                -I "$REPO/runtime-lib/abi" -I "$dir" "${defines[@]}" -c "$src" -o "${objs[-1]}" ||
                fail "compiling $src (part $part) for $isa"
        done
    done
    rm -f "$lib"
    llvm-ar-22 rcs "$lib" "${objs[@]}" || fail "llvm-ar-22 for libhet_abi.a ($isa)" llvm-22
    install_file "$sr/lib/libhet_abi.a" "$lib"
    abi_key "$isa" >"$sr/.abi.stamp"
}

# A C program + libhet_abi.a + libhet_rt.a + libc.a + libgcc.a must link statically
# (catches duplicate symbols between the Rust runtime and musl) and run.
link_test() {
    local isa=$1 dir=$BUILD/linktest out
    mkdir -p "$dir"
    cat >"$dir/t.c" <<'EOF'
#include <stdio.h>
#include <string.h>
extern unsigned __het_migration_request; /* defined in libhet_rt.a */
int main(void) {
    char buf[32];
    memcpy(buf, "ok", 3);
    printf("%s %u\n", buf, __het_migration_request);
    return 0;
}
EOF
    "$REPO/scripts/musl-clang" "$isa" -O2 -o "$dir/t.$isa" "$dir/t.c" -lhet_abi -lhet_rt \
        >"$dir/$isa.log" 2>&1 || fail_log "link test for $isa (C + libhet_rt.a + libc.a)" "$dir/$isa.log"
    # shellcheck disable=SC2046
    out=$($(het_runner "$isa") "$dir/t.$isa") || fail "link test binary for $isa did not run"
    [[ $out == "ok 0" ]] || fail "link test for $isa printed '$out', expected 'ok 0'"
}

step_runtime() {
    local isa rebuilt
    if [[ ! -f $ABI_SRC ]]; then
        # Another engineer owns the contents; a placeholder keeps the build shape fixed.
        mkdir -p "$(dirname "$ABI_SRC")"
        printf '%s\n' "/* het_abi.c — adapters for libc interfaces whose ABI differs between" \
            "   ISAs (struct stat, epoll_event, va_list consumers, open flags). Placeholder:" \
            "   compiled per ISA into <sysroot>/<isa>/lib/libhet_abi.a by scripts/setup.sh. */" \
            >"$ABI_SRC"
    fi
    for isa in "${HET_ISAS[@]}"; do
        rebuilt=0
        if [[ ! -f $HETCC_SYSROOT/$isa/lib/libhet_rt.a ||
              $(cat "$HETCC_SYSROOT/$isa/.rt.stamp" 2>/dev/null) != "$(rt_key "$isa")" ]]; then
            build_rt "$isa"
            rebuilt=1
        fi
        if [[ ! -f $HETCC_SYSROOT/$isa/lib/libhet_abi.a ||
              $(cat "$HETCC_SYSROOT/$isa/.abi.stamp" 2>/dev/null) != "$(abi_key "$isa")" ]]; then
            build_abi "$isa"
            rebuilt=1
        fi
        ((rebuilt == 0)) || link_test "$isa"
    done
}

# ---------------------------------------------------------------------------------------
main() {
    mkdir -p "$HETCC_CACHE" "$HETCC_SYSROOT"
    # Several worktrees share one sysroot: one setup at a time.
    exec 9>"$HETCC_CACHE/setup.lock"
    if ! flock -n 9; then
        log "another setup.sh is running; waiting for it"
        flock 9
    fi
    step_packages
    step_musl
    step_runtime
    log "sysroot ready: $HETCC_SYSROOT"
}
# `exit` on the same line: bash never reads further, so a `git pull` that rewrites this
# file while setup runs cannot make bash resume at a shifted offset (main is in memory).
main "$@"; exit

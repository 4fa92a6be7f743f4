#!/usr/bin/env bash
# scripts/realworld.sh [--quick] [--jobs N] [--no-migrate] [--reuse] [NAME...]
#
# The real-world suite: open-source C programs from pinned Debian bookworm source
# packages, each built by its own build system (configure, CMake, Meson, plain make)
# three times:
#
#   ref  CC=scripts/musl-clang x86_64, CFLAGS=-O2       (plain clang-22, x86-64 only)
#   het  CC=hetcc, CFLAGS=-O2                            (app, app.aarch64, app.riscv64)
#   mig  CC=hetcc, CFLAGS="-O2 -fhet-migratable"
#
# Then each project's own test suite runs on the ref build and on each ISA of the het
# build (aarch64/riscv64 through qemu-user: every tested program is replaced by a
# script that execs the chosen ISA's binary), a workload runs on every ISA of the mig
# build and under `het run --hops x86_64,aarch64,riscv64,x86_64`, and its output must be
# byte-identical to the ref build's. A table sums it up; docs/realworld.md has figures.
#
# Sources are fetched once with `apt-get source --download-only` into
# $HETCC_CACHE/realworld/src (default ~/.cache/hetcc); builds go to
# $HETCC_CACHE/realworld/work. --quick runs the CI subset (zlib, cJSON).
# Exit status: 0 when every selected program built, tested and migrated as expected.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
HETCC_CACHE=${HETCC_CACHE:-$HOME/.cache/hetcc}
RW=$HETCC_CACHE/realworld
SRC=$RW/src
WORK=$RW/work
HETCC=${HETCC:-$repo/target/release/hetcc}
HET=${HET:-$(dirname "$HETCC")/het}
JOBS=2
MIGRATE=1
REUSE=0
QUICK=0
QUICK_SET=(zlib cjson)
ALL=(zlib cjson bc bzip2 lua sed pcre2 fribidi mini-httpd sqlite libtommath)

log() { printf '[realworld %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- sources ---------------------------------------------------------------------------

# fetch PKG VERSION: prints the .dsc, downloading the source package once.
fetch() {
    local pkg=$1 version=$2 upstream dsc
    upstream=${version#*:}
    dsc=$SRC/${pkg}_${upstream}.dsc
    if [[ ! -f $dsc ]]; then
        log "apt-get source $pkg=$version"
        (cd "$SRC" && apt-get source -q --download-only "$pkg=$version") >"$SRC/$pkg.apt.log" 2>&1 || {
            echo "realworld: apt-get source $pkg=$version failed (is there a deb-src entry? see scripts/setup.sh):" >&2
            tail -5 "$SRC/$pkg.apt.log" >&2
            return 1
        }
    fi
    echo "$dsc"
}

# unpack DSC DIR [upstream]: a fresh tree with Debian's patches applied, or the
# upstream tree alone when Debian's patches replace the upstream build system.
unpack() {
    local skip=()
    [[ ${3:-} == upstream ]] && skip=(--skip-patches)
    rm -rf "$2"
    dpkg-source -q -x "${skip[@]}" "$1" "$2" >"$2.unpack.log" 2>&1 || { cat "$2.unpack.log" >&2; return 1; }
}

# need_tools NAME...: the build-machine tools the selected programs need, as
# "command:package" pairs; missing packages are installed with apt-get.
need_tools() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    log "installing ${missing[*]}"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
        >"$RW/apt-install.log" 2>&1 || {
        echo "realworld: apt-get install ${missing[*]} failed ($RW/apt-install.log)" >&2
        return 1
    }
}

# --- running one ISA ------------------------------------------------------------------

# qemu_for ISA: the command prefix that runs an ISA's binary here.
qemu_for() {
    case $1 in
        x86_64) echo "" ;;
        aarch64) echo "qemu-aarch64" ;;
        riscv64) echo "qemu-riscv64" ;;
    esac
}

# select_isa ISA PROG...: each PROG (a hetcc output) is replaced so that a project's own
# `make test` runs that ISA: by the x86-64 binary itself, or by qemu-wrap
# (testsuite/realworld/qemu-wrap.c), which runs PROG.<ISA> under qemu with the caller's
# argv[0]. The x86-64 binary is kept as PROG.x86_64.
select_isa() {
    local isa=$1 prog abs
    shift
    for prog in "$@"; do
        abs=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog")
        if [[ ! -f $abs.x86_64 ]]; then
            mv "$abs" "$abs.x86_64" || return 1
        fi
        if [[ $isa == x86_64 ]]; then
            cp -f "$abs.x86_64" "$abs"
        else
            cp -f "$RW/bin/qemu-wrap-$isa" "$abs"
        fi
        # Keep make from relinking it away.
        touch "$abs"
    done
}

# The qemu-wrap launchers, built once per ISA with the build machine's compiler.
build_wrappers() {
    local isa cc
    cc=$(command -v cc || command -v clang-22) || { echo "realworld: no host C compiler for qemu-wrap" >&2; return 1; }
    for isa in aarch64 riscv64; do
        "$cc" -O2 -DISA="\"$isa\"" -o "$RW/bin/qemu-wrap-$isa" "$repo/testsuite/realworld/qemu-wrap.c" || return 1
    done
}

# --- the programs ---------------------------------------------------------------------
#
# Each program NAME defines:
#   NAME_pkg        "srcpkg version"
#   NAME_build      DIR CC CFLAGS: build in DIR (an unpacked tree) with its build system
#   NAME_progs      DIR: the hetcc outputs the test suite runs (for select_isa)
#   NAME_test       DIR: run the project's test suite; print "PASS FAIL" on the last line
#   NAME_workload   DIR: print the workload command line (relative to DIR; stdout is
#                   compared; stdin comes from NAME_stdin if it prints a file)
# and may define NAME_prepare DIR (workload inputs) and NAME_stdin DIR.

# Deterministic text input of about SIZE MiB built from a tree's own sources.
make_text() {
    local dir=$1 mib=$2 out=$3
    # CI's quick run: a third of the input still lasts for three timer-driven hops.
    [[ $QUICK == 1 ]] && mib=$(((mib + 2) / 3))
    [[ -s $out ]] && return 0
    local seed want=$((mib * 1024 * 1024))
    seed=$(find "$dir" -maxdepth 2 -name '*.c' | sort | head -20)
    : >"$out"
    # shellcheck disable=SC2086
    while (($(stat -c %s "$out") < want)); do cat $seed >>"$out"; done
    truncate -s "$want" "$out"
}

# zlib: its own configure (not autoconf), `make test` (static and 64-bit example +
# minigzip round trips).
zlib_pkg() { echo "zlib 1:1.2.13.dfsg-1"; }
zlib_build() {
    (cd "$1" && CC=$2 CFLAGS=$3 ./configure --static && make -j"$JOBS" all all64)
}
zlib_progs() { echo "$1/example $1/minigzip $1/example64 $1/minigzip64"; }
zlib_test() {
    local out
    out=$(cd "$1" && make teststatic test64 2>&1)
    echo "$out" | tail -4 >&2
    echo "$(grep -c 'test OK' <<<"$out") $(grep -c 'FAILED' <<<"$out")"
}
zlib_prepare() { make_text "$1" 24 "$1/input.txt"; }
zlib_stdin() { echo "$1/input.txt"; }
zlib_workload() { echo "./minigzip -9"; }

# bzip2: plain Makefile; `make test` compresses and decompresses the three samples at
# two block sizes and compares with the reference files (6 cmp).
bzip2_pkg() { echo "bzip2 1.0.8-5"; }
# Debian's patches link bzip2 against a shared libbz2; the upstream Makefile links it
# statically.
bzip2_upstream() { :; }
bzip2_build() {
    (cd "$1" && make -j"$JOBS" CC="$2" CFLAGS="$3 -D_FILE_OFFSET_BITS=64" libbz2.a bzip2 bzip2recover)
}
bzip2_progs() { echo "$1/bzip2"; }
bzip2_test() {
    local out rc
    out=$(cd "$1" && make -k test 2>&1)
    rc=$?
    echo "$out" | tail -3 >&2
    local cmps fails
    cmps=$(grep -c '^cmp ' <<<"$out")
    fails=$(grep -c 'differ\|EOF on' <<<"$out")
    [[ $rc -eq 0 ]] || fails=$((fails > 0 ? fails : 1))
    echo "$((cmps - fails)) $fails"
}
bzip2_prepare() { make_text "$1" 12 "$1/input.txt"; }
bzip2_stdin() { echo "$1/input.txt"; }
bzip2_workload() { echo "./bzip2 -9"; }

# lua5.4: the upstream tree and Makefile (`make posix`); Debian's patches replace it
# with a libtool build that also compiles every file as C++. The source package has no
# test suite; the workload (testsuite/realworld/bench.lua) is compared with the clang
# build on every ISA.
lua_pkg() { echo "lua5.4 5.4.4-3+deb12u1"; }
lua_upstream() { :; }
lua_build() {
    (cd "$1" && make -j"$JOBS" posix CC="$2" MYCFLAGS="${3#-O2}" MYLDFLAGS="${3#-O2}")
}
lua_progs() { echo "$1/src/lua"; }
lua_prepare() { cp "$repo/testsuite/realworld/bench.lua" "$1/bench.lua"; }
lua_workload() { echo "src/lua bench.lua"; }

# cJSON: CMake (`-DCMAKE_C_COMPILER`), its unity-based tests through ctest, and a
# workload (testsuite/realworld/cjson_workload.c) linked against the built libcjson.a.
# ENABLE_CUSTOM_COMPILER_FLAGS=OFF: its -std=c89 -pedantic -Werror rejects musl's
# isnan/isinf macros (`-1ULL`, -Wlong-long), with clang as with hetcc.
cjson_pkg() { echo "cjson 1.7.15-1+deb12u4"; }
cjson_build() {
    (cd "$1" && mkdir -p build && cd build &&
        cmake .. -DCMAKE_C_COMPILER="$2" -DCMAKE_C_FLAGS="$3" -DCMAKE_BUILD_TYPE=None \
            -DBUILD_SHARED_LIBS=OFF -DENABLE_CJSON_TEST=ON -DENABLE_CJSON_UTILS=ON \
            -DENABLE_CUSTOM_COMPILER_FLAGS=OFF &&
        make -j"$JOBS" &&
        "$2" $3 -I.. -o cjson_workload "$repo/testsuite/realworld/cjson_workload.c" libcjson.a)
}
cjson_progs() {
    find "$1/build/tests" "$1/build/fuzzing" -maxdepth 1 -type f -perm -u+x ! -name '*.*' 2>/dev/null
    echo "$1/build/cjson_workload"
}
cjson_test() {
    local out
    out=$(cd "$1/build" && ctest 2>&1)
    echo "$out" | tail -4 >&2
    # "100% tests passed, 0 tests failed out of 19"
    local line total failed
    line=$(grep 'tests failed out of' <<<"$out")
    failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* tests failed out of ([0-9]+).*/\1/' <<<"$line")
    echo "$((${total:-0} - ${failed:-0})) ${failed:-1}"
}
cjson_workload() { echo "build/cjson_workload"; }

# libtommath: plain makefile; `make test` builds the test driver, which runs every
# function's test with random inputs from getrandom() and prints "Tests OK/NOP/FAIL".
libtommath_pkg() { echo "libtommath 1.2.0-6+deb12u1"; }
libtommath_build() {
    (cd "$1" && make -j"$JOBS" CC="$2" CFLAGS="$3" libtommath.a test &&
        "$2" $3 -I. -o tommath_workload "$repo/testsuite/realworld/tommath_workload.c" libtommath.a)
}
libtommath_progs() { echo "$1/test $1/tommath_workload"; }
libtommath_test() {
    local out
    out=$(cd "$1" && timeout 900 ./test 2>&1)
    echo "$out" | tail -3 >&2
    local line
    line=$(grep '^Tests OK/NOP/FAIL' <<<"$out" | sed 's/.*: //')
    [[ -n $line ]] || { echo "0 1"; return; }
    IFS=/ read -r ok nop fail <<<"$line"
    echo "$ok $fail"
}
libtommath_workload() { echo "./tommath_workload"; }

# bc: autoconf configure (which adds -funsigned-char) + make. Its Test/ directory has bc programs but no driver:
# each runs with `bc -l`, and on each ISA its output must equal the clang build's.
bc_pkg() { echo "bc 1.07.1-3"; }
# Debian's patches touch Makefile.am, and make would then rerun automake.
bc_upstream() { :; }
bc_build() {
    (cd "$1" && CC=$2 CFLAGS=$3 ./configure && make -j"$JOBS" -C lib && make -j"$JOBS" -C bc)
}
bc_progs() { echo "$1/bc/bc"; }
BC_TESTS="array.b arrayp.b aryprm.b atan.b checklib.b div.b exp.b fact.b jn.b ln.b mul.b raise.b sine.b sqrt.b sqrt1.b sqrt2.b testfn.b"
bc_test() {
    local dir=$1 ref=$WORK/bc/ref t pass=0 fail=0
    mkdir -p "$dir.bcout"
    for t in $BC_TESTS; do
        (cd "$dir/Test" && timeout 300 ../bc/bc -l "$t" </dev/null >"$dir.bcout/$t.out" 2>&1)
        local rc=$?
        if [[ $rc -ne 0 ]] || { [[ $dir != "$ref" ]] && ! cmp -s "$dir.bcout/$t.out" "$ref.bcout/$t.out"; }; then
            fail=$((fail + 1))
            echo "bc test $t failed (rc $rc)" >&2
        else
            pass=$((pass + 1))
        fi
    done
    echo "$pass $fail"
}
bc_prepare() { printf 'scale=2600\n4*a(1)\nl(2)\ne(1)\nquit\n' >"$1/pi.bc"; }
bc_stdin() { echo "$1/pi.bc"; }
bc_workload() { echo "bc/bc -l"; }

# "PASSED FAILED" from an automake test-suite summary on stdin (echoed to stderr); a
# run with no summary counts as one failure.
automake_counts() {
    local out pass fail
    out=$(cat)
    grep -A12 '^# TOTAL' <<<"$out" >&2
    pass=$(grep -m1 '^# PASS:' <<<"$out" | awk '{print $3}')
    fail=$(grep -m1 '^# FAIL:' <<<"$out" | awk '{print $3}')
    echo "${pass:-0} ${fail:-1}"
}

# GNU sed: autoconf configure with gnulib's many probes; `make check` runs its own
# testsuite/ (the gnulib unit tests are left out: SUBDIRS=.).
sed_pkg() { echo "sed 4.9-1+deb12u1"; }
sed_build() {
    (cd "$1" && ./configure CC="$2" CFLAGS="$3" --disable-nls --without-selinux && make -j"$JOBS" sed/sed)
}
sed_progs() { echo "$1/sed/sed"; }
sed_test() {
    (cd "$1" && make -k check SUBDIRS=. 2>&1) | automake_counts
}
sed_prepare() { make_text "$1" 24 "$1/input.txt"; }
sed_workload() { echo "sed/sed -E -e s/([a-z]+)_([a-z]+)/\\2_\\1/g -e /^#/d -e y/abc/xyz/ input.txt"; }

# PCRE2: autoconf + libtool (--disable-shared: a static-only toolchain), `make check`
# runs RunTest (pcre2test over testdata/) and RunGrepTest (pcre2grep).
pcre2_pkg() { echo "pcre2 10.42-1"; }
pcre2_build() {
    (cd "$1" && ./configure CC="$2" CFLAGS="$3" --disable-shared --enable-static && make -j"$JOBS" \
        pcre2test pcre2grep libpcre2-8.la libpcre2-posix.la)
}
pcre2_progs() { echo "$1/pcre2test $1/pcre2grep"; }
pcre2_test() {
    (cd "$1" && make -k check check_PROGRAMS= 2>&1) | automake_counts
}
pcre2_prepare() { make_text "$1" 16 "$1/input.txt"; }
pcre2_workload() { echo "./pcre2grep -c -i -e [a-z]+_[a-z]+\\( -e (?<=static\\s)\\w+ -e ^\\s*#\\s*(if|endif) input.txt"; }

# GNU FriBidi: Meson (`CC=hetcc meson setup`, static library), `meson test` runs the
# CapRTL/charset tests and the Unicode conformance tests (BidiTest, BidiCharacterTest).
fribidi_pkg() { echo "fribidi 1.0.8-2.1"; }
fribidi_build() {
    (cd "$1" && CC=$2 CFLAGS=$3 meson setup build -Ddocs=false -Ddefault_library=static --buildtype=plain &&
        ninja -C build -j"$JOBS")
}
fribidi_progs() {
    echo "$1/build/bin/fribidi"
    find "$1/build/test/unicode-conformance" -maxdepth 1 -type f -perm -u+x ! -name '*.*' 2>/dev/null
}
fribidi_test() {
    local out
    out=$(cd "$1/build" && meson test --no-rebuild -t 20 2>&1)
    grep -A8 '^Ok:' <<<"$out" >&2
    local pass fail
    pass=$(grep -m1 '^Ok:' <<<"$out" | awk '{print $2}')
    fail=$(grep -m1 '^Fail:' <<<"$out" | awk '{print $2}')
    echo "${pass:-0} ${fail:-1}"
}
fribidi_prepare() {
    [[ -s $1/input.txt ]] && return 0
    for _ in $(seq 4000); do cat "$1"/test/test_UTF-8_persian.input "$1"/test/test_UTF-8_reordernsm.input; done >"$1/input.txt"
}
fribidi_workload() { echo "build/bin/fribidi --charset UTF-8 --levels --ltov input.txt"; }

# mini_httpd: the upstream Makefile (Debian's patches add OpenSSL, which the hetcc
# sysroot does not have). A fork-per-connection server; the test serves files to curl
# on 127.0.0.1 on each ISA. No migration: sockets cannot be migrated.
mini-httpd_pkg() { echo "mini-httpd 1.30-3"; }
mini-httpd_upstream() { :; }
# HAVE_INT64T: its port.h sets it only for BSDs; musl has int64_t (so does glibc).
mini-httpd_build() { (cd "$1" && make CC="$2" CFLAGS="$3 -ansi -U__STRICT_ANSI__ -DHAVE_INT64T" LDFLAGS= mini_httpd htpasswd); }
mini-httpd_progs() { echo "$1/mini_httpd"; }
mini-httpd_test() {
    local dir=$1 www=$1.www port pass=0 fail=0 pid
    rm -rf "$www" && mkdir -p "$www/sub"
    cp "$dir/mini_httpd.c" "$www/source.c"
    head -c 300000 /dev/zero | tr '\0' 'x' >"$www/sub/big.txt"
    printf '<html>index</html>\n' >"$www/index.html"
    port=$((20000 + RANDOM % 20000))
    "$dir/mini_httpd" -D -p "$port" -h 127.0.0.1 -d "$www" -l "$dir.access.log" &
    pid=$!
    local i
    for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
    check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "mini_httpd check failed: $*" >&2; fi; }
    get() { curl -s "http://127.0.0.1:$port/${1:-}"; }
    check cmp -s <(get source.c) "$www/source.c"
    check cmp -s <(get sub/big.txt) "$www/sub/big.txt"
    check cmp -s <(get index.html) "$www/index.html"
    check cmp -s <(get) "$www/index.html"
    check test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/missing")" = 404
    check test "$(curl -s -I "http://127.0.0.1:$port/source.c" | grep -ci '^content-length: '"$(stat -c %s "$www/source.c")")" = 1
    check grep -q 'sub/' <(get sub/)
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "$pass $fail"
}

# SQLite: the upstream tree's autoconf configure and main.mk (tclsh generates the
# amalgamation; lemon and mkkeywordhash are built with $CC and run on the build
# machine). Debian's patches link the shell to a shared libsqlite3. Its test suite needs
# a Tcl extension (testfixture), which a static-only toolchain cannot load; the SQL
# workload (testsuite/realworld/workload.sql, which uses long double through
# sqlite3AtoF and %Lf) is compared with the clang build on every ISA.
sqlite_pkg() { echo "sqlite3 3.40.1-2+deb12u2"; }
sqlite_upstream() { :; }
sqlite_build() {
    (cd "$1" && ./configure CC="$2" CFLAGS="$3" --disable-tcl --disable-shared --enable-static \
        --disable-readline --disable-editline --disable-load-extension && make -j"$JOBS" sqlite3)
}
sqlite_progs() { echo "$1/sqlite3"; }
sqlite_prepare() { cp "$repo/testsuite/realworld/workload.sql" "$1/workload.sql"; }
sqlite_stdin() { echo "$1/workload.sql"; }
sqlite_workload() { echo "./sqlite3 :memory:"; }

# --- one program, three builds ----------------------------------------------------------

declare -A R

# record NAME KEY VALUE
record() { R["$1.$2"]=$3; }
get() { echo "${R["$1.$2"]:-}"; }

build_variant() {
    local name=$1 variant=$2 dsc=$3 dir cc cflags
    dir=$WORK/$name/$variant
    case $variant in
        ref) cc=$ref_cc; cflags="-O2" ;;
        het) cc=$HETCC; cflags="-O2" ;;
        mig) cc=$HETCC; cflags="-O2 -fhet-migratable" ;;
    esac
    mkdir -p "$WORK/$name"
    # --reuse: keep a tree that built before (for working on tests and workloads).
    if [[ $REUSE == 1 && -f $dir.ok ]]; then
        record "$name" "build_$variant" "ok $(cat "$dir.ok")"
        return 0
    fi
    rm -f "$dir.ok"
    unpack "$dsc" "$dir" "$(declare -F "${name}_upstream" >/dev/null && echo upstream)" || return 1
    local t0=$SECONDS
    if "${name}_build" "$dir" "$cc" "$cflags" >"$dir.build.log" 2>&1; then
        echo "$((SECONDS - t0))s" >"$dir.ok"
        record "$name" "build_$variant" "ok $((SECONDS - t0))s"
        return 0
    fi
    record "$name" "build_$variant" "FAIL"
    log "$name/$variant: build failed; last lines of $dir.build.log:"
    tail -15 "$dir.build.log" >&2
    return 1
}

# test_variant NAME DIR ISA|ref: runs the test suite, records "pass/fail".
test_variant() {
    local name=$1 dir=$2 isa=$3 line
    if ! declare -F "${name}_test" >/dev/null; then
        record "$name" "test_$isa" "n/a"
        return 0
    fi
    if [[ $isa != ref ]]; then
        # shellcheck disable=SC2046
        select_isa "$isa" $("${name}_progs" "$dir") || { record "$name" "test_$isa" "no binary"; return 1; }
    fi
    line=$("${name}_test" "$dir" 2>"$dir.test-$isa.log" | tail -1)
    local pass=${line% *} fail=${line#* }
    record "$name" "test_$isa" "$pass/$fail"
    # A suite may fail where the clang build fails too (sed's root-only test, PCRE2's
    # locale test): a hetcc build passes when its result is the clang build's.
    if [[ $isa == ref ]]; then
        [[ $pass -gt 0 ]]
    else
        [[ $pass -gt 0 && "$pass/$fail" == "$(get "$name" test_ref)" ]]
    fi
}

# run_workload NAME DIR PREFIX OUT: the workload with PREFIX (qemu or het run) in DIR.
run_workload() {
    local name=$1 dir=$2 prefix=$3 out=$4 stdin=/dev/null cmd
    if declare -F "${name}_stdin" >/dev/null; then stdin=$("${name}_stdin" "$dir"); fi
    cmd=$("${name}_workload" "$dir")
    # shellcheck disable=SC2086
    (cd "$dir" && $prefix $cmd <"$stdin" >"$out" 2>"$out.err")
}

migrate_program() {
    local name=$1 ref=$WORK/$1/ref dir=$WORK/$1/mig
    declare -F "${name}_workload" >/dev/null || { record "$name" migrate "n/a"; return 0; }
    if declare -F "${name}_prepare" >/dev/null; then
        "${name}_prepare" "$ref" && "${name}_prepare" "$dir" || return 1
    fi
    local t0=$SECONDS
    run_workload "$name" "$ref" "" "$WORK/$name/expected.out" || { record "$name" migrate "ref failed"; return 1; }
    local secs=$((SECONDS - t0))
    record "$name" workload_secs "$secs"
    # The workload binaries of the mig build, unwrapped.
    local prog isa ok=1
    for prog in $("${name}_progs" "$dir"); do
        [[ -f $prog.x86_64 ]] && mv -f "$prog.x86_64" "$prog"
    done
    for isa in x86_64 aarch64 riscv64; do
        local cmd
        cmd=$("${name}_workload" "$dir")
        if [[ $isa != x86_64 ]]; then
            # shellcheck disable=SC2086
            set -- $cmd
            local first=$1
            shift
            cmd="$(qemu_for "$isa") $first.$isa $*"
        fi
        local stdin=/dev/null
        if declare -F "${name}_stdin" >/dev/null; then stdin=$("${name}_stdin" "$dir"); fi
        # shellcheck disable=SC2086
        (cd "$dir" && $cmd <"$stdin" >"$dir.plain-$isa.out" 2>/dev/null)
        if ! cmp -s "$dir.plain-$isa.out" "$WORK/$name/expected.out"; then
            ok=0
            log "$name: mig build on $isa prints something else than the clang build"
        fi
    done
    # The interval starts at a third of the native run and halves while a run makes
    # fewer than three migrations: on a shared machine the native time overstates the
    # work, and a hop that finishes the program before the next request ends the chain.
    local every_ms=$((secs * 1000 / 3)) attempt rc hops=0
    for attempt in 1 2 3 4; do
        ((every_ms < 100)) && every_ms=100
        run_workload "$name" "$dir" "$HET run --hops x86_64,aarch64,riscv64,x86_64 --every ${every_ms}ms --" \
            "$dir.migrated.out"
        rc=$?
        hops=$(grep -c '^het: hop' "$dir.migrated.out.err")
        record "$name" migrate_every "${every_ms}ms"
        ((hops >= 3)) && break
        grep -q 'migration failed' "$dir.migrated.out.err" && break
        every_ms=$((every_ms / 2))
    done
    if [[ $rc -ne 0 ]] || ! cmp -s "$dir.migrated.out" "$WORK/$name/expected.out"; then
        ok=0
        log "$name: migrated run (rc $rc) differs from the clang build; stderr:"
        tail -5 "$dir.migrated.out.err" >&2
    fi
    if ((hops < 3)); then
        ok=0
        log "$name: $hops migrations; het-rt said:"
        grep -m2 'het-rt' "$dir.migrated.out.err" >&2
    fi
    record "$name" migrate "$hops$([[ $ok == 1 ]] || echo ' FAIL')"
    [[ $ok == 1 && $hops -ge 3 ]]
}

run_program() {
    local name=$1 pkg version dsc status=0
    read -r pkg version <<<"$("${name}_pkg")"
    record "$name" version "$pkg $version"
    dsc=$(fetch "$pkg" "$version") || { record "$name" build_het "no source"; return 1; }
    for variant in ref het mig; do
        log "$name: build $variant"
        build_variant "$name" "$variant" "$dsc" || status=1
    done
    if [[ $(get "$name" build_ref) == ok* ]]; then
        log "$name: test suite, clang build"
        test_variant "$name" "$WORK/$name/ref" ref || status=1
    fi
    if [[ $(get "$name" build_het) == ok* ]]; then
        for isa in x86_64 aarch64 riscv64; do
            log "$name: test suite, hetcc build on $isa"
            test_variant "$name" "$WORK/$name/het" "$isa" || status=1
        done
    fi
    if [[ $MIGRATE == 1 && $(get "$name" build_mig) == ok* && $(get "$name" build_ref) == ok* ]]; then
        log "$name: workload, migrated"
        migrate_program "$name" || status=1
    fi
    record "$name" status "$([[ $status == 0 ]] && echo PASS || echo FAIL)"
    return $status
}

# The whole run is one function, called on the last line: bash has then read the whole
# file, so editing the script while a long run goes on cannot derail it.
main() {
    selected=()
    while [[ $# -gt 0 ]]; do
        case $1 in
            --quick) selected+=("${QUICK_SET[@]}"); QUICK=1 ;;
            --jobs) JOBS=$2; shift ;;
            --no-migrate) MIGRATE=0 ;;
            --reuse) REUSE=1 ;;
            -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
            -*) echo "realworld: unknown option $1" >&2; exit 2 ;;
            *) selected+=("$1") ;;
        esac
        shift
    done
    [[ ${#selected[@]} -gt 0 ]] || selected=("${ALL[@]}")

    for tool in "$HETCC" "$HET"; do
        [[ -x $tool ]] || { echo "realworld: $tool missing (cargo build --release -p hetcc)" >&2; exit 1; }
    done
    mkdir -p "$SRC" "$WORK" "$RW/bin"
    local tools=(dpkg-source:dpkg-dev make:make qemu-aarch64:qemu-user qemu-riscv64:qemu-user)
    for name in "${selected[@]}"; do
        case $name in
            cjson) tools+=(cmake:cmake) ;;
            fribidi) tools+=(meson:meson ninja:ninja-build) ;;
            sqlite) tools+=(tclsh:tcl) ;;
            mini-httpd) tools+=(curl:curl) ;;
        esac
    done
    need_tools "${tools[@]}" || return 1
    build_wrappers || return 1

    # One-word compiler commands: CMake and Meson want a path, not "musl-clang x86_64".
    ref_cc=$RW/bin/clang-ref
    printf '#!/bin/sh\nexec "%s/scripts/musl-clang" x86_64 "$@"\n' "$repo" >"$ref_cc"
    chmod +x "$ref_cc"

    local overall=0 name
    for name in "${selected[@]}"; do
        declare -F "${name}_pkg" >/dev/null || { echo "realworld: unknown program $name (known: ${ALL[*]})" >&2; exit 2; }
        run_program "$name" || overall=1
    done

    printf '\n%-11s %-26s %-9s %-9s %-9s %-9s %-9s %-9s %-9s %-5s %s\n' program "source package" ref het mig \
        "tests ref" x86_64 aarch64 riscv64 secs "migrations"
    for name in "${selected[@]}"; do
        printf '%-11s %-26s %-9s %-9s %-9s %-9s %-9s %-9s %-9s %-5s %s\n' "$name" "$(get "$name" version)" \
            "$(get "$name" build_ref | cut -d' ' -f1)" "$(get "$name" build_het | cut -d' ' -f1)" \
            "$(get "$name" build_mig | cut -d' ' -f1)" "$(get "$name" test_ref)" "$(get "$name" test_x86_64)" \
            "$(get "$name" test_aarch64)" "$(get "$name" test_riscv64)" "$(get "$name" workload_secs)" \
            "$(get "$name" migrate) $(get "$name" status)"
    done
    echo "(tests: passed/failed per the project's own suite; migrations: het run hops survived)"
    return $overall
}

main "$@"; exit $?

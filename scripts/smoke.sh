#!/usr/bin/env bash
# scripts/smoke.sh — checks the sysroot: builds scripts/smoke/libc-smoke.c with
# scripts/musl-clang for every ISA, runs it (x86_64 natively, the others under
# qemu-user) and requires byte-identical output, so libc/libm differences between the
# three musl builds show up here first.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ref=
for isa in "${HET_ISAS[@]}"; do
    # -ffp-contract=off: the same flag hetcc uses, so the comparison is about libc.
    "$here/musl-clang" "$isa" -O2 -ffp-contract=off -o "$work/smoke.$isa" \
        "$here/smoke/libc-smoke.c" -lm
    # shellcheck disable=SC2046  # empty runner for the host ISA
    $(het_runner "$isa") "$work/smoke.$isa" "$work/file.$isa" >"$work/out.$isa"
    if [[ -z $ref ]]; then
        ref=$isa
    elif ! diff -u "$work/out.$ref" "$work/out.$isa"; then
        echo "smoke.sh: FAILED: $isa output differs from $ref" >&2
        exit 1
    fi
done
echo "smoke.sh: libc smoke test identical on ${HET_ISAS[*]}"

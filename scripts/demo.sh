#!/usr/bin/env bash
# The README's first command: set up the toolchain, build hetcc, compile the bundled
# example for x86-64, aarch64 and riscv64, run all three (aarch64 and riscv64 under
# qemu-user), show that their outputs are byte-identical, show the shared layout, then
# build examples/migrate.c with -fhet-migratable and migrate it x86_64 -> aarch64 ->
# riscv64 -> x86_64 while it runs, checking its output against a run without migration.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
export LLVM_SYS_221_PREFIX=/usr/lib/llvm-22
echo "== building hetcc"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p hetcc --bin hetcc --bin het
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "== hetcc -O2 -o demo examples/demo.c -lm"
"$root/target/release/hetcc" -O2 -o "$out/demo" "$root/examples/demo.c" -lm
ls -l "$out"/demo*
for isa in x86_64 aarch64 riscv64; do
	case "$isa" in
	x86_64) bin="$out/demo"; run=() ;;
	*) bin="$out/demo.$isa"; run=("qemu-$isa") ;;
	esac
	echo "== running on $isa ${run[*]:+(${run[*]})}"
	"${run[@]}" "$bin" | tee "$out/out.$isa"
done
if cmp -s "$out/out.x86_64" "$out/out.aarch64" && cmp -s "$out/out.x86_64" "$out/out.riscv64"; then
	echo "== identical output on x86_64, aarch64 and riscv64"
else
	echo "== OUTPUTS DIFFER" >&2
	diff "$out/out.x86_64" "$out/out.aarch64" || true
	diff "$out/out.x86_64" "$out/out.riscv64" || true
	exit 1
fi
echo "== het inspect (shared layout)"
"$root/target/release/het" inspect "$out/demo" "$out/demo.aarch64" "$out/demo.riscv64" | head -n 40
echo "== hetcc -O2 -fhet-migratable -o migrate examples/migrate.c -lm"
"$root/target/release/hetcc" -O2 -fhet-migratable -o "$out/migrate" "$root/examples/migrate.c" -lm
echo "== running it without migration (reference)"
"$out/migrate" >"$out/migrate.plain" 2>/dev/null
echo "== het run --hops x86_64,aarch64,riscv64,x86_64 --every 100ms -- migrate"
"$root/target/release/het" run --hops x86_64,aarch64,riscv64,x86_64 --every 100ms -- "$out/migrate" |
	tee "$out/migrate.hops"
if cmp -s "$out/migrate.plain" "$out/migrate.hops"; then
	echo "== output after migrating across ISAs is byte-identical to the run without migration"
else
	echo "== MIGRATED OUTPUT DIFFERS" >&2
	diff "$out/migrate.plain" "$out/migrate.hops" || true
	exit 1
fi

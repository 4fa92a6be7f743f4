//! Snapshot tests of the IR after `-fhet-migratable`'s passes, from hand-written
//! canonical IR: a loop, recursion, values of every kind live across a call, libc
//! callbacks, and what is never an equivalence point.

use het_passes::equivalence::{make_migratable, Summary};
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;

const HEADER: &str = "target datalayout = \"e-m:e-p:64:64-i64:64-i128:128-n32:64-S128\"\ntarget triple = \"riscv64-unknown-linux-musl\"\n";

/// Runs the passes on `ir`; returns the verified module text (header lines that name
/// the test buffer dropped) followed by the summary.
fn migratable(ir: &str) -> String {
    let context = Context::create();
    let buffer = MemoryBuffer::create_from_memory_range_copy(format!("{HEADER}{ir}").as_bytes(), "test");
    let module: Module<'_> = context.create_module_from_ir(buffer).expect("test IR parses");
    let summary = make_migratable(&module).expect("no diagnostics");
    module.verify().expect("pass output verifies");
    let text = module.print_to_string().to_string();
    let body: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("; ModuleID") && !l.starts_with("source_filename"))
        .collect();
    format!("{}\n\n{}", body.join("\n"), describe(&summary))
}

fn describe(summary: &Summary) -> String {
    let mut out = String::from("; migration points:\n");
    for mp in &summary.migration_points {
        out.push_str(&format!(";   {} {:?}\n", mp.function, mp.kind));
    }
    out.push_str("; equivalence points:\n");
    for ep in &summary.equivalence_points {
        out.push_str(&format!(
            ";   #{} {} -> {} ({} live)\n",
            ep.id, ep.function, ep.callee, ep.live_values
        ));
    }
    out
}

#[test]
fn loop_latch_gets_a_check_and_callers_become_statepoints() {
    insta::assert_snapshot!(migratable(
        "
define i64 @sum(ptr %a, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi i64 [ 0, %entry ], [ %acc.next, %loop ]
  %p = getelementptr i64, ptr %a, i64 %i
  %v = load i64, ptr %p
  %acc.next = add i64 %acc, %v
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %acc.next
}
define i64 @main_like(ptr %a) {
  %x = call i64 @sum(ptr %a, i64 10)
  %y = call i64 @leaf(i64 %x)
  %z = add i64 %x, %y
  ret i64 %z
}
define i64 @leaf(i64 %x) {
  %r = mul i64 %x, 3
  ret i64 %r
}
"
    ));
}

#[test]
fn recursive_function_gets_an_entry_check() {
    insta::assert_snapshot!(migratable(
        "
define i64 @fib(i64 %n) {
entry:
  %small = icmp slt i64 %n, 2
  br i1 %small, label %base, label %rec
base:
  ret i64 %n
rec:
  %n1 = sub i64 %n, 1
  %a = call i64 @fib(i64 %n1)
  %n2 = sub i64 %n, 2
  %b = call i64 @fib(i64 %n2)
  %s = add i64 %a, %b
  ret i64 %s
}
"
    ));
}

#[test]
fn int_float_pointer_and_wide_values_live_across_a_call_are_wrapped() {
    insta::assert_snapshot!(migratable(
        "
declare void @work()
define void @spin() {
entry:
  br label %loop
loop:
  call void @work()
  br label %loop
}
define double @mixed(i32 %i, double %d, ptr %p, float %f, i128 %w, <2 x i32> %v) {
  call void @spin()
  %l = load i32, ptr %p
  %s = add i32 %i, %l
  %sf = sitofp i32 %s to double
  %ff = fpext float %f to double
  %t = fadd double %d, %sf
  %u = fadd double %t, %ff
  %wt = trunc i128 %w to i32
  %e = extractelement <2 x i32> %v, i32 1
  %we = add i32 %wt, %e
  %wd = sitofp i32 %we to double
  %r = fadd double %u, %wd
  ret double %r
}
"
    ));
}

#[test]
fn libc_callbacks_indirect_calls_setjmp_and_leaves() {
    insta::assert_snapshot!(migratable(
        "
declare void @qsort(ptr, i64, i64, ptr)
declare i64 @strlen(ptr)
declare i32 @setjmp(ptr) returns_twice
define i32 @cmp(ptr %a, ptr %b) {
entry:
  br label %loop
loop:
  %c = load volatile i32, ptr %a
  %z = icmp eq i32 %c, 0
  br i1 %z, label %out, label %loop
out:
  ret i32 0
}
define i64 @user(ptr %buf, ptr %fp) {
  %j = call i32 @setjmp(ptr %buf)
  call void @qsort(ptr %buf, i64 4, i64 8, ptr @cmp)
  %n = call i64 @strlen(ptr %buf)
  %k = call i64 %fp(i64 %n)
  %r = add i64 %n, %k
  ret i64 %r
}
"
    ));
}

#[test]
fn optnone_function_keeps_its_slots_and_argument_store_follows_the_slot() {
    insta::assert_snapshot!(migratable(
        "
define i64 @down(i64 %n) noinline optnone {
entry:
  %z = icmp eq i64 %n, 0
  br i1 %z, label %done, label %more
more:
  %m = sub i64 %n, 1
  %r = call i64 @down(i64 %m)
  %s = add i64 %r, %n
  ret i64 %s
done:
  ret i64 0
}
"
    ));
}

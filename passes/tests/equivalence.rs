//! Snapshot tests of the IR after `-fhet-migratable`'s passes, from hand-written
//! canonical IR: a loop, recursion, values of every kind live across a call, libc
//! callbacks, and what is never an equivalence point.

mod common;

use common::{body, parse_canonical};
use het_passes::equivalence::{make_migratable, Summary};
use het_passes::{setjmp, unsafe_stack};
use inkwell::context::Context;

/// Doubly recursive `fib`: a recursive entry (a migration point) and two calls that
/// reach it (equivalence points).
const FIB: &str = "
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
";

/// Runs the passes on `ir`; returns the verified module text (header lines that name
/// the test buffer dropped) followed by the summary.
fn migratable(ir: &str) -> String {
    let context = Context::create();
    let module = parse_canonical(&context, ir);
    let summary = make_migratable(&module).expect("no diagnostics");
    format!("{}\n\n{}", body(&module), describe(&summary))
}

/// The migratable pipeline from the setjmp pass on, as the driver runs it.
fn migratable_with_jumps(ir: &str) -> String {
    let context = Context::create();
    let module = parse_canonical(&context, ir);
    setjmp::make_jumps_migratable(&module).expect("no setjmp diagnostics");
    unsafe_stack::move_allocas(&module).expect("no unsafe-stack diagnostics");
    let summary = make_migratable(&module).expect("no diagnostics");
    format!("{}\n\n{}", body(&module), describe(&summary))
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
    insta::assert_snapshot!(migratable(FIB));
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
fn casts_of_live_values_are_recomputed_and_thread_addresses_carried() {
    // %n is a cast of %i, computed again after the point from %i; %e and %p (errno's
    // address, a constant offset into a TLS array) are carried like any pointer: every
    // thread's descriptor and TLS block have one address on every ISA.
    insta::assert_snapshot!(migratable(
        "
@tls = thread_local global [8 x i64] zeroinitializer
declare ptr @__errno_location()
declare ptr @llvm.threadlocal.address.p0(ptr)
declare void @work()
define void @spin() {
entry:
  br label %loop
loop:
  call void @work()
  br label %loop
}
define i64 @derived(i32 %i) {
  %e = call ptr @__errno_location()
  %t = call ptr @llvm.threadlocal.address.p0(ptr @tls)
  %p = getelementptr inbounds i8, ptr %t, i64 24
  %n = trunc i32 %i to i8
  call void @spin()
  store i32 0, ptr %e
  %z = zext i8 %n to i64
  %x = sext i32 %i to i64
  store i64 %x, ptr %p
  %r = add i64 %z, %x
  ret i64 %r
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

/// `snprintf` receives a program function that reaches a migration point, so the call
/// may call back and must be a point; it is variadic, so it goes through a thunk with
/// the call's argument types (LLVM makes no statepoint of a variadic call). A second
/// call with the same types shares the thunk; a `printf` that passes no program
/// function stays an ordinary call.
#[test]
fn variadic_libc_call_that_must_be_a_point_goes_through_a_thunk() {
    insta::assert_snapshot!(migratable(
        "
define i64 @spin(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %i1
}
define i32 @main(ptr %buf) {
  %a = call signext i32 (ptr, i64, ptr, ...) @snprintf(ptr %buf, i64 64, ptr null, ptr @spin)
  %b = call signext i32 (ptr, i64, ptr, ...) @snprintf(ptr %buf, i64 32, ptr null, ptr @spin)
  %c = call signext i32 (ptr, ...) @printf(ptr null, i32 signext %a)
  %s = add i32 %a, %b
  %t = add i32 %s, %c
  ret i32 %t
}
declare i32 @snprintf(ptr, i64, ptr, ...)
declare i32 @printf(ptr, ...)
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

/// `int main(void) { jmp_buf env; int n = 3; ... if (setjmp(env) == 0) work(env, n);
/// return n + count(); }`: the `__het_setjmp` call is an equivalence point although
/// nothing it calls reaches a migration point, carries no live value (`%n` was
/// demoted, the buffer's and the slot's addresses are read from
/// `@__het_unsafe_sp`), and its statepoint has `returns_twice`. `work`'s longjmp is
/// an ordinary call.
#[test]
fn setjmp_is_a_point_without_live_values_and_keeps_returns_twice() {
    insta::assert_snapshot!(migratable_with_jumps(
        "
define i32 @main(i32 %n) {
entry:
  %env = alloca [43 x i64], align 8
  %r = call signext i32 @setjmp(ptr %env) #0
  %first = icmp eq i32 %r, 0
  br i1 %first, label %go, label %done
go:
  call void @work(ptr %env, i32 %n)
  unreachable
done:
  %c = call i32 @count(i32 %n)
  %s = add i32 %c, %n
  ret i32 %s
}
define void @work(ptr %env, i32 %v) {
  call void @longjmp(ptr %env, i32 signext %v) #1
  unreachable
}
define i32 @count(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %i.next = add i32 %i, 1
  %more = icmp slt i32 %i.next, %n
  br i1 %more, label %loop, label %out
out:
  ret i32 %i.next
}
declare signext i32 @setjmp(ptr) #0
declare void @longjmp(ptr, i32 signext) #1
attributes #0 = { nounwind returns_twice }
attributes #1 = { noreturn nounwind }
"
    ));
}

/// A value live across `__het_setjmp` when the equivalence pass runs is a bug of the
/// setjmp pass (which was skipped here), reported rather than carried.
#[test]
fn value_live_across_setjmp_is_an_internal_error() {
    let context = Context::create();
    let ir = "
define i32 @f(ptr %env, i32 %n) {
  %r = call i32 @__het_setjmp(ptr %env, i32 0) returns_twice
  %s = add i32 %r, %n
  ret i32 %s
}
declare i32 @__het_setjmp(ptr, i32) returns_twice nounwind
";
    let module = parse_canonical(&context, ir);
    let problems = make_migratable(&module).expect_err("a diagnostic");
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        text,
        ["hetcc: internal error: in `f`, `n` live across a setjmp after the setjmp pass (please report)"]
    );
}

/// After retargeting, each ISA's module follows every statepoint (here the recursive
/// calls and the entry check of `fib`), not only `__het_setjmp`'s, with a clobber of
/// its callee-saved registers right after the call, before its `gc.result` and
/// `gc.relocate`s (the lines from each statepoint to its block's end, per ISA).
#[test]
fn each_isa_forgets_its_callee_saved_registers_after_every_point() {
    let ir = FIB;
    let mut out = String::new();
    for isa in het_format::Isa::ALL {
        let context = Context::create();
        let module = parse_canonical(&context, ir);
        make_migratable(&module).expect("no diagnostics");
        let layout = inkwell::targets::TargetData::create("e-m:e-p:64:64-i64:64-i128:128-n32:64-S128");
        het_passes::retarget::retarget(&module, isa, &layout);
        module.verify().expect("pass output verifies");
        let text = module.print_to_string().to_string();
        out.push_str(&format!("; {isa}\n"));
        let mut in_resume = false;
        for line in text.lines() {
            in_resume |= line.contains("= call token") && line.contains("@llvm.experimental.gc.statepoint.p0(");
            if in_resume {
                out.push_str(line);
                out.push('\n');
                in_resume = !line.trim_start().starts_with("br ") && !line.trim_start().starts_with("ret ");
            }
        }
    }
    insta::assert_snapshot!(out);
}

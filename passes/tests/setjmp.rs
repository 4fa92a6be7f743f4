//! Snapshot tests of the setjmp pass on hand-written canonical IR: the redirection to
//! the runtime's jumps, the demotion of what is live across a `setjmp`, and what is
//! refused.

mod common;

use common::{body, parse_canonical};
use het_passes::setjmp::make_jumps_migratable;
use inkwell::context::Context;

/// Runs the pass on `ir`; returns the verified module text followed by the summary,
/// or the diagnostics.
fn jumps(ir: &str) -> String {
    let context = Context::create();
    let module = parse_canonical(&context, ir);
    match make_jumps_migratable(&module) {
        Ok(summary) => format!("{}\n\n; {:?}", body(&module), summary),
        Err(problems) => problems.iter().map(|p| format!("{p}\n")).collect(),
    }
}

/// `int f(int n, int *p) { int k = *p; int r = setjmp(env); g(); return r + k + n; }`
/// in a loop: the argument `%n`, the load `%k` and the loop's phi `%i` are live across
/// the call; the static alloca `%local` (recomputed at each use) and `%r` (defined by
/// the call) are not. The function without a setjmp is untouched.
#[test]
fn argument_local_and_phi_live_across_setjmp_are_demoted() {
    insta::assert_snapshot!(jumps(
        "
@env = global [43 x i64] zeroinitializer
define i32 @f(i32 %n, ptr %p) {
entry:
  %local = alloca i32, align 4
  %k = load i32, ptr %p
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  store i32 %i, ptr %local
  %r = call signext i32 @setjmp(ptr @env) #0
  call void @g(ptr %local)
  %s = add i32 %r, %k
  %t = add i32 %s, %i
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  %u = phi i32 [ %t, %loop ]
  %v = add i32 %u, %n
  ret i32 %v
}
define i32 @plain(i32 %n) {
  call void @g(ptr null)
  ret i32 %n
}
declare signext i32 @setjmp(ptr) #0
declare void @g(ptr)
attributes #0 = { nounwind returns_twice }
"
    ));
}

/// `sigsetjmp(buf, 1)` keeps its savemask; `longjmp` and `siglongjmp` keep `noreturn`
/// and the `unreachable` after them; `_setjmp` passes savemask 0.
#[test]
fn sigsetjmp_keeps_its_savemask_and_longjmps_stay_noreturn() {
    insta::assert_snapshot!(jumps(
        "
define i32 @catch(ptr %buf, i32 %mask) {
  %r = call signext i32 @sigsetjmp(ptr %buf, i32 signext %mask) #0
  %q = call signext i32 @_setjmp(ptr %buf) #0
  %s = add i32 %r, %q
  ret i32 %s
}
define void @throw(ptr %buf, i32 %v) {
  %z = icmp eq i32 %v, 0
  br i1 %z, label %sig, label %plain
sig:
  call void @siglongjmp(ptr %buf, i32 signext 7) #1
  unreachable
plain:
  tail call void @longjmp(ptr %buf, i32 signext %v) #1
  unreachable
}
declare signext i32 @sigsetjmp(ptr, i32 signext) #0
declare signext i32 @_setjmp(ptr) #0
declare void @longjmp(ptr, i32 signext) #1
declare void @siglongjmp(ptr, i32 signext) #1
attributes #0 = { nounwind returns_twice }
attributes #1 = { noreturn nounwind }
"
    ));
}

/// `void (*jump)(jmp_buf, int) = longjmp;` (line 7) and a call of `setjmp` through a
/// wrong prototype (line 9) are refused with their lines.
#[test]
fn address_taken_longjmp_and_wrong_prototype_are_refused() {
    insta::assert_snapshot!(jumps(
        "
@jump = global ptr null
define void @keep() !dbg !5 {
  store ptr @longjmp, ptr @jump, !dbg !8
  ret void
}
define i64 @odd(ptr %b) !dbg !9 {
  %r = call i64 @setjmp(ptr %b), !dbg !10
  ret i64 %r
}
@table = global [1 x ptr] [ptr @longjmp]
declare void @longjmp(ptr, i32)
declare i32 @setjmp(ptr) returns_twice
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: \"jumps.c\", directory: \"/src\")
!3 = !{i32 2, !\"Debug Info Version\", i32 3}
!4 = !{i32 7, !\"Dwarf Version\", i32 5}
!5 = distinct !DISubprogram(name: \"keep\", scope: !1, file: !1, line: 6, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 7, column: 10, scope: !5)
!9 = distinct !DISubprogram(name: \"odd\", scope: !1, file: !1, line: 8, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!10 = !DILocation(line: 9, column: 3, scope: !9)
"
    ));
}

/// After the whole migratable pipeline, each ISA's module follows every `__het_setjmp`
/// statepoint with a clobber of that ISA's callee-saved registers, before its
/// `gc.result` (the lines from the statepoint to the block's end, per ISA).
#[test]
fn each_isa_forgets_its_callee_saved_registers_after_setjmp() {
    let ir = "
define i32 @catcher(ptr %env) {
  %r = call signext i32 @setjmp(ptr %env) #0
  %s = add i32 %r, 1
  ret i32 %s
}
declare signext i32 @setjmp(ptr) #0
attributes #0 = { nounwind returns_twice }
";
    let mut out = String::new();
    for isa in het_format::Isa::ALL {
        let context = Context::create();
        let module = parse_canonical(&context, ir);
        make_jumps_migratable(&module).expect("no setjmp diagnostics");
        het_passes::unsafe_stack::move_allocas(&module).expect("no unsafe-stack diagnostics");
        het_passes::equivalence::make_migratable(&module).expect("no diagnostics");
        let layout = inkwell::targets::TargetData::create("e-m:e-p:64:64-i64:64-i128:128-n32:64-S128");
        het_passes::retarget::retarget(&module, isa, &layout);
        module.verify().expect("pass output verifies");
        let text = module.print_to_string().to_string();
        let resume: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.contains("@__het_setjmp,"))
            .take_while(|l| !l.trim().is_empty())
            .collect();
        out.push_str(&format!("; {isa}\n{}\n", resume.join("\n")));
    }
    insta::assert_snapshot!(out);
}

/// `static _Thread_local int tl; int *p = &tl; setjmp(env); return *p;`: the address
/// of a thread-local variable is kept in memory like any value live across a setjmp
/// (every thread's TLS block has one address on every ISA).
#[test]
fn thread_local_address_live_across_setjmp_is_kept_in_memory() {
    insta::assert_snapshot!(jumps(
        "
@tl = internal thread_local global i32 5
define i32 @f(ptr %env) {
  %p = call ptr @llvm.threadlocal.address.p0(ptr @tl)
  store i32 1, ptr %p
  %r = call signext i32 @setjmp(ptr %env) #0
  %v = load i32, ptr %p
  ret i32 %v
}
declare ptr @llvm.threadlocal.address.p0(ptr)
declare signext i32 @setjmp(ptr) #0
attributes #0 = { nounwind returns_twice }
"
    ));
}

//! Snapshot test of the unsafe-stack pass on hand-written canonical IR.

mod common;

use common::{body, parse_canonical};
use het_passes::unsafe_stack::move_allocas;
use inkwell::context::Context;

/// Runs the pass on `ir`; returns the verified module text followed by the summary,
/// or the diagnostics.
fn moved(ir: &str) -> String {
    let context = Context::create();
    let module = parse_canonical(&context, ir);
    match move_allocas(&module) {
        Ok(summary) => format!("{}\n\n; {:?}", body(&module), summary),
        Err(problems) => problems.iter().map(|p| format!("{p}\n")).collect(),
    }
}

/// `int f(int n) { int buf[10]; int x = n; g(&x); char vla[n]; fill(vla, buf);
///  return buf[n] + x; }`, as clang -O2 leaves it (lifetime markers, a VLA scope).
#[test]
fn static_array_escaping_scalar_and_vla_move_to_the_unsafe_stack() {
    insta::assert_snapshot!(moved(
        "
define i32 @f(i32 %n) {
entry:
  %buf = alloca [10 x i32], align 4
  %x = alloca i32, align 4
  call void @llvm.lifetime.start.p0(ptr %buf)
  call void @llvm.lifetime.start.p0(ptr %x)
  store i32 %n, ptr %x, align 4
  call void @g(ptr %x)
  %sp = call ptr @llvm.stacksave.p0()
  %len = zext i32 %n to i64
  %vla = alloca i8, i64 %len, align 1
  call void @fill(ptr %vla, ptr %buf)
  %idx = sext i32 %n to i64
  %slot = getelementptr inbounds [10 x i32], ptr %buf, i64 0, i64 %idx
  %v = load i32, ptr %slot, align 4
  %xv = load i32, ptr %x, align 4
  %r = add i32 %v, %xv
  call void @llvm.stackrestore.p0(ptr %sp)
  call void @llvm.lifetime.end.p0(ptr %x)
  call void @llvm.lifetime.end.p0(ptr %buf)
  ret i32 %r
}
define i32 @leaf(i32 %n) {
  %r = mul i32 %n, 3
  ret i32 %r
}
declare void @g(ptr)
declare void @fill(ptr, ptr)
"
    ));
}

/// A `setjmp` caller restores the pointer after both returns; `musttail` next to a
/// local is refused with the function's name.
#[test]
fn setjmp_restores_the_pointer_and_musttail_with_locals_is_refused() {
    insta::assert_snapshot!(moved(
        "
define i32 @catcher(ptr %env) {
  %r = call i32 @setjmp(ptr %env) returns_twice
  ret i32 %r
}
declare i32 @setjmp(ptr) returns_twice
"
    ));
    insta::assert_snapshot!(moved(
        "
define i32 @forward(i32 %n) {
  %x = alloca i32, align 4
  store i32 %n, ptr %x
  %r = musttail call i32 @h(ptr %x)
  ret i32 %r
}
declare i32 @h(ptr)
"
    ));
}

/// In a function that calls `__het_setjmp`, nothing of the frame is an SSA value live
/// across the call: each use (a phi's at the end of its incoming block) reads the base
/// from `@__het_unsafe_sp`, and `%usp.old` is saved in the frame and read back at
/// `ret`. `@nolocals` has no allocas but still gets the slot. The pointer is not
/// restored after `__het_setjmp` (`__het_longjmp` does it).
#[test]
fn setjmp_function_reads_its_frame_base_at_each_use() {
    insta::assert_snapshot!(moved(
        "
define i32 @catcher(i1 %c) {
entry:
  %buf = alloca [43 x i64], align 8
  %x = alloca i32, align 4
  store i32 1, ptr %x
  %r = call i32 @__het_setjmp(ptr %buf, i32 0) returns_twice
  call void @g(ptr %x, ptr %buf)
  br i1 %c, label %a, label %b
a:
  br label %b
b:
  %p = phi ptr [ %x, %a ], [ %buf, %entry ]
  %v = load i32, ptr %p
  ret i32 %v
}
define i32 @nolocals(ptr %env) {
  %r = call i32 @__het_setjmp(ptr %env, i32 1) returns_twice
  ret i32 %r
}
declare i32 @__het_setjmp(ptr, i32) returns_twice nounwind
declare void @g(ptr, ptr)
"
    ));
}

/// `jmp_buf env; int n = ...; char vla[n]; if (setjmp(env)) ...`: after a `longjmp`
/// the pointer is back at its value at the `setjmp`, below the VLA, so the VLA's block
/// reserves 16 bytes below itself for a pointer to the frame, which every use reads.
#[test]
fn vla_in_a_setjmp_function_keeps_a_back_pointer() {
    insta::assert_snapshot!(moved(
        "
define i32 @f(i64 %n, ptr %env) !dbg !5 {
  %vla = alloca i8, i64 %n, align 1, !dbg !8
  %r = call i32 @__het_setjmp(ptr %env, i32 0) returns_twice, !dbg !9
  call void @g(ptr %vla, ptr null)
  ret i32 %r
}
declare i32 @__het_setjmp(ptr, i32) returns_twice nounwind
declare void @g(ptr, ptr)
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: \"vla.c\", directory: \"/src\")
!3 = !{i32 2, !\"Debug Info Version\", i32 3}
!5 = distinct !DISubprogram(name: \"f\", scope: !1, file: !1, line: 1, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 4, column: 8, scope: !5)
!9 = !DILocation(line: 5, column: 7, scope: !5)
"
    ));
}

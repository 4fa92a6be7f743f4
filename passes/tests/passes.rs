//! Snapshot tests of the IR the passes produce, from hand-written canonical IR.

mod common;

use common::{body, parse, HEADER};
use het_passes::{abi, layout, portability};
use inkwell::context::Context;

#[test]
fn variadic_definition_takes_slot_pointer_and_calls_store_slots() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
define i32 @sum(i32 %n, ...) {{
  %ap = alloca ptr, align 8
  %copy = alloca ptr, align 8
  call void @llvm.va_start.p0(ptr %ap)
  call void @llvm.va_copy.p0(ptr %copy, ptr %ap)
  %p = load ptr, ptr %ap
  %v = load i32, ptr %p
  call void @llvm.va_end.p0(ptr %copy)
  call void @llvm.va_end.p0(ptr %ap)
  ret i32 %v
}}
define i32 @main() {{
  %r = call i32 (i32, ...) @sum(i32 signext 3, i32 signext -1, double 2.5, i128 7, ptr null)
  ret i32 %r
}}
declare void @llvm.va_start.p0(ptr)
declare void @llvm.va_copy.p0(ptr, ptr)
declare void @llvm.va_end.p0(ptr)
"
        ),
    );
    abi::lower_variadic_definitions(&module).expect("no diagnostics");
    insta::assert_snapshot!(body(&module));
}

#[test]
fn address_taken_variadic_function_is_reported() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
@table = global ptr @logf
define void @logf(ptr %fmt, ...) {{
  ret void
}}
"
        ),
    );
    let problems = abi::lower_variadic_definitions(&module).expect_err("address taken");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .message
            .contains("address of variadic function `logf` is taken"),
        "{}",
        problems[0]
    );
}

#[test]
fn libc_calls_with_isa_specific_layouts_go_to_adapters() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
declare i32 @stat(ptr, ptr)
declare i32 @vprintf(ptr, ptr)
declare i32 @printf(ptr, ...)
define i32 @f(ptr %p, ptr %s, ptr %ap) {{
  %a = call i32 @stat(ptr %p, ptr %s)
  %b = call i32 @vprintf(ptr %p, ptr %ap)
  %c = call i32 (ptr, ...) @printf(ptr %p, i32 1)
  ret i32 %c
}}
"
        ),
    );
    abi::redirect_to_adapters(&module);
    insta::assert_snapshot!(body(&module));
}

#[test]
fn every_global_gets_a_symbol_and_its_own_section() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
@.str = private unnamed_addr constant [3 x i8] c\"hi\\00\", align 1
@zero = global i32 0, align 4
@one = internal global i64 1, align 8
@tls = thread_local global i32 5, align 4
@tlz = thread_local global i32 0, align 4
@keep = global i32 1, section \"mine\", align 4
@0 = private constant i8 1
define ptr @get() {{
  ret ptr @.str
}}
"
        ),
    );
    layout::give_each_global_its_own_section(&module);
    insta::assert_snapshot!(body(&module));
}

#[test]
fn portability_check_names_construct_and_line() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
define void @f(x86_fp80 %x, i64 %n) !dbg !5 {{
  call void asm sideeffect \"nop\", \"\"(), !dbg !8
  %y = fadd x86_fp80 %x, %x, !dbg !9
  %z = call i64 (i64, ...) @syscall(i64 %n), !dbg !10
  ret void
}}
declare i64 @syscall(i64, ...)
!llvm.dbg.cu = !{{!0}}
!llvm.module.flags = !{{!3}}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: \"prog.c\", directory: \"/src\")
!3 = !{{i32 2, !\"Debug Info Version\", i32 3}}
!5 = distinct !DISubprogram(name: \"f\", scope: !1, file: !1, line: 1, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{{}}
!8 = !DILocation(line: 2, column: 3, scope: !5)
!9 = !DILocation(line: 3, column: 10, scope: !5)
!10 = !DILocation(line: 4, column: 5, scope: !5)
"
        ),
    );
    let found: Vec<String> = portability::check(&module, "prog.c")
        .iter()
        .map(|d| d.to_string())
        .collect();
    insta::assert_snapshot!(found.join("\n"));
}

/// Constructors and destructors become one `.init_array`/`.fini_array` array each, in
/// priority order (equal priorities in program order), not `.ctors`/`.dtors`.
#[test]
fn constructors_become_one_init_array_in_priority_order() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
@llvm.global_ctors = appending global [4 x {{ i32, ptr, ptr }}] [
  {{ i32, ptr, ptr }} {{ i32 65535, ptr @late_a, ptr null }},
  {{ i32, ptr, ptr }} {{ i32 101, ptr @first, ptr null }},
  {{ i32, ptr, ptr }} {{ i32 65535, ptr @late_b, ptr null }},
  {{ i32, ptr, ptr }} {{ i32 200, ptr @second, ptr null }}]
@llvm.global_dtors = appending global [1 x {{ i32, ptr, ptr }}] [
  {{ i32, ptr, ptr }} {{ i32 65535, ptr @bye, ptr null }}]
define internal void @late_a() {{ ret void }}
define internal void @late_b() {{ ret void }}
define internal void @first() {{ ret void }}
define internal void @second() {{ ret void }}
define internal void @bye() {{ ret void }}
"
        ),
    );
    layout::give_each_global_its_own_section(&module);
    insta::assert_snapshot!(body(&module));
}

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

/// A program variadic function in a table and passed as an argument, libc variadic
/// functions in a table (`printf`, called directly too, `open`), a call through a
/// variadic function pointer, an unprototyped declaration's address, and `vprintf`
/// called directly while `printf`'s address becomes `__het_vprintf`.
#[test]
fn calls_through_variadic_pointers_pass_slots_and_libc_addresses_become_adapters() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
@table = global [3 x ptr] [ptr @logf, ptr @printf, ptr @open]
@old_style = global ptr @legacy
define void @logf(ptr %fmt, ...) {{
  ret void
}}
define i32 @main(ptr %ap) {{
  %a = call i32 (ptr, ...) @printf(ptr null, i32 signext 1)
  call void @register(ptr @logf)
  %fp = load ptr, ptr @table
  %b = call signext i32 (ptr, ...) %fp(ptr null, i32 signext -2, double 1.5, ptr @printf)
  %c = call i32 @vprintf(ptr null, ptr %ap)
  %s = add i32 %a, %b
  %t = add i32 %s, %c
  ret i32 %t
}}
declare i32 @printf(ptr, ...)
declare i32 @vprintf(ptr, ptr)
declare i32 @open(ptr, i32 signext, ...)
declare i32 @legacy(...)
declare void @register(ptr)
"
        ),
    );
    abi::lower_variadic_definitions(&module).expect("no diagnostics");
    abi::redirect_to_adapters(&module);
    insta::assert_snapshot!(body(&module));
}

/// `prctl` has no slot adapter: taking its address is an error at the line of the
/// store, and in a static table it names the table.
#[test]
fn libc_variadic_function_without_slot_adapter_is_refused_where_its_address_is_taken() {
    let context = Context::create();
    let module = parse(
        &context,
        &format!(
            "{HEADER}
@ops = global ptr @prctl
define void @f(ptr %slot) !dbg !5 {{
  store ptr @prctl, ptr %slot, !dbg !8
  ret void
}}
declare i32 @prctl(i32 signext, ...)
!llvm.dbg.cu = !{{!0}}
!llvm.module.flags = !{{!3}}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: \"tool.c\", directory: \"/src\")
!3 = !{{i32 2, !\"Debug Info Version\", i32 3}}
!5 = distinct !DISubprogram(name: \"f\", scope: !1, file: !1, line: 3, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{{}}
!8 = !DILocation(line: 4, column: 9, scope: !5)
"
        ),
    );
    let problems = abi::lower_variadic_definitions(&module).expect_err("no adapter for prctl");
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    insta::assert_snapshot!(text.join("\n"));
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

//! Snapshot test of the `__builtin_setjmp`/`__builtin_longjmp` lowering on the IR clang
//! makes of the frontend's definitions of the builtins.

mod common;

use common::{body, parse_canonical};
use het_passes::builtin_setjmp::lower;
use inkwell::context::Context;

/// `static void *buf[5]; int f(void) { if (__builtin_setjmp(buf) == 0) g(); return 1; }
///  void h(void) { __builtin_longjmp(buf, 1); }`: the builtin setjmp becomes `setjmp`
/// on a jmp_buf in `f`'s frame whose address goes to `buf[0]`, the longjmp a `longjmp`
/// through `buf[0]` with value 1, and the frontend's declarations disappear.
#[test]
fn builtins_become_setjmp_and_longjmp_on_a_shadow_buffer() {
    let context = Context::create();
    let module = parse_canonical(
        &context,
        "
@buf = internal global [5 x ptr] zeroinitializer, align 8
define i32 @f() {
entry:
  %r = call i32 @__het_builtin_setjmp(ptr @buf) returns_twice
  %first = icmp eq i32 %r, 0
  br i1 %first, label %call, label %done
call:
  call void @g()
  br label %done
done:
  ret i32 1
}
define void @h() {
  call void @__het_builtin_longjmp(ptr @buf, i32 7) noreturn
  unreachable
}
declare i32 @__het_builtin_setjmp(ptr) returns_twice
declare void @__het_builtin_longjmp(ptr, i32) noreturn
declare void @g()
",
    );
    let replaced = lower(&module);
    insta::assert_snapshot!(format!("{}\n\n; {replaced} calls replaced", body(&module)));
}

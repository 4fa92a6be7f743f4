//! The start of a migratable program (with `-fhet-migratable`, after
//! [`crate::equivalence::make_migratable`]):
//!
//! - [`wrap_main`]: the program's `main` becomes `__het_user_main`, and a new `main`
//!   hands it to the runtime (`__het_runtime_main`, `runtime-lib/src/start.rs`), which
//!   sets up the migration window first. Added after the equivalence pass, so the
//!   wrapper's call is no equivalence point and the wrapper has no migration point:
//!   the outermost program frame a migration rebuilds is `__het_user_main`'s.
//!   The runtime's `__het_runtime_init` becomes the first constructor, so the window
//!   exists before the program's constructors run (and a restore happens before any
//!   of them could run again on the destination).
//! - [`add_program_id`]: `@__het_program_id`, a 128-bit hash of the canonical bitcode,
//!   the same in every ISA's binary of one build, so that a restore can refuse a
//!   checkpoint from another build.

use crate::diagnostic::Diagnostic;
use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::LLVMTypeKind;
use inkwell::module::Module;

/// The name the program's `main` gets.
pub const USER_MAIN: &str = "__het_user_main";
/// The runtime's start-up function the new `main` calls.
pub const RUNTIME_MAIN: &str = "__het_runtime_main";
/// The runtime's function that runs before the program's constructors.
pub const RUNTIME_INIT: &str = "__het_runtime_init";
/// Its priority: below every priority a program may use (GCC reserves 0-100).
const RUNTIME_INIT_PRIORITY: u64 = 0;
/// The program identity constant.
pub const PROGRAM_ID: &str = "__het_program_id";

/// Renames `main` to [`USER_MAIN`] and defines
/// `i32 @main(i32 %argc, ptr %argv, ptr %envp)` returning
/// `__het_runtime_main(argc, argv, envp, @__het_user_main)`. The program's `main` may
/// take 0, 2 or 3 parameters: the runtime always passes three, which every one of
/// the three ABIs allows (extra argument registers are simply not read).
pub fn wrap_main(module: &Module<'_>) -> Result<(), Diagnostic> {
    let m = module.as_mut_ptr();
    // SAFETY: `m` is live; every handle below belongs to it; names are literals.
    unsafe {
        let user_main = LLVMGetNamedFunction(m, c"main".as_ptr());
        if user_main.is_null() || ir::is_declaration(user_main) {
            return Ok(());
        }
        let ctx = LLVMGetModuleContext(m);
        let i32_ty = LLVMInt32TypeInContext(ctx);
        let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
        let user_ty = LLVMGlobalGetValueType(user_main);
        let returns_int = LLVMGetTypeKind(LLVMGetReturnType(user_ty)) == LLVMTypeKind::LLVMIntegerTypeKind
            && LLVMGetIntTypeWidth(LLVMGetReturnType(user_ty)) == 32;
        if !returns_int || LLVMCountParamTypes(user_ty) > 3 || LLVMIsFunctionVarArg(user_ty) != 0 {
            return Err(Diagnostic {
                file: String::new(),
                line: 0,
                column: 0,
                message: "`main` must be `int main(void)`, `int main(int, char **)` or \
                          `int main(int, char **, char **)` for -fhet-migratable"
                    .into(),
            });
        }
        ir::set_name(user_main, USER_MAIN);
        if ir::name(user_main) != USER_MAIN {
            return Err(Diagnostic {
                file: String::new(),
                line: 0,
                column: 0,
                message: format!("`{USER_MAIN}` is reserved for hetcc -fhet-migratable; rename the program's own"),
            });
        }
        let mut main_params = [i32_ty, ptr_ty, ptr_ty];
        let main_ty = LLVMFunctionType(i32_ty, main_params.as_mut_ptr(), 3, 0);
        let main = LLVMAddFunction(m, c"main".as_ptr(), main_ty);
        ir::set_function_attribute(main, "frame-pointer", "all");
        let mut runtime_params = [i32_ty, ptr_ty, ptr_ty, ptr_ty];
        let runtime_ty = LLVMFunctionType(i32_ty, runtime_params.as_mut_ptr(), 4, 0);
        let mut runtime_main = LLVMGetNamedFunction(m, c"__het_runtime_main".as_ptr());
        if runtime_main.is_null() {
            runtime_main = LLVMAddFunction(m, c"__het_runtime_main".as_ptr(), runtime_ty);
        }
        let builder = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderAtEnd(builder, LLVMAppendBasicBlockInContext(ctx, main, c"entry".as_ptr()));
        let mut args = [
            LLVMGetParam(main, 0),
            LLVMGetParam(main, 1),
            LLVMGetParam(main, 2),
            user_main,
        ];
        let status = LLVMBuildCall2(
            builder,
            runtime_ty,
            runtime_main,
            args.as_mut_ptr(),
            4,
            c"status".as_ptr(),
        );
        LLVMBuildRet(builder, status);
        LLVMDisposeBuilder(builder);
        let mut none = [];
        let init_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), none.as_mut_ptr(), 0, 0);
        let init = LLVMAddFunction(m, c"__het_runtime_init".as_ptr(), init_ty);
        add_constructor(m, init, RUNTIME_INIT_PRIORITY);
    }
    Ok(())
}

/// Appends `{ priority, function, null }` to `llvm.global_ctors`, creating the list if
/// the program has none.
///
/// # Safety
/// `m` is live and `function` is a function of it.
unsafe fn add_constructor(m: LLVMModuleRef, function: LLVMValueRef, priority: u64) {
    // SAFETY: as documented; the list's initializer is the constant array of
    // `{ i32, ptr, ptr }` the verifier requires of it.
    unsafe {
        let ctx = LLVMGetModuleContext(m);
        let i32_ty = LLVMInt32TypeInContext(ctx);
        let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
        let mut fields = [i32_ty, ptr_ty, ptr_ty];
        let entry_ty = LLVMStructTypeInContext(ctx, fields.as_mut_ptr(), 3, 0);
        let mut entries = Vec::new();
        let old = LLVMGetNamedGlobal(m, c"llvm.global_ctors".as_ptr());
        if !old.is_null() {
            let init = LLVMGetInitializer(old);
            if !init.is_null() && LLVMIsAConstantAggregateZero(init).is_null() {
                entries.extend((0..ir::operand_count(init)).map(|i| LLVMGetOperand(init, i)));
            }
            LLVMDeleteGlobal(old);
        }
        let mut values = [LLVMConstInt(i32_ty, priority, 0), function, LLVMConstNull(ptr_ty)];
        entries.push(LLVMConstNamedStruct(entry_ty, values.as_mut_ptr(), 3));
        let array = LLVMConstArray2(entry_ty, entries.as_mut_ptr(), entries.len() as u64);
        let list = LLVMAddGlobal(m, LLVMTypeOf(array), c"llvm.global_ctors".as_ptr());
        LLVMSetInitializer(list, array);
        LLVMSetLinkage(list, inkwell::llvm_sys::LLVMLinkage::LLVMAppendingLinkage);
    }
}

/// Adds `@__het_program_id = constant [2 x i64]` holding [`program_id`] of `bitcode`
/// (the module's bitcode just before this call).
pub fn add_program_id(module: &Module<'_>, bitcode: &[u8]) {
    let id = program_id(bitcode);
    let m = module.as_mut_ptr();
    // SAFETY: `m` is live; the constant's elements are built in its context.
    unsafe {
        let ctx = LLVMGetModuleContext(m);
        let i64_ty = LLVMInt64TypeInContext(ctx);
        let mut words = [LLVMConstInt(i64_ty, id[0], 0), LLVMConstInt(i64_ty, id[1], 0)];
        let value = LLVMConstArray2(i64_ty, words.as_mut_ptr(), 2);
        let global = LLVMAddGlobal(m, LLVMTypeOf(value), c"__het_program_id".as_ptr());
        LLVMSetInitializer(global, value);
        LLVMSetGlobalConstant(global, 1);
        LLVMSetAlignment(global, 8);
    }
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// Two 64-bit FNV-1a hashes of `bytes`: one over the bytes in order, one over them in
/// reverse order. Reversal makes the second word depend on the input differently from
/// the first (a change near the end of the bitcode perturbs the reverse hash early),
/// which a second offset basis alone would not. An identity check, not a security
/// measure: it tells builds apart, it does not resist forgery.
pub fn program_id(bytes: &[u8]) -> [u64; 2] {
    let fnv = |iter: &mut dyn Iterator<Item = &u8>| {
        iter.fold(FNV_OFFSET_BASIS, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
    };
    [fnv(&mut bytes.iter()), fnv(&mut bytes.iter().rev())]
}

//! A thin layer over the LLVM C API for what inkwell does not expose (block splicing,
//! debug locations, attribute removal, called-operand inspection).
//!
//! Every function here takes raw handles that must belong to a module that is alive
//! for the duration of the call; the public entry points of this crate take an
//! `&inkwell::module::Module` (or a `LLVMModuleRef` from one), which guarantees that.
//! Handles are never kept across an erase: passes collect what to change first, then
//! change it.

use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::{LLVMOpcode, LLVMTypeKind};
use std::ffi::{CStr, CString};

/// All functions of a module, declarations included, in module order.
pub fn functions(module: LLVMModuleRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    // SAFETY: iteration over a live module's function list, not modified meanwhile.
    unsafe {
        let mut f = LLVMGetFirstFunction(module);
        while !f.is_null() {
            out.push(f);
            f = LLVMGetNextFunction(f);
        }
    }
    out
}

/// All global variables of a module, in module order.
pub fn globals(module: LLVMModuleRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    // SAFETY: as in `functions`.
    unsafe {
        let mut g = LLVMGetFirstGlobal(module);
        while !g.is_null() {
            out.push(g);
            g = LLVMGetNextGlobal(g);
        }
    }
    out
}

/// The basic blocks of a function, in layout order.
pub fn blocks(function: LLVMValueRef) -> Vec<LLVMBasicBlockRef> {
    let mut out = Vec::new();
    // SAFETY: iteration over a live function's blocks.
    unsafe {
        let mut b = LLVMGetFirstBasicBlock(function);
        while !b.is_null() {
            out.push(b);
            b = LLVMGetNextBasicBlock(b);
        }
    }
    out
}

/// Every instruction of a function, block by block.
pub fn instructions(function: LLVMValueRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    for block in blocks(function) {
        // SAFETY: iteration over a live block's instructions.
        unsafe {
            let mut i = LLVMGetFirstInstruction(block);
            while !i.is_null() {
                out.push(i);
                i = LLVMGetNextInstruction(i);
            }
        }
    }
    out
}

/// The users of a value (instructions, constants, globals).
pub fn users(value: LLVMValueRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    // SAFETY: iteration over a live value's use list, not modified meanwhile.
    unsafe {
        let mut u = LLVMGetFirstUse(value);
        while !u.is_null() {
            out.push(LLVMGetUser(u));
            u = LLVMGetNextUse(u);
        }
    }
    out
}

/// A value's name (empty for unnamed values).
pub fn name(value: LLVMValueRef) -> String {
    let mut len = 0usize;
    // SAFETY: LLVM returns a pointer to `len` bytes owned by the value.
    unsafe {
        let ptr = LLVMGetValueName2(value, &mut len);
        if ptr.is_null() {
            return String::new();
        }
        String::from_utf8_lossy(std::slice::from_raw_parts(ptr as *const u8, len)).into_owned()
    }
}

/// Renames a value; LLVM appends a suffix if the name is taken.
pub fn set_name(value: LLVMValueRef, new_name: &str) {
    // SAFETY: LLVM copies the name.
    unsafe { LLVMSetValueName2(value, new_name.as_ptr() as *const _, new_name.len()) }
}

/// Whether a function or global has no body/initialiser in this module.
pub fn is_declaration(global: LLVMValueRef) -> bool {
    // SAFETY: `global` is a live global value.
    unsafe { LLVMIsDeclaration(global) != 0 }
}

/// Whether an instruction is a call or invoke.
pub fn is_call(inst: LLVMValueRef) -> bool {
    // SAFETY: `inst` is a live instruction.
    unsafe { !LLVMIsACallInst(inst).is_null() || !LLVMIsAInvokeInst(inst).is_null() }
}

/// The called operand of a call, casts stripped.
pub fn called_operand(call: LLVMValueRef) -> LLVMValueRef {
    // SAFETY: `call` is a live call or invoke.
    unsafe { strip_casts(LLVMGetCalledValue(call)) }
}

/// The function a call calls directly, if it does.
pub fn direct_callee(call: LLVMValueRef) -> Option<LLVMValueRef> {
    let callee = called_operand(call);
    // SAFETY: `callee` is a live value.
    let is_function = unsafe { !LLVMIsAFunction(callee).is_null() };
    is_function.then_some(callee)
}

/// Whether the called operand is inline assembly.
pub fn calls_inline_asm(call: LLVMValueRef) -> bool {
    // SAFETY: `call` is a live call or invoke.
    unsafe { !LLVMIsAInlineAsm(LLVMGetCalledValue(call)).is_null() }
}

fn strip_casts(mut v: LLVMValueRef) -> LLVMValueRef {
    // SAFETY: walks operands of live constant expressions.
    unsafe {
        while !LLVMIsAConstantExpr(v).is_null()
            && matches!(
                LLVMGetConstOpcode(v),
                LLVMOpcode::LLVMBitCast | LLVMOpcode::LLVMAddrSpaceCast
            )
        {
            v = LLVMGetOperand(v, 0);
        }
    }
    v
}

/// Number of operands of a user.
pub fn operand_count(user: LLVMValueRef) -> u32 {
    // SAFETY: `user` is a live user.
    unsafe { LLVMGetNumOperands(user) as u32 }
}

/// Operand `i` of a user.
pub fn operand(user: LLVMValueRef, i: u32) -> LLVMValueRef {
    // SAFETY: callers stay below `operand_count`.
    unsafe { LLVMGetOperand(user, i) }
}

/// Number of arguments of a call (the callee operand excluded).
pub fn call_arg_count(call: LLVMValueRef) -> u32 {
    // SAFETY: `call` is a live call or invoke.
    unsafe { LLVMGetNumArgOperands(call) }
}

/// The type of a value.
pub fn type_of(value: LLVMValueRef) -> LLVMTypeRef {
    // SAFETY: `value` is live.
    unsafe { LLVMTypeOf(value) }
}

/// Whether a type is, or contains, a type for which `pred` holds.
pub fn type_contains(ty: LLVMTypeRef, pred: &dyn Fn(LLVMTypeRef) -> bool) -> bool {
    if pred(ty) {
        return true;
    }
    // SAFETY: `ty` is a live type; element queries match its kind.
    unsafe {
        match LLVMGetTypeKind(ty) {
            LLVMTypeKind::LLVMArrayTypeKind | LLVMTypeKind::LLVMVectorTypeKind => {
                type_contains(LLVMGetElementType(ty), pred)
            }
            LLVMTypeKind::LLVMStructTypeKind => {
                let n = LLVMCountStructElementTypes(ty);
                (0..n).any(|i| type_contains(LLVMStructGetTypeAtIndex(ty, i), pred))
            }
            LLVMTypeKind::LLVMFunctionTypeKind => {
                let n = LLVMCountParamTypes(ty) as usize;
                let mut params = vec![std::ptr::null_mut(); n];
                LLVMGetParamTypes(ty, params.as_mut_ptr());
                type_contains(LLVMGetReturnType(ty), pred) || params.iter().any(|&p| type_contains(p, pred))
            }
            _ => false,
        }
    }
}

/// Whether a type is a floating-point format only one ISA has: x87's 80-bit or
/// PowerPC's double-double `long double`. (hetcc's `long double` is IEEE binary128,
/// `fp128`, on every ISA.)
pub fn is_one_isa_float(ty: LLVMTypeRef) -> bool {
    // SAFETY: `ty` is live.
    unsafe {
        matches!(
            LLVMGetTypeKind(ty),
            LLVMTypeKind::LLVMX86_FP80TypeKind | LLVMTypeKind::LLVMPPC_FP128TypeKind
        )
    }
}

/// The value of an integer constant, zero-extended; `None` for anything else.
pub fn constant_int(value: LLVMValueRef) -> Option<u64> {
    // SAFETY: `value` is live; the value query matches the kind just checked.
    unsafe { (!LLVMIsAConstantInt(value).is_null()).then(|| LLVMConstIntGetZExtValue(value)) }
}

/// The source location of an instruction, if debug info recorded one.
pub fn location(inst: LLVMValueRef) -> Option<(String, u32, u32)> {
    // SAFETY: the debug-location getters accept any instruction; the filename
    // pointer is owned by the metadata and copied at once.
    unsafe {
        let line = LLVMGetDebugLocLine(inst);
        if line == 0 {
            return None;
        }
        let mut len = 0u32;
        let ptr = LLVMGetDebugLocFilename(inst, &mut len);
        let file = if ptr.is_null() {
            String::new()
        } else {
            String::from_utf8_lossy(std::slice::from_raw_parts(ptr as *const u8, len as usize)).into_owned()
        };
        Some((file, line, LLVMGetDebugLocColumn(inst)))
    }
}

/// Removes a string attribute from a function, if present.
pub fn remove_function_attribute(function: LLVMValueRef, key: &str) {
    // SAFETY: `function` is live; the key is passed with its length.
    unsafe {
        LLVMRemoveStringAttributeAtIndex(
            function,
            inkwell::llvm_sys::LLVMAttributeFunctionIndex,
            key.as_ptr() as *const _,
            key.len() as u32,
        )
    }
}

/// Adds (or replaces) a string attribute `key=value` on a function.
pub fn set_function_attribute(function: LLVMValueRef, key: &str, value: &str) {
    // SAFETY: `function` is live.
    unsafe {
        LLVMAddAttributeAtIndex(
            function,
            inkwell::llvm_sys::LLVMAttributeFunctionIndex,
            string_attribute(function, key, value),
        )
    }
}

/// Adds (or replaces) a string attribute `key=value` on a call site.
pub fn set_call_attribute(call: LLVMValueRef, key: &str, value: &str) {
    // SAFETY: `call` is a live call.
    unsafe {
        LLVMAddCallSiteAttribute(
            call,
            inkwell::llvm_sys::LLVMAttributeFunctionIndex,
            string_attribute(call, key, value),
        )
    }
}

/// A string attribute in `value`'s context.
fn string_attribute(value: LLVMValueRef, key: &str, text: &str) -> LLVMAttributeRef {
    // SAFETY: `value` is live; LLVM copies key and text.
    unsafe {
        let ctx = LLVMGetTypeContext(LLVMTypeOf(value));
        LLVMCreateStringAttribute(
            ctx,
            key.as_ptr() as *const _,
            key.len() as u32,
            text.as_ptr() as *const _,
            text.len() as u32,
        )
    }
}

/// Copies a call's own attributes (function, return, and those of its first
/// `arguments` arguments) onto a call that replaces it.
pub fn copy_call_site_attributes(from: LLVMValueRef, to: LLVMValueRef, arguments: u32) {
    let indices = [
        inkwell::llvm_sys::LLVMAttributeFunctionIndex,
        inkwell::llvm_sys::LLVMAttributeReturnIndex,
    ]
    .into_iter()
    .chain(1..=arguments);
    // SAFETY: both are live calls and `to` has at least `arguments` arguments.
    unsafe {
        for index in indices {
            let n = LLVMGetCallSiteAttributeCount(from, index);
            let mut attrs = vec![std::ptr::null_mut(); n as usize];
            LLVMGetCallSiteAttributes(from, index, attrs.as_mut_ptr());
            for attr in attrs {
                LLVMAddCallSiteAttribute(to, index, attr);
            }
        }
    }
}

/// The explicit section of a global, if any.
pub fn section(global: LLVMValueRef) -> Option<String> {
    // SAFETY: the returned C string is owned by the global and copied at once.
    unsafe {
        let ptr = LLVMGetSection(global);
        if ptr.is_null() {
            return None;
        }
        let s = CStr::from_ptr(ptr).to_string_lossy().into_owned();
        (!s.is_empty()).then_some(s)
    }
}

/// Sets the explicit section of a global.
pub fn set_section(global: LLVMValueRef, section: &str) {
    let c = CString::new(section).expect("section names built by hetcc contain no NUL");
    // SAFETY: LLVM copies the string.
    unsafe { LLVMSetSection(global, c.as_ptr()) }
}

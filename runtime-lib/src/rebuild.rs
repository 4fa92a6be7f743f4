//! Building the program's frames for this ISA from ISA-neutral frames: the inverse of
//! the walk. Frames are laid out from the outermost (`__het_user_main`'s) inwards on a
//! fresh stack; per frame, with this ISA's transform table for the frame's point ID:
//!
//! - SP = CFA − frame size (the caller's SP at the call is this frame's CFA);
//! - the caller's callee-saved registers go to this frame's save slots and the caller's
//!   return address to the return-address slot (the rules the walk reads, written);
//! - the frame pointer, if the CFA rule is FP-based, is CFA − CFA offset;
//! - each live value goes where the code after the call reads it: a stack slot, or a
//!   callee-saved register (which inner frames then save, or the resume loads).
//!
//! What is left is the register set of the innermost frame: SP, callee-saved registers
//! and the innermost point's return address, which `resume` loads and jumps to.

use crate::capture::{self, Captured};
use crate::error::Error;
use crate::frames::{CarriedValue, Frames};
use het_format::table::{Location, SaveRule};
use het_format::TransformTable;

/// Register values of the frame being built, by DWARF number.
struct Registers([u64; 96]);

impl Registers {
    fn get(&self, register: u16) -> u64 {
        self.0.get(usize::from(register)).copied().unwrap_or(0)
    }

    fn set(&mut self, register: u16, value: u64) -> Result<(), Error> {
        let slot = self
            .0
            .get_mut(usize::from(register))
            .ok_or(Error::UnknownRegister(register))?;
        *slot = value;
        Ok(())
    }
}

/// The stack the frames are written to: `[low, top)`, frames below `top`.
pub struct Stack {
    /// Lowest writable address.
    pub low: u64,
    /// The outermost frame's CFA (16-aligned).
    pub top: u64,
}

impl Stack {
    fn write(&self, address: u64, bits: u64, size: u16) -> Result<(), Error> {
        let size = u64::from(size.clamp(1, 8));
        if address < self.low || address.saturating_add(size) > self.top + 4096 {
            return Err(Error::BadAddress(address));
        }
        for i in 0..size {
            // SAFETY: inside the fresh stack mapping, which nothing else uses yet.
            unsafe { core::ptr::write_volatile((address + i) as *mut u8, (bits >> (8 * i)) as u8) };
        }
        Ok(())
    }
}

fn add(base: u64, offset: i64) -> u64 {
    base.wrapping_add(offset as u64)
}

/// Bytes of stack `frames` take on this ISA: the sum of their frame sizes in `table`.
pub fn stack_needed(table: &TransformTable<'_>, frames: &Frames) -> Result<u64, Error> {
    let mut total = 0u64;
    for &start in frames.frame_starts()?.as_slice() {
        let (id, _) = frames.frame_at(start)?;
        let point = table.point_by_id(id).ok_or(Error::UnknownPoint(id))?;
        let size = point.frame().frame_size.ok_or(Error::DynamicFrame(id))?;
        total = total.checked_add(u64::from(size)).ok_or(Error::StackFull)?;
    }
    Ok(total)
}

/// Writes `frames` onto `stack` with `table` (this ISA's); the outermost frame returns
/// to `landing`. Returns the registers to resume with (in the capture's layout:
/// `words[SP]`, `words[RA]` = where to jump, then the callee-saved registers).
///
/// `laid_out(i, state)` is called for each frame, outermost first, with its index
/// (innermost first) and the registers its code sees at its point (`words[RA]` = 0).
pub fn rebuild(
    table: &TransformTable<'_>,
    frames: &Frames,
    stack: &Stack,
    landing: u64,
    laid_out: &mut dyn FnMut(u32, &Captured) -> Result<(), Error>,
) -> Result<Captured, Error> {
    let facts = table.isa().registers();
    let starts = frames.frame_starts()?;
    let mut regs = Registers([0; 96]);
    let mut cfa = stack.top;
    let mut return_address = landing;
    for (index, &start) in starts.as_slice().iter().enumerate().rev() {
        let (id, values) = frames.frame_at(start)?;
        let point = table.point_by_id(id).ok_or(Error::UnknownPoint(id))?;
        let rule = point.frame();
        let size = rule.frame_size.ok_or(Error::DynamicFrame(id))?;
        let sp = cfa - u64::from(size);
        if sp < stack.low + 4096 {
            return Err(Error::StackFull);
        }
        for saved in point.saved_registers() {
            match saved.rule {
                SaveRule::AtCfaOffset(offset) => {
                    stack.write(add(cfa, i64::from(offset)), regs.get(saved.register), 8)?
                }
                SaveRule::Unchanged => {}
                SaveRule::InRegister(_) => return Err(Error::UnsupportedRule(id)),
            }
        }
        match rule.return_address {
            SaveRule::AtCfaOffset(offset) => stack.write(add(cfa, i64::from(offset)), return_address, 8)?,
            SaveRule::Unchanged => regs.set(facts.return_address, return_address)?,
            SaveRule::InRegister(_) => return Err(Error::UnsupportedRule(id)),
        }
        regs.set(facts.stack_pointer, sp)?;
        if rule.cfa_register != facts.stack_pointer {
            regs.set(rule.cfa_register, add(cfa, -i64::from(rule.cfa_offset)))?;
        } else if rule.cfa_offset as u64 != u64::from(size) {
            return Err(Error::FrameSize {
                id,
                expected: size,
                found: rule.cfa_offset as u64,
            });
        }
        if usize::from(point.live_count()) != values.len() {
            return Err(Error::ValueCount { id });
        }
        for (live, carried) in point.live_values().zip(values) {
            place(&live, carried, id, &mut regs, stack, facts)?;
        }
        laid_out(index as u32, &state(&regs, sp, 0))?;
        cfa = sp;
        return_address = point.return_address();
    }
    Ok(state(&regs, cfa, return_address))
}

/// `regs` in the capture's layout.
fn state(regs: &Registers, sp: u64, return_address: u64) -> Captured {
    let mut state = Captured {
        words: [0; capture::FIRST_REGISTER + capture::LAYOUT.len()],
    };
    state.words[capture::SP] = sp;
    state.words[capture::RA] = return_address;
    for (i, &register) in capture::LAYOUT.iter().enumerate() {
        if let Some(slot) = state.words.get_mut(capture::FIRST_REGISTER + i) {
            *slot = regs.get(register);
        }
    }
    state
}

/// Puts one carried value where this ISA's code after the call reads it.
fn place(
    live: &het_format::table::LiveValue,
    carried: CarriedValue,
    id: u64,
    regs: &mut Registers,
    stack: &Stack,
    facts: &het_format::isa::RegisterFacts,
) -> Result<(), Error> {
    if live.kind != carried.kind {
        return Err(Error::ValueKind { id });
    }
    match live.location {
        Location::Indirect { register, offset } => {
            stack.write(add(regs.get(register), offset), carried.bits, live.size)
        }
        Location::Register(register) if facts.is_callee_saved(register) => regs.set(register, carried.bits),
        Location::Register(register) => Err(Error::UnknownRegister(register)),
        // A constant is part of the code: nothing to transfer.
        Location::Constant(_) => Ok(()),
        Location::Direct { .. } => Err(Error::StackObject(id)),
    }
}

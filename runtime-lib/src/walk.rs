//! The same-ISA stack walk: from the program frame that called the slow path outwards,
//! one frame per equivalence point, with the transform table's frame rules.
//!
//! Per frame (docs/stackmap.md, "How the runtime will use it"): the point is found by
//! return address; CFA = reg[cfa_register] + cfa_offset; each live value is read from
//! its location with this frame's register values; the caller's callee-saved registers
//! and return address come from the save rules; the caller's SP is the CFA. The walk
//! ends at the first return address that is no equivalence point: the return of the
//! program's `main` (`__het_user_main`) into the runtime's start-up, or from a thread's
//! start routine into `__het_thread_call` (complete), or a
//! libc frame between program frames, e.g. `qsort` under a comparator (deferred:
//! migration must wait until the program is back in its own code).

use crate::capture::{self, Captured};
use crate::error::Error;
use crate::out::Line;
use core::sync::atomic::{AtomicU64, Ordering};
use het_format::table::{FrameRule, LiveValue, Location, SaveRule, ValueKind};
use het_format::{EquivalencePoint, TransformTable};

/// Register values known in one frame, by DWARF number (the three ISAs' numbers all
/// fall below 96).
struct Registers {
    values: [u64; 96],
    known: u128,
}

impl Registers {
    fn get(&self, register: u16) -> Result<u64, Error> {
        let i = usize::from(register);
        match self.values.get(i) {
            Some(&v) if i < 128 && self.known & (1u128 << i) != 0 => Ok(v),
            _ => Err(Error::UnknownRegister(register)),
        }
    }

    fn set(&mut self, register: u16, value: u64) {
        let i = usize::from(register);
        if let Some(slot) = self.values.get_mut(i) {
            *slot = value;
            self.known |= 1u128 << i;
        }
    }
}

/// The outcome of a walk that did not fail.
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    /// Frames walked (each at an equivalence point).
    pub frames: u64,
    /// True if the walk reached `main`'s caller; false if it stopped at a frame that is
    /// no equivalence point under a program frame (migration would be deferred).
    pub complete: bool,
}

/// One past the highest address a walk on the main thread may read (another thread's
/// walk stops at the top of that thread's stack): every program frame lies below it.
/// Set before the program runs to the address of the kernel's `argv` array, which sits
/// above every frame of the initial stack (start-up code's included), and after a
/// rebuild to the end of the new stack. Reads are bounded by it and by the slow path's
/// SP, and every frame's CFA lies strictly above its SP, so a walk ends within the
/// stack whatever the table says: the number of frames is limited by the stack alone.
static STACK_TOP: AtomicU64 = AtomicU64::new(0);

/// Sets [`STACK_TOP`].
pub fn set_stack_top(address: u64) {
    STACK_TOP.store(address, Ordering::Relaxed);
}

/// The stack range a walk reads: `[low, high)`.
#[derive(Clone, Copy)]
struct Bounds {
    low: u64,
    high: u64,
}

impl Bounds {
    fn check(&self, address: u64, size: u64) -> Result<(), Error> {
        match address.checked_add(size) {
            Some(end) if address >= self.low && end <= self.high => Ok(()),
            _ => Err(Error::BadAddress(address)),
        }
    }
}

extern "C" {
    /// The program's `main`, renamed by hetcc (`main` is the wrapper that calls
    /// `__het_runtime_main`): its frame is the outermost one a walk can reach.
    fn __het_user_main();
}

/// Reads the 8 bytes at `address`, which must be in the walked stack range.
fn read_stack(address: u64, bounds: Bounds) -> Result<u64, Error> {
    if address % 8 != 0 {
        return Err(Error::BadAddress(address));
    }
    bounds.check(address, 8)?;
    // SAFETY: `address` is aligned and within the stack between the slow path's frame
    // and the stack's top, where the table's rules point; the frames there are live
    // (their functions are suspended in calls below us).
    Ok(unsafe { core::ptr::read_volatile(address as *const u64) })
}

/// Reads `size` bytes at `address` (an Indirect slot, any alignment the backend chose),
/// zero-extended.
fn read_slot(address: u64, size: u16, bounds: Bounds) -> Result<u64, Error> {
    let size = u64::from(size.min(8));
    bounds.check(address, size)?;
    let mut value = 0u64;
    for i in 0..size {
        // SAFETY: as in `read_stack`; byte reads need no alignment.
        let byte = unsafe { core::ptr::read_volatile((address + i) as *const u8) };
        value |= u64::from(byte) << (8 * i);
    }
    Ok(value)
}

fn add(base: u64, offset: i64) -> u64 {
    base.wrapping_add(offset as u64)
}

/// One frame met by the walk: its equivalence point and the register values that
/// locate its live values.
pub struct FrameView<'t, 'r> {
    /// 0 for the innermost frame.
    pub index: u64,
    /// The frame's equivalence point (source ISA).
    pub point: EquivalencePoint<'t>,
    /// Its stack pointer at the point (after the call returns).
    pub sp: u64,
    regs: &'r Registers,
    bounds: Bounds,
}

impl FrameView<'_, '_> {
    /// The raw bits of live value `value` (masked to its size), `None` for a `Direct`
    /// location (the address of a stack object, which has no ISA-neutral value).
    pub fn read(&self, value: &LiveValue) -> Result<Option<u64>, Error> {
        let raw = match value.location {
            Location::Indirect { register, offset } => {
                read_slot(add(self.regs.get(register)?, offset), value.size, self.bounds)?
            }
            Location::Register(register) => self.regs.get(register)?,
            Location::Constant(c) => c as u64,
            Location::Direct { .. } => return Ok(None),
        };
        Ok(Some(mask(raw, value.size)))
    }
}

/// Walks the stack from the capture, calling `visit` for every frame from the innermost
/// outwards.
pub fn walk(
    table: &TransformTable<'_>,
    captured: &Captured,
    visit: &mut dyn FnMut(&FrameView<'_, '_>) -> Result<(), Error>,
) -> Result<Summary, Error> {
    let facts = table.isa().registers();
    let mut regs = Registers {
        values: [0; 96],
        known: 0,
    };
    for (i, &register) in capture::LAYOUT.iter().enumerate() {
        regs.set(
            register,
            captured.words.get(capture::FIRST_REGISTER + i).copied().unwrap_or(0),
        );
    }
    let low = captured.words[capture::SP];
    let bounds = Bounds {
        low,
        high: crate::threads::own_stack_top().unwrap_or_else(|| STACK_TOP.load(Ordering::Relaxed)),
    };
    let mut sp = low;
    let mut ra = captured.words[capture::RA];
    let main_address = __het_user_main as *const () as usize as u64;
    let mut frames = 0u64;
    let mut point = table.point_by_return_address(ra).ok_or(Error::NotAtPoint(ra))?;
    loop {
        regs.set(facts.stack_pointer, sp);
        let rule = point.frame();
        let cfa = add(regs.get(rule.cfa_register)?, i64::from(rule.cfa_offset));
        check_frame(point.id(), &rule, cfa, sp, bounds)?;
        visit(&FrameView {
            index: frames,
            point,
            sp,
            regs: &regs,
            bounds,
        })?;
        frames += 1;
        // Unwind: the caller's callee-saved registers, then its return address. Rules
        // are evaluated with this frame's values, so compute all before writing any.
        let mut restored = [(0u16, 0u64); 32];
        let mut count = 0;
        for saved in point.saved_registers() {
            let value = recover(saved.rule, saved.register, cfa, &regs, bounds)?;
            if let Some(slot) = restored.get_mut(count) {
                *slot = (saved.register, value);
                count += 1;
            }
        }
        let next_ra = recover(rule.return_address, facts.return_address, cfa, &regs, bounds)?;
        for &(register, value) in restored.iter().take(count) {
            regs.set(register, value);
        }
        let function = point.function().address;
        sp = cfa;
        ra = next_ra;
        match table.point_by_return_address(ra) {
            Some(next) => point = next,
            None => {
                return Ok(Summary {
                    frames,
                    complete: function == main_address || crate::threads::is_thread_start_return(ra),
                })
            }
        }
    }
}

/// Where a register's (or the return address's) value for the caller is.
fn recover(rule: SaveRule, register: u16, cfa: u64, regs: &Registers, bounds: Bounds) -> Result<u64, Error> {
    match rule {
        SaveRule::AtCfaOffset(offset) => read_stack(add(cfa, i64::from(offset)), bounds),
        SaveRule::InRegister(other) => regs.get(other),
        SaveRule::Unchanged => regs.get(register),
    }
}

/// The CFA must be above the frame's SP and inside the stack, and their distance is the
/// table's frame size when it knows one: a cheap check that the rules describe this very
/// frame. (CFA > SP is also what makes every walk end: the next frame's SP is this CFA.)
fn check_frame(id: u64, rule: &FrameRule, cfa: u64, sp: u64, bounds: Bounds) -> Result<(), Error> {
    if cfa <= sp || cfa % 8 != 0 || cfa > bounds.high {
        return Err(Error::BadAddress(cfa));
    }
    match rule.frame_size {
        Some(size) if u64::from(size) != cfa - sp => Err(Error::FrameSize {
            id,
            expected: size,
            found: cfa - sp,
        }),
        _ => Ok(()),
    }
}

/// `het-walk frame K id ID values v0 v1 …`: integers and float bits in decimal (raw,
/// masked to the value's size); pointers as `ptr`, since heap and stack addresses
/// differ between ISAs; `Direct` locations (addresses of stack objects) as `addr`.
pub fn report(frame: &FrameView<'_, '_>) -> Result<(), Error> {
    let mut line = Line::new();
    line.str("het-walk frame ");
    line.u64(frame.index);
    line.str(" id ");
    line.u64(frame.point.id());
    line.str(" values");
    for value in frame.point.live_values() {
        line.str(" ");
        match (frame.read(&value)?, value.kind) {
            (None, _) => line.str("addr"),
            (Some(_), ValueKind::Pointer) => line.str("ptr"),
            (Some(bits), _) => line.u64(bits),
        }
    }
    line.finish();
    Ok(())
}

fn mask(bits: u64, size: u16) -> u64 {
    match size {
        0 | 8.. => bits,
        n => bits & ((1u64 << (8 * u32::from(n))) - 1),
    }
}

//! A human-readable dump of a table (`Display`), one line per fact, for snapshots and
//! `het inspect`.

use core::fmt;

use super::{EquivalencePoint, LiveValue, Location, SaveRule, TransformTable};
use crate::isa::{DwarfRegister, RegisterFacts};

/// A register printed by name when the ISA has one for it (`rsp`, `x29`, `s0`).
struct Reg<'r>(&'r RegisterFacts, DwarfRegister);

impl fmt::Display for Reg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.name(self.1) {
            Some(name) => f.write_str(name),
            None => write!(f, "dwarf{}", self.1),
        }
    }
}

/// `+16` / `-8`.
struct Signed(i64);

impl fmt::Display for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            write!(f, "-{}", self.0.unsigned_abs())
        } else {
            write!(f, "+{}", self.0)
        }
    }
}

fn rule(f: &mut fmt::Formatter<'_>, regs: &RegisterFacts, rule: SaveRule) -> fmt::Result {
    match rule {
        SaveRule::AtCfaOffset(offset) => write!(f, "[cfa{}]", Signed(offset.into())),
        SaveRule::InRegister(register) => write!(f, "in {}", Reg(regs, register)),
        SaveRule::Unchanged => f.write_str("unchanged"),
    }
}

fn live(f: &mut fmt::Formatter<'_>, regs: &RegisterFacts, value: LiveValue) -> fmt::Result {
    match value.location {
        Location::Register(r) => write!(f, "reg {}", Reg(regs, r))?,
        Location::Direct { register, offset } => write!(f, "addr {}{}", Reg(regs, register), Signed(offset))?,
        Location::Indirect { register, offset } => write!(f, "[{}{}]", Reg(regs, register), Signed(offset))?,
        Location::Constant(c) => write!(f, "const {c}")?,
    }
    write!(f, " size {} {}", value.size, value.kind.name())
}

fn point(f: &mut fmt::Formatter<'_>, regs: &RegisterFacts, p: EquivalencePoint<'_>) -> fmt::Result {
    let function = p.function();
    write!(f, "point {} in {}", p.id(), function.name.unwrap_or("?"))?;
    writeln!(
        f,
        "+{:#x} (return address {:#x})",
        p.return_offset(),
        p.return_address()
    )?;
    let frame = p.frame();
    write!(
        f,
        "  cfa = {}{}, frame size ",
        Reg(regs, frame.cfa_register),
        Signed(frame.cfa_offset.into())
    )?;
    match frame.frame_size {
        Some(size) => write!(f, "{size}")?,
        None => f.write_str("dynamic")?,
    }
    f.write_str(", return address ")?;
    rule(f, regs, frame.return_address)?;
    writeln!(f)?;
    for saved in p.saved_registers() {
        write!(f, "  saved {} ", Reg(regs, saved.register))?;
        rule(f, regs, saved.rule)?;
        writeln!(f)?;
    }
    for (i, value) in p.live_values().enumerate() {
        write!(f, "  live {i}: ")?;
        live(f, regs, value)?;
        writeln!(f)?;
    }
    Ok(())
}

impl fmt::Display for TransformTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let regs = self.isa().registers();
        writeln!(
            f,
            "transform table v{} for {}: {} functions, {} points, {} bytes",
            super::layout::VERSION,
            self.isa(),
            self.function_count(),
            self.point_count(),
            self.as_bytes().len()
        )?;
        for function in self.functions() {
            write!(
                f,
                "function {} at {:#x}, stack size ",
                function.name.unwrap_or("?"),
                function.address
            )?;
            match function.stack_size {
                Some(size) => writeln!(f, "{size}")?,
                None => writeln!(f, "dynamic")?,
            }
        }
        for p in self.points() {
            point(f, regs, p)?;
        }
        Ok(())
    }
}

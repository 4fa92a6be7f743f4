//! het-format's per-ISA register facts (no_std constants) against gimli's DWARF
//! register tables, so the two can never drift apart.

use gimli::{AArch64, RiscV, X86_64};
use het_format::Isa;

fn names_agree(isa: Isa, gimli_name: impl Fn(u16) -> Option<&'static str>) {
    let regs = isa.registers();
    for register in 0..128u16 {
        if let (Some(ours), Some(theirs)) = (regs.name(register), gimli_name(register)) {
            assert!(
                ours.eq_ignore_ascii_case(theirs),
                "{isa} dwarf {register}: {ours} vs {theirs}"
            );
        }
    }
}

#[test]
fn x86_64_matches_gimli() {
    let regs = Isa::X86_64.registers();
    assert_eq!(regs.stack_pointer, X86_64::RSP.0);
    assert_eq!(regs.frame_pointer, X86_64::RBP.0);
    assert_eq!(regs.return_address, X86_64::RA.0);
    let saved: Vec<u16> = regs.callee_saved.iter().map(|c| c.register).collect();
    let expected = [
        X86_64::RBX,
        X86_64::RBP,
        X86_64::R12,
        X86_64::R13,
        X86_64::R14,
        X86_64::R15,
    ];
    assert_eq!(saved, expected.map(|r| r.0));
    names_agree(Isa::X86_64, |r| X86_64::register_name(gimli::Register(r)));
}

#[test]
fn aarch64_matches_gimli() {
    let regs = Isa::Aarch64.registers();
    assert_eq!(regs.stack_pointer, AArch64::SP.0);
    assert_eq!(regs.frame_pointer, AArch64::X29.0);
    assert_eq!(regs.return_address, AArch64::X30.0);
    assert!(regs.is_callee_saved(AArch64::X19.0) && regs.is_callee_saved(AArch64::V8.0));
    assert!(!regs.is_callee_saved(AArch64::X18.0) && !regs.is_callee_saved(AArch64::V16.0));
    assert_eq!(regs.callee_saved.len(), 11 + 8);
    names_agree(Isa::Aarch64, |r| AArch64::register_name(gimli::Register(r)));
}

#[test]
fn riscv64_matches_gimli() {
    let regs = Isa::Riscv64.registers();
    assert_eq!(regs.stack_pointer, RiscV::SP.0);
    assert_eq!(regs.frame_pointer, RiscV::S0.0);
    assert_eq!(regs.return_address, RiscV::RA.0);
    for r in [
        RiscV::S0,
        RiscV::S1,
        RiscV::S2,
        RiscV::S11,
        RiscV::FS0,
        RiscV::FS1,
        RiscV::FS11,
    ] {
        assert!(regs.is_callee_saved(r.0), "{r:?}");
    }
    for r in [
        RiscV::RA,
        RiscV::GP,
        RiscV::TP,
        RiscV::A0,
        RiscV::T6,
        RiscV::FT0,
        RiscV::FA0,
    ] {
        assert!(!regs.is_callee_saved(r.0), "{r:?}");
    }
    assert_eq!(regs.callee_saved.len(), 12 + 12);
    // gimli names riscv registers x0..x31/f0..f31; ours are the ABI aliases.
    assert_eq!(regs.name(RiscV::S0.0), Some("s0"));
    assert_eq!(regs.name(RiscV::FS11.0), Some("fs11"));
}

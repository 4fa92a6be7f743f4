//! `hetcc`: a drop-in C compiler producing one aligned binary per ISA.
fn main() -> std::process::ExitCode {
    hetcc::cc::main()
}

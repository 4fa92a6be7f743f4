//! Random calls through variadic function pointers: each seed makes a C program whose
//! call sites pass random mixes of `int`, `unsigned`, `long`, `unsigned long`,
//! `double`, promoted `float`/`short`/`char`, pointers and strings, directly and
//! through tables of pointers that may hold the program's variadic functions (which
//! read their arguments with `va_arg`, or forward the `va_list` to `vsnprintf`) or
//! libc's (`snprintf` through the same pointer type as the program's formatter). It is
//! built by hetcc at -O0 and -O2, each with and without -fhet-migratable, and must
//! print the `clang-22 -O2` reference's output on x86-64, aarch64 and riscv64.
//!
//! Seeds: `HET_VARARGS_SEEDS=N` (default 3) from `HET_VARARGS_SEED` (default 1).
//! Failing seeds keep their files under `$TMPDIR/het-varargs-<pid>/` (`HET_KEEP=1`: every seed).

use het_format::Isa;
use het_testsuite::exec::{self, Captured};
use het_testsuite::migrate::SplitMix;
use het_testsuite::seeds::{env_number, run_seeds};
use het_testsuite::tools::{self, Tools};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);

/// One argument kind: its spec letter, how the callee reads it, how a call passes a
/// random value of it, and its `printf` conversion.
struct Kind {
    letter: char,
    read: &'static str,
    conversion: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        letter: 'i',
        read: "(long)va_arg(ap, int)",
        conversion: "%d",
    },
    Kind {
        letter: 'u',
        read: "(long)va_arg(ap, unsigned)",
        conversion: "%u",
    },
    Kind {
        letter: 'l',
        read: "va_arg(ap, long)",
        conversion: "%ld",
    },
    Kind {
        letter: 'L',
        read: "(long)(va_arg(ap, unsigned long) >> 3)",
        conversion: "%lu",
    },
    Kind {
        letter: 'd',
        read: "(long)(va_arg(ap, double) * 64.0)",
        conversion: "%.17g",
    },
    Kind {
        letter: 'f',
        read: "(long)(va_arg(ap, double) * 8.0)",
        conversion: "%.9g",
    },
    Kind {
        letter: 'h',
        read: "(long)(short)va_arg(ap, int)",
        conversion: "%hd",
    },
    Kind {
        letter: 'c',
        read: "(long)(signed char)va_arg(ap, int)",
        conversion: "%d",
    },
    Kind {
        letter: 'p',
        read: "*va_arg(ap, const long *)",
        conversion: "%ld",
    },
    Kind {
        letter: 's',
        read: "(long)strlen(va_arg(ap, const char *)) * 257",
        conversion: "%s",
    },
];

/// A random argument of `kind` as C source (for `s`, a literal; for `p`, the address of
/// a global whose value is also printed when formatting).
fn value(rng: &mut SplitMix, kind: &Kind, print: bool) -> String {
    let bits = rng.next_u64();
    match kind.letter {
        // The most negative values have no literal in C (`-2147483648` is a long).
        'i' => format!("{}", (bits as i32).max(i32::MIN + 1)),
        'u' => format!("{}u", bits as u32),
        'l' => format!("{}L", (bits as i64 >> (bits % 40)).max(i64::MIN + 1)),
        'L' => format!("{}UL", bits >> (bits % 50)),
        'd' => format!("{:.1}", (bits % 2_000_001) as f64 / 8.0 - 125_000.0),
        'f' => format!("{:.1}f", (bits % 20_001) as f64 / 4.0 - 2_500.0),
        'h' => format!("(short){}", bits as i16),
        'c' => format!("(signed char){}", bits as i8),
        'p' if print => format!("cells[{}]", bits % 8),
        'p' => format!("&cells[{}]", bits % 8),
        _ => {
            let words = ["", "a", "hetcc", "slots", "variadic pointer", "x86_64 aarch64 riscv64"];
            format!("\"{}\"", words[(bits % words.len() as u64) as usize])
        }
    }
}

/// The program of one seed.
fn program(seed: u64) -> String {
    let mut rng = SplitMix(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut c = String::from(
        "#include <stdarg.h>\n#include <stdio.h>\n#include <string.h>\n\n\
         static long cells[8] = { 3, -5, 7, 1L << 40, -1, 0, 99, 12345 };\n\n",
    );
    // Readers: long (*)(int, const char *, ...), each mixing the values its own way.
    let readers = 4;
    for r in 0..readers {
        let _ = writeln!(
            c,
            "static long reader{r}(int tag, const char *spec, ...) {{\n    va_list ap;\n    va_start(ap, spec);\n    \
             unsigned long acc = tag * {mul}UL;\n    for (const char *s = spec; *s; s++) {{\n        long v = 0;\n        switch (*s) {{",
            mul = 3 + 2 * r
        );
        for kind in KINDS {
            let _ = writeln!(c, "        case '{}': v = {}; break;", kind.letter, kind.read);
        }
        let _ = writeln!(
            c,
            "        }}\n        acc = acc * {m} + (unsigned long)(v ^ {x});\n    }}\n    va_end(ap);\n    return (long)acc;\n}}\n",
            m = 31 + 6 * r,
            x = 17 * r
        );
    }
    // A program formatter with snprintf's type, forwarding its va_list to vsnprintf.
    c.push_str(
        "static int formatter(char *out, size_t size, const char *fmt, ...) {\n    va_list ap;\n    \
         va_start(ap, fmt);\n    int n = vsnprintf(out, size, fmt, ap);\n    va_end(ap);\n    \
         if (size > 1 && n > 0) out[0] = '#';\n    return n + 1000;\n}\n\n\
         static long (*const readers[])(int, const char *, ...) = { reader0, reader1, reader2, reader3 };\n\
         static int (*formatters[2])(char *, size_t, const char *, ...);\n\n\
         static unsigned long hash(const char *s) {\n    unsigned long h = 1469598103934665603UL;\n    \
         while (*s) { h ^= (unsigned char)*s++; h *= 1099511628211UL; }\n    return h;\n}\n\n\
         int main(int argc, char **argv) {\n    (void)argv;\n    formatters[0] = snprintf;\n    \
         formatters[1] = formatter;\n    unsigned long check = 0;\n    char buf[512];\n    long r;\n    int n;\n",
    );
    for site in 0..24 {
        let len = (rng.next_u64() % 9) as usize;
        let kinds: Vec<&Kind> = (0..len)
            .map(|_| &KINDS[(rng.next_u64() % KINDS.len() as u64) as usize])
            .collect();
        let spec: String = kinds.iter().map(|k| k.letter).collect();
        let args: Vec<String> = kinds.iter().map(|k| value(&mut rng, k, false)).collect();
        let tail: String = args.iter().map(|a| format!(", {a}")).collect();
        let tag = rng.next_u64() % 1000;
        let pick = rng.next_u64() % readers;
        let call = match site % 3 {
            0 => format!("reader{pick}({tag}, \"{spec}\"{tail})"),
            _ => format!("readers[({pick} + argc) % {readers}]({tag}, \"{spec}\"{tail})"),
        };
        let _ = writeln!(c, "    r = {call};\n    check = check * 1000003 + (unsigned long)r;");
        let _ = writeln!(c, "    printf(\"{site} {spec} %ld\\n\", r);");
        // The same values formatted through libc's or the program's formatter.
        let format: String = kinds.iter().map(|k| format!("{}|", k.conversion)).collect();
        let printed: String = kinds
            .iter()
            .map(|k| format!(", {}", value(&mut rng, k, true)))
            .collect();
        let which = rng.next_u64() % 2;
        let _ = writeln!(
            c,
            "    n = formatters[({which} + argc + 1) % 2](buf, sizeof buf, \"<{format}>\"{printed});\n    \
             printf(\"  %d %s\\n\", n, buf);\n    check ^= hash(buf);"
        );
    }
    c.push_str("    printf(\"check %lu\\n\", check);\n    return 0;\n}\n");
    c
}

fn run(cmd: &mut Command, stem: &Path) -> Captured {
    exec::run(cmd, None, TIMEOUT, stem).unwrap_or_else(|e| panic!("running {:?}: {e}", cmd.get_program()))
}

fn check_seed(tools: &Tools, seed: u64, dir: &Path) -> Vec<String> {
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let musl_clang = tools.musl_clang.as_ref().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir).expect("scratch directory");
    let source = dir.join("varargs.c");
    std::fs::write(&source, program(seed)).expect("writing the program");
    let reference = dir.join("ref");
    let built = run(
        Command::new(musl_clang)
            .args(["x86_64", "-O2", "-o"])
            .arg(&reference)
            .arg(&source),
        &dir.join("ref-build"),
    );
    assert!(
        built.ending.success(),
        "seed {seed}: the reference does not build: {}",
        built.stderr_tail(5)
    );
    let expected = run(&mut Command::new(&reference), &dir.join("ref-run"));
    assert!(
        expected.ending.success(),
        "seed {seed}: the reference ends with {}",
        expected.ending
    );
    let mut failures = Vec::new();
    for flags in [
        &["-O0"][..],
        &["-O0", "-fhet-migratable"],
        &["-O2"],
        &["-O2", "-fhet-migratable"],
    ] {
        let tag = flags.join(" ");
        let out = dir.join(format!("app{}", flags.concat()));
        let build = run(
            Command::new(hetcc).args(flags).arg("-o").arg(&out).arg(&source),
            &out.with_extension("build"),
        );
        if !build.ending.success() {
            failures.push(format!("seed {seed} {tag}: hetcc failed: {}", build.stderr_tail(3)));
            continue;
        }
        for isa in Isa::ALL {
            let binary = tools::output_path(&out, isa);
            let got = run(
                &mut tools::run_command(&binary, isa),
                &binary.with_extension(format!("{isa}.run")),
            );
            if got.ending != expected.ending || got.stdout != expected.stdout {
                let first_difference = String::from_utf8_lossy(&got.stdout)
                    .lines()
                    .zip(String::from_utf8_lossy(&expected.stdout).lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("{a:?} where the reference printed {b:?}"))
                    .unwrap_or_else(|| "output lengths differ".into());
                failures.push(format!(
                    "seed {seed} {tag} on {isa}: {}, {first_difference}",
                    got.ending
                ));
            }
        }
    }
    failures
}

#[test]
fn random_variadic_calls_through_pointers_match_the_reference() {
    run_seeds(
        "het-varargs",
        env_number("HET_VARARGS_SEED", 1),
        env_number("HET_VARARGS_SEEDS", 3),
        check_seed,
    );
}

#[test]
fn the_generator_is_deterministic_and_uses_every_kind() {
    let text = program(7);
    assert_eq!(text, program(7));
    for kind in KINDS {
        assert!(text.contains(kind.read), "{}", kind.letter);
    }
}

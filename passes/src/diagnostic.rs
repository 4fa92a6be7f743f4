//! Source-located diagnostics, printed like a C compiler's (`file:line:col: error: …`).

use std::fmt;

/// One error about the user's program, located at a source line when debug
/// locations allow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Source file as the frontend recorded it; empty when unknown.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// What is wrong and, where there is one, what to do instead.
    pub message: String,
}

/// How a pass's message about its own fault starts; such a message is printed like
/// the driver's other internal errors, `hetcc: internal error: … (please report)`.
pub const INTERNAL: &str = "internal error: ";

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.is_empty() && self.message.starts_with(INTERNAL) {
            return write!(f, "hetcc: {} (please report)", self.message);
        }
        match (self.file.is_empty(), self.line, self.column) {
            (true, _, _) => write!(f, "hetcc: error: {}", self.message),
            (false, 0, _) => write!(f, "{}: error: {}", self.file, self.message),
            (false, l, 0) => write!(f, "{}:{}: error: {}", self.file, l, self.message),
            (false, l, c) => write!(f, "{}:{}:{}: error: {}", self.file, l, c, self.message),
        }
    }
}

//! Colour, only on a terminal and never with `NO_COLOR`.

use std::io::IsTerminal;

/// Whether to colour what goes to standard output.
pub(crate) fn color_stdout() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Text in bold (when `on`).
pub(crate) fn bold(text: &str, on: bool) -> String {
    paint(text, "1", on)
}

/// Text in red (when `on`).
pub(crate) fn red(text: &str, on: bool) -> String {
    paint(text, "31", on)
}

/// Text in green (when `on`).
pub(crate) fn green(text: &str, on: bool) -> String {
    paint(text, "32", on)
}

/// Text dimmed (when `on`).
pub(crate) fn dim(text: &str, on: bool) -> String {
    paint(text, "2", on)
}

fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

//! Draws a trace as a timeline: one row per step, one column per thread.
//!
//! ```text
//!  step │ alice                 │ bob
//!     1 │ load  counter -> 0    │
//!     2 │                       │ load  counter -> 0
//!     3 │ store counter <- 1    │
//!     4 │                       │ store counter <- 1  ◀ overwrites step 3 (alice's update is lost)
//! ```

use std::fmt::Write;

use super::{Event, Op};

/// How to draw a timeline.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// ANSI colour for marked lines.
    pub color: bool,
    /// Longer traces show their start and end, with the middle elided
    /// (marked lines are always shown).
    pub max_rows: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            max_rows: 60,
        }
    }
}

/// The text of one event in its thread's column.
fn cell(e: &Event) -> String {
    let mut s = e.op.word().to_string();
    if e.op == Op::Note {
        return format!("· {}", e.value.as_deref().unwrap_or(""));
    }
    if !e.target.is_empty() {
        s.push(' ');
        s.push_str(&e.target);
    }
    if let Some(v) = &e.value {
        s.push(' ');
        s.push_str(v);
    }
    s
}

/// Renders `trace` as a column-per-thread timeline.
pub fn render_timeline(trace: &[Event], opts: RenderOptions) -> String {
    let mut threads: Vec<&str> = Vec::new();
    for e in trace {
        if !threads.contains(&e.thread.as_str()) {
            threads.push(&e.thread);
        }
    }
    let cells: Vec<String> = trace.iter().map(cell).collect();
    let mut widths: Vec<usize> = threads.iter().map(|t| t.chars().count()).collect();
    for (e, c) in trace.iter().zip(&cells) {
        let col = threads.iter().position(|t| *t == e.thread).unwrap_or(0);
        widths[col] = widths[col].max(c.chars().count());
    }

    let shown = rows_to_show(trace, opts.max_rows);
    let mut out = String::new();
    let _ = write!(out, " step");
    for (t, w) in threads.iter().zip(&widths) {
        let _ = write!(out, " │ {t:<w$}");
    }
    let header_len = out.trim_end().len();
    out.truncate(header_len);
    out.push('\n');
    let mut last_shown: Option<usize> = None;
    for (i, (e, c)) in trace.iter().zip(&cells).enumerate() {
        if !shown[i] {
            continue;
        }
        if let Some(prev) = last_shown {
            if i > prev + 1 {
                let _ = writeln!(out, "  ... │ ({} steps not shown)", i - prev - 1);
            }
        } else if i > 0 {
            let _ = writeln!(out, "  ... │ ({i} steps not shown)");
        }
        last_shown = Some(i);
        let col = threads.iter().position(|t| *t == e.thread).unwrap_or(0);
        let mut line = format!("{:>5}", e.step);
        for (j, w) in widths.iter().enumerate() {
            let text = if j == col { c.as_str() } else { "" };
            let _ = write!(line, " │ {text:<w$}");
        }
        let mut line = line.trim_end().to_string();
        if let Some(mark) = &e.mark {
            let arrow = format!("  ◀ {mark}");
            if opts.color {
                line = format!("\x1b[1;31m{line}{arrow}\x1b[0m");
            } else {
                line.push_str(&arrow);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(prev) = last_shown {
        if prev + 1 < trace.len() {
            let _ = writeln!(out, "  ... │ ({} steps not shown)", trace.len() - prev - 1);
        }
    }
    out
}

/// Which rows fit: all of a short trace; of a long one, the first and last
/// rows, and every marked row with one row of context either side.
fn rows_to_show(trace: &[Event], max_rows: usize) -> Vec<bool> {
    let n = trace.len();
    if n <= max_rows {
        return vec![true; n];
    }
    let mut shown = vec![false; n];
    let head = max_rows / 2;
    let tail = max_rows - head;
    for (i, s) in shown.iter_mut().enumerate() {
        *s = i < head || i >= n - tail;
    }
    for (i, e) in trace.iter().enumerate() {
        if e.mark.is_some() || e.op == Op::Blocked {
            for s in &mut shown[i.saturating_sub(1)..(i + 2).min(n)] {
                *s = true;
            }
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(step: usize, thread: &str, op: Op, value: &str) -> Event {
        Event {
            step,
            thread: thread.into(),
            op,
            target: "counter".into(),
            value: Some(value.into()),
            mark: None,
            read: None,
            wrote: None,
        }
    }

    #[test]
    fn each_thread_gets_its_own_column() {
        let trace = vec![ev(1, "alice", Op::Load, "-> 0"), ev(2, "bob", Op::Load, "-> 0")];
        let text = render_timeline(&trace, RenderOptions::default());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("alice") && lines[0].contains("bob"));
        let alice_col = lines[0].find("alice").unwrap();
        let bob_col = lines[0].find("bob").unwrap();
        assert_eq!(lines[1].find("load"), Some(alice_col));
        assert_eq!(lines[2].find("load"), Some(bob_col));
    }

    #[test]
    fn marked_rows_carry_their_mark() {
        let mut trace = vec![ev(1, "alice", Op::Store, "<- 1")];
        trace[0].mark = Some("overwrites step 0".into());
        let text = render_timeline(&trace, RenderOptions::default());
        assert!(text.contains("◀ overwrites step 0"));
    }

    #[test]
    fn long_traces_are_elided_but_keep_marked_rows() {
        let mut trace: Vec<Event> = (1..=200).map(|i| ev(i, "alice", Op::Load, "-> 0")).collect();
        trace[100].mark = Some("here".into());
        let text = render_timeline(
            &trace,
            RenderOptions {
                color: false,
                max_rows: 10,
            },
        );
        assert!(text.contains("◀ here"));
        assert!(text.contains("steps not shown"));
        assert!(text.lines().count() < 30);
    }
}

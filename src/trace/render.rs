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

/// One row of a timeline: an event, or a run of identical events by one
/// thread (a spin loop's failed compare-exchanges), shown once.
struct Row<'a> {
    event: &'a Event,
    last_step: usize,
    times: usize,
    text: String,
}

impl Row<'_> {
    fn step_label(&self) -> String {
        if self.last_step != self.event.step {
            format!("{}-{}", self.event.step, self.last_step)
        } else {
            self.event.step.to_string()
        }
    }

    fn stands_out(&self) -> bool {
        self.event.mark.is_some() || self.event.op == Op::Blocked
    }
}

/// How many unmarked steps the first thread takes before it starts any
/// other thread: the setup, folded into one row when there are several.
fn setup_len(trace: &[Event]) -> usize {
    let Some(first) = trace.first() else { return 0 };
    trace
        .iter()
        .take_while(|e| e.thread == first.thread && e.op != Op::Spawn && e.mark.is_none())
        .count()
}

/// Merges runs of identical, unmarked events by the same thread, and folds
/// the setup before the first spawn into one line.
fn rows(trace: &[Event]) -> Vec<Row<'_>> {
    let mut rows: Vec<Row<'_>> = Vec::new();
    let setup = setup_len(trace);
    let setup = if setup >= 2 && setup < trace.len() { setup } else { 0 };
    if setup > 0 {
        let mut objects: Vec<&str> = Vec::new();
        for e in &trace[..setup] {
            if !e.target.is_empty() && !objects.contains(&e.target.as_str()) {
                objects.push(&e.target);
            }
        }
        rows.push(Row {
            event: &trace[0],
            last_step: trace[setup - 1].step,
            times: 1,
            text: format!("· setup: {setup} steps on {}", objects.join(", ")),
        });
    }
    for e in &trace[setup..] {
        let text = cell(e);
        if let Some(last) = rows.last_mut() {
            if last.event.thread == e.thread && last.text == text && last.event.mark.is_none() && e.mark.is_none() {
                last.last_step = e.step;
                last.times += 1;
                continue;
            }
        }
        rows.push(Row {
            event: e,
            last_step: e.step,
            times: 1,
            text,
        });
    }
    for r in &mut rows {
        if r.times > 1 {
            r.text = format!("{} (×{})", r.text, r.times);
        }
    }
    rows
}

/// Renders `trace` as a column-per-thread timeline.
pub fn render_timeline(trace: &[Event], opts: RenderOptions) -> String {
    let mut threads: Vec<&str> = Vec::new();
    for e in trace {
        if !threads.contains(&e.thread.as_str()) {
            threads.push(&e.thread);
        }
    }
    let rows = rows(trace);
    let mut widths: Vec<usize> = threads.iter().map(|t| t.chars().count()).collect();
    for r in &rows {
        let col = threads.iter().position(|t| *t == r.event.thread).unwrap_or(0);
        widths[col] = widths[col].max(r.text.chars().count());
    }
    let step_width = rows.iter().map(|r| r.step_label().len()).max().unwrap_or(0).max(5);

    let shown = rows_to_show(&rows, opts.max_rows);
    let mut out = String::new();
    let _ = write!(out, "{:>step_width$}", "step");
    for (t, w) in threads.iter().zip(&widths) {
        let _ = write!(out, " │ {t:<w$}");
    }
    let header_len = out.trim_end().len();
    out.truncate(header_len);
    out.push('\n');
    let skipped = |from: usize, to: usize| -> usize { rows[from..to].iter().map(|r| r.times).sum() };
    let mut last_shown: Option<usize> = None;
    for (i, r) in rows.iter().enumerate() {
        if !shown[i] {
            continue;
        }
        let gap_from = last_shown.map_or(0, |p| p + 1);
        if i > gap_from {
            let _ = writeln!(
                out,
                "{:>step_width$} │ ({} steps not shown)",
                "...",
                skipped(gap_from, i)
            );
        }
        last_shown = Some(i);
        let col = threads.iter().position(|t| *t == r.event.thread).unwrap_or(0);
        let mut line = format!("{:>step_width$}", r.step_label());
        for (j, w) in widths.iter().enumerate() {
            let text = if j == col { r.text.as_str() } else { "" };
            let _ = write!(line, " │ {text:<w$}");
        }
        let mut line = line.trim_end().to_string();
        if let Some(mark) = &r.event.mark {
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
        if prev + 1 < rows.len() {
            let _ = writeln!(
                out,
                "{:>step_width$} │ ({} steps not shown)",
                "...",
                skipped(prev + 1, rows.len())
            );
        }
    }
    out
}

/// Which rows fit: all of a short trace; of a long one, the first and last
/// rows, and every marked row with one row of context either side.
fn rows_to_show(rows: &[Row<'_>], max_rows: usize) -> Vec<bool> {
    let n = rows.len();
    if n <= max_rows {
        return vec![true; n];
    }
    let mut shown = vec![false; n];
    let head = max_rows / 2;
    let tail = max_rows - head;
    for (i, s) in shown.iter_mut().enumerate() {
        *s = i < head || i >= n - tail;
    }
    for (i, r) in rows.iter().enumerate() {
        if r.stands_out() {
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
            mark_kind: None,
            ordering: None,
            read: None,
            wrote: None,
            yielded: false,
            at: None,
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
    fn repeated_steps_are_shown_once_with_a_count() {
        let trace: Vec<Event> = (1..=50).map(|i| ev(i, "bob", Op::CompareExchangeFailed, "x")).collect();
        let text = render_timeline(&trace, RenderOptions::default());
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("1-50") && text.contains("(×50)"), "{text}");
    }

    #[test]
    fn long_traces_are_elided_but_keep_marked_rows() {
        let mut trace: Vec<Event> = (1..=200)
            .map(|i| ev(i, if i % 2 == 0 { "alice" } else { "bob" }, Op::Load, "-> 0"))
            .collect();
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

    #[test]
    fn the_setup_before_the_first_spawn_is_one_line() {
        let mut spawn = ev(4, "main", Op::Spawn, "alice");
        spawn.target = String::new();
        let trace = vec![
            ev(1, "main", Op::Store, "<- 0"),
            ev(2, "main", Op::Store, "<- 0"),
            ev(3, "main", Op::Load, "-> 0"),
            spawn,
            ev(5, "alice", Op::Load, "-> 0"),
        ];
        let text = render_timeline(&trace, RenderOptions::default());
        assert!(text.contains("  1-3 │ · setup: 3 steps on counter"), "{text}");
        assert!(text.contains("    4 │ spawn"), "{text}");
        assert!(!text.contains("store counter <- 0"), "{text}");
    }
}

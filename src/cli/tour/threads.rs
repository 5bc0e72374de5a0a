//! The tour's threads section: what runs on real threads or processes.
//!
//! Starting threads with a closure or a function and its arguments, named;
//! what the lecture's join-in-loop costs in elapsed time; a detached thread
//! stopped when `main` returns (in a child process). The join-in-loop
//! deadlock's timeline and the fix's proof come after, from the catalogue.

use std::fmt::Write;
use std::time::Duration;

use super::super::progress::with_progress;
use super::super::{emit, style};
use super::Ctx;
use crate::threads::{detached, spawning, timing};

/// About how long one job of the elapsed-time demo runs.
const JOB: Duration = Duration::from_millis(100);

/// Shows the demo; returns whether every check it made held.
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let mut ok = spawning_section(ctx.color)?;
    ok &= timing_section(ctx.color);
    ok &= detached_section(ctx.color);
    Ok(ok)
}

/// A check's verdict, coloured.
fn verdict(held: bool, color: bool) -> String {
    if held {
        style::green("ok", color)
    } else {
        style::red("FAILED", color)
    }
}

fn spawning_section(color: bool) -> anyhow::Result<bool> {
    let by_args = spawning::spawn_with_args("alice", 1)?
        .join()
        .map_err(|_| anyhow::anyhow!("alice panicked"))?;
    let by_closure = spawning::spawn_with_closure("bob", "Hi".to_owned(), 2)?
        .join()
        .map_err(|_| anyhow::anyhow!("bob panicked"))?;
    let ok = by_args.thread == "alice" && by_closure.thread == "bob";
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {}",
        style::bold("Starting a thread (src/threads/spawning.rs)", color)
    );
    let _ = writeln!(
        out,
        "  target=thread_job, args=(1,)  Builder::new().name(\"alice\").spawn(move || thread_job(1))"
    );
    let _ = writeln!(out, "      -> thread {:?} returned {:?}", by_args.thread, by_args.text);
    let _ = writeln!(
        out,
        "  a closure capturing state     Builder::new().name(\"bob\").spawn(move || format!(\"{{prefix}} {{n}}\"))"
    );
    let _ = writeln!(
        out,
        "      -> thread {:?} returned {:?}",
        by_closure.thread, by_closure.text
    );
    let _ = writeln!(
        out,
        "  each thread read its own name with thread::current().name(): {}\n",
        verdict(ok, color)
    );
    emit(&out);
    Ok(ok)
}

fn timing_section(color: bool) -> bool {
    let cores = timing::cores();
    let jobs = cores.clamp(2, 4);
    let units = with_progress("calibrating one job", || timing::calibrate(JOB));
    let t = with_progress("timing the two loops on real threads", || timing::measure(jobs, units));
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {}",
        style::bold("The lecture's run_threads, timed (src/threads/timing.rs)", color)
    );
    let _ = writeln!(
        out,
        "  {jobs} jobs of CPU work, {cores} cores (available_parallelism); one job alone: {}",
        ms(t.one_job)
    );
    let names: Vec<String> = (0..jobs).map(crate::counter::thread_name).collect();
    let mut head = format!("  {:<36} {:>8} {:>8}", "loop", "elapsed", "in jobs");
    for name in &names {
        let _ = write!(head, "  {name:<11}");
    }
    let _ = writeln!(out, "{}", head.trim_end());
    for (label, elapsed, in_jobs, spans) in [
        (
            "start, join, start, join (lecture)",
            t.join_in_loop,
            t.join_in_loop_jobs(),
            &t.join_in_loop_spans,
        ),
        (
            "start all, then join all (fix)",
            t.spawn_then_join,
            t.spawn_then_join_jobs(),
            &t.spawn_then_join_spans,
        ),
    ] {
        let mut line = format!("  {label:<36} {:>8} {:>7.1}×", ms(elapsed), in_jobs);
        for span in spans {
            let ran = format!(
                "{:.0}-{:.0}",
                span.start.as_secs_f64() * 1e3,
                span.end.as_secs_f64() * 1e3
            );
            let _ = write!(line, "  {ran:<11}");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let serial = !timing::overlap(&t.join_in_loop_spans);
    let _ = writeln!(
        out,
        "  (each thread's column: when its job ran, in ms from the start of the run)\n  \
         Joined inside the loop, each job started only after the previous one had ended: {}\n  \
         Started together they {}: {:.1}× faster here, now (up to {}× on an idle machine).\n  \
         Both loops did all the work: {}\n",
        verdict(serial, color),
        if timing::overlap(&t.spawn_then_join_spans) {
            "overlapped"
        } else {
            "could overlap (this time the OS ran them one by one)"
        },
        t.speedup(),
        jobs.min(cores),
        verdict(t.all_work_done, color)
    );
    emit(&out);
    t.all_work_done && serial
}

fn detached_section(color: bool) -> bool {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {}",
        style::bold("daemon=True: a thread nobody joins (src/threads/detached.rs)", color)
    );
    let run = with_progress("running `racelab worker detached`", || {
        crate::process::racelab_exe().and_then(|exe| detached::demo(&exe))
    });
    let ok = match run {
        Ok(run) => {
            let _ = writeln!(
                out,
                "  A child process starts a thread that would tick every {} ms for {} s, waits for its first tick,",
                detached::TICK.as_millis(),
                (detached::TICK * detached::TICKS as u32).as_secs()
            );
            let _ = writeln!(out, "  then returns from main. What the child printed:");
            for line in &run.lines {
                let _ = writeln!(out, "    {}", style::dim(line, color));
            }
            let held = run.stopped_with_main();
            let _ = writeln!(
                out,
                "  It exited ({}) after {} ms with {} tick(s); {:?} never came: the thread was stopped with the\n  \
                 process. To let it finish, keep its JoinHandle and join it. {}\n",
                run.status,
                run.elapsed.as_millis(),
                run.ticks(),
                detached::FINISHED,
                verdict(held, color)
            );
            held
        }
        Err(e) => {
            let _ = writeln!(out, "  could not run the child process ({e}); skipped\n");
            true
        }
    };
    emit(&out);
    ok
}

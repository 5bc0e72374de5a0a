//! The tour's asynchrony section: the lecture's asyncio examples on tokio,
//! on the real clock (scaled down from seconds to milliseconds). The race
//! across `.await` and its fixes follow, from the catalogue.

use std::time::Duration;

use super::Ctx;
use crate::asynchrony::{blocking, connection, scale, timer};
use crate::cli::{emit, style};

/// The lecture's 3 s sleeps, scaled down.
const SLEEP: Duration = Duration::from_millis(300);
/// The blocked wait and the heartbeat's period.
const WAIT: Duration = Duration::from_millis(150);
const TICK: Duration = Duration::from_millis(10);
/// Sleeping tasks, and how long each sleeps.
const TASKS: usize = 10_000;
const EACH: Duration = Duration::from_millis(100);

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// `10000` as `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Shows the demo; returns whether every check it made held.
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let color = ctx.color;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut ok = true;

    emit(&format!(
        "  {}\n",
        style::bold(
            &format!("fun1 and fun2, each sleeping {} (the lecture's 3 s)", ms(SLEEP)),
            color
        )
    ));
    let seq = runtime.block_on(timer::sequential(4.0, SLEEP));
    let conc = runtime.block_on(timer::concurrent(4.0, SLEEP))?;
    emit(&format!(
        "    await fun1(4); await fun2(4)          fun1 {} + fun2 {} = {}\n",
        ms(seq.fun1.elapsed),
        ms(seq.fun2.elapsed),
        style::bold(&ms(seq.total), color)
    ));
    emit(&format!(
        "    spawn both as tasks, await both       fun1 {} | fun2 {} = {}\n",
        ms(conc.fun1.elapsed),
        ms(conc.fun2.elapsed),
        style::bold(&ms(conc.total), color)
    ));
    let overlapped = conc.total < seq.total && seq.fun1.value == 16.0 && conc.fun2.value == 2.0;
    ok &= overlapped;
    emit(&format!(
        "    {}\n\n",
        style::dim(
            "the two sleeps overlap on one thread: a sleeping task does not hold it",
            color
        )
    ));

    emit(&format!(
        "  {}\n",
        style::bold("async with Connection(...) over loopback TCP", color)
    ));
    let (echo, events) = runtime.block_on(async {
        let mut server = connection::EchoServer::start().await?;
        let echo = connection::round_trip(server.addr(), "hello").await;
        let events = server.until_closed(Duration::from_secs(5)).await;
        Ok::<_, std::io::Error>((echo, events))
    })?;
    let echo = echo.map_err(|e| anyhow::anyhow!("{e}"))?;
    let said_goodbye =
        events.contains(&connection::ServerEvent::Goodbye) && events.last() == Some(&connection::ServerEvent::Closed);
    ok &= echo == "hello" && said_goodbye;
    emit(&format!(
        "    put_data(\"hello\") and get_data() at once -> {echo:?}\n    the server saw: {}\n",
        events.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>().join(", ")
    ));
    emit(&format!(
        "    {}\n\n",
        style::dim(
            "scope() awaits the close on every way out of the body (value, error, panic): Rust has no async Drop",
            color
        )
    ));

    emit(&format!(
        "  {}\n",
        style::bold(
            &format!(
                "a worker waits {} while a heartbeat beats every {} (current-thread runtime)",
                ms(WAIT),
                ms(TICK)
            ),
            color
        )
    ));
    for wait in blocking::Wait::ALL {
        let s = blocking::stall(wait, WAIT, TICK)?;
        let verdict = match (wait, s.beats_during_wait) {
            (blocking::Wait::Blocking, 0) => style::red("every other task stalled", color),
            (blocking::Wait::Blocking, _) => style::red("(expected a stall)", color),
            (_, 0) => style::red("(expected heartbeats)", color),
            _ => style::green("the others kept running", color),
        };
        ok &= (wait == blocking::Wait::Blocking) == (s.beats_during_wait == 0);
        emit(&format!(
            "    {:<48} {:>3} beats, longest gap {:>6}  {verdict}\n",
            wait.code(),
            s.beats_during_wait,
            ms(s.longest_gap)
        ));
    }
    emit("\n");

    let took = scale::sleeping_tasks(TASKS, EACH)?;
    emit(&format!(
        "  {} tasks each sleeping {}: {} in all, on one thread {}\n\n",
        thousands(TASKS),
        ms(EACH),
        style::bold(&ms(took), color),
        style::dim(
            "(one after the other: 1,000 s; `cargo bench --bench async_scale` compares threads)",
            color
        )
    ));
    Ok(ok)
}

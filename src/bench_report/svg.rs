//! A plot of throughput against threads, one line per variant, as a
//! self-contained SVG (no plotting library: a few dozen elements).

use std::fmt::Write;

use super::Group;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 400.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 210.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 50.0;
/// Colour-blind-safe (Okabe–Ito), then greys.
const COLOURS: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999", "#666666",
];

/// The group's plot, or `None` when its parameter is not a thread count
/// or it was measured at one thread count only.
pub fn plot(g: &Group) -> Option<String> {
    if !g.scales_with_threads() {
        return None;
    }
    let mut threads: Vec<usize> = g.rows.iter().filter_map(|r| r.measurement.threads()).collect();
    threads.sort_unstable();
    threads.dedup();
    if threads.len() < 2 {
        // One thread count: a table says it all.
        return None;
    }
    let values: Vec<f64> = g.rows.iter().map(|r| r.measurement.ops_per_sec() / 1e6).collect();
    let high = values.iter().copied().fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let low = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(f64::MIN_POSITIVE);
    // Variants an order of magnitude or more apart: a log scale keeps the
    // slow ones readable.
    let log = high / low > 20.0;
    let (lo_decade, hi_decade) = (low.log10().floor(), high.log10().ceil().max(low.log10().floor() + 1.0));
    let top = high * 1.1;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |t: usize| {
        let i = threads.iter().position(|&n| n == t).unwrap_or(0) as f64;
        let n = (threads.len().max(2) - 1) as f64;
        LEFT + plot_w * i / n
    };
    let y = |mops: f64| {
        let frac = if log {
            (mops.max(f64::MIN_POSITIVE).log10() - lo_decade) / (hi_decade - lo_decade)
        } else {
            mops / top
        };
        TOP + plot_h * (1.0 - frac)
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="18" text-anchor="middle" font-size="14">{}: throughput (Mops/s{}) against threads</text>"#,
        LEFT + plot_w / 2.0,
        escape(&g.name),
        if log { ", log scale" } else { "" }
    );
    // Axes, grid and ticks.
    let _ = writeln!(
        s,
        r#"<path d="M{LEFT},{TOP} V{} H{}" stroke="black" fill="none"/>"#,
        TOP + plot_h,
        LEFT + plot_w
    );
    let ticks: Vec<f64> = if log {
        (lo_decade as i32..=hi_decade as i32).map(|d| 10f64.powi(d)).collect()
    } else {
        (0..=4).map(|i| top * f64::from(i) / 4.0).collect()
    };
    for v in ticks {
        let yy = y(v);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{}" y2="{yy:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            yy + 4.0,
            super::markdown::significant(v)
        );
    }
    for &t in &threads {
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{t}</text>"#,
            x(t),
            TOP + plot_h + 18.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">threads</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - 10.0
    );
    // One line per variant, and its legend entry.
    for (i, f) in g.functions().into_iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        // Past the palette, the colours come round again, dashed.
        let dash = if i >= COLOURS.len() {
            r#" stroke-dasharray="6 3""#
        } else {
            ""
        };
        let mut points: Vec<(usize, f64)> = g
            .rows
            .iter()
            .filter(|r| r.measurement.function == f)
            .filter_map(|r| Some((r.measurement.threads()?, r.measurement.ops_per_sec() / 1e6)))
            .collect();
        points.sort_by_key(|p| p.0);
        let path: Vec<String> = points
            .iter()
            .map(|&(t, v)| format!("{:.1},{:.1}", x(t), y(v)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            path.join(" ")
        );
        for &(t, v) in &points {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"/>"#,
                x(t),
                y(v)
            );
        }
        let ly = TOP + 10.0 + 18.0 * i as f64;
        let lx = WIDTH - RIGHT + 16.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/><text x="{}" y="{}">{}</text>"#,
            lx + 20.0,
            lx + 26.0,
            ly + 4.0,
            escape(f)
        );
    }
    s.push_str("</svg>\n");
    Some(s)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

//! The counter's cost ladder on real threads: every variant counts every
//! increment (a fix may be asserted correct on hardware), and the quick
//! table the tour prints has a row per variant and thread count.

use racelab::cost::{quick, run, VARIANTS};

#[test]
fn every_variant_counts_every_increment_on_real_threads() {
    for v in &VARIANTS {
        for threads in [1, 2, 3] {
            // `run` panics, naming the variant, if the total is wrong.
            run(v, threads, 2_000);
        }
    }
}

#[test]
fn the_quick_table_has_every_variant_at_every_thread_count_against_the_floor() {
    let rows = quick(&[1, 2], 1_000, 1);
    assert_eq!(rows.len(), 2 * VARIANTS.len());
    for r in &rows {
        assert!(r.ns_per_op.is_finite() && r.ns_per_op > 0.0, "{r:?}");
        if r.variant == "floor" {
            assert!((r.vs_floor - 1.0).abs() < 1e-12, "{r:?}");
        }
    }
}

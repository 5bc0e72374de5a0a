//! Check for lab 14: ∫ 2x dx over [0, 2], split into two segments on two
//! threads, always comes out as 4, under every schedule loom and shuttle
//! explore.
//!
//! The result is compared exactly, which is fair here: with 4 rectangles
//! per segment every midpoint, every value of 2x and every rectangle is a
//! sum of powers of two, so the parts are exactly 1 and 3 and the integral
//! exactly 4, with no rounding anywhere; and with two parts the order they
//! are added in cannot matter either (a + b == b + a in IEEE 754 arithmetic,
//! although (a + b) + c and a + (b + c) may differ in the last bit). A check
//! of real integrals, with more segments, would compare within a tolerance.

use super::exercise;

use racelab::explore::Scenario;

fn two_x(x: f64) -> f64 {
    2.0 * x
}

#[test]
fn no_segment_is_lost_from_the_sum_under_every_schedule() {
    let scenario = Scenario::new("lab 14: integrate in segments", || {
        let integral = exercise::integrate(two_x, 0.0, 2.0, 2, 4);
        format!("integral = {integral}")
    })
    .expect_only("integral = 4".to_owned())
    .note(format!(
        "the total is an f64 kept as its bits: {} is 1, {} is 3, {} is 4 (the segments' parts are 1 and 3)",
        1.0f64.to_bits(),
        3.0f64.to_bits(),
        4.0f64.to_bits()
    ));
    racelab_labs::check(scenario, racelab_labs::MODELS);
}

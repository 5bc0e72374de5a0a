//! Check for lab 12. The property: **every run ends as if the pops and
//! pushes had happened one at a time, in some order** (each pop returns
//! the node then on top, or nothing only when the stack is empty). Then
//! every node is in exactly one place — with a thread or on the stack —
//! and no pop comes back empty while the stack holds a node. Checked on
//! two plans, under every schedule loom and shuttle explore:
//! - ABA: A on top of B; alice pops once while bob pops twice and pushes
//!   his first node back;
//! - a push against pops: B alone on the stack; alice pushes A while bob
//!   pops twice.

use super::exercise;

use std::collections::HashSet;
use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc};

/// One operation of a thread's plan.
#[derive(Clone, Copy, Debug)]
enum Op {
    Pop,
    /// Pushes this node (which the thread holds from the start).
    Push(usize),
    /// Pushes back what the thread's first pop returned, if anything.
    PushFirstPopped,
}

/// What one operation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Step {
    Popped(Option<usize>),
    Pushed(usize),
    /// `PushFirstPopped` after a first pop that returned nothing.
    Skipped,
}

/// Who does what, starting from which stack.
struct Plan {
    name: &'static str,
    /// The stack at the start, bottom first.
    initial: &'static [usize],
    threads: &'static [(&'static str, &'static [Op])],
}

const ABA: Plan = Plan {
    name: "lab 12: A on B; alice pops, bob pops twice and pushes his first back",
    initial: &[2, 1],
    threads: &[("alice", &[Op::Pop]), ("bob", &[Op::Pop, Op::Pop, Op::PushFirstPopped])],
};

const PUSH_AGAINST_POPS: Plan = Plan {
    name: "lab 12: B alone; alice pushes A, bob pops twice",
    initial: &[2],
    threads: &[("alice", &[Op::Push(1)]), ("bob", &[Op::Pop, Op::Pop])],
};

/// What every thread's operations did, and the stack at the end (top first).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Run {
    steps: Vec<Vec<Step>>,
    stack: Vec<usize>,
}

fn name(node: usize) -> &'static str {
    ["none", "A", "B"].get(node).copied().unwrap_or("?")
}

/// A stack to run a plan's operations on: the student's, or a plain `Vec`
/// (the top last) for the runs that one-at-a-time operations give.
trait Ops {
    fn push(&mut self, node: usize);
    fn pop(&mut self) -> Option<usize>;
}

impl Ops for Vec<usize> {
    fn push(&mut self, node: usize) {
        Vec::push(self, node);
    }

    fn pop(&mut self) -> Option<usize> {
        Vec::pop(self)
    }
}

impl Ops for &exercise::Stack {
    fn push(&mut self, node: usize) {
        exercise::Stack::push(self, node);
    }

    fn pop(&mut self) -> Option<usize> {
        exercise::Stack::pop(self)
    }
}

/// Performs `op` on `stack`, given the thread's steps so far.
fn step(op: Op, done: &[Step], stack: &mut impl Ops) -> Step {
    match op {
        Op::Pop => Step::Popped(stack.pop()),
        Op::Push(node) => {
            stack.push(node);
            Step::Pushed(node)
        }
        Op::PushFirstPopped => match done.first() {
            Some(&Step::Popped(Some(node))) => {
                stack.push(node);
                Step::Pushed(node)
            }
            _ => Step::Skipped,
        },
    }
}

impl Plan {
    /// Every run that the operations, one at a time in some order, give.
    fn sequential_runs(&self) -> HashSet<Run> {
        fn explore(plan: &Plan, stack: &mut Vec<usize>, steps: &mut Vec<Vec<Step>>, out: &mut HashSet<Run>) {
            let mut finished = true;
            for t in 0..plan.threads.len() {
                let Some(&op) = plan.threads[t].1.get(steps[t].len()) else {
                    continue;
                };
                finished = false;
                let before = stack.clone();
                let s = step(op, &steps[t], stack);
                steps[t].push(s);
                explore(plan, stack, steps, out);
                steps[t].pop();
                *stack = before;
            }
            if finished {
                out.insert(Run {
                    steps: steps.clone(),
                    stack: stack.iter().rev().copied().collect(),
                });
            }
        }
        let mut out = HashSet::new();
        let mut stack = self.initial.to_vec();
        let mut steps = vec![Vec::new(); self.threads.len()];
        explore(self, &mut stack, &mut steps, &mut out);
        out
    }

    /// Where each node is at the end of `run`: how many places hold it.
    fn places(&self, run: &Run, node: usize) -> i64 {
        let on_stack = run.stack.iter().filter(|&&n| n == node).count() as i64;
        let held: i64 = self
            .threads
            .iter()
            .zip(&run.steps)
            .map(|((_, ops), steps)| {
                let at_start = ops.iter().filter(|op| matches!(op, Op::Push(n) if *n == node)).count() as i64;
                steps.iter().fold(at_start, |held, s| match s {
                    Step::Popped(Some(n)) if *n == node => held + 1,
                    Step::Pushed(n) if *n == node => held - 1,
                    _ => held,
                })
            })
            .sum();
        on_stack + held
    }

    fn describe(&self, run: &Run, allowed: bool) -> String {
        let mut text = String::new();
        for ((thread, _), steps) in self.threads.iter().zip(&run.steps) {
            let done: Vec<String> = steps
                .iter()
                .filter_map(|s| match s {
                    Step::Popped(Some(n)) => Some(format!("popped {}", name(*n))),
                    Step::Popped(None) => Some("popped nothing".to_owned()),
                    Step::Pushed(n) => Some(format!("pushed {}", name(*n))),
                    Step::Skipped => None,
                })
                .collect();
            text += &format!("{thread} {}; ", done.join(", "));
        }
        let stack: Vec<&str> = run.stack.iter().map(|&n| name(n)).collect();
        text += &format!("stack [{}]", stack.join(" "));
        if !allowed {
            let wrong: Vec<String> = [1, 2]
                .into_iter()
                .filter_map(|node| match self.places(run, node) {
                    1 => None,
                    0 => Some(format!("{} is lost", name(node))),
                    n => Some(format!("{} is in {n} places", name(node))),
                })
                .collect();
            if wrong.is_empty() {
                text += " (no order of these operations, one at a time, gives this)";
            } else {
                text += &format!(" ({})", wrong.join(", "));
            }
        }
        text
    }
}

/// A run, printable on its own (the plan and the verdict ride along).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Outcome {
    run: Run,
    text: String,
    allowed: bool,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn scenario(plan: &'static Plan) -> Scenario<Outcome> {
    let allowed = Arc::new(plan.sequential_runs());
    let rule = Arc::clone(&allowed);
    Scenario::new(plan.name, move || {
        racelab::trace::note("nodes: 1 is A, 2 is B, 0 is none");
        let stack = Arc::new(exercise::Stack::new());
        for &node in plan.initial {
            stack.push(node);
        }
        let workers: Vec<_> = plan
            .threads
            .iter()
            .map(|&(thread, ops)| {
                let stack = Arc::clone(&stack);
                thread::Builder::new()
                    .name(thread)
                    .spawn(move || {
                        let mut steps: Vec<Step> = Vec::new();
                        for &op in ops {
                            let s = step(op, &steps, &mut &*stack);
                            steps.push(s);
                        }
                        steps
                    })
                    .expect("spawn a thread")
            })
            .collect();
        let steps = workers
            .into_iter()
            .map(|w| w.join().expect("a thread panicked"))
            .collect();
        let run = Run {
            steps,
            stack: stack.contents(),
        };
        let ok = allowed.contains(&run);
        Outcome {
            text: plan.describe(&run, ok),
            allowed: ok,
            run,
        }
    })
    .expect(
        "as if the operations ran one at a time: every node in exactly one place, no empty pop of a non-empty stack",
        move |o: &Outcome| {
            if rule.contains(&o.run) {
                Grade::Acceptable
            } else {
                Grade::Forbidden
            }
        },
    )
}

/// A on top of B; alice pops once while bob pops twice and pushes his
/// first node back (the A-B-A that fools a compare-exchange on the index).
#[test]
fn runs_as_if_one_at_a_time_aba() {
    racelab_labs::check(scenario(&ABA), racelab_labs::MODELS);
}

/// B alone; alice pushes A while bob pops twice.
#[test]
fn runs_as_if_one_at_a_time_push_against_pops() {
    racelab_labs::check(scenario(&PUSH_AGAINST_POPS), racelab_labs::MODELS);
}

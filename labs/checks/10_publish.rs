//! Check for lab 10. The property: **a reader that sees the flag up reads
//! the whole value, and never while it is being written; once the send is
//! done, the value is there.** A `sender` sends a value while a `reader`
//! looks once: the reader must get no value or exactly the one sent, with
//! no data race on the cell; after the sender has finished, `main` looks
//! too and must get the value. Checked with 42 and with 0 (a mailbox that
//! takes 0 for "empty" loses a sent 0), under every execution loom explores
//! (loom checks every access of the cell against happens-before and lets a
//! `Relaxed` load return an old value; shuttle sees neither, so it is not
//! used).

use super::exercise;

use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc};

/// What the reader got while the value was being sent, and what `main` got
/// once the sender had finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Looks {
    sent: u64,
    reader: Option<u64>,
    after: Option<u64>,
}

impl Looks {
    fn holds(&self) -> bool {
        self.reader.is_none_or(|v| v == self.sent) && self.after == Some(self.sent)
    }
}

fn got(look: Option<u64>) -> String {
    look.map_or_else(|| "no value".to_owned(), |v| v.to_string())
}

impl fmt::Display for Looks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reader got {}", got(self.reader))?;
        if self.reader.is_some_and(|v| v != self.sent) {
            write!(f, " (not the {} sent)", self.sent)?;
        }
        write!(f, "; after the send, main got {}", got(self.after))?;
        if self.after != Some(self.sent) {
            write!(f, " (the {} sent is lost)", self.sent)?;
        }
        Ok(())
    }
}

/// `sender` sends `value` while `reader` looks once; then `main` looks.
fn scenario(value: u64) -> Scenario<Looks> {
    Scenario::new(format!("lab 10: publish {value} through a flag"), move || {
        let mailbox = Arc::new(exercise::Mailbox::new());
        let m = Arc::clone(&mailbox);
        let sender = thread::Builder::new()
            .name("sender")
            .spawn(move || m.send(value))
            .expect("spawn the sender");
        let m = Arc::clone(&mailbox);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || m.receive())
            .expect("spawn the reader");
        sender.join().expect("the sender panicked");
        let reader = reader.join().expect("the reader panicked");
        Looks {
            sent: value,
            reader,
            after: mailbox.receive(),
        }
    })
    .expect(
        format!("the reader gets no value or {value}; after the send, main gets {value}"),
        |l: &Looks| if l.holds() { Grade::Acceptable } else { Grade::Forbidden },
    )
}

/// The reader sees no flag, or the flag and the whole 42; afterwards the 42
/// is there.
#[test]
fn the_reader_sees_no_flag_or_the_whole_value() {
    racelab_labs::check(scenario(42), racelab_labs::LOOM);
}

/// The same with 0, the value an empty mailbox starts with.
#[test]
fn the_reader_sees_no_flag_or_the_whole_value_also_zero() {
    racelab_labs::check(scenario(0), racelab_labs::LOOM);
}

//! # Taxi and Dispatcher: a lock-order deadlock between cooperating objects
//!
//! **Source.** Brian Goetz et al., *Java Concurrency in Practice* (2006),
//! §10.1.3 "Deadlocks between cooperating objects", Listing 10.5
//! ("Lock-ordering deadlock between cooperating objects. Don't do this."),
//! and §10.1.4 "Open calls", Listing 10.6. Listings at
//! <https://jcip.net/listings.html>.
//!
//! **The program.**
//!
//! ```java
//! class Taxi {
//!     public synchronized Point getLocation() { return location; }
//!     public synchronized void setLocation(Point location) {
//!         this.location = location;
//!         if (location.equals(destination))
//!             dispatcher.notifyAvailable(this);
//!     }
//! }
//! class Dispatcher {
//!     public synchronized void notifyAvailable(Taxi taxi) { availableTaxis.add(taxi); }
//!     public synchronized Image getImage() {
//!         Image image = new Image();
//!         for (Taxi t : taxis) image.drawMarker(t.getLocation());
//!         return image;
//!     }
//! }
//! ```
//!
//! Transcription: each `synchronized` object is a `Mutex` around its
//! fields; one taxi (id 7) heading for (3, 4); thread `gps` calls
//! `taxi.set_location((3, 4))` (the taxi arrives); thread `ui` calls
//! `dispatcher.get_image()`. The taxi reaches its dispatcher through a
//! reference handed in, not stored (no reference cycle to leak).
//!
//! **The bug (the book's words).** "A thread calling `setLocation` [...]
//! acquires the `Taxi` lock and then the `Dispatcher` lock. Similarly, a
//! thread calling `getImage` acquires the `Dispatcher` lock and then each
//! `Taxi` lock (one at a time). Just as in `LeftRightDeadlock`, two locks
//! are acquired by two threads in different orders, risking deadlock."
//!
//! **Teacher marks:**
//! - **T1** `deadlock`, on `gps`'s blocked `lock dispatcher`: "gps holds the
//!   taxi (locked at step N, in `set_location`) and waits for the
//!   dispatcher, which ui holds since step M (in `get_image`)."
//! - **T2** `deadlock`, on `ui`'s blocked `lock taxi`: "ui holds the
//!   dispatcher and waits for the taxi, which gps holds: a cycle."
//!
//! No mark belongs on: the taxi's `location` write (correct under its lock),
//! `main`'s joins, the setup.
//!
//! **Controls.** (1) Listing 10.6, open calls: `set_location` releases the
//! taxi before calling the dispatcher; `get_image` copies the taxi list
//! under the dispatcher's lock and asks each taxi after releasing it. (2)
//! Another primitive: the taxi reports "available" on a channel that the
//! dispatcher drains, so no thread ever holds one lock while taking another.

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::mpsc::{self, Receiver, Sender};
use racelab::sync::{thread, Arc, Mutex};

type Point = (i32, i32);

#[derive(Debug)]
struct TaxiFields {
    location: Point,
    destination: Point,
}

struct Taxi {
    id: u32,
    fields: Mutex<TaxiFields>,
}

#[derive(Debug, Default)]
struct DispatcherFields {
    available: Vec<u32>,
}

struct Dispatcher {
    /// `taxis` is fixed once built (every access in the book is under the
    /// dispatcher's lock anyway, inside `getImage`).
    taxis: Vec<Arc<Taxi>>,
    fields: Mutex<DispatcherFields>,
    /// Only for control (2): available taxis reported by message.
    reports: Option<Mutex<Receiver<u32>>>,
}

impl Taxi {
    fn get_location(&self) -> Point {
        self.fields.lock().unwrap().location
    }

    /// Listing 10.5: calls the dispatcher with the taxi's lock held.
    fn set_location(&self, location: Point, dispatcher: &Dispatcher) {
        let mut f = self.fields.lock().unwrap();
        f.location = location;
        if location == f.destination {
            dispatcher.notify_available(self.id);
        }
    }

    /// Listing 10.6: the open call.
    fn set_location_open(&self, location: Point, dispatcher: &Dispatcher) {
        let reached_destination = {
            let mut f = self.fields.lock().unwrap();
            f.location = location;
            location == f.destination
        };
        if reached_destination {
            dispatcher.notify_available(self.id);
        }
    }

    /// Control (2): tell the dispatcher by message.
    fn set_location_message(&self, location: Point, to_dispatcher: &Sender<u32>) {
        let reached_destination = {
            let mut f = self.fields.lock().unwrap();
            f.location = location;
            location == f.destination
        };
        if reached_destination {
            to_dispatcher.send(self.id).unwrap();
        }
    }
}

impl Dispatcher {
    fn new(taxis: Vec<Arc<Taxi>>, reports: Option<Receiver<u32>>) -> Self {
        Dispatcher {
            taxis,
            fields: Mutex::new(DispatcherFields::default()).named("dispatcher"),
            reports: reports.map(|r| Mutex::new_untraced(r).named("reports")),
        }
    }

    fn notify_available(&self, taxi: u32) {
        self.fields.lock().unwrap().available.push(taxi);
    }

    /// Listing 10.5: asks every taxi with the dispatcher's lock held.
    fn get_image(&self) -> String {
        let f = self.fields.lock().unwrap();
        let image: Vec<Point> = self.taxis.iter().map(|t| t.get_location()).collect();
        format!("image {image:?}, available {:?}", f.available)
    }

    /// Listing 10.6: copy under the lock, ask the taxis after.
    fn get_image_open(&self) -> String {
        let (copy, available) = {
            let f = self.fields.lock().unwrap();
            (self.taxis.clone(), f.available.len())
        };
        let image: Vec<Point> = copy.iter().map(|t| t.get_location()).collect();
        format!("image {image:?}, {available} available")
    }

    /// Control (2): drain the reports, then draw; one lock at a time.
    fn get_image_message(&self) -> String {
        let reports = self.reports.as_ref().expect("built with a channel");
        let mut new = Vec::new();
        {
            let reports = reports.lock().unwrap();
            while let Ok(id) = reports.try_recv() {
                new.push(id);
            }
        }
        self.fields.lock().unwrap().available.extend(new);
        let image: Vec<Point> = self.taxis.iter().map(|t| t.get_location()).collect();
        format!("image {image:?}")
    }
}

fn taxi() -> Arc<Taxi> {
    Arc::new(Taxi {
        id: 7,
        fields: Mutex::new(TaxiFields {
            location: (0, 0),
            destination: (3, 4),
        })
        .named("taxi"),
    })
}

#[derive(Clone, Copy)]
enum Variant {
    Racy,
    OpenCalls,
}

fn cooperating(name: &str, variant: Variant) -> Scenario<&'static str> {
    Scenario::new(name, move || {
        let cab = taxi();
        let dispatcher = Arc::new(Dispatcher::new(vec![Arc::clone(&cab)], None));
        let d = Arc::clone(&dispatcher);
        let gps = thread::Builder::new()
            .name("gps")
            .spawn(move || match variant {
                Variant::Racy => cab.set_location((3, 4), &d),
                Variant::OpenCalls => cab.set_location_open((3, 4), &d),
            })
            .unwrap();
        let d = Arc::clone(&dispatcher);
        let ui = thread::Builder::new()
            .name("ui")
            .spawn(move || match variant {
                Variant::Racy => d.get_image(),
                Variant::OpenCalls => d.get_image_open(),
            })
            .unwrap();
        gps.join().unwrap();
        let _image = ui.join().unwrap();
        "done"
    })
    .expect_only("done")
}

fn by_message() -> Scenario<&'static str> {
    Scenario::new("blind6b::taxi_dispatcher_message", || {
        let cab = taxi();
        let (tx, rx) = mpsc::channel_named("available");
        let dispatcher = Arc::new(Dispatcher::new(vec![Arc::clone(&cab)], Some(rx)));
        let gps = thread::Builder::new()
            .name("gps")
            .spawn(move || cab.set_location_message((3, 4), &tx))
            .unwrap();
        let d = Arc::clone(&dispatcher);
        let ui = thread::Builder::new()
            .name("ui")
            .spawn(move || d.get_image_message())
            .unwrap();
        gps.join().unwrap();
        let _image = ui.join().unwrap();
        "done"
    })
    .expect_only("done")
}

#[test]
fn taxi_dispatcher_racy_loom() {
    common::explore(
        &cooperating("blind6b::taxi_dispatcher_racy", Variant::Racy),
        &common::loom(),
    )
    .assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn taxi_dispatcher_racy_shuttle() {
    common::explore(
        &cooperating("blind6b::taxi_dispatcher_racy", Variant::Racy),
        &common::shuttle(),
    )
    .assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn taxi_dispatcher_open_calls_holds_loom() {
    common::explore(
        &cooperating("blind6b::taxi_dispatcher_open_calls", Variant::OpenCalls),
        &common::loom(),
    )
    .assert_holds();
}

#[test]
fn taxi_dispatcher_open_calls_holds_shuttle() {
    common::explore(
        &cooperating("blind6b::taxi_dispatcher_open_calls", Variant::OpenCalls),
        &common::shuttle(),
    )
    .assert_holds();
}

#[test]
fn taxi_dispatcher_message_holds_loom() {
    common::explore(&by_message(), &common::loom()).assert_holds();
}

#[test]
fn taxi_dispatcher_message_holds_shuttle() {
    common::explore(&by_message(), &common::shuttle()).assert_holds();
}

//! Finds, in a Rust source file, the synchronisation the model checkers
//! cannot see.
//!
//! loom and shuttle see a program only through `racelab::sync`: every
//! facade operation is a point where they may switch threads, and the only
//! memory they model. A `std::sync::Mutex`, a `std::sync::atomic` type, a
//! `parking_lot` lock, a `static mut` or a `std::cell::UnsafeCell` shared
//! between threads is invisible to them. Under a model, threads that share
//! only such things look like threads that share nothing: the model explores
//! nothing worth exploring, and a check "holds" without having checked
//! anything. Worse, a thread that blocks on an invisible lock blocks the one
//! OS thread every model thread runs on, and the check hangs.
//!
//! [`scan`] parses the file with `syn` (a real parser, not a pattern
//! match), follows its `use` declarations, and lists every path that leads
//! to such an item, each with the `racelab::sync` item to use instead.
//! Types that are not shared between threads (`Cell`, `RefCell`), `Arc`,
//! `Ordering` and error types are fine, and not listed.
//!
//! Limits: `use` declarations count for the whole file, whatever module or
//! function they are in; paths inside macro invocations (other than the
//! macro's own name) are not read.

use std::collections::BTreeMap;
use std::fmt;

use syn::visit::{self, Visit};

/// One use of something the models cannot see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escape {
    /// 1-based line of the first use.
    pub line: usize,
    /// How many more times the same item is used.
    pub more: usize,
    /// The item, as a full path (`std::sync::atomic::AtomicU64`).
    pub found: String,
    /// What to use instead, in words (`racelab::sync::atomic::AtomicU64`).
    pub instead: String,
}

impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.found)?;
        match self.more {
            0 => {}
            1 => write!(f, " (and 1 more use)")?,
            n => write!(f, " (and {n} more uses)")?,
        }
        write!(f, " → use {}", self.instead)
    }
}

/// Every item in `source` that the models cannot see, in order of first
/// use. `Err` carries the parser's message when the file does not parse
/// (the compiler will say more).
pub fn scan(source: &str) -> Result<Vec<Escape>, String> {
    let file = syn::parse_file(source).map_err(|e| e.to_string())?;
    let mut aliases = Aliases::default();
    aliases.visit_file(&file);
    let mut finder = Finder {
        aliases: aliases.map,
        found: BTreeMap::new(),
    };
    for (path, line) in &aliases.leaves {
        finder.report(path, *line);
    }
    finder.visit_file(&file);
    let mut escapes: Vec<Escape> = finder.found.into_values().collect();
    // By line; on one line, by name (the map's order, kept by a stable sort).
    escapes.sort_by_key(|e| e.line);
    Ok(escapes)
}

/// The names `use` declarations bring in, and the paths they name.
#[derive(Default)]
struct Aliases {
    /// Name in scope -> the full path it stands for.
    map: BTreeMap<String, Vec<String>>,
    /// Every imported path (a glob as its prefix plus `*`), with its line.
    leaves: Vec<(Vec<String>, usize)>,
}

impl Aliases {
    fn add(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.add(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let full = if name == "self" {
                    prefix.clone()
                } else {
                    let mut full = prefix.clone();
                    full.push(name.clone());
                    full
                };
                let alias = if name == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    name
                };
                self.leaves.push((full.clone(), line_of(n.ident.span())));
                self.map.insert(alias, full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                self.leaves.push((full.clone(), line_of(r.ident.span())));
                self.map.insert(r.rename.to_string(), full);
            }
            syn::UseTree::Glob(g) => {
                let mut full = prefix.clone();
                full.push("*".to_owned());
                self.leaves.push((full, line_of(g.star_token.spans[0])));
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.add(item, prefix);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Aliases {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.add(&item.tree, &mut Vec::new());
    }
}

/// Walks every path, macro name and `static mut` of the file.
struct Finder {
    aliases: BTreeMap<String, Vec<String>>,
    /// Found item -> its escape (the first use, and a count of the others).
    found: BTreeMap<String, Escape>,
}

impl Finder {
    /// The full path `segments` stands for, if it starts at a crate the
    /// scan knows (directly, or through a `use`).
    fn resolve(&self, segments: &[String], absolute: bool) -> Option<Vec<String>> {
        let first = segments.first()?;
        if !absolute {
            if let Some(full) = self.aliases.get(first) {
                let mut path = full.clone();
                path.extend(segments[1..].iter().cloned());
                return Some(path);
            }
        }
        KNOWN_ROOTS.contains(&first.as_str()).then(|| segments.to_vec())
    }

    fn report(&mut self, path: &[String], line: usize) {
        let Some((len, instead)) = classify(path) else {
            return;
        };
        let found = display_path(&path[..len]);
        self.found
            .entry(found.clone())
            .and_modify(|e| {
                if line < e.line {
                    e.line = line;
                }
                e.more += 1;
            })
            .or_insert(Escape {
                line,
                more: 0,
                found,
                instead,
            });
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_use(&mut self, _: &'ast syn::ItemUse) {
        // Imports were read (and reported) by `Aliases`.
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let line = path.segments.first().map_or(0, |s| line_of(s.ident.span()));
        if let Some(full) = self.resolve(&segments, path.leading_colon.is_some()) {
            self.report(&full, line);
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let segments: Vec<String> = mac.path.segments.iter().map(|s| s.ident.to_string()).collect();
        // A bare `thread_local!` that no `use` brought in is std's.
        if segments == ["thread_local"] && !self.aliases.contains_key("thread_local") {
            let line = line_of(mac.path.segments[0].ident.span());
            self.report(&["std".to_owned(), "thread_local".to_owned()], line);
        }
        visit::visit_macro(self, mac);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        if matches!(item.mutability, syn::StaticMutability::Mut(_)) {
            let found = format!("static mut {}", item.ident);
            let line = line_of(item.ident.span());
            self.found.entry(found.clone()).or_insert(Escape {
                line,
                more: 0,
                found,
                instead: "a racelab::sync type (an atomic, or a Mutex) shared through an Arc: a `static mut` is \
                          memory the models cannot see"
                    .to_owned(),
            });
        }
        visit::visit_item_static(self, item);
    }
}

/// Crates whose paths the scan reads even without a `use`.
const KNOWN_ROOTS: &[&str] = &[
    "std",
    "core",
    "alloc",
    "parking_lot",
    "crossbeam",
    "crossbeam_utils",
    "crossbeam_channel",
    "tokio",
];

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

/// `core::` and `alloc::` shown as the `std::` they are re-exported as.
fn display_path(path: &[String]) -> String {
    let mut shown = path.to_vec();
    if let Some(first) = shown.first_mut() {
        if first == "core" || first == "alloc" {
            *first = "std".to_owned();
        }
    }
    shown.join("::")
}

/// How many segments of `path` name the item the models cannot see, and
/// what to use instead; `None` if the models can see it (or it does not
/// matter to them).
fn classify(path: &[String]) -> Option<(usize, String)> {
    let shown = display_path(path);
    let p: Vec<&str> = shown.split("::").collect();
    let (len, advice) = item(&p)?;
    Some((len.min(p.len()), advice))
}

fn item(p: &[&str]) -> Option<(usize, String)> {
    let sync = |len: usize, item: &str| Some((len, format!("racelab::sync::{item}")));
    let say = |len: usize, text: &str| Some((len, text.to_owned()));
    match p {
        // Not shared state, or the facade's own re-exports of std.
        ["std", "sync"] | ["std", "sync", "atomic"] | ["std", "sync", "mpsc"] | ["std", "thread"] => None,
        ["std", "hint"] | ["std", "cell"] => None,
        ["std", "sync", "atomic", "Ordering", ..] => None,
        ["std", "sync", "Arc" | "Weak" | "LockResult" | "PoisonError" | "TryLockError" | "TryLockResult", ..] => None,
        ["std", "sync", "mpsc", "RecvError" | "SendError" | "TryRecvError", ..] => None,
        ["std", "thread", "available_parallelism" | "Result" | "panicking", ..] => None,

        ["std", "sync", "atomic", "fence", ..] => sync(4, "atomic::fence"),
        ["std", "sync", "atomic", "AtomicPtr", ..] => say(
            4,
            "racelab::sync::atomic's integers (keep nodes in an array and store their index, as lab 12 does) or a \
             racelab::sync::Mutex: the facade has no AtomicPtr",
        ),
        ["std", "sync", "atomic", item, ..] if item.starts_with("Atomic") => sync(4, &format!("atomic::{item}")),
        ["std", "sync", "atomic", "*"] => say(4, "racelab::sync::atomic::* (or name the atomics you need)"),
        ["std", "sync", "atomic", "compiler_fence", ..] => sync(4, "atomic::fence"),
        ["std", "sync", "mpsc", item @ ("channel" | "Sender" | "Receiver"), ..] => sync(4, &format!("mpsc::{item}")),
        ["std", "sync", "mpsc", ..] => say(
            4,
            "racelab::sync::mpsc::channel (loom has no bounded channel: a racelab::sync::Mutex and Condvar make one)",
        ),
        ["std", "sync", item @ ("Mutex" | "MutexGuard" | "RwLock" | "RwLockReadGuard" | "RwLockWriteGuard" | "Condvar" | "Barrier"
        | "BarrierWaitResult" | "Once" | "OnceLock"), ..] => sync(3, item),
        ["std", "sync", "LazyLock", ..] => say(3, "racelab::sync::OnceLock and its get_or_init"),
        ["std", "sync", "*"] => say(3, "racelab::sync::* (or name the items you need)"),
        ["std", "sync", ..] => say(3, "a racelab::sync type"),

        ["std", "thread", item @ ("spawn" | "Builder" | "JoinHandle" | "yield_now" | "sleep"), ..] => {
            sync(3, &format!("thread::{item}"))
        }
        ["std", "thread", "current", ..] => say(3, "racelab::sync::thread::current_name"),
        ["std", "thread", "scope" | "Scope" | "ScopedJoinHandle", ..] => say(
            3,
            "racelab::sync::thread::spawn, sharing through an Arc (the models have no scoped threads)",
        ),
        ["std", "thread", "park" | "park_timeout" | "Thread", ..] => {
            say(3, "a racelab::sync::Condvar or racelab::sync::mpsc channel")
        }
        ["std", "thread", "LocalKey", ..] => say(3, "racelab::thread_local!"),
        ["std", "thread_local"] => say(2, "racelab::thread_local!"),
        ["std", "thread", "*"] => say(3, "racelab::sync::thread::* (or name the items you need)"),
        ["std", "thread", ..] => say(3, "racelab::sync::thread"),

        ["std", "hint", "spin_loop", ..] => say(
            3,
            "racelab::sync::hint::spin_loop (std's gives the model no chance to run another thread: the spin never \
             ends)",
        ),
        ["std", "cell", "UnsafeCell" | "SyncUnsafeCell", ..] => say(
            3,
            "racelab::sync::cell::UnsafeCell (its with/with_mut let loom check every access for a data race)",
        ),

        ["parking_lot", item @ ("Mutex" | "RwLock" | "Condvar" | "Once"), ..] => Some((
            2,
            format!("racelab::sync::{item} (its lock() returns a Result: unwrap it)"),
        )),
        ["parking_lot", ..] => say(2, "a racelab::sync type"),
        [root, ..] if root.starts_with("crossbeam") => {
            say(3, "a racelab::sync type (loom and shuttle cannot see crossbeam)")
        }
        ["tokio", "sync", "Mutex" | "MutexGuard", ..] => say(3, "racelab::sync::task::Mutex"),
        ["tokio", "spawn"] => say(2, "racelab::sync::task::spawn"),
        ["tokio", "task", "spawn", ..] => say(3, "racelab::sync::task::spawn"),
        ["tokio", "task", "yield_now", ..] => say(3, "racelab::sync::task::yield_now"),
        ["tokio", "sync", ..] => say(3, "a racelab::sync type (shuttle cannot see tokio's)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Vec<String> {
        scan(source).expect("parses").into_iter().map(|e| e.found).collect()
    }

    #[test]
    fn a_std_atomic_import_is_found_with_the_facade_item_to_use() {
        let src = "use std::sync::atomic::{AtomicU64, Ordering::SeqCst};\n\
                   pub struct C { v: AtomicU64 }\n\
                   impl C { pub fn new() -> Self { C { v: AtomicU64::new(0) } } }\n";
        let escapes = scan(src).unwrap();
        assert_eq!(escapes.len(), 1, "{escapes:?}");
        assert_eq!(escapes[0].found, "std::sync::atomic::AtomicU64");
        assert_eq!(escapes[0].line, 1);
        assert_eq!(escapes[0].more, 2);
        assert!(escapes[0].instead.contains("racelab::sync::atomic::AtomicU64"));
    }

    #[test]
    fn the_facade_and_harmless_std_items_are_not_found() {
        let src = "use racelab::sync::{Arc, Mutex, atomic::{AtomicU64, Ordering}};\n\
                   use std::sync::atomic::Ordering::{Acquire, Release};\n\
                   use std::cell::Cell;\nuse std::sync::Arc as StdArc;\n\
                   racelab::thread_local! { static P: Cell<u64> = const { Cell::new(0) }; }\n\
                   fn f() { std::hint::black_box(1); let _ = std::thread::available_parallelism(); }\n";
        assert_eq!(found(src), Vec::<String>::new());
    }

    #[test]
    fn paths_through_module_imports_and_renames_are_followed() {
        let src = "use std::sync as s;\nuse std::thread;\nuse parking_lot::Mutex as PL;\n\
                   fn f() { let _m = s::Mutex::new(0); thread::spawn(|| {}); let _p: PL<u8>; \
                   ::std::hint::spin_loop(); }\n";
        // Line 3 (the rename), then line 4's in alphabetical order.
        assert_eq!(
            found(src),
            [
                "parking_lot::Mutex",
                "std::hint::spin_loop",
                "std::sync::Mutex",
                "std::thread::spawn"
            ]
        );
    }

    #[test]
    fn globs_std_thread_local_static_mut_and_unsafe_cells_are_found() {
        let src = "use std::sync::*;\nuse std::cell::UnsafeCell;\nstatic mut N: u64 = 0;\n\
                   thread_local! { static X: u8 = 0; }\nfn f() { let _ = std::sync::OnceLock::<u8>::new(); }\n";
        assert_eq!(
            found(src),
            [
                "std::sync::*",
                "std::cell::UnsafeCell",
                "static mut N",
                "std::thread_local",
                "std::sync::OnceLock"
            ]
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error() {
        assert!(scan("fn broken( {").is_err());
    }
}

//! Points every lab's check at the file it checks.
//!
//! A lab's check, `checks/NN_name.rs`, tests `super::exercise`. This script
//! writes the modules that say which file `exercise` is:
//!
//! - `$OUT_DIR/labs/NN_name.rs`, included by `tests/NN_name.rs` (what
//!   `racelab check N` and `cargo test -p racelab-labs --test NN_name` run):
//!   the student's `exercises/NN_name.rs`; the reference solution with the
//!   `solutions` feature; or, when `RACELAB_LAB` names this lab, the file in
//!   `RACELAB_LAB_FILE` (`racelab check N --file F`).
//! - `$OUT_DIR/variants.rs`, included by `tests/variants.rs` (what
//!   `racelab verify` runs): for every lab, its starter, its reference
//!   solution and every variant in `variants/NN_name/`, each a module with
//!   its own copy of the lab's check, all in one test binary. The test
//!   `labNN::ENTRY::check::...` checks that entry.
//!
//! The labs come from `labs.toml` (only their `name = "..."` lines are read).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=labs.toml");
    println!("cargo:rerun-if-changed=variants");
    println!("cargo:rerun-if-env-changed=RACELAB_LAB");
    println!("cargo:rerun-if-env-changed=RACELAB_LAB_FILE");

    let labs = lab_names(&root.join("labs.toml"));
    let solutions = env::var_os("CARGO_FEATURE_SOLUTIONS").is_some();
    let chosen = env::var("RACELAB_LAB").ok();
    let chosen_file = env::var_os("RACELAB_LAB_FILE").map(PathBuf::from);

    let per_lab = out.join("labs");
    fs::create_dir_all(&per_lab).expect("create $OUT_DIR/labs");
    for name in &labs {
        let file = match (&chosen, &chosen_file) {
            (Some(lab), Some(file)) if lab == name => file.clone(),
            _ if solutions => root.join("solutions").join(format!("{name}.rs")),
            _ => root.join("exercises").join(format!("{name}.rs")),
        };
        let text = format!(
            "{}{}",
            module("exercise", &file),
            module("check", &root.join("checks").join(format!("{name}.rs")))
        );
        write_if_changed(&per_lab.join(format!("{name}.rs")), &text);
    }

    let mut all = String::new();
    for name in &labs {
        let id = name.split('_').next().unwrap_or(name);
        let check = root.join("checks").join(format!("{name}.rs"));
        let _ = writeln!(all, "pub mod lab{id} {{");
        let mut entries = vec![
            ("starter".to_owned(), root.join("exercises").join(format!("{name}.rs"))),
            ("solution".to_owned(), root.join("solutions").join(format!("{name}.rs"))),
        ];
        entries.extend(variants(&root.join("variants").join(name)));
        for (entry, file) in entries {
            let _ = writeln!(
                all,
                "#[allow(dead_code, unused_imports, clippy::all)]\npub mod {entry} {{"
            );
            all.push_str(&module("exercise", &file));
            all.push_str(&module("check", &check));
            all.push_str("}\n");
        }
        all.push_str("}\n");
    }
    write_if_changed(&out.join("variants.rs"), &all);
}

/// `#[path = "FILE"] mod NAME;` (the path absolute, so it holds wherever the
/// text is included).
fn module(name: &str, file: &Path) -> String {
    format!("#[path = {:?}]\nmod {name};\n", file.display().to_string())
}

/// The `name = "NN_name"` values of `labs.toml`, in order.
fn lab_names(toml: &Path) -> Vec<String> {
    let text = fs::read_to_string(toml).expect("read labs/labs.toml");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("name"))
        .filter_map(|rest| rest.trim().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_owned())
        .collect()
}

/// The variants of one lab: `(module name, file)` for every `wrong_*.rs`
/// and `right_*.rs` in `dir`, sorted.
fn variants(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_owned();
            let ident = stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            (ident && (stem.starts_with("wrong_") || stem.starts_with("right_"))).then_some((stem, p))
        })
        .collect();
    found.sort();
    found
}

/// Writes `text` unless the file holds it already (so an unchanged module
/// does not make cargo rebuild what includes it).
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

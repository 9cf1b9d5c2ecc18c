//! The app's modules depend one way (see the layers in `src/lib.rs`).
//! This reads the sources, collects each top-level module's `crate::X`
//! references, and fails with the cycle if the module graph has one, so a
//! builder that is also a service locator cannot come back unnoticed.
//! `lib.rs` is a node that depends on every module: a module reaching for
//! something defined in `lib.rs` closes a cycle through it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

const ROOT: &str = "lib";

#[test]
fn the_app_modules_depend_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sources = read_modules(&src);
    assert!(
        sources.iter().any(|(module, _)| module == "state"),
        "expected to find src/state.rs among {:?}",
        sources.iter().map(|(m, _)| m).collect::<Vec<_>>()
    );
    let graph = graph(&sources);
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the modules under src/ import each other in a cycle: {}\n\
             move what both need into a lower module (see the layers in lib.rs)",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn a_cycle_through_a_service_locator_is_found() {
    let sources = [
        ("app", "use crate::{tray, sink::AppSink};"),
        (
            "tray",
            "use crate::status::Status;\nfn f() { crate::app::lock(); }",
        ),
        (
            "sink",
            "// crate::tray in a comment is no import\nuse crate::status;",
        ),
        ("status", ""),
    ]
    .map(|(m, text)| (m.to_owned(), text.to_owned()));
    let cycle = find_cycle(&graph(&sources)).expect("app and tray import each other");
    assert_eq!(cycle, ["app", "tray", "app"]);
}

#[test]
fn reaching_into_lib_rs_is_a_cycle() {
    let sources = [("tray", "fn f() { crate::run(); }"), ("status", "")]
        .map(|(m, text)| (m.to_owned(), text.to_owned()));
    let cycle = find_cycle(&graph(&sources)).expect("lib wires tray, tray calls lib");
    assert!(cycle.contains(&ROOT.to_owned()) && cycle.contains(&"tray".to_owned()));
}

/// `(module, text)` for every `src/*.rs` and `src/*/*.rs` except the crate
/// roots; a folder's files all belong to the folder's module.
fn read_modules(src: &Path) -> Vec<(String, String)> {
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(src).expect("src/ is readable") {
        let path = entry.expect("src/ lists").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file names are UTF-8")
            .to_owned();
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).expect("a module folder is readable") {
                let inner = inner.expect("a module folder lists").path();
                if inner.extension().is_some_and(|e| e == "rs") {
                    sources.push((name.clone(), read(&inner)));
                }
            }
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            sources.push((name, read(&path)));
        }
    }
    sources
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Module → the other modules it names as `crate::X`. A name that is not
/// a module is something in `lib.rs`, which itself depends on every module.
fn graph(sources: &[(String, String)]) -> Graph {
    let modules: BTreeSet<String> = sources.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = Graph::new();
    graph.insert(ROOT.to_owned(), modules.clone());
    for (module, text) in sources {
        let edges = graph.entry(module.clone()).or_default();
        for name in crate_refs(text) {
            if &name == module {
                continue;
            }
            edges.insert(if modules.contains(&name) {
                name
            } else {
                ROOT.to_owned()
            });
        }
    }
    graph
}

/// The first path segment after each `crate::`, including every item of
/// a `crate::{a, b::C}` group; line comments are skipped.
fn crate_refs(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + "crate::".len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        match after.strip_prefix('{') {
            Some(group) => names.extend(group_heads(group)),
            None => names.push(ident(after)),
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

/// The first segment of each top-level item in a `{...}` group, given the
/// text after its opening brace.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = vec![ident(group.trim_start())];
    let mut depth = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => heads.push(ident(group[i + 1..].trim_start())),
            _ => {}
        }
    }
    heads
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// A cycle as `[a, b, .., a]`, or `None` when the graph has none.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path
                    .iter()
                    .position(|n| n == node)
                    .expect("open is on the path");
                let mut cycle = path[start..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

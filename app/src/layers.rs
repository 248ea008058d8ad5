//! The import rules of docs/ARCHITECTURE.md, checked on the source: every `crate::` and
//! `super::` path outside test modules is resolved to the file it names (through the `pub use`
//! facades of each `mod.rs`), and each file's layer may import only what its layer allows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules every layer may import; they import only each other.
const GROUND: [&str; 15] = [
    "error",
    "money",
    "dates",
    "slug",
    "ids",
    "site",
    "i18n",
    "seo",
    "cookies",
    "db",
    "media",
    // How the browser reads the islands' data, and how islands are declared.
    "json",
    "island",
    // Two components every page shows, made of ground alone.
    "text_area",
    "not_found",
];

/// The features: each a model (`mod.rs`), server functions (`api.rs`), stores and pages.
const FEATURES: [&str; 12] = [
    "ambassadors",
    "artworks",
    "campaigns",
    "donations",
    "live",
    "sharing",
    "staff",
    "demo",
    "matching",
    "spending",
    "email",
    "updates",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    Ground,
    Cards,
    Model,
    Api,
    Store,
    Page,
    /// `lib.rs`, `shell.rs` and `state.rs`: they assemble the rest.
    Top,
}

/// Server-side files that answer requests as `api.rs` does: they take the site's state.
const API_LIKE: [&str; 2] = ["sharing/cards.rs", "staff/session.rs"];

/// A file's layer, from its place: in a feature, `api.rs` and what works like it; the files
/// only the server compiles (behind `ssr`: stores, the ledger, the live hub, forms) with the
/// stores; and of the rest, those that draw a view (pages, components, hooks) are pages and
/// the others the model.
fn layer(file: &str, code: &str, server_only: &BTreeSet<String>) -> Layer {
    let top = file.split(['/', '.']).next().unwrap_or_default();
    if GROUND.contains(&top) {
        Layer::Ground
    } else if top == "cards" {
        Layer::Cards
    } else if !FEATURES.contains(&top) {
        Layer::Top
    } else if file.ends_with("/api.rs") || API_LIKE.contains(&file) {
        Layer::Api
    } else if server_only.iter().any(|m| file.starts_with(m.as_str())) {
        Layer::Store
    } else if code.contains("#[component]")
        || code.contains("#[island")
        || code.contains("view!")
        || code.contains("pub fn use_")
    {
        Layer::Page
    } else {
        Layer::Model
    }
}

/// Why `from` (in layer `a`) may not import `to` (in layer `b`), if it may not.
fn refusal((from, a): (&str, Layer), (to, b): (&str, Layer)) -> Option<&'static str> {
    let feature = |file: &str| file.split('/').next().unwrap_or_default().to_owned();
    if feature(to) == "staff" && feature(from) != "staff" && from != "shell.rs" {
        return Some("only the shell and the server import staff/");
    }
    match (a, b) {
        (_, Layer::Ground) => None,
        (Layer::Ground, _) => Some("ground imports only ground"),
        (Layer::Cards, Layer::Cards) => None,
        (Layer::Cards, _) => Some("cards/ imports no feature"),
        (Layer::Model, Layer::Model | Layer::Cards) => None,
        (Layer::Model, _) => Some("models import only ground and other models"),
        (Layer::Store, Layer::Page | Layer::Api | Layer::Top) => {
            Some("stores never import pages, api.rs or state.rs")
        }
        _ => None,
    }
}

/// `app/src`'s files by path relative to it, without their test modules.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, found: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let code = match text.find("#[cfg(test)]\nmod tests") {
                    Some(at) => &text[..at],
                    None => &text,
                };
                // Comments name paths without importing them.
                let code: String = code
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                let relative = path.strip_prefix(root).unwrap_or(&path);
                found.insert(relative.to_string_lossy().replace('\\', "/"), code);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    walk(&root, &root, &mut found);
    found
}

/// The files and folders declared behind `#[cfg(feature = "ssr")]`, such as `artworks/store`.
fn server_only(files: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (file, code) in files {
        let module = module_of(file).join("/");
        let mut lines = code.lines();
        while let Some(line) = lines.next() {
            if line.trim() != "#[cfg(feature = \"ssr\")]" {
                continue;
            }
            let next = lines.next().unwrap_or_default().trim();
            let declared = next
                .strip_prefix("pub mod ")
                .or_else(|| next.strip_prefix("mod "));
            if let Some(name) = declared.and_then(|d| d.strip_suffix(';')) {
                let path = if module.is_empty() {
                    name.to_owned()
                } else {
                    format!("{module}/{name}")
                };
                found.insert(format!("{path}.rs"));
                found.insert(format!("{path}/"));
            }
        }
    }
    found
}

/// A file's module path: `artworks/store.rs` is `["artworks", "store"]`.
fn module_of(file: &str) -> Vec<String> {
    let stem = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The file that defines module `path`, if any.
fn file_of(path: &[String], files: &BTreeMap<String, String>) -> Option<String> {
    if path.is_empty() {
        return Some("lib.rs".to_owned());
    }
    let joined = path.join("/");
    [format!("{joined}.rs"), format!("{joined}/mod.rs")]
        .into_iter()
        .find(|f| files.contains_key(f))
}

/// Names a `mod.rs` re-exports from its submodules: `pub use page::ArtworkPage;` maps
/// `ArtworkPage` to `page`.
fn facade(code: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in code.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        if matches!(module, "crate" | "super" | "self") {
            continue;
        }
        for item in items.trim_matches(['{', '}', ' ', '\n']).split(',') {
            let name = item.trim().rsplit("::").next().unwrap_or_default();
            if !name.is_empty() {
                names.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    names
}

/// The file a path such as `crate::artworks::store::list` or `super::ArtworkPage` names.
fn target(
    from: &[String],
    path: &str,
    files: &BTreeMap<String, String>,
    facades: &BTreeMap<String, BTreeMap<String, String>>,
) -> Option<String> {
    let mut segments = path.split("::");
    let mut module: Vec<String> = match segments.next()? {
        "crate" => Vec::new(),
        "super" => from[..from.len().saturating_sub(1)].to_vec(),
        _ => return None,
    };
    for segment in segments {
        match segment {
            "super" => {
                module.pop();
                continue;
            }
            "self" | "" => continue,
            _ => {}
        }
        let mut deeper = module.clone();
        deeper.push(segment.to_owned());
        if file_of(&deeper, files).is_some() {
            module = deeper;
            continue;
        }
        // An item: through the facade of the module it is named in, if re-exported.
        let here = file_of(&module, files)?;
        if let Some(sub) = facades.get(&here).and_then(|names| names.get(segment)) {
            module.push(sub.clone());
        }
        break;
    }
    file_of(&module, files)
}

/// Every path that starts with `crate::` or `super::` in `code`, with `use` groups expanded.
fn paths(code: &str) -> BTreeSet<String> {
    fn expand(prefix: &str, tree: &str, out: &mut BTreeSet<String>) {
        let tree = tree.trim();
        match tree.find('{') {
            Some(open) if tree.ends_with('}') => {
                let base = format!("{prefix}{}", &tree[..open]);
                let inner = &tree[open + 1..tree.len() - 1];
                let mut depth = 0;
                let mut start = 0;
                for (i, c) in inner.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            expand(&base, &inner[start..i], out);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                expand(&base, &inner[start..], out);
            }
            _ => {
                let name = tree.split(" as ").next().unwrap_or_default().trim();
                if !name.is_empty() {
                    out.insert(format!("{prefix}{name}"));
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    for statement in code.split(';') {
        if let Some(at) = statement.find("use ") {
            let tree = &statement[at + 4..];
            if tree.trim_start().starts_with("crate::") || tree.trim_start().starts_with("super::")
            {
                expand("", tree, &mut found);
            }
        }
    }
    // Paths written in full where they are used.
    let bytes = code.as_bytes();
    for start in ["crate::", "super::"] {
        for (at, _) in code.match_indices(start) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            found.insert(path.trim_end_matches(':').to_owned());
        }
    }
    found
}

/// Every import against the rules, as `from -> to: rule`.
fn violations() -> Vec<String> {
    let files = sources();
    let facades: BTreeMap<String, BTreeMap<String, String>> = files
        .iter()
        .filter(|(f, _)| f.ends_with("mod.rs"))
        .map(|(f, code)| (f.clone(), facade(code)))
        .collect();
    let ssr = server_only(&files);
    let mut found = BTreeSet::new();
    for (file, code) in &files {
        let module = module_of(file);
        // A model's own `pub use` lines are its facade, not imports of its own.
        let from = layer(file, code, &ssr);
        let code = if from == Layer::Model {
            strip_facade(code)
        } else {
            code.clone()
        };
        for path in paths(&code) {
            let Some(to) = target(&module, &path, &files, &facades) else {
                continue;
            };
            if &to == file || to == "lib.rs" {
                continue;
            }
            let into = layer(&to, &files[&to], &ssr);
            if let Some(rule) = refusal((file, from), (&to, into)) {
                found.insert(format!("{file} -> {to} ({path}): {rule}"));
            }
        }
    }
    found.into_iter().collect()
}

/// A model's code without its `pub use` facade statements.
fn strip_facade(code: &str) -> String {
    code.split_inclusive(';')
        .filter(|s| !s.trim_start().starts_with("pub use "))
        .collect()
}

#[test]
fn every_import_follows_the_layers() {
    let found = violations();
    assert!(
        found.is_empty(),
        "{} imports against docs/ARCHITECTURE.md's rules:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_checker_sees_what_it_checks() {
    let files = sources();
    assert!(files.len() > 100, "it reads the source tree");
    let facades: BTreeMap<String, BTreeMap<String, String>> = files
        .iter()
        .filter(|(f, _)| f.ends_with("mod.rs"))
        .map(|(f, code)| (f.clone(), facade(code)))
        .collect();
    let store = module_of("artworks/store.rs");
    // A page named through its feature's facade is the page's file.
    assert_eq!(
        target(&store, "crate::campaigns::CampaignPage", &files, &facades).as_deref(),
        Some("campaigns/landing.rs")
    );
    assert_eq!(
        target(&store, "super::ArtworkDraft", &files, &facades).as_deref(),
        Some("artworks/mod.rs")
    );
    let ssr = server_only(&files);
    assert!(ssr.contains("donations/ledger/") && ssr.contains("artworks/store.rs"));
    let of = |file: &'static str| (file, layer(file, &files[file], &ssr));
    assert_eq!(of("campaigns/landing.rs").1, Layer::Page);
    assert_eq!(of("donations/gift.rs").1, Layer::Model);
    assert_eq!(of("donations/ledger/batch.rs").1, Layer::Store);
    assert_eq!(
        refusal(of("artworks/store.rs"), of("campaigns/landing.rs")),
        Some("stores never import pages, api.rs or state.rs")
    );
    assert_eq!(
        refusal(of("cards/preview.rs"), of("sharing/mod.rs")),
        Some("cards/ imports no feature")
    );
    assert_eq!(
        refusal(of("campaigns/mod.rs"), of("staff/mod.rs")),
        Some("only the shell and the server import staff/")
    );
    assert_eq!(
        refusal(of("campaigns/landing.rs"), of("artworks/gallery.rs")),
        None
    );
    let expanded = paths("use crate::a::{b, c::{d, e as f}};\nlet x = super::g::h(1);");
    let expected = [
        "crate::a",
        "crate::a::b",
        "crate::a::c::d",
        "crate::a::c::e",
        "super::g::h",
    ];
    assert_eq!(expanded, expected.iter().map(|p| (*p).to_owned()).collect());
}

//! Where the public reaches this site: the root of every absolute URL the site hands out.

/// Where the public reaches this site (`PUBLIC_BASE_URL`): the root of every absolute URL in
/// share cards, QR codes and Open Graph tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// Parses an `http://` or `https://` origin with an optional path prefix.
    pub fn parse(text: &str) -> anyhow::Result<PublicUrl> {
        let trimmed = text.trim().trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or_else(|| {
                anyhow::anyhow!("PUBLIC_BASE_URL must start with http:// or https://")
            })?;
        if rest.is_empty() || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
            anyhow::bail!("PUBLIC_BASE_URL must be an origin such as https://give.example.org");
        }
        Ok(PublicUrl(trimmed.to_owned()))
    }

    /// The absolute URL of a site path such as `/campaigns/x`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }

    /// The host people type, "give.example.org" (with its port and path prefix, if any).
    pub fn host(&self) -> &str {
        self.0.split_once("://").map_or(&self.0, |(_, rest)| rest)
    }

    /// The base URL without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The folder of the site root that holds the built JS, wasm and CSS.
pub const PKG_DIR: &str = "pkg";
/// The name the built files carry (`output-name` in Cargo.toml's Leptos metadata).
pub const OUTPUT_NAME: &str = "giving-gallery";

/// Whether this build has content-hashed asset names: cargo-leptos (`hash-files`) then writes
/// `hash.txt` beside the server binary, where Leptos looks for it.
pub fn assets_hashed() -> bool {
    hash_file().is_some_and(|path| path.is_file())
}

fn hash_file() -> Option<std::path::PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join("hash.txt"))
}

/// A file the site build makes for the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asset {
    Stylesheet,
    /// The script that loads the islands' code.
    Script,
    /// The islands' code.
    Wasm,
}

/// The address of one of the site's built files, with its content hash when the build has one
/// (`/pkg/giving-gallery.<hash>.css`), so browsers may keep it for good.
pub fn asset_href(asset: Asset) -> String {
    let (key, extension) = match asset {
        Asset::Stylesheet => ("css", "css"),
        Asset::Script => ("js", "js"),
        Asset::Wasm => ("wasm", "wasm"),
    };
    match hash_of(key) {
        Some(hash) => format!("/{PKG_DIR}/{OUTPUT_NAME}.{hash}.{extension}"),
        None => format!("/{PKG_DIR}/{OUTPUT_NAME}.{extension}"),
    }
}

/// The address of the script that loads lazy islands' chunks, which the main script imports;
/// `None` when the build is not split.
pub fn split_script_href() -> Option<String> {
    hash_of("split").map(|hash| format!("/{PKG_DIR}/__wasm_split.{hash}.js"))
}

/// The content hash `hash.txt` gives the built file `key` (`js: <hash>`), if any.
fn hash_of(key: &str) -> Option<&'static str> {
    static HASHES: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let text = HASHES.get_or_init(|| std::fs::read_to_string(hash_file()?).ok());
    text.as_deref()?.lines().find_map(|line| {
        let (name, hash) = line.split_once(':')?;
        (name.trim() == key).then(|| hash.trim())
    })
}

/// The address of the site's stylesheet.
pub fn stylesheet_href() -> String {
    asset_href(Asset::Stylesheet)
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn public_url_joins_paths_without_double_slashes() {
        let url = PublicUrl::parse("https://give.example.org/").expect("valid");
        assert_eq!(url.absolute("/s/abc"), "https://give.example.org/s/abc");
    }

    #[test]
    fn public_url_refuses_what_is_not_an_origin() {
        for bad in [
            "give.example.org",
            "ftp://x",
            "https://",
            "https://a b",
            "https://x/?q=1",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}

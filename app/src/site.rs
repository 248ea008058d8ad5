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

    /// The base URL without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
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

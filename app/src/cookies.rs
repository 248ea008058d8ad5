//! Reading cookies from a `Cookie` request header.

/// The value of cookie `name`, if the header carries it.
pub fn value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cookie_is_found_by_its_exact_name() {
        let header = "a=1; gg_locale=zh-CN;b=2";
        assert_eq!(super::value(header, "gg_locale"), Some("zh-CN"));
        assert_eq!(super::value(header, "b"), Some("2"));
        assert_eq!(super::value(header, "locale"), None);
        assert_eq!(super::value("", "a"), None);
    }
}

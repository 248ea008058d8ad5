//! The campaign update form as the server reads it: a title and text in English, and both or
//! neither in Chinese, what its picture shows in words, and the form's own key (so a form sent
//! twice publishes once). The picture itself is stored by the caller.

use super::form::{Fields, FormError};
use crate::updates::store::NewUpdate;
use crate::updates::{MAX_ALT, MAX_BODY, MAX_TITLE};

/// The update the form describes, published by staff account `by`.
pub fn read(fields: &Fields, by: i64) -> Result<NewUpdate, FormError> {
    let title = |name| {
        let title = fields.text(name, MAX_TITLE)?;
        if title.contains('\n') {
            return Err(FormError::Invalid(name));
        }
        Ok(title)
    };
    let title_en = title("title_en")?;
    let title_zh = title("title_zh")?;
    if title_en.is_empty() {
        return Err(FormError::Missing("title_en"));
    }
    let body_en = fields.required("body_en", MAX_BODY)?;
    let body_zh = fields.text("body_zh", MAX_BODY)?;
    match (title_zh.is_empty(), body_zh.is_empty()) {
        (false, true) => return Err(FormError::Missing("body_zh")),
        (true, false) => return Err(FormError::Missing("title_zh")),
        _ => {}
    }
    let form_key = fields.required("form_key", 64)?;
    if form_key.len() < 16 || !form_key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FormError::Invalid("form_key"));
    }
    let alt = |name| {
        let alt = fields.text(name, MAX_ALT)?;
        if alt.contains('\n') {
            return Err(FormError::Invalid(name));
        }
        Ok(alt)
    };
    Ok(NewUpdate {
        title_en,
        body_en,
        title_zh,
        body_zh,
        form_key,
        by: Some(by),
        image_alt_en: alt("image_alt_en")?,
        image_alt_zh: alt("image_alt_zh")?,
        image: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        let mut all = vec![("form_key", "0123456789abcdef")];
        all.extend_from_slice(pairs);
        Fields::from_pairs(all.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn english_is_needed_and_chinese_comes_whole_or_not_at_all() {
        let read = |pairs: &[(&str, &str)]| read(&form(pairs), 1);
        let update = read(&[("title_en", " Brushes "), ("body_en", "a\r\n\r\nb")]).expect("valid");
        assert_eq!(
            (update.title_en.as_str(), update.body_en.as_str()),
            ("Brushes", "a\n\nb")
        );
        assert_eq!(update.title_zh, "");
        assert_eq!(
            read(&[("body_en", "text")]),
            Err(FormError::Missing("title_en"))
        );
        assert_eq!(
            read(&[("title_en", "t"), ("body_en", "b"), ("title_zh", "标题")]),
            Err(FormError::Missing("body_zh"))
        );
        assert_eq!(
            read(&[("title_en", "t\nu"), ("body_en", "b")]),
            Err(FormError::Invalid("title_en"))
        );
        let long = "x".repeat(MAX_BODY + 1);
        assert_eq!(
            read(&[("title_en", "t"), ("body_en", &long)]),
            Err(FormError::TooLong("body_en"))
        );
        let no_key = Fields::from_pairs([("title_en", "t"), ("body_en", "b"), ("form_key", "x")]);
        assert_eq!(super::read(&no_key, 1), Err(FormError::Invalid("form_key")));
    }
}

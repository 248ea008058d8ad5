//! A campaign's updates as an Atom feed (RFC 4287), for feed readers and anyone who follows
//! the campaign without giving an address.

use super::Update;
use crate::dates::Timestamp;
use crate::i18n::Locale;

/// What the feed says of its campaign.
pub struct Feed<'a> {
    pub locale: Locale,
    pub title: &'a str,
    pub subtitle: &'a str,
    /// The campaign's updates page (absolute): the feed's alternate link and the base of its
    /// entries' links.
    pub page_url: &'a str,
    /// The feed's own address (absolute).
    pub self_url: &'a str,
    /// The site's address, before the path of a picture.
    pub site_url: &'a str,
    /// Who publishes it: the campaign's organiser or beneficiary.
    pub author: &'a str,
    /// When the campaign was created: the feed's date while it has no entry.
    pub since: Timestamp,
    /// Newest first.
    pub updates: &'a [Update],
}

impl Feed<'_> {
    /// The feed's XML.
    pub fn write(&self) -> String {
        let updated = self
            .updates
            .iter()
            .map(|u| u.published_at)
            .max()
            .unwrap_or(self.since);
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
             <id>{}</id>\n<title>{}</title>\n<subtitle>{}</subtitle>\n<updated>{}</updated>\n\
             <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <author><name>{}</name></author>\n",
            self.locale.tag(),
            escape(self.self_url),
            escape(self.title),
            escape(self.subtitle),
            updated.rfc3339(),
            escape(self.self_url),
            escape(self.page_url),
            escape(self.author),
        );
        for update in self.updates {
            let link = format!("{}#update-{}", self.page_url, update.id);
            // An entry in another language than the feed's says so.
            let lang = if update.locale == self.locale {
                String::new()
            } else {
                format!(" xml:lang=\"{}\"", update.locale.tag())
            };
            // Its picture travels as an enclosure, which readers show beside the text.
            let picture = update.image.as_ref().map_or(String::new(), |i| {
                format!(
                    "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"{}\" title=\"{}\"/>\n",
                    escape(&format!("{}{}", self.site_url.trim_end_matches('/'), i.url)),
                    escape(&i.alt),
                )
            });
            xml.push_str(&format!(
                "<entry{lang}>\n<id>{}</id>\n<title>{}</title>\n<published>{}</published>\n\
                 <updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
                 {picture}<content type=\"text\">{}</content>\n</entry>\n",
                escape(&link),
                escape(&update.title),
                update.published_at.rfc3339(),
                update.published_at.rfc3339(),
                escape(&link),
                escape(&update.body),
            ));
        }
        xml.push_str("</feed>\n");
        xml
    }
}

/// Text as XML character data or an attribute value; characters XML 1.0 cannot carry are
/// dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_escaped_dated_newest_first_say_their_language_and_carry_their_pictures() {
        let updates = [
            Update {
                id: 2,
                title: "Paint <& brushes>".to_owned(),
                body: "Bought \"48\" sets.\u{1}".to_owned(),
                published_at: Timestamp::from_unix_ms(1_764_000_000_000),
                locale: Locale::ZhCn,
                pinned: false,
                image: Some(crate::updates::UpdateImage {
                    url: "/media/ab.jpg".to_owned(),
                    width: 1600,
                    height: 1200,
                    thumb_url: "/media/cd.jpg".to_owned(),
                    thumb_width: 640,
                    thumb_height: 480,
                    alt: "Boxes of \"paint\"".to_owned(),
                }),
            },
            Update {
                id: 1,
                title: "Thank you".to_owned(),
                body: "We reached the goal.".to_owned(),
                published_at: Timestamp::from_unix_ms(1_763_000_000_000),
                locale: Locale::En,
                pinned: true,
                image: None,
            },
        ];
        let xml = Feed {
            locale: Locale::ZhCn,
            title: "Little Painters",
            subtitle: "News",
            page_url: "https://give.example.org/campaigns/x/updates",
            self_url: "https://give.example.org/campaigns/x/updates.atom",
            site_url: "https://give.example.org/",
            author: "Acme",
            since: Timestamp::from_unix_ms(0),
            updates: &updates,
        }
        .write();
        assert!(xml.contains("<updated>2025-11-24T16:00:00Z</updated>\n<link rel=\"self\""));
        assert!(xml.contains("<title>Paint &lt;&amp; brushes&gt;</title>"));
        assert!(xml.contains("<content type=\"text\">Bought &quot;48&quot; sets.</content>"));
        assert!(xml.contains("<id>https://give.example.org/campaigns/x/updates#update-2</id>"));
        // The feed is Chinese; the entry written in English only says it is English.
        assert!(xml.contains("xml:lang=\"zh-CN\">"));
        assert!(xml.contains("<entry>\n<id>https://give.example.org/campaigns/x/updates#update-2"));
        assert!(xml.contains(
            "<entry xml:lang=\"en\">\n<id>https://give.example.org/campaigns/x/updates#update-1"
        ));
        assert!(xml.find("update-2").unwrap_or(usize::MAX) < xml.find("update-1").unwrap_or(0));
        // A picture travels as an enclosure at its full size; an entry without one has none.
        assert!(xml.contains(
            "<link rel=\"enclosure\" type=\"image/jpeg\" \
             href=\"https://give.example.org/media/ab.jpg\" title=\"Boxes of &quot;paint&quot;\"/>"
        ));
        assert_eq!(xml.matches("rel=\"enclosure\"").count(), 1);
    }
}

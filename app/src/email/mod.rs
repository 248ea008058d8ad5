//! Email: what the site writes to people, in their language, and the outbox that carries it.
//!
//! An email is queued in the database in the same transaction as what caused it ([`store`]),
//! once per cause, and written and sent later by the server's mail worker, so a request never
//! waits on a mail server and a crash loses nothing. The texts are written here, when the email
//! is sent or previewed, from what it is about. docs/EMAIL.md has the whole design.

pub mod store;

use crate::i18n::Locale;
use crate::money::Money;

/// An email's words: a subject, a plain text body and an HTML body saying the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a donor's receipt says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub locale: Locale,
    pub campaign: String,
    pub artwork: String,
    pub amount: Money,
    /// What the matches added to the gift (zero when none did).
    pub matched: Money,
    pub certificate_number: i64,
    /// The donor's thank-you page with the certificate (absolute).
    pub certificate_url: String,
    /// The donor's share link (absolute).
    pub share_url: String,
    /// The link that stops this campaign's emails to this address (absolute).
    pub unsubscribe_url: String,
}

/// The receipt's fixed words in one language; `{…}` are filled in.
struct ReceiptTexts {
    subject: &'static str,
    greeting: &'static str,
    gave: &'static str,
    became: &'static str,
    certificate: &'static str,
    share: &'static str,
    not_tax: &'static str,
    unsubscribe: &'static str,
}

const RECEIPT_EN: ReceiptTexts = ReceiptTexts {
    subject: "Your receipt: {amount} to {campaign}",
    greeting: "Thank you.",
    gave: "You gave {amount} to {campaign} and adopted “{artwork}”. Certificate No. {number}.",
    became: "With the sponsor's match, your {amount} became {total}.",
    certificate: "Your certificate",
    share: "Share it: every friend who joins through your link shows on your certificate page",
    not_tax: "This email confirms your gift; keep it for your records.",
    unsubscribe: "Unsubscribe from this campaign's emails",
};

const RECEIPT_ZH: ReceiptTexts = ReceiptTexts {
    subject: "捐赠收据：{amount}，{campaign}",
    greeting: "谢谢您。",
    gave: "您向{campaign}捐赠了{amount}，认领了作品《{artwork}》。证书编号 {number}。",
    became: "加上配捐，您的{amount}变成了{total}。",
    certificate: "您的证书",
    share: "分享出去：通过您的链接加入的朋友都会显示在您的证书页上",
    not_tax: "此邮件确认您的捐赠，请妥善保存。",
    unsubscribe: "退订本活动的邮件",
};

impl Receipt {
    /// The receipt's words in the donor's language.
    pub fn write(&self) -> Email {
        let t = match self.locale {
            Locale::En => &RECEIPT_EN,
            Locale::ZhCn => &RECEIPT_ZH,
        };
        let amount = self.amount.format(self.locale);
        let fill = |text: &str| {
            text.replace("{amount}", &amount)
                .replace("{campaign}", &self.campaign)
                .replace("{artwork}", &self.artwork)
                .replace("{number}", &self.certificate_number.to_string())
        };
        let subject = one_line(&fill(t.subject));
        let gave = fill(t.gave);
        let became = (self.matched.minor() > 0).then(|| {
            let total = Money::from_minor(
                self.amount.minor().saturating_add(self.matched.minor()),
                self.amount.currency(),
            )
            .map(|m| m.format(self.locale))
            .unwrap_or_default();
            fill(t.became).replace("{total}", &total)
        });
        let mut text = format!("{}\n\n{gave}\n", t.greeting);
        if let Some(became) = &became {
            text.push_str(&format!("{became}\n"));
        }
        text.push_str(&format!(
            "\n{}: {}\n{}: {}\n\n{}\n\n{}: {}\n",
            t.certificate,
            self.certificate_url,
            t.share,
            self.share_url,
            t.not_tax,
            t.unsubscribe,
            self.unsubscribe_url
        ));
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;line-height:1.5;color:#1f2328;max-width:36em\">\
             <p>{}</p><p>{}</p>",
            self.locale.tag(),
            escape(&subject),
            escape(t.greeting),
            escape(&gave)
        );
        if let Some(became) = &became {
            html.push_str(&format!("<p><strong>{}</strong></p>", escape(became)));
        }
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p><p>{}:<br><a href=\"{}\">{}</a></p><p>{}</p>\
             <p style=\"font-size:0.85em\"><a href=\"{}\">{}</a></p></body></html>",
            escape(&self.certificate_url),
            escape(t.certificate),
            escape(t.share),
            escape(&self.share_url),
            escape(&self.share_url),
            escape(t.not_tax),
            escape(&self.unsubscribe_url),
            escape(t.unsubscribe),
        ));
        Email {
            subject,
            text,
            html,
        }
    }
}

/// What an ambassador's confirmation email says; or, for an address already confirmed that
/// signs up again, the email that gives the dashboard's link once more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub locale: Locale,
    pub campaign: String,
    /// The public name they gave.
    pub name: String,
    /// The one-time link that confirms the address, or the dashboard's (absolute).
    pub link: String,
    /// Whether `link` is the dashboard's: the address is confirmed already.
    pub dashboard: bool,
}

/// The confirmation's fixed words in one language; `{…}` are filled in.
struct ConfirmationTexts {
    subject: &'static str,
    greeting: &'static str,
    ask: &'static str,
    button: &'static str,
    expires: &'static str,
    not_you: &'static str,
}

const CONFIRMATION_EN: ConfirmationTexts = ConfirmationTexts {
    subject: "Confirm your address to become an ambassador for {campaign}",
    greeting: "Hello {name},",
    ask: "You asked to become an ambassador for {campaign}. Confirm that this address is yours, and your page and dashboard are ready:",
    button: "Confirm my address",
    expires: "The link works once, for 48 hours.",
    not_you: "If you did not ask for this, ignore this email: nothing happens without the link.",
};

const DASHBOARD_EN: ConfirmationTexts = ConfirmationTexts {
    subject: "Your ambassador dashboard for {campaign}",
    greeting: "Hello {name},",
    ask: "Someone asked to join {campaign} as an ambassador with this address, which is already confirmed. Your dashboard is here:",
    button: "Open my dashboard",
    expires: "Keep this link to yourself: it opens your dashboard.",
    not_you: "If you did not ask for this, ignore this email: nothing has changed.",
};

const DASHBOARD_ZH: ConfirmationTexts = ConfirmationTexts {
    subject: "您在{campaign}的大使看板",
    greeting: "{name}，您好：",
    ask: "有人用这个邮箱申请成为{campaign}的公益大使，而这个邮箱已经确认过。您的看板在这里：",
    button: "打开我的看板",
    expires: "请勿转发此链接：它可以打开您的看板。",
    not_you: "如果这不是您本人的申请，请忽略此邮件：什么都没有改变。",
};

const CONFIRMATION_ZH: ConfirmationTexts = ConfirmationTexts {
    subject: "确认邮箱，成为{campaign}的公益大使",
    greeting: "{name}，您好：",
    ask: "您申请成为{campaign}的公益大使。请确认这是您的邮箱，您的页面和看板随即开通：",
    button: "确认我的邮箱",
    expires: "此链接只能使用一次，48 小时内有效。",
    not_you: "如果这不是您本人的申请，请忽略此邮件：没有这个链接，什么都不会发生。",
};

impl Confirmation {
    /// The confirmation's words in the employee's language.
    pub fn write(&self) -> Email {
        let t = match (self.locale, self.dashboard) {
            (Locale::En, false) => &CONFIRMATION_EN,
            (Locale::ZhCn, false) => &CONFIRMATION_ZH,
            (Locale::En, true) => &DASHBOARD_EN,
            (Locale::ZhCn, true) => &DASHBOARD_ZH,
        };
        let fill = |text: &str| {
            text.replace("{campaign}", &self.campaign)
                .replace("{name}", &self.name)
        };
        let subject = one_line(&fill(t.subject));
        let text = format!(
            "{}\n\n{}\n{}\n\n{}\n{}\n",
            fill(t.greeting),
            fill(t.ask),
            self.link,
            t.expires,
            t.not_you
        );
        let html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;line-height:1.5;color:#1f2328;max-width:36em\">\
             <p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p>\
             <p style=\"font-size:0.85em\">{}</p></body></html>",
            self.locale.tag(),
            escape(&subject),
            escape(&fill(t.greeting)),
            escape(&fill(t.ask)),
            escape(&self.link),
            escape(t.button),
            escape(t.expires),
            escape(t.not_you),
        );
        Email {
            subject,
            text,
            html,
        }
    }
}

/// A campaign update, as emailed to a donor who asked for the campaign's news.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateEmail {
    pub locale: Locale,
    pub campaign: String,
    pub title: String,
    /// Plain text; blank lines part its paragraphs.
    pub body: String,
    /// The update on the campaign's updates page (absolute).
    pub page_url: String,
    /// The link that stops this campaign's emails to this address (absolute).
    pub unsubscribe_url: String,
    /// The update's picture at its thumbnail's size, its address made absolute.
    pub image: Option<crate::updates::UpdateImage>,
}

/// The update email's fixed words in one language; `{campaign}` is filled in.
struct UpdateTexts {
    subject: &'static str,
    online: &'static str,
    why: &'static str,
    unsubscribe: &'static str,
}

const UPDATE_EN: UpdateTexts = UpdateTexts {
    subject: "{campaign}: {title}",
    online: "Read it on the campaign's page",
    why: "You are receiving this because you asked for {campaign}'s news when you gave.",
    unsubscribe: "Unsubscribe from this campaign's emails",
};

const UPDATE_ZH: UpdateTexts = UpdateTexts {
    subject: "{campaign}：{title}",
    online: "在活动页面上阅读",
    why: "您在捐赠时选择了接收{campaign}的消息，因此收到此邮件。",
    unsubscribe: "退订本活动的邮件",
};

impl UpdateEmail {
    /// The update's words in the donor's language.
    pub fn write(&self) -> Email {
        let t = match self.locale {
            Locale::En => &UPDATE_EN,
            Locale::ZhCn => &UPDATE_ZH,
        };
        let subject = one_line(
            &t.subject
                .replace("{campaign}", &self.campaign)
                .replace("{title}", &self.title),
        );
        let why = t.why.replace("{campaign}", &self.campaign);
        let paragraphs = crate::updates::paragraphs(&self.body);
        let text = format!(
            "{}\n\n{}\n\n{}: {}\n\n{}\n{}: {}\n",
            self.title,
            paragraphs.join("\n\n"),
            t.online,
            self.page_url,
            why,
            t.unsubscribe,
            self.unsubscribe_url
        );
        // The picture before the text, as on the page: the thumbnail, which suits a mail
        // reader's width, with its size so the text does not jump when it loads.
        let picture = self.image.as_ref().map_or(String::new(), |i| {
            format!(
                "<p><img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\" \
                 style=\"max-width:100%;height:auto;border-radius:8px\"></p>",
                escape(&i.thumb_url),
                escape(&i.alt),
                i.thumb_width,
                i.thumb_height,
            )
        });
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
            .collect();
        let body = picture + &body;
        let html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;line-height:1.5;color:#1f2328;max-width:36em\">\
             <h1 style=\"font-size:1.3em\">{}</h1>{body}<p><a href=\"{}\">{}</a></p>\
             <p style=\"font-size:0.85em\">{}<br><a href=\"{}\">{}</a></p></body></html>",
            self.locale.tag(),
            escape(&subject),
            escape(&self.title),
            escape(&self.page_url),
            escape(t.online),
            escape(&why),
            escape(&self.unsubscribe_url),
            escape(t.unsubscribe),
        );
        Email {
            subject,
            text,
            html,
        }
    }
}

/// The words of the page an unsubscribe link opens; `{campaign}` is filled in.
pub struct UnsubscribeTexts {
    pub title: &'static str,
    pub ask: &'static str,
    pub button: &'static str,
    pub done: &'static str,
    pub unknown: &'static str,
}

const UNSUBSCRIBE_EN: UnsubscribeTexts = UnsubscribeTexts {
    title: "Unsubscribe",
    ask: "Stop all email from {campaign} to this address?",
    button: "Unsubscribe",
    done: "Done: {campaign} will send no more email to this address.",
    unknown: "This unsubscribe link is not one we sent.",
};

const UNSUBSCRIBE_ZH: UnsubscribeTexts = UnsubscribeTexts {
    title: "退订邮件",
    ask: "不再向此邮箱发送{campaign}的任何邮件？",
    button: "退订",
    done: "已退订：{campaign}不会再向此邮箱发送邮件。",
    unknown: "这不是我们发出的退订链接。",
};

impl UnsubscribeTexts {
    /// The page's words in `locale`.
    pub fn of(locale: Locale) -> &'static UnsubscribeTexts {
        match locale {
            Locale::En => &UNSUBSCRIBE_EN,
            Locale::ZhCn => &UNSUBSCRIBE_ZH,
        }
    }
}

/// `text` safe inside HTML text and quoted attributes.
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// A subject on one line: a campaign or artwork name never breaks the header.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// An address as staff see it in the outbox: `l•••@example.cn`.
pub fn masked(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn receipt(locale: Locale, matched: i64) -> Receipt {
        Receipt {
            locale,
            campaign: "Children's <Gallery>".into(),
            artwork: "Sun & Sea".into(),
            amount: Money::from_minor(2000, Currency::Cny).expect("money"),
            matched: Money::from_minor(matched, Currency::Cny).expect("money"),
            certificate_number: 42,
            certificate_url: "https://give.example/donations/abc".into(),
            share_url: "https://give.example/s/XYZ".into(),
            unsubscribe_url: "https://give.example/unsubscribe/t0k".into(),
        }
    }

    #[test]
    fn a_receipt_says_what_was_given_and_links_back_in_both_forms() {
        let email = receipt(Locale::En, 0).write();
        assert_eq!(email.subject, "Your receipt: ¥20 to Children's <Gallery>");
        for body in [&email.text, &email.html] {
            assert!(
                body.contains("https://give.example/donations/abc"),
                "{body}"
            );
            assert!(body.contains("https://give.example/s/XYZ"), "{body}");
            assert!(
                body.contains("https://give.example/unsubscribe/t0k"),
                "{body}"
            );
            assert!(!body.contains("became"), "no match, no match line: {body}");
        }
        assert!(email.text.contains("“Sun & Sea”. Certificate No. 42"));
        // Names staff typed are text in the HTML, never markup.
        assert!(email.html.contains("&lt;Gallery&gt;"));
        assert!(email.html.contains("Sun &amp; Sea"));
        assert!(!email.html.contains("<Gallery>"));
    }

    #[test]
    fn a_matched_receipt_says_what_the_gift_became_in_the_donors_language() {
        let email = receipt(Locale::ZhCn, 2000).write();
        assert!(
            email.subject.starts_with("捐赠收据：¥20"),
            "{}",
            email.subject
        );
        assert!(email.text.contains("您的¥20变成了¥40"), "{}", email.text);
        assert!(email.html.contains("lang=\"zh-CN\""));
    }

    #[test]
    fn a_subject_stays_on_one_line() {
        let mut r = receipt(Locale::En, 0);
        r.campaign = "Evil\r\nBcc: someone@example.com".into();
        assert!(!r.write().subject.contains(['\r', '\n']));
    }

    #[test]
    fn a_confirmation_carries_its_link_and_keeps_names_as_text() {
        let email = Confirmation {
            locale: Locale::ZhCn,
            campaign: "Children's <Gallery>".into(),
            name: "Mei\r\nBcc: x@example.com".into(),
            link: "https://give.example/join/confirm/abc".into(),
            dashboard: false,
        }
        .write();
        assert!(!email.subject.contains(['\r', '\n']), "{}", email.subject);
        for body in [&email.text, &email.html] {
            assert!(
                body.contains("https://give.example/join/confirm/abc"),
                "{body}"
            );
        }
        assert!(email.html.contains("&lt;Gallery&gt;") && email.html.contains("lang=\"zh-CN\""));
    }

    #[test]
    fn staff_see_addresses_masked() {
        assert_eq!(masked("li@example.cn"), "l•••@example.cn");
        assert_eq!(masked("nonsense"), "•••");
    }
}

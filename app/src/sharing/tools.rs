//! The thank-you page's sharing tools: the certificate, share and copy buttons, and downloads.
//! Sharing uses the Web Share API with the certificate image where the browser has it, and
//! falls back to copying the link (`public/share.js`, which the page loads); without JavaScript the link is there to
//! copy by hand and the downloads still work.

use super::{ShareLinks, CERTIFICATE_SIZE};
use crate::i18n::{fill, use_locale};
use leptos::prelude::*;

/// Share buttons and downloads for a paid gift. `title` names the gift for the share sheet.
#[component]
pub fn ShareTools(links: ShareLinks, title: String, donor: String) -> impl IntoView {
    let t = use_locale().words();
    let alt = fill(t.share_card_alt(), &[("name", &donor), ("artwork", &title)]);
    let ShareLinks {
        page_url,
        certificate,
        preview,
    } = links;
    view! {
        <section class="share-tools" aria-labelledby="share-tools-heading">
            <h2 id="share-tools-heading">{t.share_heading()}</h2>
            <img
                class="share-certificate"
                src=certificate.clone()
                width=CERTIFICATE_SIZE.0
                height=CERTIFICATE_SIZE.1
                alt=alt
                data-testid="certificate-image"
            />
            <div class="share-tools-body">
                <p>{t.share_text()}</p>
                <div class="share-buttons">
                    <button
                        type="button"
                        class="button button-primary"
                        data-share-url=page_url.clone()
                        data-share-file=certificate.clone()
                        data-share-title=title
                        data-copied-label=t.link_copied()
                    >
                        {t.share_button()}
                    </button>
                    <button
                        type="button"
                        class="button"
                        data-copy-url=page_url.clone()
                        data-copied-label=t.link_copied()
                    >
                        {t.copy_link()}
                    </button>
                </div>
                <p class="share-status" role="status" data-share-status></p>
                <label class="share-link">
                    <span>{t.open_share_page()}</span>
                    <input type="url" readonly value=page_url.clone() data-testid="share-link" />
                </label>
                <p class="share-downloads">
                    <a href=certificate download="certificate.jpg">{t.download_certificate()}</a>
                    " · "
                    <a href=preview download="preview.jpg">{t.download_preview()}</a>
                    " · "
                    <a href=page_url>{t.open_share_page()}</a>
                </p>
            </div>
        </section>
    }
}

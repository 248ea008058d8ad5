//! The demo campaign: a gallery modelled on the 2017 Children's Gallery, with paintings the
//! program makes itself, so a newcomer can give, share and watch without any account.

mod content;
mod content_zh;
mod history;

pub use history::{seed_history, DEMO_ADMINS};

use crate::artworks::consent::{Assent, Consenter, Scope, SignedForm, Terms};
use crate::artworks::consent_form;
use crate::artworks::paint::{paint, Motif, PALETTES};
use crate::artworks::provenance::MadeHow;
use crate::artworks::store::StoredVoice;
use crate::artworks::store::{self as artworks, ArtworkTranslation, NewArtwork};
use crate::artworks::upload::StoredImages;
use crate::artworks::{Artist, Consent};
use crate::campaigns::store::{self as campaigns, CampaignTranslation, NewCampaign};
use crate::campaigns::{Beneficiary, Campaign, LegalEntity};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::media::{MediaKey, MediaStore};
use crate::money::{Currency, Money};
use anyhow::Context;
use image::imageops::FilterType;
use image::{Rgb, RgbImage};
use std::fmt;

/// The width of a full-size demo painting; the height is 5/4 of it.
pub const PAINTING_WIDTH: u32 = 960;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// What seeding did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Created { artworks: usize },
    AlreadyPresent,
}

impl fmt::Display for SeedOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedOutcome::Created { artworks } => {
                write!(f, "demo campaign created with {artworks} artworks")
            }
            SeedOutcome::AlreadyPresent => {
                f.write_str("demo campaign already present; nothing changed")
            }
        }
    }
}

/// Creates the demo campaign, in English with a Chinese translation, unless it exists; for one
/// that exists, adds any translation it lacks. Paintings are `painting_width` pixels wide (tests
/// use small ones); the same content always makes the same images.
pub async fn seed(db: &Db, media: &MediaStore, painting_width: u32) -> anyhow::Result<SeedOutcome> {
    let slug = content::SLUG.parse().context("demo slug")?;
    if let Some(id) = campaigns::id_of(db, &slug).await? {
        let mut tx = db
            .pool()
            .begin()
            .await
            .context("starting the translation transaction")?;
        add_translations(&mut tx, id).await?;
        tx.commit().await.context("committing demo translations")?;
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let currency = Currency::Cny;
    let cny = |yuan: i64| Money::from_minor(yuan * 100, currency);
    let now = now_ms();
    let campaign = Campaign {
        slug,
        title: content::TITLE.to_owned(),
        tagline: content::TAGLINE.to_owned(),
        story: content::STORY.to_owned(),
        beneficiary: Beneficiary {
            name: content::BENEFICIARY.to_owned(),
            about: content::BENEFICIARY_ABOUT.to_owned(),
            url: None,
            legal: Some(LegalEntity {
                name: content::LEGAL_NAME.to_owned(),
                registration: content::REGISTRATION.to_owned(),
            }),
        },
        goal: cny(15_000_000)?,
        min_gift: cny(5)?,
        presets: [5, 10, 20, 50, 100]
            .into_iter()
            .map(cny)
            .collect::<Result<_, _>>()?,
        // Open from an hour ago for thirty days, so the demo takes gifts whenever it is run.
        starts_at: Timestamp::from_unix_ms(now - DAY_MS / 24),
        ends_at: Timestamp::from_unix_ms(now + 30 * DAY_MS),
        utc_offset_minutes: 480,
        close_at_goal: true,
        goal_counts_match: true,
        organiser: None,
    };

    let forms = signed_forms(media).await?;
    let voices = voice_messages(media).await?;
    let mut new_artworks = Vec::with_capacity(content::ARTWORKS.len());
    for (position, art) in (0_i64..).zip(content::ARTWORKS.iter()) {
        let artist = &content::ARTISTS[art.artist];
        let seed = 0x6769_7669_6e67_u64 ^ (position as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let palette = PALETTES[artist.palette % PALETTES.len()];
        let motif = Motif::ALL[art.motif % Motif::ALL.len()];
        let media = media.clone();
        // The first two paintings come with a photo of their painter at work.
        let with_evidence = position < 2;
        let (((image, iw, ih), (thumb, tw, th)), evidence) =
            tokio::task::spawn_blocking(move || {
                let painting = paint(
                    seed,
                    &palette,
                    motif,
                    painting_width,
                    painting_width * 5 / 4,
                );
                let evidence = match with_evidence {
                    true => Some(store_painting(&media, &at_work(&painting))?),
                    false => None,
                };
                anyhow::Ok((store_painting(&media, &painting)?, evidence))
            })
            .await
            .context("painting task")??;
        new_artworks.push(NewArtwork {
            slug: art
                .slug
                .parse()
                .with_context(|| format!("demo artwork slug {}", art.slug))?,
            content_locale: Locale::En,
            title: art.title.to_owned(),
            artist: Artist {
                name: artist.name.to_owned(),
                age: Some(artist.age),
                slug: None,
            },
            story: art.story.to_owned(),
            artist_message: art.message.to_owned(),
            image: (image, iw, ih),
            thumb: (thumb, tw, th),
            position,
            consent: Some(demo_consent(artist, forms.get(art.artist).cloned())),
            published: true,
            added_by: None,
            made_how: Some(made_how(artist, position)),
            evidence: evidence.map(|(image, thumb)| StoredImages { image, thumb }),
            film: None,
            voice: voices.get(art.slug).cloned(),
            voice_transcripts: content::VOICES
                .iter()
                .find(|(slug, ..)| *slug == art.slug)
                .map(|(_, en, zh)| [(*en).to_owned(), (*zh).to_owned()])
                .unwrap_or_default(),
        });
    }

    let mut tx = db
        .pool()
        .begin()
        .await
        .context("starting the seed transaction")?;
    let id = campaigns::insert(
        &mut tx,
        &NewCampaign {
            campaign,
            content_locale: Locale::En,
            featured: true,
        },
    )
    .await?;
    for artwork in &new_artworks {
        artworks::insert(&mut tx, id, artwork).await?;
    }
    withdraw_one(&mut tx, id).await?;
    crate::spending::store::publish(&mut tx, id, &plan(), None).await?;
    add_translations(&mut tx, id).await?;
    tx.commit().await.context("committing the demo campaign")?;
    Ok(SeedOutcome::Created {
        artworks: new_artworks.len(),
    })
}

/// Adds the demo's match to the demo campaign, unless it has one: its sponsor doubles every
/// gift, up to ¥100 a gift and ¥500,000 in all. True when it was added.
pub async fn seed_match(db: &Db) -> anyhow::Result<bool> {
    let slug = content::SLUG.parse().context("demo slug")?;
    let campaign = campaigns::id_of(db, &slug)
        .await?
        .context("the demo campaign must be seeded first")?;
    if !crate::matching::store::list(db, campaign).await?.is_empty() {
        return Ok(false);
    }
    let mut w = db.begin_write().await?;
    crate::matching::store::add(&mut w.tx, campaign, &demo_match()).await?;
    w.commit().await?;
    Ok(true)
}

/// Gives the demo campaign its organiser's three teams, each with a few ambassadors whose
/// addresses count as confirmed, and lets the organiser's domain join, unless it has teams.
/// True when it did.
pub async fn seed_teams(db: &Db) -> anyhow::Result<bool> {
    use crate::ambassadors::store as ambassadors;
    let slug = content::SLUG.parse().context("demo slug")?;
    let campaign = campaigns::id_of(db, &slug)
        .await?
        .context("the demo campaign must be seeded first")?;
    if !ambassadors::teams(db, campaign, crate::i18n::Locale::En)
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    let now = crate::db::now_ms();
    for (en, zh, people) in content::TEAMS {
        let team = ambassadors::add_team(db, campaign, en, zh, now)
            .await?
            .context("a demo team")?;
        for (name, goal, hidden) in people {
            let user = name.to_lowercase().replace(' ', ".");
            let email = format!("{user}@{}", content::EMPLOYEE_DOMAIN);
            let demo = crate::ambassadors::join::NewAmbassador {
                email,
                name: (*name).to_owned(),
                team,
                goal_minor: goal.map(|yuan| yuan * 100),
                hidden: *hidden,
                locale: crate::i18n::Locale::ZhCn,
                invite: None,
            };
            ambassadors::add_confirmed(db, campaign, &demo, now).await?;
        }
    }
    ambassadors::set_domains(db, campaign, &[content::EMPLOYEE_DOMAIN.to_owned()]).await?;
    Ok(true)
}

/// Publishes the demo campaign's two updates, the older one pinned, unless it has them. True
/// when one was published.
pub async fn seed_update(db: &Db) -> anyhow::Result<bool> {
    use crate::updates::store as updates;
    let slug = content::SLUG.parse().context("demo slug")?;
    let campaign = campaigns::id_of(db, &slug)
        .await?
        .context("the demo campaign must be seeded first")?;
    let mut any = false;
    for (key, pinned, (title_en, body_en, title_zh, body_zh)) in [
        ("demo-plan-update", true, content::PLAN_UPDATE),
        ("demo-first-update", false, content::UPDATE),
    ] {
        let update = updates::NewUpdate {
            title_en: title_en.to_owned(),
            body_en: body_en.to_owned(),
            title_zh: title_zh.to_owned(),
            body_zh: body_zh.to_owned(),
            form_key: key.to_owned(),
            by: None,
            image_alt_en: String::new(),
            image_alt_zh: String::new(),
            image: None,
        };
        let published = updates::publish(db, campaign, &update, crate::db::now_ms()).await?;
        if published.new && pinned {
            updates::set_pinned(db, campaign, published.id, true).await?;
        }
        any |= published.new;
    }
    Ok(any)
}

/// Makes the demo's sponsor the company presenting the demo campaign, with a logo drawn here
/// and its brand colour, unless the campaign has an organiser. True when it was set.
pub async fn seed_organiser(db: &Db, media: &MediaStore) -> anyhow::Result<bool> {
    use crate::campaigns::store::{LogoChange, NewOrganiser};
    let slug = content::SLUG.parse().context("demo slug")?;
    let campaign = campaigns::id_of(db, &slug)
        .await?
        .context("the demo campaign must be seeded first")?;
    let has: Option<String> = sqlx::query_scalar(
        "SELECT organiser_en FROM campaigns WHERE id = $1 AND organiser_en <> ''",
    )
    .bind(campaign.get())
    .fetch_optional(db.pool())
    .await
    .context("reading the demo's organiser")?;
    if has.is_some() {
        return Ok(false);
    }
    let logo = lantern_logo()?;
    let key = media.put(&logo, "png")?;
    let organiser = NewOrganiser {
        name_en: content::SPONSOR_EN.to_owned(),
        name_zh: content::SPONSOR_ZH.to_owned(),
        url: Some(content::ORGANISER_URL.to_owned()),
        statement_en: content::ORGANISER_STATEMENT_EN.to_owned(),
        statement_zh: content::ORGANISER_STATEMENT_ZH.to_owned(),
        brand: crate::campaigns::BrandColour::parse(content::BRAND_COLOUR),
    };
    campaigns::set_organiser(db, campaign, &organiser, LogoChange::Set(key, LOGO, LOGO)).await?;
    Ok(true)
}

/// The demo logo's side, in pixels.
const LOGO: u32 = 160;

/// Lantern Harbour's logo: a lantern in the brand's teal with two gold bands, on nothing.
fn lantern_logo() -> anyhow::Result<Vec<u8>> {
    let teal = image::Rgba([0x1f, 0x5f, 0x74, 0xff]);
    let gold = image::Rgba([0xf2, 0xb6, 0x32, 0xff]);
    let side = LOGO as f32;
    let picture = image::RgbaImage::from_fn(LOGO, LOGO, |x, y| {
        let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
        let (cx, cy) = (side / 2.0, side * 0.54);
        let body = ((x - cx) / (side * 0.36)).powi(2) + ((y - cy) / (side * 0.34)).powi(2) <= 1.0;
        let band = |at: f32| (y - side * at).abs() <= side * 0.045 && (x - cx).abs() <= side * 0.22;
        let cap = (x - cx).abs() <= side * 0.05 && y >= side * 0.06 && y <= side * 0.18;
        if band(0.2) || band(0.88) {
            gold
        } else if body || cap {
            teal
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut png = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut png, image::ImageFormat::Png)
        .context("drawing the demo logo")?;
    Ok(png.into_inner())
}

fn demo_match() -> crate::matching::store::NewMatch {
    crate::matching::store::NewMatch {
        sponsor_en: content::SPONSOR_EN.to_owned(),
        sponsor_zh: content::SPONSOR_ZH.to_owned(),
        rule: crate::matching::MatchRule {
            ratio_bp: crate::matching::ONE_TO_ONE_BP,
            starts_at: None,
            ends_at: None,
            cap_per_gift: Some(100 * 100),
            cap_per_donor_day: None,
            total_cap: 500_000 * 100,
        },
    }
}

/// Each painter's signed consent form, drawn as a phone photographs a page (once a process: the
/// pages never change) and kept as staff keep one.
async fn signed_forms(media: &MediaStore) -> anyhow::Result<Vec<SignedForm>> {
    static PAGES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let media = media.clone();
    tokio::task::spawn_blocking(move || {
        if PAGES.get().is_none() {
            let pages = content::ARTISTS
                .iter()
                .map(|artist| {
                    let title = format!("Consent form: {}", artist.name);
                    let rows = [
                        ("Artist", artist.name),
                        ("Given by", artist.guardian),
                        ("Relationship", artist.relationship),
                        ("Artist's share", "5%"),
                        ("Signed on", content::CONSENT_DATE),
                    ];
                    history::draw_document(&title, &rows, "SIGNED")
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let _ = PAGES.set(pages);
        }
        PAGES
            .get()
            .into_iter()
            .flatten()
            .map(|page| Ok(consent_form::keep(&media, page)?))
            .collect()
    })
    .await
    .context("drawing the demo's consent forms")?
}

/// The demo's voice messages by artwork, made once a process: a few seconds of a tune hummed
/// in the painter's own rhythm, encoded as MP3 and stored as staff store one.
async fn voice_messages(
    media: &MediaStore,
) -> anyhow::Result<std::collections::HashMap<&'static str, StoredVoice>> {
    static CLIPS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let media = media.clone();
    tokio::task::spawn_blocking(move || {
        if CLIPS.get().is_none() {
            let clips = (0..content::VOICES.len())
                .map(hummed_tune)
                .collect::<anyhow::Result<Vec<_>>>()?;
            let _ = CLIPS.set(clips);
        }
        let mut voices = std::collections::HashMap::new();
        for ((slug, ..), clip) in content::VOICES
            .iter()
            .zip(CLIPS.get().into_iter().flatten())
        {
            let (format, duration_ms) = crate::artworks::audio::probe(clip)
                .map_err(|why| anyhow::anyhow!("a demo voice message: {why}"))?;
            let key = media.put(clip, format.extension())?;
            voices.insert(*slug, StoredVoice { key, duration_ms });
        }
        Ok(voices)
    })
    .await
    .context("making the demo's voice messages")?
}

/// About five seconds of a gentle tune (notes of the pentatonic scale, each swelling and
/// fading), different for each `n`, as mono MP3 at 22.05 kHz.
fn hummed_tune(n: usize) -> anyhow::Result<Vec<u8>> {
    const RATE: u32 = 22_050;
    const SCALE: [f32; 6] = [261.63, 293.66, 329.63, 392.0, 440.0, 523.25];
    let mut pcm = Vec::new();
    for step in 0..14 {
        let note = SCALE[(step * (n + 2) + step / 3) % SCALE.len()];
        let length = RATE as usize * if step % 4 == 3 { 5 } else { 3 } / 10;
        for i in 0..length {
            let t = i as f32 / RATE as f32;
            let envelope = (i as f32 / length as f32 * std::f32::consts::PI).sin();
            let tone = (2.0 * std::f32::consts::PI * note * t).sin()
                + 0.3 * (4.0 * std::f32::consts::PI * note * t).sin();
            pcm.push(0.3 * envelope * tone);
        }
    }
    let mut encoder = rusty_mp3::Mp3Encoder::new(rusty_mp3::Mp3EncoderConfig {
        bitrate_kbps: 48,
        vbr_quality: None,
    });
    encoder
        .push_pcm_f32(&pcm, 1, RATE)
        .map_err(|e| anyhow::anyhow!("encoding a demo voice message: {e:?}"))?;
    encoder.finish();
    let mut mp3 = Vec::new();
    while let Ok(packet) = encoder.next_packet() {
        mp3.extend_from_slice(&packet);
    }
    Ok(mp3)
}

/// The consent the demo records for a painter's works: a parent's or guardian's (the artist's
/// own for adults), with the artist's assent; one painter cannot express a wish.
fn demo_consent(artist: &content::DemoArtist, form: Option<SignedForm>) -> Consent {
    let consenter = match artist.relationship {
        "the artist" => Consenter::Artist,
        "mother" | "father" => Consenter::Parent,
        _ => Consenter::Guardian,
    };
    Consent {
        terms: Terms {
            consenter,
            assent: if artist.name == content::UNABLE_TO_ASSENT {
                Assent::Unable
            } else {
                Assent::Yes
            },
            scope: Scope {
                gifts: true,
                certificates: true,
                prints: false,
            },
            royalty_gifts_bp: content::ROYALTY_BASIS_POINTS,
            royalty_prints_bp: 0,
            from: content::CONSENT_DATE.to_owned(),
            until: None,
            form,
        },
        given_by: artist.guardian.to_owned(),
        relationship: artist.relationship.to_owned(),
        witnessed_by: content::CONSENT_WITNESS.to_owned(),
        licence: content::LICENCE.to_owned(),
    }
}

/// The demo's spending plan, in fen.
fn plan() -> Vec<crate::spending::PlanLine> {
    content::PLAN
        .iter()
        .map(
            |(line, name_en, name_zh, buys_en, buys_zh, yuan)| crate::spending::PlanLine {
                line: (*line).to_owned(),
                name_en: (*name_en).to_owned(),
                name_zh: (*name_zh).to_owned(),
                buys_en: (*buys_en).to_owned(),
                buys_zh: (*buys_zh).to_owned(),
                planned_minor: yuan * 100,
            },
        )
        .collect()
}

/// Records the withdrawal the demo shows: one family withdrew consent for one painting, which
/// stays in the gallery, marked, and can no longer be adopted.
async fn withdraw_one(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    campaign: CampaignId,
) -> anyhow::Result<()> {
    let slug: crate::slug::Slug = content::WITHDRAWN.parse()?;
    let art = content::ARTWORKS
        .iter()
        .find(|a| a.slug == content::WITHDRAWN)
        .context("the demo's withdrawn artwork")?;
    let artwork = artworks::id_of(&mut **tx, campaign, &slug)
        .await?
        .context("the demo's withdrawn artwork")?;
    let consent = demo_consent(&content::ARTISTS[art.artist], None);
    let withdrawal = Consent {
        terms: Terms {
            scope: Scope::default(),
            royalty_gifts_bp: 0,
            from: artworks::today(),
            ..consent.terms
        },
        licence: String::new(),
        ..consent
    };
    artworks::record_consent(tx, campaign, artwork, &withdrawal, true, None).await?;
    Ok(())
}

/// Adds the demo's Chinese texts to its campaign and artworks, where they are missing.
async fn add_translations(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: CampaignId,
) -> anyhow::Result<()> {
    let zh = &content_zh::ZH_CN;
    let locale = Locale::from_tag(zh.locale).context("demo translation locale")?;
    let campaign = CampaignTranslation {
        title: zh.title.to_owned(),
        tagline: zh.tagline.to_owned(),
        story: zh.story.to_owned(),
        beneficiary_name: zh.beneficiary.to_owned(),
        beneficiary_about: zh.beneficiary_about.to_owned(),
    };
    campaigns::add_translation(tx, id, locale, &campaign).await?;
    for (art, text) in content::ARTWORKS.iter().zip(&zh.artworks) {
        let artist = &zh.artists[art.artist];
        let translation = ArtworkTranslation {
            title: text.title.to_owned(),
            artist_name: artist.name.to_owned(),
            story: text.story.to_owned(),
            artist_message: text.message.to_owned(),
            consent_given_by: artist.guardian.to_owned(),
            consent_relationship: artist.relationship.to_owned(),
            consent_licence: zh.licence.to_owned(),
        };
        let slug = art
            .slug
            .parse()
            .with_context(|| format!("demo artwork slug {}", art.slug))?;
        artworks::add_translation(tx, id, &slug, locale, &translation).await?;
    }
    Ok(())
}

type Stored = (MediaKey, u32, u32);

/// How the demo says each painting was made: hand-guided for the painter who cannot express a
/// wish, with prompting for every fourth, independently for the rest.
fn made_how(artist: &content::DemoArtist, position: i64) -> MadeHow {
    if artist.name == content::UNABLE_TO_ASSENT {
        MadeHow::HandGuided
    } else if position % 4 == 3 {
        MadeHow::Prompted
    } else {
        MadeHow::Independent
    }
}

/// A photo of a painting being made, as a phone takes one over the table: the painting half
/// done on the table, its lower part still bare paper, a brush and three pots of paint.
fn at_work(painting: &RgbImage) -> RgbImage {
    const WALL: Rgb<u8> = Rgb([233, 226, 214]);
    const TABLE: Rgb<u8> = Rgb([176, 132, 92]);
    const PAPER: Rgb<u8> = Rgb([250, 248, 242]);
    let mut scene = RgbImage::from_fn(960, 720, |_, y| if y < 470 { WALL } else { TABLE });
    let mut page = image::imageops::resize(painting, 320, 400, FilterType::Triangle);
    for (_, y, pixel) in page.enumerate_pixels_mut() {
        if y >= 260 {
            *pixel = PAPER;
        }
    }
    image::imageops::overlay(&mut scene, &page, 320, 140);
    let pots = [
        (150, [200, 60, 50]),
        (250, [60, 110, 190]),
        (790, [240, 190, 60]),
    ];
    for (cx, colour) in pots {
        for (x, y, pixel) in scene.enumerate_pixels_mut() {
            let (dx, dy) = (i64::from(x) - cx, i64::from(y) - 600);
            if dx * dx + dy * dy < 44 * 44 {
                *pixel = Rgb(colour);
            }
        }
    }
    for t in 0..240_u32 {
        for w in 0..9 {
            scene.put_pixel(600 + t, 380 + t / 2 + w, Rgb([70, 50, 35]));
        }
    }
    scene
}

/// Saves a painting as a full-size JPEG and a half-size thumbnail.
fn store_painting(media: &MediaStore, painting: &RgbImage) -> anyhow::Result<(Stored, Stored)> {
    let full = encode_jpeg(painting)?;
    let (w, h) = painting.dimensions();
    let thumb = image::imageops::resize(
        painting,
        (w / 2).max(1),
        (h / 2).max(1),
        FilterType::Triangle,
    );
    let thumb_bytes = encode_jpeg(&thumb)?;
    Ok((
        (media.put(&full, "jpg")?, w, h),
        (
            media.put(&thumb_bytes, "jpg")?,
            thumb.width(),
            thumb.height(),
        ),
    ))
}

/// Encoded as uploads are.
fn encode_jpeg(img: &RgbImage) -> anyhow::Result<Vec<u8>> {
    crate::cards::encode_jpeg(img, crate::artworks::upload::JPEG_QUALITY)
}

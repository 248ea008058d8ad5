//! The words of the demo campaign: its story, its artists and their artworks. The artists and
//! the foundation are invented; the shape of the campaign follows the 2017 Children's Gallery.

pub(super) const SLUG: &str = "little-painters";
pub(super) const TITLE: &str = "The Little Painters' Gallery";
pub(super) const TAGLINE: &str =
    "Adopt a painting by an artist with autism or another special need. Every gift funds a year of art classes.";
pub(super) const STORY: &str = "Twenty-four paintings, twelve painters. Some of them do not speak, some speak only about trains, and all of them paint. In the studios of the Bright Horizons Foundation, colour is how they tell us what they see.\n\nAdopt a painting for as little as ¥5, or any amount you like. You receive it as a phone wallpaper with a certificate in your name, and a code to share so your friends can join you. The thermometer above moves with every gift, live.\n\nEvery yuan is recorded in a public ledger and the spending plan is published here, line by line. Every painting is shown with the written consent of its artist or their family, and each artist receives a share of every gift made for their work.";
pub(super) const BENEFICIARY: &str = "Bright Horizons Foundation";
/// The foundation as its register would name it (it is registered in China, in Chinese), and a
/// registration that says it is invented.
pub(super) const LEGAL_NAME: &str = "明日之光公益基金会 (Bright Horizons Foundation)";
pub(super) const REGISTRATION: &str =
    "Unified social credit code 53100000DEMO0000XX (invented for the demo: no register lists it)";
pub(super) const BENEFICIARY_ABOUT: &str = "Bright Horizons runs free art studios for children and young adults with autism, cerebral palsy and intellectual disabilities in six cities. Money raised here pays for teachers, materials and studio rent for 2,000 painters for one year.\n\nThe foundation publishes its accounts every quarter and this campaign's spending within 30 days of its close.";
/// The invented company whose match doubles gifts, in each language.
pub(super) const SPONSOR_EN: &str = "Lantern Harbour Group";
pub(super) const SPONSOR_ZH: &str = "灯港集团";
/// The sponsor's own words on the landing page, and its colours.
pub(super) const ORGANISER_STATEMENT_EN: &str =
    "Lantern Harbour Group is a shipping and logistics \
company from Ningbo. Our staff volunteer at the Sunflower Centre's art workshops, and we match \
every gift to this gallery, yuan for yuan, up to ¥100 a gift.";
pub(super) const ORGANISER_STATEMENT_ZH: &str =
    "灯港集团是一家来自宁波的航运物流企业。我们的员工在\
向日葵中心的美术工作坊做志愿者；本画廊的每一笔捐赠，我们都一比一配捐，每笔最多 100 元。";
pub(super) const ORGANISER_URL: &str = "https://lantern-harbour.example";
/// The organiser's email domain: its employees join the demo's teams with it.
pub(super) const EMPLOYEE_DOMAIN: &str = "lantern-harbour.example";

/// The demo's teams (English, Chinese) and their ambassadors (name, goal in yuan, kept off
/// public boards).
pub(super) const TEAMS: [(&str, &str, &[(&str, Option<i64>, bool)]); 3] = [
    (
        "Sales",
        "销售部",
        &[("Mei Lin", Some(2_000), false), ("Zhang Wei", None, false)],
    ),
    (
        "Design studio",
        "设计工作室",
        &[("Li Na", Some(1_000), false), ("Chen Jie", None, true)],
    ),
    (
        "Operations",
        "运营部",
        &[("Wang Fang", Some(500), false), ("Liu Yang", None, false)],
    ),
];
pub(super) const BRAND_COLOUR: &str = "#1f5f74";
pub(super) const CONSENT_DATE: &str = "2026-10-12";
pub(super) const LICENCE: &str =
    "Shown and reproduced for this campaign only; the artist keeps the copyright";
pub(super) const ROYALTY_BASIS_POINTS: u16 = 500;
/// Who witnessed the demo's consents (the social worker of the studio).
pub(super) const CONSENT_WITNESS: &str = "Zhao Min, social worker";
/// The painter who cannot express a wish of their own; the others assented.
pub(super) const UNABLE_TO_ASSENT: &str = "Huang Jia";
/// The demo's spending plan: (short name, English name, Chinese name, what it pays for in
/// English and in Chinese, planned yuan). It adds up to the goal.
pub(super) const PLAN: [(&str, &str, &str, &str, &str, i64); 5] = [
    (
        "teachers-pay",
        "Teachers' pay",
        "教师工资",
        "Art teachers and therapists for the studio's 300 painters, for a year",
        "画室三百名小画家一年的美术老师和治疗师",
        6_300_000,
    ),
    (
        "studio-rent",
        "Studio rent",
        "画室租金",
        "Three studios near the families' homes, with heating and light",
        "三间靠近家庭住处的画室，含取暖和照明",
        3_000_000,
    ),
    (
        "materials",
        "Materials",
        "绘画材料",
        "Paper, paint, brushes and easels",
        "纸张、颜料、画笔和画架",
        2_250_000,
    ),
    (
        "payment-fees",
        "Payment fees",
        "支付手续费",
        "What the payment provider charges on each gift",
        "支付服务商对每笔捐赠收取的费用",
        900_000,
    ),
    (
        "artists-royalties",
        "Artists' royalties",
        "画家版税",
        "Each painter's share of the gifts for their work",
        "每位画家从其作品所获捐赠中得到的份额",
        2_550_000,
    ),
];

/// The painting whose consent the demo shows withdrawn.
pub(super) const WITHDRAWN: &str = "our-street";

/// The demo's voice messages: the artwork, and what its painter says, in English and Chinese.
pub(super) const VOICES: [(&str, &str, &str); 3] = [
    (
        "sun-over-the-hills",
        "Hello! I painted the sun big so it keeps everyone warm. Thank you for taking it home.",
        "你好！我把太阳画得大大的，让大家都暖暖的。谢谢你把它带回家。",
    ),
    (
        "my-grandmothers-garden",
        "This is my grandma's garden. The red flowers are her favourite. I hope you like them too.",
        "这是我奶奶的花园。红色的花是她最喜欢的。希望你也喜欢。",
    ),
    (
        "boats-at-dawn",
        "My dad goes out on a boat like this every morning. Now you have one too. Thank you!",
        "我爸爸每天早上都坐这样的船出海。现在你也有一艘了。谢谢你！",
    ),
];

/// A painter in the demo, and who gave consent for them.
pub(super) struct DemoArtist {
    pub name: &'static str,
    pub age: u8,
    pub guardian: &'static str,
    pub relationship: &'static str,
    /// Index into [`PALETTES`](crate::artworks::paint::PALETTES).
    pub palette: usize,
}

/// A painting in the demo.
pub(super) struct DemoArtwork {
    pub slug: &'static str,
    pub title: &'static str,
    /// Index into [`ARTISTS`].
    pub artist: usize,
    /// Index into [`Motif::ALL`](crate::artworks::paint::Motif::ALL).
    pub motif: usize,
    pub story: &'static str,
    pub message: &'static str,
}

pub(super) const ARTISTS: [DemoArtist; 12] = [
    DemoArtist {
        name: "Lin Yue",
        age: 9,
        guardian: "Lin Hua",
        relationship: "mother",
        palette: 0,
    },
    DemoArtist {
        name: "Chen Hao",
        age: 14,
        guardian: "Chen Jian",
        relationship: "father",
        palette: 1,
    },
    DemoArtist {
        name: "Wang Xiaoyu",
        age: 11,
        guardian: "Wang Li",
        relationship: "mother",
        palette: 2,
    },
    DemoArtist {
        name: "Zhou Ming",
        age: 17,
        guardian: "Zhou Ping",
        relationship: "grandmother",
        palette: 3,
    },
    DemoArtist {
        name: "Li Na",
        age: 8,
        guardian: "Li Qiang",
        relationship: "father",
        palette: 4,
    },
    DemoArtist {
        name: "Zhang Wei",
        age: 22,
        guardian: "Zhang Wei",
        relationship: "the artist",
        palette: 5,
    },
    DemoArtist {
        name: "Huang Jia",
        age: 12,
        guardian: "Huang Mei",
        relationship: "mother",
        palette: 6,
    },
    DemoArtist {
        name: "Sun Tao",
        age: 10,
        guardian: "Sun Yan",
        relationship: "aunt and legal guardian",
        palette: 7,
    },
    DemoArtist {
        name: "Ma Lili",
        age: 15,
        guardian: "Ma Dong",
        relationship: "father",
        palette: 8,
    },
    DemoArtist {
        name: "Guo Fan",
        age: 19,
        guardian: "Guo Fan",
        relationship: "the artist",
        palette: 9,
    },
    DemoArtist {
        name: "He Qing",
        age: 7,
        guardian: "He Jun",
        relationship: "mother",
        palette: 0,
    },
    DemoArtist {
        name: "Xu Bo",
        age: 13,
        guardian: "Xu Lan",
        relationship: "mother",
        palette: 3,
    },
];

pub(super) const ARTWORKS: [DemoArtwork; 24] = [
    DemoArtwork { slug: "sun-over-the-hills", title: "Sun Over the Hills", artist: 0, motif: 0,
        story: "Lin Yue paints the sun first, every time, and only then decides what it shines on. Here it is the hills behind her grandmother's village, which she has visited once and remembers in every detail.",
        message: "The sun is happy because it is warm." },
    DemoArtwork { slug: "my-grandmothers-garden", title: "My Grandmother's Garden", artist: 0, motif: 1,
        story: "Each flower is a member of Lin Yue's family, she says. The tall one is her father. The small yellow one is her, and it is the one she painted last.",
        message: "Please water the flowers." },
    DemoArtwork { slug: "boats-at-dawn", title: "Boats at Dawn", artist: 1, motif: 2,
        story: "Chen Hao watched the fishing boats leave the harbour every morning for a month before he painted them. He counted the boats each day and wrote the numbers on the back of the canvas.",
        message: "There were seven boats on Tuesday." },
    DemoArtwork { slug: "from-the-ninth-floor", title: "From the Ninth Floor", artist: 1, motif: 3,
        story: "Chen Hao does not like crowds, but he loves cities from far away. He painted this from the window of the studio on the ninth floor, counting every house twice.",
        message: "Every window is a family." },
    DemoArtwork { slug: "tall-trees", title: "Tall Trees", artist: 2, motif: 4,
        story: "Wang Xiaoyu hums while she paints trees, a different song for each one. Her teacher says you can hear the painting if you stand close enough.",
        message: "The trees are talking to each other." },
    DemoArtwork { slug: "starry-window", title: "Starry Window", artist: 2, motif: 5,
        story: "Wang Xiaoyu sleeps badly and often sits at the window at night. This is what she sees when the city finally goes quiet.",
        message: "I count the stars until I sleep." },
    DemoArtwork { slug: "big-colours", title: "Big Colours", artist: 3, motif: 6,
        story: "Zhou Ming paints with his whole arm, fast and without stopping. He chooses every colour himself and never mixes them on the palette, only on the paper.",
        message: "Red is the loudest colour." },
    DemoArtwork { slug: "rainbow-after-rain", title: "Rainbow After Rain", artist: 3, motif: 7,
        story: "The first time Zhou Ming saw a rainbow he stood in the rain until it faded. He has painted one every week since, and no two are the same.",
        message: "Rainbows come back if you wait." },
    DemoArtwork { slug: "fish-who-talk", title: "Fish Who Talk", artist: 4, motif: 8,
        story: "Li Na has kept goldfish since she was four. She names all of them, and insists that they answer when she talks to them.",
        message: "My fish says hello to you." },
    DemoArtwork { slug: "birds-going-home", title: "Birds Going Home", artist: 4, motif: 9,
        story: "Li Na painted this after a school trip to the wetlands, where she watched the cranes fly home at dusk. She asked her mother why birds always know the way.",
        message: "Birds know where home is." },
    DemoArtwork { slug: "morning-hills", title: "Morning Hills", artist: 5, motif: 0,
        story: "Zhang Wei has painted at the studio for ten years and now helps teach the younger painters. He paints landscapes from memory, on the bus home from work.",
        message: "I painted this for my teacher." },
    DemoArtwork { slug: "sunflowers-for-mum", title: "Sunflowers for Mum", artist: 5, motif: 1,
        story: "A birthday present that Zhang Wei decided to share. His mother says the original hangs above the kitchen table, where it catches the afternoon light.",
        message: "Happy birthday, Mum." },
    DemoArtwork { slug: "the-sea-is-singing", title: "The Sea Is Singing", artist: 6, motif: 2,
        story: "Huang Jia heard the sea for the first time last summer. She would not leave the beach until dark, and painted this the next morning without a word.",
        message: "The sea sings very loud." },
    DemoArtwork { slug: "rooftops", title: "Rooftops", artist: 6, motif: 3,
        story: "Huang Jia loves patterns and repetition. These are the rooftops she sees from her bedroom, each one painted in the order she counts them.",
        message: "I know every roof." },
    DemoArtwork { slug: "forest-walk", title: "Forest Walk", artist: 7, motif: 4,
        story: "Sun Tao walks in the park with his aunt every Sunday. He picks up one leaf each time, and this painting is made of their colours.",
        message: "Walk slowly in the forest." },
    DemoArtwork { slug: "moon-and-lanterns", title: "Moon and Lanterns", artist: 7, motif: 5,
        story: "Painted at the Mid-Autumn Festival, when the studio stayed open late. Sun Tao insisted on painting the moon bigger than everything else.",
        message: "The moon is the biggest lantern." },
    DemoArtwork { slug: "dancing-circles", title: "Dancing Circles", artist: 8, motif: 6,
        story: "Ma Lili does not paint things, she paints feelings. She says this one is what music looks like, and she chose the colours with her eyes closed.",
        message: "This is what happy looks like." },
    DemoArtwork { slug: "after-the-storm", title: "After the Storm", artist: 8, motif: 7,
        story: "Thunder frightens Ma Lili, so after a storm she paints the sky the way she wants it to be. This was the biggest storm of the summer.",
        message: "The storm is gone now." },
    DemoArtwork { slug: "goldfish-pond", title: "Goldfish Pond", artist: 9, motif: 8,
        story: "Guo Fan paints at the park pond every Saturday, and the regulars know him by name. Some of them feed the fish while he paints them.",
        message: "The fish are my friends." },
    DemoArtwork { slug: "winter-sparrows", title: "Winter Sparrows", artist: 9, motif: 9,
        story: "Sparrows gather on the wire outside Guo Fan's window every winter morning. He sketched them for a month before he was happy with their wings.",
        message: "Sparrows are brave in winter." },
    DemoArtwork { slug: "sunny-day", title: "Sunny Day", artist: 10, motif: 0,
        story: "He Qing is the youngest painter in the studio. This is her third painting ever, and she asked for it to be in the gallery with the big children's.",
        message: "I like sunny days best." },
    DemoArtwork { slug: "big-red-flower", title: "Big Red Flower", artist: 10, motif: 1,
        story: "He Qing picked one flower on the way to the studio and painted it bigger and bigger until it filled the page.",
        message: "This flower is for you." },
    DemoArtwork { slug: "hearts-for-everyone", title: "Hearts for Everyone", artist: 11, motif: 10,
        story: "Xu Bo draws hearts on everything: his notebooks, his shoes, his sister's hand. His teacher asked him to paint the biggest heart he could, and he made room for three.",
        message: "One heart is for you." },
    DemoArtwork { slug: "our-street", title: "Our Street", artist: 11, motif: 3,
        story: "Xu Bo paints the street where he lives from memory, house by house, with each door in the colour of the neighbour who lives behind it.",
        message: "The red door is my house." },
];

/// The campaign's words in one more language. Names, relationships and the licence are
/// translated too, so a page reads wholly in the visitor's language.
pub(super) struct DemoTranslation {
    pub locale: &'static str,
    pub title: &'static str,
    pub tagline: &'static str,
    pub story: &'static str,
    pub beneficiary: &'static str,
    pub beneficiary_about: &'static str,
    pub licence: &'static str,
    /// In the order of [`ARTISTS`].
    pub artists: [ArtistTranslation; 12],
    /// In the order of [`ARTWORKS`].
    pub artworks: [ArtworkTranslation; 24],
}

/// An artist's name and consent record in another language.
pub(super) struct ArtistTranslation {
    pub name: &'static str,
    pub guardian: &'static str,
    pub relationship: &'static str,
}

/// An artwork's words in another language.
pub(super) struct ArtworkTranslation {
    pub title: &'static str,
    pub story: &'static str,
    pub message: &'static str,
}

/// The demo campaign's updates: English title and text, then Chinese.
/// The pinned one: where the money goes.
pub(super) const PLAN_UPDATE: (&str, &str, &str, &str) = (
    "Where every yuan goes",
    "Before the first gift, Bright Horizons published its spending plan: teachers' pay, studio \
     rent, materials, the payment provider's fees and the painters' royalties, each with what it \
     buys. You can see it, and every expense paid against it with its receipt, on this \
     campaign's transparency page.\n\n\
     Every gift is an entry in a public, signed ledger: your certificate lets you check that \
     yours is counted.",
    "每一元钱的去向",
    "在收到第一笔捐赠之前，明日之光基金会就公布了支出计划：老师报酬、画室租金、绘画材料、支付手续费和小画家的版税，\
     每一项都写明用途。您可以在本活动的透明账目页上看到这份计划，以及按计划支付的每一笔支出和收据。\n\n\
     每一笔捐赠都是公开签名账本中的一条记录：凭您的证书，就能核实您的捐赠已被计入。",
);

/// The demo's first news.
pub(super) const UPDATE: (&str, &str, &str, &str) = (
    "The first paint boxes are on their way",
    "Thanks to the first gifts, 48 boxes of paints, brushes and paper left for the Bright \
     Horizons studios this morning: each keeps a painter busy for a whole term.\n\n\
     The receipts will be on this campaign's public ledger, with the spending plan, as every \
     expense is.",
    "第一批颜料箱已经出发",
    "感谢第一批捐赠，48 箱颜料、画笔和画纸今天上午已发往明日之光基金会的画室，每箱够一位小画家用一整个学期。\n\n\
     和每一笔支出一样，收据将与支出计划一起公布在本活动的公开账本上。",
);

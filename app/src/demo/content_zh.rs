//! The demo campaign in Simplified Chinese.

use super::content::{ArtistTranslation, ArtworkTranslation, DemoTranslation};

pub(super) const ZH_CN: DemoTranslation = DemoTranslation {
    locale: "zh-CN",
    title: "小画家画廊",
    tagline: "认领一幅孤独症或其他特殊需要小画家的画作。每一份爱心，都能化作一年的美术课。",
    story: "二十四幅画，十二位小画家。他们中有的不说话，有的只聊火车，但每个人都爱画画。在明日之光基金会的画室里，他们用色彩告诉我们，自己眼中的世界是什么样子。\n\n最低只需¥5，金额随心，就能认领一幅画。您会收到这幅画制成的手机壁纸，和一张写着您名字的认领证书，还有一个分享码，可以邀请朋友一起来。上方的筹款进度会随着每一笔爱心实时上涨。\n\n每一元善款都记录在公开账本上，支出计划也会在这里逐条公布。每一幅画的展出都已获得画家本人或其家人的书面同意；作品每收到一笔捐赠，画家本人都会从中获得一份分成。",
    beneficiary: "明日之光基金会",
    beneficiary_about: "明日之光基金会在六座城市开办免费画室，面向患有孤独症、脑瘫和智力障碍的儿童及青年。这里筹得的善款，将用于支付2000名小画家一年的老师费用、画材和画室租金。\n\n基金会每季度公开财务报告，并将在本次活动结束后30天内公布善款的使用情况。",
    licence: "仅限本次活动展示和复制使用，版权归画家本人所有",
    artists: [
        ArtistTranslation { name: "林悦", guardian: "林华", relationship: "母亲" },
        ArtistTranslation { name: "陈浩", guardian: "陈建", relationship: "父亲" },
        ArtistTranslation { name: "王小雨", guardian: "王丽", relationship: "母亲" },
        ArtistTranslation { name: "周明", guardian: "周萍", relationship: "祖母" },
        ArtistTranslation { name: "李娜", guardian: "李强", relationship: "父亲" },
        ArtistTranslation { name: "张伟", guardian: "张伟", relationship: "本人" },
        ArtistTranslation { name: "黄佳", guardian: "黄梅", relationship: "母亲" },
        ArtistTranslation { name: "孙涛", guardian: "孙燕", relationship: "姑姑（法定监护人）" },
        ArtistTranslation { name: "马丽丽", guardian: "马东", relationship: "父亲" },
        ArtistTranslation { name: "郭凡", guardian: "郭凡", relationship: "本人" },
        ArtistTranslation { name: "何晴", guardian: "何君", relationship: "母亲" },
        ArtistTranslation { name: "徐波", guardian: "徐兰", relationship: "母亲" },
    ],
    artworks: [
        ArtworkTranslation {
            title: "山坡上的太阳",
            story: "林悦每次都先画太阳，然后才决定让它照在哪里。这一次，它照着奶奶村子后面的山。那里她只去过一次，却把每个细节都记得清清楚楚。",
            message: "太阳很开心，因为它暖暖的。",
        },
        ArtworkTranslation {
            title: "奶奶的花园",
            story: "林悦说，每一朵花都是她的一位家人。高高的那朵是爸爸，小小的黄色那朵是她自己，也是她最后画上去的一朵。",
            message: "请给花儿浇浇水。",
        },
        ArtworkTranslation {
            title: "清晨的渔船",
            story: "陈浩连续一个月，每天早上都看着渔船驶出港口，然后才把它们画下来。他每天都数一数有几条船，再把数字写在画布背面。",
            message: "星期二有七条船。",
        },
        ArtworkTranslation {
            title: "从九楼望出去",
            story: "陈浩不喜欢人多的地方，却很喜欢远远地看城市。这幅画是他在九楼画室的窗边画的，每一栋房子他都数了两遍。",
            message: "每扇窗户里都住着一家人。",
        },
        ArtworkTranslation {
            title: "高高的树",
            story: "王小雨画树的时候总爱哼歌，每棵树都配一首不同的歌。老师说，只要站得够近，您就能听见这幅画。",
            message: "树在互相说悄悄话。",
        },
        ArtworkTranslation {
            title: "窗外的星星",
            story: "王小雨睡眠不好，夜里常常坐在窗边。这就是城市终于安静下来时，她看到的样子。",
            message: "我数星星，一直数到睡着。",
        },
        ArtworkTranslation {
            title: "大大的颜色",
            story: "周明画画时整条胳膊都在动，又快又不停歇。每一种颜色都是他自己挑的，他从不在调色盘上调色，只在纸上混合。",
            message: "红色是最大声的颜色。",
        },
        ArtworkTranslation {
            title: "雨后彩虹",
            story: "周明第一次看见彩虹时，站在雨里一直看到它消失。从那以后，他每个星期都画一道彩虹，没有哪两道是一样的。",
            message: "等一等，彩虹就会回来。",
        },
        ArtworkTranslation {
            title: "会说话的鱼",
            story: "李娜从四岁起就养金鱼。每一条都有她起的名字，她坚持说，她跟它们说话时，它们会回答。",
            message: "我的鱼在跟你打招呼。",
        },
        ArtworkTranslation {
            title: "回家的鸟",
            story: "李娜跟学校去湿地参观回来后，画下了这幅画。那天黄昏，她看着鹤群飞回家，还问妈妈：“为什么鸟儿总是认得路？”",
            message: "鸟儿知道家在哪里。",
        },
        ArtworkTranslation {
            title: "清晨的山",
            story: "张伟在画室画了十年，现在也帮忙教年纪小的画家。他的风景画都是凭记忆画的，就在下班回家的公交车上。",
            message: "这幅画是送给我老师的。",
        },
        ArtworkTranslation {
            title: "送给妈妈的向日葵",
            story: "这是张伟送给妈妈的生日礼物，他决定拿出来和大家分享。妈妈说，原画就挂在厨房餐桌上方，午后的阳光正好洒在上面。",
            message: "妈妈，生日快乐。",
        },
        ArtworkTranslation {
            title: "大海在唱歌",
            story: "去年夏天，黄佳第一次听到大海的声音。她在海滩上一直待到天黑都不肯走，第二天早上一句话也没说，就画下了这幅画。",
            message: "大海唱歌好大声。",
        },
        ArtworkTranslation {
            title: "屋顶",
            story: "黄佳喜欢图案，也喜欢重复。这些是她从卧室窗口看到的屋顶，她按照数它们的顺序，一个一个画了下来。",
            message: "每一个屋顶我都认识。",
        },
        ArtworkTranslation {
            title: "林间散步",
            story: "每个星期天，孙涛都和姑姑去公园散步。每次他都会捡一片叶子，这幅画的颜色，就来自这些叶子。",
            message: "在树林里要慢慢走。",
        },
        ArtworkTranslation {
            title: "月亮和灯笼",
            story: "这幅画画于中秋节，那天画室开到很晚。孙涛坚持要把月亮画得比什么都大。",
            message: "月亮是最大的灯笼。",
        },
        ArtworkTranslation {
            title: "跳舞的圆圈",
            story: "马丽丽不画东西，她画感觉。她说这幅画就是音乐的样子，颜色是她闭着眼睛挑的。",
            message: "开心就是这个样子。",
        },
        ArtworkTranslation {
            title: "暴风雨过后",
            story: "马丽丽害怕打雷，所以每次暴风雨过后，她都会把天空画成自己希望的样子。这是那个夏天最大的一场暴风雨。",
            message: "暴风雨已经走了。",
        },
        ArtworkTranslation {
            title: "金鱼池",
            story: "郭凡每个星期六都去公园的池塘边画画，常来公园的人都叫得出他的名字。他画鱼的时候，有些人还会在一旁喂鱼。",
            message: "鱼是我的朋友。",
        },
        ArtworkTranslation {
            title: "冬天的麻雀",
            story: "每年冬天的早晨，郭凡窗外的电线上都会落满麻雀。他画了整整一个月的速写，才画出让自己满意的翅膀。",
            message: "冬天的麻雀很勇敢。",
        },
        ArtworkTranslation {
            title: "晴天",
            story: "何晴是画室里年纪最小的画家。这是她这辈子画的第三幅画，她特别要求把它和大孩子们的画一起放进画廊。",
            message: "我最喜欢晴天。",
        },
        ArtworkTranslation {
            title: "大红花",
            story: "何晴在去画室的路上摘了一朵花，然后把它画得越来越大，直到铺满整张纸。",
            message: "这朵花送给你。",
        },
        ArtworkTranslation {
            title: "给每个人的爱心",
            story: "徐波什么东西上都要画爱心：笔记本上、鞋子上、妹妹的手上。老师请他画一颗他能画出的最大的爱心，他却腾出地方画了三颗。",
            message: "有一颗心是给你的。",
        },
        ArtworkTranslation {
            title: "我们的街",
            story: "徐波凭记忆画下自己住的那条街，一栋房子接着一栋房子，每扇门都涂成住在门后那位邻居的颜色。",
            message: "红色的门就是我家。",
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::ZH_CN;
    use crate::i18n::glossary_breaches;

    /// The campaign's own words keep to the site's glossary; the artists' messages are theirs.
    #[test]
    fn the_campaigns_words_keep_to_the_glossary() {
        let campaign = [
            ZH_CN.title,
            ZH_CN.tagline,
            ZH_CN.story,
            ZH_CN.beneficiary_about,
        ];
        let stories = ZH_CN.artworks.iter().map(|a| a.story);
        for text in campaign.into_iter().chain(stories) {
            assert_eq!(glossary_breaches(text), vec![], "{text}");
        }
    }
}

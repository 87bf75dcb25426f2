//! Pages for the drift corpus (`tests/verify_drift.rs`): English and
//! Chinese news stories, sentence by sentence, laid into pages with
//! realistic chrome (navigation, a cookie banner, ads, a "most read" box,
//! a byline with a time, a footer with the time the page was made) that
//! can change between snapshots on their own.

#![allow(dead_code)]

/// The cited story, in English: twelve sentences.
pub const EN_STORY: [&str; 12] = [
    "The city council voted on Tuesday to approve a flood defence plan for the eastern riverbank, ending two years of debate.",
    "The plan will raise the embankment along the Mill Lane stretch and build three pumping stations near the old docks.",
    "Councillors backed the measure by a wide margin after engineers warned that the current walls would not survive another winter storm.",
    "Residents of the low-lying Harbour ward, whose homes flooded twice last year, packed the public gallery for the vote.",
    "Mayor Linda Okafor called the decision overdue and said work would begin as soon as contracts were signed.",
    "Opponents argued that the scheme diverts money from road repairs and school buildings across the rest of the city.",
    "The finance committee said the cost would be met partly by a national resilience grant and partly by borrowing.",
    "An independent review commissioned by the council found that the eastern bank was the weakest point in the city's defences.",
    "Shop owners on the waterfront said insurers had refused to renew their policies until the defences were improved.",
    "Environmental groups welcomed the pumping stations but asked for wetlands to be restored upstream to slow the water.",
    "The council promised to publish a detailed timetable and to hold monthly meetings with residents during construction.",
    "A spokesman for the regional water authority said it would share river level data with the council in real time.",
];

/// Sentences on the same story, written anew: what a rewrite puts in.
pub const EN_POOL: [&str; 12] = [
    "Construction crews arrived at the riverbank this week as the long awaited flood scheme finally got under way.",
    "Contractors have fenced off part of the towpath, and walkers are being sent along a diversion through the park.",
    "The first pumping station is expected to be finished before the autumn rains, according to the project manager.",
    "Several families in the Harbour ward say they are still waiting for help with repairs from last year's floods.",
    "The mayor visited the site on Monday and told reporters that the city could not afford to wait any longer.",
    "Critics on the council now say the scheme has already run over budget because of the price of steel.",
    "A government minister praised the project as a model for other towns facing rising river levels.",
    "Engineers plan to test the new embankment with sensors that send readings to a control room every few minutes.",
    "Some waterfront businesses have closed temporarily because deliveries cannot reach them during the works.",
    "Campaigners held a small protest at the gates, demanding that trees cut down for the works be replaced.",
    "Officials admitted that the timetable published last spring had been too optimistic and would be revised.",
    "The regional water authority has warned that heavy rain could still cause flooding before the work is complete.",
];

/// Another story altogether: what a URL reused for something else shows.
pub const EN_OTHER: [&str; 10] = [
    "The national orchestra announced on Friday that its principal conductor will step down at the end of the season.",
    "He has led the orchestra for eleven years and oversaw its first tour of South America.",
    "The board said a search committee would name a successor by the spring, with several guest conductors under consideration.",
    "Musicians praised his commitment to new music and his work with youth ensembles across the country.",
    "Ticket sales rose steadily during his tenure, helped by free concerts in parks and a popular online series.",
    "He said in a statement that he wanted to spend more time composing and teaching.",
    "The orchestra's final concert under his baton will feature a symphony he commissioned for its centenary.",
    "Critics have described his recordings of late romantic repertoire as among the finest of the decade.",
    "The culture ministry thanked him for raising the orchestra's profile abroad.",
    "Season subscribers will be offered priority booking for his farewell performances.",
];

/// The cited story, in Chinese: twelve sentences.
pub const ZH_STORY: [&str; 12] = [
    "本市人民政府办公厅日前印发《关于进一步促进新能源汽车消费的若干措施》，自下月起正式施行。",
    "措施明确，个人消费者购买新能源乘用车并在本市登记的，可按车辆价格的一定比例申领一次性补贴。",
    "对于报废或转出本市名下旧车并购买新能源汽车的，还可额外获得置换奖励。",
    "市商务局相关负责人介绍，此次政策重点支持家庭首辆车和中低价位车型的消费需求。",
    "措施同时提出，加快推进居民小区充电设施建设，力争年底前实现具备条件的小区全覆盖。",
    "对新建公共充电桩，财政将按照设备投资额给予建设补助，并对运营效果好的企业给予奖励。",
    "在停车方面，新能源汽车在市内公共停车场可享受首小时免费停放的优惠。",
    "业内人士认为，政策落地将有效带动汽车消费，并推动本地新能源汽车产业链发展。",
    "记者在多家汽车销售门店看到，不少市民已经前来咨询补贴申领流程。",
    "一位销售经理表示，政策发布后门店客流量明显增加，订单较上月有较大增长。",
    "市商务局提醒，消费者应通过官方渠道申请补贴，谨防不法分子以代办为名实施诈骗。",
    "据悉，有关部门将根据实施情况对措施进行评估，并适时调整补贴标准。",
];

/// The Chinese story written anew.
pub const ZH_POOL: [&str; 12] = [
    "新能源汽车消费补贴政策实施首周，全市累计受理补贴申请已超过两万份。",
    "不少消费者反映，线上申领系统在高峰时段出现卡顿，部分材料需要多次上传。",
    "对此，市商务局表示已紧急扩容服务器，并开通电话咨询专线解答市民疑问。",
    "一些汽车经销商趁机提高部分热门车型的售价，引发消费者不满。",
    "市场监管部门随即开展专项检查，对价格违法行为依法予以查处。",
    "充电桩建设方面，多个老旧小区因电力容量不足，改造进度明显滞后。",
    "供电公司称，将优先为居民集中反映的小区实施增容改造。",
    "有专家指出，补贴政策应更多向充电基础设施倾斜，而不只是刺激购车。",
    "也有市民担心，补贴资金用完后车辆价格会出现反弹。",
    "外地车企纷纷加大在本市的营销投入，推出各类限时优惠活动。",
    "统计数据显示，本月新能源汽车上牌量同比增长近一倍。",
    "市政府表示，将在季度末公布政策实施效果评估报告。",
];

/// Another Chinese story altogether.
pub const ZH_OTHER: [&str; 10] = [
    "本市第十届国际马拉松赛将于今年秋季举行，报名通道将于下周一开启。",
    "本届赛事设全程马拉松、半程马拉松和健康跑三个项目，总规模三万人。",
    "组委会介绍，今年的赛道首次穿越新建成的滨江公园，沿途风景更加优美。",
    "为保障选手安全，赛事将增设医疗救护点，并配备自动体外除颤器。",
    "比赛当天，部分道路将实施临时交通管制，请市民提前规划出行路线。",
    "组委会还将招募五千名志愿者，为选手提供补给和引导服务。",
    "去年的赛事吸引了来自三十多个国家和地区的选手参加。",
    "多家酒店表示，赛事期间客房预订量已明显上升。",
    "体育部门希望借助赛事进一步带动全民健身热潮。",
    "报名结果将通过抽签方式确定，并以短信形式通知中签选手。",
];

/// What changes around a story from one snapshot to the next.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The moment the page was made: in the byline, an "updated" line,
    /// the footer and a script.
    pub stamp: (u32, u32, u32),
    /// Which ads are shown.
    pub ad: usize,
    /// Which "most read" list is shown.
    pub most_read: usize,
    /// Which navigation is shown.
    pub nav: usize,
}

impl Chrome {
    /// The chrome of a first snapshot.
    pub fn first() -> Self {
        Chrome {
            stamp: (1, 10, 32),
            ad: 0,
            most_read: 0,
            nav: 0,
        }
    }

    /// The chrome of a later snapshot: another day, other ads and other
    /// most-read stories, a new menu entry.
    pub fn later(n: usize) -> Self {
        Chrome {
            stamp: (
                2 + (n % 27) as u32,
                (7 + 3 * n % 15) as u32,
                (n * 7 % 60) as u32,
            ),
            ad: n + 1,
            most_read: n + 1,
            nav: n + 1,
        }
    }
}

const EN_ADS: [&str; 4] = [
    "Save 40% on flights to Lisbon this spring. Book now!",
    "The new Aurora X phone: brighter, faster, yours from $29 a month.",
    "Refinance today and cut your monthly payments. Apply in minutes.",
    "Luxury watches at outlet prices. Free delivery this weekend only.",
];

const EN_MOST_READ: [&str; 12] = [
    "Celebrity chef opens restaurant in converted church",
    "Ten walks to try before summer ends",
    "Train strike called off after late-night talks",
    "Why are house prices still rising?",
    "Local team clinches promotion in dramatic final",
    "The secret life of urban foxes",
    "School uniform costs to be capped",
    "Heatwave warning issued for the weekend",
    "Inside the city's oldest bakery",
    "How to cut your energy bill this winter",
    "Missing cat found 200 miles from home",
    "New bridge design unveiled",
];

const ZH_ADS: [&str; 4] = [
    "春季特惠：全场家电低至五折，点击立即抢购！",
    "名校名师在线辅导，首课免费体验，名额有限。",
    "高端楼盘火热认购中，地铁口精装现房，欢迎品鉴。",
    "理财新选择，稳健收益，详情请咨询客服热线。",
];

const ZH_MOST_READ: [&str; 12] = [
    "本周末全市多条公交线路临时调整",
    "市图书馆新馆正式对外开放",
    "高温天气持续 注意防暑降温",
    "老城区改造项目启动居民意见征集",
    "地铁新线路试运营时间确定",
    "夜市经济持续升温 消费活力增强",
    "本市中小学暑期托管服务开始报名",
    "滨江绿道全线贯通",
    "多家医院推出夜间门诊服务",
    "国际美食节下月开幕",
    "电动自行车新规实施首日见闻",
    "房地产市场运行情况发布",
];

fn pick<'a>(list: &[&'a str], seed: usize, n: usize) -> Vec<&'a str> {
    (0..n).map(|i| list[(seed * 5 + i) % list.len()]).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

/// Sentences two to a paragraph.
fn paragraphs(sentences: &[String], join: &str) -> Vec<String> {
    sentences.chunks(2).map(|c| c.join(join)).collect()
}

/// An English news page: semantic markup (`header`, `nav`, `article`,
/// `aside`, `footer`) and classed ad and most-read boxes, an inline ad
/// inside the article, and a "Recommended for you" box with no telling
/// class.
pub fn en_page(headline: &str, sentences: &[String], c: &Chrome) -> String {
    let (day, h, m) = c.stamp;
    let stamp = format!("2024-05-{day:02}T{h:02}:{m:02}:00Z");
    let nav: Vec<_> = [
        "World", "Politics", "Business", "Sport", "Culture", "Live", "Podcasts",
    ]
    .iter()
    .take(5 + c.nav % 3)
    .map(|s| format!("<li><a href=\"/{}\">{s}</a></li>", s.to_lowercase()))
    .collect();
    let most: Vec<_> = pick(&EN_MOST_READ, c.most_read, 5)
        .into_iter()
        .map(|s| format!("<li><a href=\"/story\">{s}</a></li>"))
        .collect();
    let recommended: Vec<_> = pick(&EN_MOST_READ, c.most_read + 1, 3)
        .into_iter()
        .map(|s| format!("<li><a href=\"/rec\">{s}</a></li>"))
        .collect();
    let paras = paragraphs(sentences, " ");
    let mut body = String::new();
    for (i, p) in paras.iter().enumerate() {
        body.push_str(&format!("<p>{}</p>\n", escape(p)));
        if i == 1 {
            body.push_str(&format!(
                "<div class=\"inline-ad\"><p>Advertisement</p><p>{}</p></div>\n",
                EN_ADS[(c.ad + 1) % EN_ADS.len()]
            ));
        }
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Daily Courier</title>
<script>window.dataLayer = [{{"page_ts": "{stamp}", "ab": {ab}}}];</script>
<style>.ad-slot {{ min-height: 90px }}</style>
</head>
<body>
<div class="cookie-banner">We use cookies to give you the best experience. <button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">The Daily Courier</a>
<nav><ul>{nav}</ul></nav></header>
<div class="ad-slot ad-leaderboard"><span>Advertisement</span><a href="https://ads.example/{ad}">{top_ad}</a></div>
<main>
<article>
<h1>{headline}</h1>
<p class="byline">By Sam Whitfield, Local Affairs Reporter · <time datetime="{stamp}">May {day}, 2024 {h}:{m:02}</time></p>
{body}<p class="updated">Updated {h}:{m:02} GMT, {day} May 2024</p>
</article>
<section class="most-read"><h2>Most read</h2><ol>{most}</ol></section>
</main>
<aside class="sidebar"><h3>Newsletter</h3><p>Get the morning briefing in your inbox every weekday.</p></aside>
<div class="box"><h3>Recommended for you</h3><ul>{recommended}</ul></div>
<footer><p>© 2024 The Daily Courier Ltd. All rights reserved.</p><p>Page generated {stamp} in {ms} ms.</p></footer>
</body></html>
"#,
        ab = c.ad % 2,
        nav = nav.join(""),
        ad = c.ad,
        top_ad = EN_ADS[c.ad % EN_ADS.len()],
        most = most.join(""),
        recommended = recommended.join(""),
        ms = 40 + c.ad * 3,
    )
}

/// A Chinese news page in the style of portal sites: no semantic tags,
/// `div`s with pinyin and English classes, a "热门排行" box found by its
/// heading only, a `<br>`-free story in `<p>`s and a footer with the
/// time the page was generated.
pub fn zh_page(headline: &str, sentences: &[String], c: &Chrome, charset: &str) -> String {
    let (day, h, m) = c.stamp;
    let nav: Vec<_> = [
        "首页", "国内", "国际", "财经", "科技", "体育", "视频", "图片",
    ]
    .iter()
    .take(5 + c.nav % 4)
    .map(|s| format!("<a href=\"/c\">{s}</a>"))
    .collect();
    let most: Vec<_> = pick(&ZH_MOST_READ, c.most_read, 6)
        .into_iter()
        .enumerate()
        .map(|(i, s)| format!("<li><em>{}</em><a href=\"/n\">{s}</a></li>", i + 1))
        .collect();
    let hot: Vec<_> = pick(&ZH_MOST_READ, c.most_read + 2, 4)
        .into_iter()
        .map(|s| format!("<li><a href=\"/h\">{s}</a></li>"))
        .collect();
    let body: String = paragraphs(sentences, "")
        .iter()
        .map(|p| format!("<p>　　{}</p>\n", escape(p)))
        .collect();
    format!(
        r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{headline}_新闻中心_华夏日报网</title>
<script type="text/javascript">var pageTime = "{day}-{h}-{m}";</script>
</head>
<body>
<div id="topbar">欢迎访问华夏日报网 | <a href="/login">登录</a> | 2024年5月{day}日 星期{w}</div>
<div class="nav">{nav}</div>
<div class="guanggao"><a href="https://ad.example/{ad}">{top_ad}</a></div>
<div class="main_wrap">
 <div class="left">
  <h1 class="title">{headline}</h1>
  <div class="info">2024年05月{day:02}日 {h:02}:{m:02}　来源：华夏日报　编辑：王明</div>
  <div class="content" id="article_content">
{body}  <p>（责任编辑：李华）</p>
  </div>
  <div class="share">分享到：<a>微信</a><a>微博</a></div>
 </div>
 <div class="right">
  <div class="box"><h3>热门排行</h3><ul>{most}</ul></div>
  <div class="hot_news"><div class="hd">24小时点击排行</div><ul>{hot}</ul></div>
  <div class="box2"><div class="tit">广告</div><p>{side_ad}</p></div>
 </div>
</div>
<div id="footer">关于我们 | 联系我们 | 版权声明<br>版权所有 © 华夏日报社　页面生成时间：2024-05-{day:02} {h:02}:{m:02}:{s:02}</div>
</body></html>
"#,
        w = ["一", "二", "三", "四", "五", "六", "日"][day as usize % 7],
        nav = nav.join(" | "),
        ad = c.ad,
        top_ad = ZH_ADS[c.ad % ZH_ADS.len()],
        most = most.join(""),
        hot = hot.join(""),
        side_ad = ZH_ADS[(c.ad + 2) % ZH_ADS.len()],
        s = (c.ad * 13) % 60,
    )
}

/// The sentences of a list, owned.
pub fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

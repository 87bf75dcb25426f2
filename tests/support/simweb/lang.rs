//! The simulated web's languages: what its sites write, in eleven languages.
//!
//! Prose is built from sentence templates with slots — `{P}` a person,
//! `{O}` an organisation, `{L}` a place, `{T}` a topic, `{N}` a count,
//! `{X}` a percentage, `{M}` a month, `{D}` a day — so that two articles of
//! one site share their site's chrome and phrasing, as real ones do, but
//! little of their text.

use fastrand::Rng;

/// A language of the simulated web.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    ZhTw,
    En,
    De,
    Ja,
    Ko,
    Ru,
    Fr,
    Es,
    Vi,
    It,
}

impl Lang {
    pub fn lex(self) -> &'static Lex {
        match self {
            Lang::Zh => &ZH,
            Lang::ZhTw => &ZH_TW,
            Lang::En => &EN,
            Lang::De => &DE,
            Lang::Ja => &JA,
            Lang::Ko => &KO,
            Lang::Ru => &RU,
            Lang::Fr => &FR,
            Lang::Es => &ES,
            Lang::Vi => &VI,
            Lang::It => &IT,
        }
    }

    /// Written without spaces between sentences.
    pub fn unspaced(self) -> bool {
        matches!(self, Lang::Zh | Lang::ZhTw | Lang::Ja)
    }
}

/// Everything a site writes in one language.
pub struct Lex {
    /// The `lang` attribute.
    pub code: &'static str,
    pub people: &'static [&'static str],
    pub orgs: &'static [&'static str],
    pub places: &'static [&'static str],
    pub topics: &'static [&'static str],
    pub sentences: &'static [&'static str],
    pub headlines: &'static [&'static str],
    /// Live headlines that mention what error pages say ("not found",
    /// "404", "页面不存在", "deleted"): stories about vanished posts.
    pub alarm_headlines: &'static [&'static str],
    /// (path segment, label) of the site's sections.
    pub sections: &'static [(&'static str, &'static str)],
    pub home: &'static str,
    pub most_read: &'static str,
    pub recommended: &'static str,
    pub related: &'static str,
    pub latest: &'static str,
    /// "By {P}".
    pub byline: &'static str,
    pub published: &'static str,
    /// "© {S}…" ({S}: the site's name).
    pub footer: &'static str,
    /// The paywall's call to subscribe.
    pub subscribe: &'static str,
    /// The not-found page's heading and text.
    pub nf_title: &'static str,
    pub nf_text: &'static str,
    pub back_home: &'static str,
    pub search: &'static str,
    /// "No results for {Q}".
    pub no_results: &'static str,
    pub login: &'static str,
}

/// `tpl` with its slots filled from `lex`, its first letter capitalised.
pub fn fill(tpl: &str, lex: &Lex, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(tpl.len() + 32);
    let mut chars = tpl.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            let slot: String = chars.by_ref().take_while(|c| *c != '}').collect();
            let pick = |list: &[&'static str], rng: &mut Rng| list[rng.usize(..list.len())];
            match slot.as_str() {
                "P" => out.push_str(pick(lex.people, rng)),
                "O" => out.push_str(pick(lex.orgs, rng)),
                "L" => out.push_str(pick(lex.places, rng)),
                "T" => out.push_str(pick(lex.topics, rng)),
                "N" => out.push_str(&rng.u32(12..4800).to_string()),
                "X" => out.push_str(&format!("{}.{}", rng.u32(1..40), rng.u32(0..10))),
                "M" => out.push_str(&rng.u32(2..12).to_string()),
                "D" => out.push_str(&rng.u32(1..29).to_string()),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
        } else {
            out.push(c);
        }
    }
    capitalise(&out)
}

fn capitalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// A headline.
pub fn headline(lang: Lang, rng: &mut Rng) -> String {
    let lex = lang.lex();
    fill(lex.headlines[rng.usize(..lex.headlines.len())], lex, rng)
}

/// One paragraph of two to four sentences.
pub fn paragraph(lang: Lang, rng: &mut Rng) -> String {
    let n = rng.usize(2..5);
    sentences(lang, rng, n)
}

pub fn sentences(lang: Lang, rng: &mut Rng, n: usize) -> String {
    let lex = lang.lex();
    let sep = if lang.unspaced() { "" } else { " " };
    (0..n)
        .map(|_| fill(lex.sentences[rng.usize(..lex.sentences.len())], lex, rng))
        .collect::<Vec<_>>()
        .join(sep)
}

/// About `chars` characters of prose, in whole sentences.
pub fn prose_of_length(lang: Lang, rng: &mut Rng, chars: usize) -> String {
    let lex = lang.lex();
    let sep = if lang.unspaced() { "" } else { " " };
    let mut out = String::new();
    while out.chars().count() < chars {
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(&fill(
            lex.sentences[rng.usize(..lex.sentences.len())],
            lex,
            rng,
        ));
    }
    out
}

pub static ZH: Lex = Lex {
    code: "zh-CN",
    people: &["王建国", "李晓红", "张志强", "刘伟", "陈静", "杨帆", "赵磊", "黄海燕", "周明", "吴敏", "徐立新", "孙国平"],
    orgs: &["外交部", "商务部", "国家统计局", "中国人民银行", "国务院台办", "海关总署", "工业和信息化部", "国家发展改革委", "市场监管总局", "国家能源局", "生态环境部", "中国社会科学院"],
    places: &["北京", "上海", "深圳", "广州", "杭州", "武汉", "成都", "重庆", "天津", "南京", "西安", "厦门"],
    topics: &["半导体出口管制", "稀土供应链", "新能源汽车", "跨境电商", "房地产市场", "地方政府债务", "人工智能监管", "粮食安全", "对外贸易", "数字人民币", "芯片产业", "碳排放交易"],
    sentences: &[
        "{O}发言人{P}在{D}日举行的例行记者会上表示，中方在{T}问题上的立场是一贯的、明确的。",
        "据{O}最新公布的数据，今年前{M}个月{L}与{T}相关的投资同比增长{X}%，增速较上季度有所加快。",
        "{P}指出，{T}关系到经济社会发展全局，各方应当加强沟通协调，共同维护产业链供应链稳定。",
        "分析人士认为，{O}此举意在回应近期{T}领域出现的新情况，预计后续还将出台配套措施。",
        "在{L}，多家企业负责人向记者介绍，{T}带来的影响正在逐步显现，订单量比去年同期减少约{N}件。",
        "{O}当天还宣布，将在{L}设立{T}试点，首批参与的机构共有{N}家。",
        "业内专家{P}对本报记者说，{T}的长期走势仍取决于国际市场需求和政策环境的变化。",
        "截至{M}月底，{L}累计完成{T}相关项目{N}个，总投资约{X}亿元。",
        "{P}强调，要坚持稳中求进工作总基调，推动{T}高质量发展。",
        "与此同时，{L}市政府发布通知，要求各区在{D}日前完成{T}专项检查。",
    ],
    headlines: &[
        "{O}就{T}问题答记者问",
        "{L}出台新措施推动{T}发展",
        "前{M}个月{T}投资同比增长{X}%",
        "{P}：{T}面临新的挑战与机遇",
        "{O}宣布在{L}启动{T}试点",
        "专家解读{T}最新政策走向",
    ],
    alarm_headlines: &[
        "热帖转发后显示“页面不存在” 网友追问原因",
        "多篇调查报道遭删除 记者发文回应",
        "404之后：那些消失的网络档案",
    ],
    sections: &[("politics", "时政"), ("world", "国际"), ("finance", "财经"), ("tech", "科技"), ("society", "社会"), ("culture", "文化"), ("opinion", "评论"), ("video", "视频")],
    home: "首页",
    most_read: "热点排行",
    recommended: "推荐阅读",
    related: "相关新闻",
    latest: "最新消息",
    byline: "记者 {P}",
    published: "发布时间：",
    footer: "{S} 版权所有 未经书面授权禁止复制或建立镜像 京ICP备05070218号 违法和不良信息举报电话：010-65363263",
    subscribe: "本文为会员专享内容，订阅后可阅读全文。",
    nf_title: "页面不存在",
    nf_text: "抱歉，您访问的页面不存在或已被删除，请检查网址是否正确。",
    back_home: "返回首页",
    search: "搜索",
    no_results: "没有找到与“{Q}”相关的结果",
    login: "用户登录",
};

pub static ZH_TW: Lex = Lex {
    code: "zh-TW",
    people: &[
        "陳志明",
        "林淑芬",
        "黃建國",
        "張雅婷",
        "李俊傑",
        "王美玲",
        "吳宗翰",
        "劉怡君",
        "蔡明哲",
        "楊佩珊",
    ],
    orgs: &[
        "行政院",
        "經濟部",
        "外交部",
        "中央銀行",
        "陸委會",
        "國防部",
        "國發會",
        "金管會",
        "主計總處",
        "立法院",
    ],
    places: &[
        "台北", "新北", "台中", "台南", "高雄", "桃園", "新竹", "基隆", "嘉義", "花蓮",
    ],
    topics: &[
        "半導體出口管制",
        "稀土供應鏈",
        "電動車產業",
        "房市",
        "兩岸貿易",
        "人工智慧監管",
        "缺工問題",
        "能源轉型",
        "物價",
        "國防預算",
    ],
    sentences: &[
        "{O}發言人{P}{D}日在例行記者會上表示，政府對{T}的立場一貫且明確。",
        "根據{O}最新公布的數據，今年前{M}個月{L}與{T}相關的投資較去年同期成長{X}%。",
        "{L}多家業者向記者表示，{T}帶來的衝擊已逐漸浮現，訂單比去年同期減少約{N}筆。",
        "學者{P}分析，{T}的後續發展仍取決於國際市場需求與政策走向。",
        "{O}當天也宣布，將在{L}設立{T}示範區，首批參與的企業共{N}家。",
        "知情人士透露，有關{T}的新規定最快{M}月上路。",
        "{D}日在{L}舉行的{T}國際研討會，吸引約{N}人參加。",
        "{P}強調：「{T}是台灣經濟無法迴避的課題。」",
    ],
    headlines: &[
        "{O}就{T}提出新方案",
        "前{M}月{T}投資成長{X}%",
        "{P}：{T}面臨關鍵時刻",
        "{L}舉辦{T}研討會 {N}人與會",
        "專家解讀{T}新制",
    ],
    alarm_headlines: &[
        "網友轉貼文章竟顯示「找不到網頁」 平台回應了",
        "爭議貼文已被刪除 當事人發聲明",
    ],
    sections: &[
        ("politics", "政治"),
        ("international", "國際"),
        ("cross-strait", "兩岸"),
        ("finance", "產經"),
        ("tech", "科技"),
        ("society", "社會"),
        ("culture", "文化"),
        ("opinion", "評論"),
    ],
    home: "首頁",
    most_read: "熱門新聞",
    recommended: "推薦閱讀",
    related: "相關新聞",
    latest: "即時新聞",
    byline: "記者{P}／台北報導",
    published: "發布時間：",
    footer: "本網站內容版權所有，未經授權請勿轉載。© {S} 客服信箱 隱私權政策",
    subscribe: "本文為付費會員專屬內容，訂閱後即可閱讀全文。",
    nf_title: "找不到網頁",
    nf_text: "很抱歉，您要找的頁面不存在，可能已被移除或網址輸入錯誤。",
    back_home: "回首頁",
    search: "搜尋",
    no_results: "找不到符合「{Q}」的結果",
    login: "會員登入",
};

pub static EN: Lex = Lex {
    code: "en",
    people: &["Sarah Chen", "James Wilson", "Emily Zhang", "Michael Brown", "Laura Kim", "David Lee", "Rachel Adams", "Tom Harris", "Grace Liu", "Daniel Clark"],
    orgs: &["the Commerce Ministry", "the State Council", "the central bank", "the National Bureau of Statistics", "the European Commission", "the US Trade Representative", "the Foreign Ministry", "the customs administration", "the Taiwan Affairs Office", "the Semiconductor Industry Association"],
    places: &["Beijing", "Shanghai", "Shenzhen", "Hong Kong", "Taipei", "Tokyo", "Washington", "Brussels", "Singapore", "Guangzhou"],
    topics: &["chip export controls", "rare earth supplies", "electric vehicles", "the property market", "local government debt", "AI regulation", "food security", "foreign trade", "the digital yuan", "carbon trading"],
    sentences: &[
        "Speaking at a regular briefing on the {D}th, {P} said the position of {O} on {T} had not changed.",
        "Figures released by {O} show that investment linked to {T} rose {X} percent in the first {M} months of the year.",
        "Business owners in {L} say the effects of {T} are already visible in their order books, with about {N} orders cancelled.",
        "{P}, an analyst who follows {T}, expects the debate to continue well into next year.",
        "{O} said it would open a new center in {L} to support {N} companies working on {T}.",
        "New rules on {T} could be adopted as early as month {M}, according to a person familiar with the matter.",
        "On the {D}th, some {N} experts gathered in {L} for a conference on {T}.",
        "\"{T} will become a defining question for the economy,\" {P} said.",
    ],
    headlines: &[
        "{O} signals shift on {T}",
        "Investment in {T} up {X}% as {L} expands",
        "{P}: the clock is ticking on {T}",
        "Experts meet in {L} to weigh {T}",
        "What the new rules on {T} mean",
    ],
    alarm_headlines: &[
        "Weibo post by jailed lawyer now shows 'page not found'",
        "Error 404: how a decade of investigative reporting disappeared",
        "Viral video of factory protest has been removed, users say",
    ],
    sections: &[("china", "China"), ("world", "World"), ("business", "Business"), ("tech", "Technology"), ("politics", "Politics"), ("opinion", "Opinion"), ("culture", "Culture"), ("video", "Video")],
    home: "Home",
    most_read: "Most read",
    recommended: "Recommended for you",
    related: "Related stories",
    latest: "Latest news",
    byline: "By {P}",
    published: "Published",
    footer: "© {S}. All rights reserved. Terms of use · Privacy policy · Cookie settings · Contact us",
    subscribe: "This article is for subscribers only. Subscribe to continue reading.",
    nf_title: "Page not found",
    nf_text: "Sorry, we couldn't find the page you were looking for. It may have been moved or deleted.",
    back_home: "Back to the home page",
    search: "Search",
    no_results: "No results found for \"{Q}\"",
    login: "Sign in",
};

pub static DE: Lex = Lex {
    code: "de",
    people: &["Anna Schmidt", "Thomas Müller", "Julia Weber", "Michael Wagner", "Katrin Becker", "Stefan Hoffmann", "Laura Schulz", "Markus Koch", "Sabine Richter", "Jan Wolf"],
    orgs: &["das Auswärtige Amt", "das Wirtschaftsministerium", "die Bundesbank", "das Statistische Bundesamt", "die EU-Kommission", "der Industrieverband BDI", "die Handelskammer", "das Finanzministerium", "die Bundesnetzagentur", "das Ifo-Institut"],
    places: &["Berlin", "Hamburg", "München", "Frankfurt", "Köln", "Stuttgart", "Düsseldorf", "Leipzig", "Dresden", "Hannover"],
    topics: &["Exportkontrollen für Halbleiter", "Lieferketten für Seltene Erden", "Elektromobilität", "Energiepreise", "Handelsbeziehungen mit China", "Digitalisierung der Verwaltung", "Fachkräftemangel", "Wohnungsbau", "Inflation", "Rüstungsexporte"],
    sentences: &[
        "Wie {O} am {D}. des Monats mitteilte, bleibt die Lage beim Thema {T} angespannt.",
        "Nach Angaben von {P} stiegen die Investitionen im Bereich {T} in den ersten {M} Monaten um {X} Prozent.",
        "Unternehmen in {L} berichten, dass sich die Folgen der Debatte um {T} bereits in rund {N} stornierten Aufträgen zeigen.",
        "Fachleute wie {P} erwarten, dass die Diskussion über {T} auch im kommenden Jahr anhält.",
        "In {L} soll ein neues Zentrum entstehen, das {N} Firmen beim Thema {T} unterstützen wird, kündigte {O} an.",
        "Ein Sprecher sagte, neue Regeln zum Thema {T} könnten bereits im {M}. Monat beschlossen werden.",
        "Am {D}. des Monats kamen in {L} rund {N} Fachleute zu einer Konferenz über {T} zusammen.",
        "„{T} wird für die Wirtschaft zur Schlüsselfrage“, sagte {P}.",
    ],
    headlines: &[
        "Neue Linie beim Thema {T}",
        "{T}: Plus von {X} Prozent",
        "{P}: „Beim Thema {T} wird es ernst“",
        "Konferenz in {L} berät über {T}",
        "Was bedeutet das für {T}? Eine Analyse",
    ],
    alarm_headlines: &[
        "„Seite nicht gefunden“: Wie Zensoren das chinesische Netz aufräumen",
        "Kritischer Beitrag gelöscht – Plattform schweigt",
    ],
    sections: &[("politik", "Politik"), ("wirtschaft", "Wirtschaft"), ("ausland", "Ausland"), ("gesellschaft", "Gesellschaft"), ("wissen", "Wissen"), ("sport", "Sport"), ("kultur", "Kultur"), ("meinung", "Meinung")],
    home: "Startseite",
    most_read: "Meistgelesen",
    recommended: "Empfohlene Artikel",
    related: "Mehr zum Thema",
    latest: "Neueste Meldungen",
    byline: "Von {P}",
    published: "Veröffentlicht am",
    footer: "© {S} – Alle Rechte vorbehalten. Impressum · Datenschutz · Kontakt · Abo kündigen",
    subscribe: "Dieser Artikel ist exklusiv für Abonnenten. Jetzt abonnieren und weiterlesen.",
    nf_title: "Seite nicht gefunden",
    nf_text: "Die von Ihnen aufgerufene Seite existiert leider nicht oder wurde verschoben.",
    back_home: "Zur Startseite",
    search: "Suche",
    no_results: "Keine Treffer für „{Q}“",
    login: "Anmelden",
};

pub static JA: Lex = Lex {
    code: "ja",
    people: &["山田太郎", "佐藤花子", "鈴木一郎", "高橋健", "田中美咲", "伊藤誠", "渡辺直樹", "中村由美", "小林大輔", "加藤彩"],
    orgs: &["外務省", "経済産業省", "財務省", "日本銀行", "防衛省", "内閣府", "総務省", "国土交通省", "厚生労働省", "金融庁"],
    places: &["東京", "大阪", "名古屋", "福岡", "札幌", "横浜", "神戸", "京都", "仙台", "広島"],
    topics: &["半導体の輸出規制", "レアアースの供給", "電気自動車の普及", "円安の影響", "賃上げ交渉", "防衛費の増額", "訪日客の回復", "原発の再稼働", "物価高対策", "サプライチェーン"],
    sentences: &[
        "{O}の{P}氏は{D}日の記者会見で、{T}について「引き続き状況を注視する」と述べた。",
        "{O}が発表した統計によると、{M}月の{T}に関連する指標は前年同月比で{X}％上昇した。",
        "{L}の企業関係者は、{T}の影響がすでに受注の減少という形で表れていると話す。",
        "専門家の{P}氏は、{T}をめぐる議論は来年以降も続くとの見方を示した。",
        "{O}は{L}に新たな拠点を設け、{T}に取り組む企業{N}社を支援する方針だ。",
        "政府関係者によると、{T}に関する新たな指針は{M}月中にもまとまる見通しだ。",
        "{L}では{D}日、{T}をテーマにした国際会議が開かれ、約{N}人が参加した。",
        "{P}氏は「{T}は日本経済にとって避けて通れない課題だ」と強調した。",
    ],
    headlines: &[
        "{O}、{T}で新方針　{L}に拠点",
        "{T}、{M}月は{X}％増",
        "{P}氏「{T}は正念場」",
        "{L}で{T}めぐる会議　{N}人参加",
        "{T}の行方　専門家に聞く",
    ],
    alarm_headlines: &[
        "「ページが見つかりません」　中国SNSで消えた投稿の行方",
        "批判的な投稿が相次ぎ削除　利用者に広がる不安",
    ],
    sections: &[("politics", "政治"), ("economy", "経済"), ("international", "国際"), ("society", "社会"), ("science", "科学"), ("sports", "スポーツ"), ("culture", "文化"), ("opinion", "オピニオン")],
    home: "トップ",
    most_read: "よく読まれている記事",
    recommended: "おすすめ記事",
    related: "関連記事",
    latest: "最新ニュース",
    byline: "{P}記者",
    published: "公開日時",
    footer: "このサイトに掲載の記事・写真・図表などの無断転載を禁止します。著作権は{S}またはその情報提供者に属します。",
    subscribe: "この記事は有料会員限定です。続きを読むには会員登録が必要です。",
    nf_title: "ページが見つかりません",
    nf_text: "お探しのページは削除されたか、URLが変更された可能性があります。",
    back_home: "トップページへ戻る",
    search: "検索",
    no_results: "「{Q}」に一致する記事は見つかりませんでした",
    login: "ログイン",
};

pub static KO: Lex = Lex {
    code: "ko",
    people: &["김민수", "이지은", "박준호", "최서연", "정우성", "강하늘", "윤서준", "장미란", "임도현", "한지민"],
    orgs: &["외교부", "산업통상자원부", "기획재정부", "한국은행", "국방부", "통일부", "과학기술정보통신부", "금융위원회", "국토교통부", "환경부"],
    places: &["서울", "부산", "인천", "대구", "광주", "대전", "울산", "세종", "수원", "창원"],
    topics: &["반도체 수출 규제", "희토류 공급망", "전기차 보조금", "부동산 시장", "가계부채", "인공지능 규제", "저출산 대책", "원전 정책", "물가 안정", "대중국 무역"],
    sentences: &[
        "{O} {P} 대변인은 {D}일 정례 브리핑에서 {T} 문제에 대해 \"상황을 면밀히 지켜보고 있다\"고 밝혔다.",
        "{O}가 발표한 자료에 따르면 {M}월 {T} 관련 지표는 지난해 같은 기간보다 {X}% 증가했다.",
        "{L} 지역 기업인들은 {T}의 영향이 이미 주문 감소로 나타나고 있다고 전했다.",
        "{P} 교수는 {T}를 둘러싼 논의가 내년에도 이어질 것으로 내다봤다.",
        "{O}는 {L}에 새 거점을 마련하고 {T} 관련 기업 {N}곳을 지원할 계획이다.",
        "정부 관계자는 {T}에 관한 새 지침이 {M}월 중 발표될 예정이라고 말했다.",
        "{D}일 {L}에서는 {T}를 주제로 한 국제회의가 열려 약 {N}명이 참석했다.",
        "{P} 교수는 \"{T}는 한국 경제가 피할 수 없는 과제\"라고 강조했다.",
    ],
    headlines: &[
        "{O}, {T} 새 방침 발표",
        "{M}월 {T} 지표 {X}% 증가",
        "{P} \"{T}, 중대 고비\"",
        "{L}서 {T} 국제회의…{N}명 참석",
        "{T} 향방은? 전문가 진단",
    ],
    alarm_headlines: &[
        "\"페이지를 찾을 수 없습니다\"…사라진 기사들의 행방",
        "비판 게시물 잇따라 삭제…이용자들 불안",
    ],
    sections: &[("politics", "정치"), ("economy", "경제"), ("international", "국제"), ("society", "사회"), ("science", "과학"), ("sports", "스포츠"), ("culture", "문화"), ("opinion", "오피니언")],
    home: "홈",
    most_read: "많이 본 뉴스",
    recommended: "추천 기사",
    related: "관련 기사",
    latest: "최신 뉴스",
    byline: "{P} 기자",
    published: "입력",
    footer: "무단 전재 및 재배포 금지. 저작권자 © {S} 개인정보처리방침 · 청소년보호정책",
    subscribe: "이 기사는 유료 회원 전용입니다. 구독하고 전체 기사를 읽어보세요.",
    nf_title: "페이지를 찾을 수 없습니다",
    nf_text: "요청하신 페이지가 삭제되었거나 주소가 변경되었을 수 있습니다.",
    back_home: "홈으로 가기",
    search: "검색",
    no_results: "'{Q}'에 대한 검색 결과가 없습니다",
    login: "로그인",
};

pub static RU: Lex = Lex {
    code: "ru",
    people: &["Иван Петров", "Алексей Кузнецов", "Дмитрий Соколов", "Сергей Лебедев", "Николай Новиков", "Андрей Волков", "Павел Фёдоров", "Михаил Орлов", "Владимир Зайцев", "Юрий Белов"],
    orgs: &["МИД", "ЦБ", "ФАС", "МВФ", "ВТО", "ОПЕК", "ЕАЭС", "РСПП", "ВЭБ", "ФНС"],
    places: &["Москве", "Санкт-Петербурге", "Новосибирске", "Екатеринбурге", "Казани", "Владивостоке", "Самаре", "Омске", "Ростове-на-Дону", "Красноярске"],
    topics: &["экспортного контроля", "поставок редкоземельных металлов", "рынка электромобилей", "курса рубля", "торговли с Китаем", "цифрового рубля", "энергетической политики", "инфляции", "импортозамещения", "логистических цепочек"],
    sentences: &[
        "Как заявил {P} на брифинге {D} числа, позиция {O} по вопросу {T} остаётся неизменной.",
        "По данным {O}, за {M} месяцев показатели {T} выросли на {X}% по сравнению с прошлым годом.",
        "Представители бизнеса в {L} отмечают, что последствия {T} уже ощущаются: отменено около {N} заказов.",
        "Эксперт {P} считает, что обсуждение {T} продолжится и в следующем году.",
        "{O} намерен открыть в {L} новый центр и поддержать {N} компаний в сфере {T}.",
        "Новые правила в области {T} могут быть утверждены уже в {M}-м месяце, сообщил источник.",
        "{D} числа в {L} прошла конференция по проблемам {T}, в ней приняли участие около {N} человек.",
        "«Вопрос {T} станет ключевым для экономики», — подчеркнул {P}.",
    ],
    headlines: &[
        "{O} изменил подход к вопросу {T}",
        "Показатели {T} выросли на {X}%",
        "{P}: решение проблемы {T} близко",
        "В {L} обсудили проблемы {T}",
        "Что ждёт сферу {T}: мнение эксперта",
    ],
    alarm_headlines: &[
        "«Страница не найдена»: как исчезают архивы китайских СМИ",
        "Пост с критикой чиновника удалён через час после публикации",
    ],
    sections: &[("politics", "Политика"), ("economy", "Экономика"), ("world", "В мире"), ("society", "Общество"), ("science", "Наука"), ("sport", "Спорт"), ("culture", "Культура"), ("opinion", "Мнения")],
    home: "Главная",
    most_read: "Самое читаемое",
    recommended: "Рекомендуем",
    related: "Читайте также",
    latest: "Последние новости",
    byline: "Автор: {P}",
    published: "Опубликовано",
    footer: "© {S}. Все права защищены. Использование материалов разрешено только с согласия редакции.",
    subscribe: "Полный текст статьи доступен только подписчикам. Оформите подписку, чтобы продолжить чтение.",
    nf_title: "Страница не найдена",
    nf_text: "Запрашиваемая страница не существует или была удалена.",
    back_home: "На главную",
    search: "Поиск",
    no_results: "По запросу «{Q}» ничего не найдено",
    login: "Вход",
};

pub static FR: Lex = Lex {
    code: "fr",
    people: &["Marie Dubois", "Pierre Martin", "Sophie Bernard", "Luc Moreau", "Camille Laurent", "Julien Simon", "Claire Michel", "Nicolas Lefèvre", "Émilie Garcia", "Antoine Roux"],
    orgs: &["le Quai d'Orsay", "Bercy", "la Banque de France", "l'Insee", "la Commission européenne", "le Medef", "Matignon", "l'Élysée", "l'Ademe", "l'OCDE"],
    places: &["Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes", "Strasbourg", "Rennes", "Nice"],
    topics: &["contrôle des exportations", "terres rares", "voiture électrique", "prix de l'énergie", "commerce avec la Chine", "réforme des retraites", "logement social", "pouvoir d'achat", "intelligence artificielle", "transition écologique"],
    sentences: &[
        "Selon {O}, la situation reste tendue sur le dossier {T}, a-t-on appris le {D} du mois.",
        "D'après les chiffres présentés par {P}, les investissements liés au dossier {T} ont progressé de {X} % sur les {M} premiers mois.",
        "À {L}, plusieurs chefs d'entreprise affirment que le dossier {T} pèse déjà sur leurs carnets de commandes, avec {N} commandes annulées.",
        "Pour {P}, le débat sur le dossier {T} devrait se prolonger l'an prochain.",
        "Un nouveau centre consacré au dossier {T} doit ouvrir à {L} et accompagner {N} entreprises, a annoncé {O}.",
        "De nouvelles règles sur le dossier {T} pourraient être adoptées dès le {M}e mois, selon une source proche du gouvernement.",
        "Le {D} du mois, quelque {N} experts se sont réunis à {L} pour une conférence sur le dossier {T}.",
        "« Le dossier {T} deviendra une question clé pour l'économie », a souligné {P}.",
    ],
    headlines: &[
        "Nouvelle ligne sur le dossier {T}",
        "Dossier {T} : hausse de {X} %",
        "{P} : « Sur le dossier {T}, le temps presse »",
        "À {L}, une conférence sur le dossier {T}",
        "Ce que change le dossier {T} : notre analyse",
    ],
    alarm_headlines: &[
        "« Page introuvable » : enquête sur les archives chinoises qui disparaissent",
        "Une vidéo virale supprimée par la plateforme, les internautes s'indignent",
    ],
    sections: &[("politique", "Politique"), ("economie", "Économie"), ("international", "International"), ("societe", "Société"), ("sciences", "Sciences"), ("sport", "Sport"), ("culture", "Culture"), ("idees", "Idées")],
    home: "Accueil",
    most_read: "Les plus lus",
    recommended: "À lire aussi",
    related: "Sur le même sujet",
    latest: "Dernières actualités",
    byline: "Par {P}",
    published: "Publié le",
    footer: "© {S} – Tous droits réservés. Mentions légales · Confidentialité · Gestion des cookies · Contact",
    subscribe: "Cet article est réservé aux abonnés. Abonnez-vous pour lire la suite.",
    nf_title: "Page introuvable",
    nf_text: "La page que vous recherchez n'existe pas ou a été déplacée.",
    back_home: "Retour à l'accueil",
    search: "Rechercher",
    no_results: "Aucun résultat pour « {Q} »",
    login: "Se connecter",
};

pub static ES: Lex = Lex {
    code: "es",
    people: &["María García", "José Martínez", "Lucía Fernández", "Carlos López", "Ana Sánchez", "Javier Pérez", "Carmen Gómez", "David Ruiz", "Laura Díaz", "Miguel Torres"],
    orgs: &["el Ministerio de Exteriores", "el Banco de España", "el INE", "la Comisión Europea", "la CEOE", "el Ministerio de Economía", "la Moncloa", "el FMI", "la CNMV", "la OCDE"],
    places: &["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga", "Murcia", "Palma", "Valladolid"],
    topics: &["control de exportaciones", "tierras raras", "coche eléctrico", "precio de la energía", "comercio con China", "vivienda", "inflación", "inteligencia artificial", "transición energética", "turismo"],
    sentences: &[
        "Según {O}, la situación en materia de {T} sigue siendo tensa, informó el día {D}.",
        "De acuerdo con los datos presentados por {P}, la inversión en materia de {T} creció un {X} % en los primeros {M} meses.",
        "Empresarios de {L} aseguran que los cambios en materia de {T} ya se notan en sus pedidos, con {N} encargos cancelados.",
        "Para {P}, el debate en materia de {T} continuará el próximo año.",
        "Un nuevo centro dedicado a {T} abrirá en {L} y apoyará a {N} empresas, anunció {O}.",
        "Las nuevas normas en materia de {T} podrían aprobarse en el mes {M}, según fuentes cercanas a la negociación.",
        "El día {D}, unos {N} expertos se reunieron en {L} en una conferencia sobre {T}.",
        "«La cuestión de {T} será clave para la economía», subrayó {P}.",
    ],
    headlines: &[
        "Giro en materia de {T}",
        "{T}: subida del {X} %",
        "{P}: «En materia de {T}, el tiempo apremia»",
        "{L} acoge una conferencia sobre {T}",
        "Qué supone el cambio en {T}: análisis",
    ],
    alarm_headlines: &[
        "«Página no encontrada»: así desaparecen los archivos de la prensa china",
        "La plataforma elimina el vídeo viral de la protesta",
    ],
    sections: &[("politica", "Política"), ("economia", "Economía"), ("internacional", "Internacional"), ("sociedad", "Sociedad"), ("ciencia", "Ciencia"), ("deportes", "Deportes"), ("cultura", "Cultura"), ("opinion", "Opinión")],
    home: "Portada",
    most_read: "Lo más leído",
    recommended: "Te recomendamos",
    related: "Noticias relacionadas",
    latest: "Últimas noticias",
    byline: "Por {P}",
    published: "Publicado el",
    footer: "© {S}. Todos los derechos reservados. Aviso legal · Privacidad · Cookies · Contacto",
    subscribe: "Este contenido es exclusivo para suscriptores. Suscríbete para seguir leyendo.",
    nf_title: "Página no encontrada",
    nf_text: "Lo sentimos, la página que buscas no existe o ha sido movida.",
    back_home: "Volver a la portada",
    search: "Buscar",
    no_results: "No hay resultados para «{Q}»",
    login: "Iniciar sesión",
};

pub static VI: Lex = Lex {
    code: "vi",
    people: &["Nguyễn Văn An", "Trần Thị Mai", "Lê Hoàng Nam", "Phạm Minh Tuấn", "Hoàng Thu Hà", "Vũ Đức Thắng", "Đặng Thị Lan", "Bùi Quang Huy", "Đỗ Thanh Tùng", "Ngô Thị Hương"],
    orgs: &["Bộ Công Thương", "Bộ Ngoại giao", "Ngân hàng Nhà nước", "Tổng cục Thống kê", "Bộ Tài chính", "Tổng cục Hải quan", "Bộ Kế hoạch và Đầu tư", "Ủy ban Chứng khoán Nhà nước", "Bộ Khoa học và Công nghệ", "Phòng Thương mại và Công nghiệp Việt Nam"],
    places: &["Hà Nội", "TP.HCM", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Bắc Ninh", "Bình Dương", "Đồng Nai", "Quảng Ninh", "Huế"],
    topics: &["kiểm soát xuất khẩu chip", "chuỗi cung ứng đất hiếm", "xe điện", "thị trường bất động sản", "thương mại với Trung Quốc", "đầu tư nước ngoài", "giá năng lượng", "trí tuệ nhân tạo", "xuất khẩu nông sản", "lạm phát"],
    sentences: &[
        "Phát biểu tại buổi họp báo thường kỳ ngày {D}, {P} cho biết quan điểm của {O} về {T} không thay đổi.",
        "Theo số liệu của {O}, vốn đầu tư liên quan đến {T} trong {M} tháng đầu năm tăng {X}% so với cùng kỳ.",
        "Nhiều doanh nghiệp tại {L} cho biết tác động của {T} đã thể hiện rõ, với khoảng {N} đơn hàng bị hủy.",
        "Chuyên gia {P} nhận định cuộc thảo luận về {T} sẽ còn kéo dài sang năm sau.",
        "{O} cho biết sẽ mở một trung tâm mới tại {L} để hỗ trợ {N} doanh nghiệp trong lĩnh vực {T}.",
        "Theo một nguồn tin, quy định mới về {T} có thể được thông qua ngay trong tháng {M}.",
        "Ngày {D}, khoảng {N} chuyên gia đã tham dự hội thảo về {T} tại {L}.",
        "\"{T} sẽ là vấn đề then chốt của nền kinh tế\", {P} nhấn mạnh.",
    ],
    headlines: &[
        "{O} điều chỉnh chính sách về {T}",
        "Đầu tư vào {T} tăng {X}%",
        "{P}: {T} đang ở thời điểm then chốt",
        "Hội thảo về {T} tại {L} thu hút {N} người",
        "Chuyên gia phân tích quy định mới về {T}",
    ],
    alarm_headlines: &[
        "Bài viết bị gỡ, đường dẫn chỉ còn hiện \"Không tìm thấy trang\"",
        "Lỗi 404: hàng loạt bài điều tra biến mất khỏi mạng",
    ],
    sections: &[("thoi-su", "Thời sự"), ("the-gioi", "Thế giới"), ("kinh-doanh", "Kinh doanh"), ("cong-nghe", "Công nghệ"), ("phap-luat", "Pháp luật"), ("giao-duc", "Giáo dục"), ("van-hoa", "Văn hóa"), ("y-kien", "Ý kiến")],
    home: "Trang chủ",
    most_read: "Đọc nhiều",
    recommended: "Có thể bạn quan tâm",
    related: "Tin liên quan",
    latest: "Tin mới nhất",
    byline: "{P}",
    published: "Đăng lúc",
    footer: "© {S}. Giấy phép số 548/GP-BTTTT. Ghi rõ nguồn khi phát hành lại thông tin từ website này.",
    subscribe: "Bài viết dành cho hội viên. Đăng ký để đọc tiếp.",
    nf_title: "Không tìm thấy trang",
    nf_text: "Xin lỗi, trang bạn đang tìm kiếm không tồn tại hoặc đã bị gỡ bỏ.",
    back_home: "Về trang chủ",
    search: "Tìm kiếm",
    no_results: "Không tìm thấy kết quả nào cho \"{Q}\"",
    login: "Đăng nhập",
};

pub static IT: Lex = Lex {
    code: "it",
    people: &["Marco Rossi", "Giulia Bianchi", "Luca Romano", "Francesca Colombo", "Alessandro Ricci", "Chiara Marino", "Matteo Greco", "Sara Bruno", "Andrea Gallo", "Elena Conti"],
    orgs: &["la Farnesina", "il ministero dell'Economia", "la Banca d'Italia", "l'Istat", "la Commissione europea", "Confindustria", "Palazzo Chigi", "il ministero delle Imprese", "la Consob", "l'Ocse"],
    places: &["Roma", "Milano", "Torino", "Napoli", "Bologna", "Firenze", "Genova", "Venezia", "Bari", "Palermo"],
    topics: &["controllo delle esportazioni", "terre rare", "auto elettrica", "prezzo dell'energia", "commercio con la Cina", "intelligenza artificiale", "caro affitti", "inflazione", "transizione energetica", "via della Seta"],
    sentences: &[
        "Secondo {O}, la situazione sul tema {T} resta tesa, si è appreso il {D} del mese.",
        "Dai dati presentati da {P} emerge che gli investimenti legati al tema {T} sono cresciuti del {X}% nei primi {M} mesi.",
        "A {L} diversi imprenditori spiegano che il tema {T} pesa già sugli ordini, con {N} commesse annullate.",
        "Per {P}, il dibattito sul tema {T} proseguirà anche il prossimo anno.",
        "Un nuovo centro dedicato al tema {T} aprirà a {L} e sosterrà {N} imprese, ha annunciato {O}.",
        "Nuove regole sul tema {T} potrebbero arrivare già nel mese {M}, secondo fonti vicine al governo.",
        "Il {D} del mese circa {N} esperti si sono riuniti a {L} per un convegno sul tema {T}.",
        "«Il tema {T} sarà decisivo per l'economia», ha sottolineato {P}.",
    ],
    headlines: &[
        "Svolta sul tema {T}",
        "{T}: crescita del {X}%",
        "{P}: «Sul tema {T} il tempo stringe»",
        "A {L} un convegno sul tema {T}",
        "Cosa cambia per il tema {T}: l'analisi",
    ],
    alarm_headlines: &[
        "«Pagina non trovata»: così spariscono gli archivi della stampa cinese",
        "Video virale della protesta rimosso dalla piattaforma, utenti in rivolta",
    ],
    sections: &[("politica", "Politica"), ("economia", "Economia"), ("esteri", "Esteri"), ("cronaca", "Cronaca"), ("tecnologia", "Tecnologia"), ("sport", "Sport"), ("cultura", "Cultura"), ("opinioni", "Opinioni")],
    home: "Home",
    most_read: "I più letti",
    recommended: "Potrebbe interessarti",
    related: "Leggi anche",
    latest: "Ultime notizie",
    byline: "di {P}",
    published: "Pubblicato il",
    footer: "© {S} – Riproduzione riservata. P.IVA 01234567890 · Privacy · Cookie policy · Contatti",
    subscribe: "Questo articolo è riservato agli abbonati. Abbonati per continuare a leggere.",
    nf_title: "Pagina non trovata",
    nf_text: "La pagina che stai cercando non esiste o è stata spostata.",
    back_home: "Torna alla home",
    search: "Cerca",
    no_results: "Nessun risultato per «{Q}»",
    login: "Accedi",
};

/// How a photo gallery's headline begins, in each language.
pub fn gallery_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "图集｜",
        Lang::ZhTw => "圖輯／",
        Lang::En => "In pictures: ",
        Lang::De => "Bilderstrecke: ",
        Lang::Ja => "【写真特集】",
        Lang::Ko => "[포토] ",
        Lang::Ru => "Фоторепортаж: ",
        Lang::Fr => "En images : ",
        Lang::Es => "En imágenes: ",
        Lang::Vi => "Ảnh: ",
        Lang::It => "Fotogallery: ",
    }
}

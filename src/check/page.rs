//! Reading a fetched body as a page: charset, title, headings, and whether
//! it reads as an error page or a bot challenge.

use crate::extract::{decode_text, read_html_outline};
use encoding_rs::Encoding;

/// What a body says, as far as classification needs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Page {
    pub title: Option<String>,
    /// Headings of the page (h1–h6).
    pub headings: Vec<String>,
    /// Visible text, whitespace collapsed.
    pub text: String,
}

/// Decodes a body: the `charset` of the Content-Type header, else the
/// document's own BOM / `<meta charset>` / detection (GBK, Big5, Shift_JIS…).
pub fn read_page(body: &[u8], content_type: Option<&str>) -> Page {
    let declared = content_type
        .and_then(|ct| {
            ct.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .or_else(|| p.trim().strip_prefix("CHARSET="))
            })
        })
        .and_then(|label| Encoding::for_label(label.trim_matches('"').as_bytes()));
    let text = match declared {
        Some(enc) => enc.decode_with_bom_removal(body).0.into_owned(),
        None => decode_text(body),
    };
    let is_html = content_type.is_none_or(|ct| ct.contains("html") || ct.contains("xml"))
        && (text.contains('<') || content_type.is_some_and(|ct| ct.contains("html")));
    if !is_html {
        return Page {
            title: None,
            headings: Vec::new(),
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        };
    }
    let (lines, title) = read_html_outline(&text);
    let mut page = Page {
        title,
        ..Page::default()
    };
    for (text, heading) in lines {
        if heading {
            page.headings.push(text.clone());
        }
        if !page.text.is_empty() {
            page.text.push(' ');
        }
        page.text.push_str(&text);
    }
    page
}

/// Phrases of "this page does not exist" in the languages of the outlets.
const NOT_FOUND: [&str; 24] = [
    "page not found",
    "404 not found",
    "not found",
    "no longer available",
    "page does not exist",
    "page doesn't exist",
    "page you requested",
    "could not be found",
    "cannot be found",
    "has been removed",
    "has been deleted",
    "页面不存在",
    "页面没有找到",
    "页面找不到",
    "找不到",
    "您访问的页面",
    "已删除",
    "已被删除",
    "頁面不存在",
    "找不到網頁",
    "網頁不存在",
    "已刪除",
    "ページが見つかりません",
    "페이지를 찾을 수 없습니다",
];

/// Phrases of bot challenges and captchas.
const CHALLENGE: [&str; 9] = [
    "just a moment...",
    "attention required",
    "checking your browser",
    "verify you are human",
    "are you a robot",
    "captcha",
    "access denied",
    "请输入验证码",
    "安全验证",
];

impl Page {
    /// The phrase that makes this an error page, if any: looked for in the
    /// title and headings, and in the text of short pages only, so an
    /// article that merely mentions "not found" is not one.
    pub fn error_phrase(&self) -> Option<&'static str> {
        self.find_phrase(&NOT_FOUND, 1500)
    }

    /// The phrase that makes this a bot challenge, if any (title, headings,
    /// or a short page's text).
    pub fn challenge_phrase(&self) -> Option<&'static str> {
        self.find_phrase(&CHALLENGE, 3000)
    }

    /// The first of `phrases` in the title, a heading, or the text of a page
    /// shorter than `short` characters.
    fn find_phrase(&self, phrases: &[&'static str], short: usize) -> Option<&'static str> {
        let short_page = self.text.chars().count() < short;
        self.title
            .iter()
            .chain(self.headings.iter())
            .chain(short_page.then_some(&self.text))
            .map(|place| place.to_lowercase())
            .find_map(|place| phrases.iter().find(|p| place.contains(*p)).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_page_title_is_decoded() {
        let html = "<html><head><meta charset=\"gbk\"><title>人民网－新闻</title></head><body><h1>标题</h1><p>正文</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let page = read_page(&bytes, Some("text/html"));
        assert_eq!(page.title.as_deref(), Some("人民网－新闻"));
        let page = read_page(&bytes, Some("text/html; charset=GBK"));
        assert_eq!(page.headings, ["标题"]);
    }

    #[test]
    fn cjk_charsets_declared_or_detected() {
        let cases: [(&'static encoding_rs::Encoding, &str, &str); 4] = [
            (
                encoding_rs::BIG5,
                "big5",
                "中央社：外交部發言人表示日本領導人公然發表錯誤言論",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "shift_jis",
                "日本経済新聞：半導体の輸出規制を強化へ、政府が検討",
            ),
            (
                encoding_rs::EUC_KR,
                "euc-kr",
                "동아일보: 외교부 이메일 해킹 사건에 대한 조사 결과 발표",
            ),
            (
                encoding_rs::GB18030,
                "gb18030",
                "人民日报：钟声评论日本领导人涉台错误言论",
            ),
        ];
        for (enc, label, title) in cases {
            let body = format!("<html><head><title>{title}</title></head><body><p>{title}</p><p>{title}</p></body></html>");
            let (bytes, _, _) = enc.encode(&body);
            // Declared in the Content-Type header…
            let page = read_page(&bytes, Some(&format!("text/html; charset={label}")));
            assert_eq!(page.title.as_deref(), Some(title), "{label} declared");
            // …or detected from the bytes alone.
            let page = read_page(&bytes, Some("text/html"));
            assert_eq!(page.title.as_deref(), Some(title), "{label} detected");
        }
    }

    #[test]
    fn error_pages_and_challenges() {
        let p = read_page(
            "<title>页面不存在</title><p>x</p>".as_bytes(),
            Some("text/html"),
        );
        assert_eq!(p.error_phrase(), Some("页面不存在"));
        let long_article = format!(
            "<title>Report</title><p>{}</p>",
            "The file was not found by investigators. ".repeat(60)
        );
        let p = read_page(long_article.as_bytes(), Some("text/html"));
        assert_eq!(p.error_phrase(), None);
        let p = read_page(b"<title>Just a moment...</title>", Some("text/html"));
        assert_eq!(p.challenge_phrase(), Some("just a moment..."));
    }
}

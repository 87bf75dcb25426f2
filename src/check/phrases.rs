//! What pages say when they are not the article: every phrase the verdict
//! model looks for, per language, in this one table.
//!
//! A phrase is evidence, never a verdict on its own: where it stands (a
//! title that is nothing but the phrase, a heading, a short page's text)
//! and what else the page holds decide how much it weighs (see
//! `check::verdict`). Phrases are matched lowercased, as substrings, so
//! they are written lowercase and long enough not to occur by chance in a
//! headline ("not found" would, "page not found" rarely does as a title).
//!
//! To add a language or a site's wording, add rows here; the tests in
//! `tests/verdicts.rs` show what each kind must do.

/// What a phrase tells about the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Says {
    /// "This page does not exist": the site's not-found page.
    NotFound,
    /// A platform's notice that the item was deleted or censored, served
    /// at the item's own URL (WeChat, Weibo, broadcasters' expired stories).
    Removed,
    /// A bot wall or captcha: the site would not show us the page.
    Challenge,
    /// A parked or for-sale domain: the outlet is not there any more.
    Parked,
}

impl Says {
    /// Every kind, in the order pages are read for them.
    pub const ALL: [Says; 4] = [Says::NotFound, Says::Removed, Says::Challenge, Says::Parked];
}

/// One phrase: its language (BCP 47, `*` for any) and what it says.
pub struct Phrase {
    /// Lowercase text looked for.
    pub text: &'static str,
    /// The language it is written in.
    pub lang: &'static str,
    /// What finding it means.
    pub says: Says,
}

const fn p(text: &'static str, lang: &'static str, says: Says) -> Phrase {
    Phrase { text, lang, says }
}

use Says::{Challenge, NotFound, Parked, Removed};

/// Every phrase, grouped by what it says, then by language.
pub const PHRASES: &[Phrase] = &[
    // Not found.
    p("page not found", "en", NotFound),
    p("404 not found", "en", NotFound),
    p("404 error", "en", NotFound),
    p("error 404", "en", NotFound),
    p("not found", "en", NotFound),
    p("page does not exist", "en", NotFound),
    p("page doesn't exist", "en", NotFound),
    p("page you requested", "en", NotFound),
    p("page you are looking for", "en", NotFound),
    p("page you were looking for", "en", NotFound),
    p("could not be found", "en", NotFound),
    p("cannot be found", "en", NotFound),
    p("can't be found", "en", NotFound),
    p("no longer exists", "en", NotFound),
    p("页面不存在", "zh", NotFound),
    p("页面没有找到", "zh", NotFound),
    p("页面未找到", "zh", NotFound),
    p("页面找不到", "zh", NotFound),
    p("找不到该页面", "zh", NotFound),
    p("您访问的页面", "zh", NotFound),
    p("您所访问的页面", "zh", NotFound),
    p("文章不存在", "zh", NotFound),
    p("新闻不存在", "zh", NotFound),
    p("頁面不存在", "zh-TW", NotFound),
    p("找不到網頁", "zh-TW", NotFound),
    p("找不到頁面", "zh-TW", NotFound),
    p("網頁不存在", "zh-TW", NotFound),
    p("您要找的頁面", "zh-TW", NotFound),
    p("ページが見つかりません", "ja", NotFound),
    p("該当する記事はありません", "ja", NotFound),
    p("記事が見つかりません", "ja", NotFound),
    p("お探しのページ", "ja", NotFound),
    p("페이지를 찾을 수 없습니다", "ko", NotFound),
    p("요청하신 페이지", "ko", NotFound),
    p("기사가 존재하지 않습니다", "ko", NotFound),
    p("không tìm thấy trang", "vi", NotFound),
    p("pagina non trovata", "it", NotFound),
    p("página não encontrada", "pt", NotFound),
    p("halaman tidak ditemukan", "id", NotFound),
    p("seite nicht gefunden", "de", NotFound),
    p("seite existiert nicht", "de", NotFound),
    p("страница не найдена", "ru", NotFound),
    p("страница не существует", "ru", NotFound),
    p("page introuvable", "fr", NotFound),
    p("page non trouvée", "fr", NotFound),
    p("page n'existe pas", "fr", NotFound),
    p("página no encontrada", "es", NotFound),
    p("página no existe", "es", NotFound),
    p("no se ha encontrado la página", "es", NotFound),
    // Removed at the item's own URL.
    p("has been removed", "en", Removed),
    p("has been deleted", "en", Removed),
    p("no longer available", "en", Removed),
    p("story has expired", "en", Removed),
    p("this content is no longer available", "en", Removed),
    p("content is not available", "en", Removed),
    p("该内容已被发布者删除", "zh", Removed),
    p("此内容因违规无法查看", "zh", Removed),
    p("此内容因涉嫌违反相关法律法规和政策", "zh", Removed),
    p("该内容无法显示", "zh", Removed),
    p("根据相关法律法规和政策", "zh", Removed),
    p("此微博已被作者删除", "zh", Removed),
    p("此微博已被删除", "zh", Removed),
    p("该文章已被删除", "zh", Removed),
    p("该帖子已被删除", "zh", Removed),
    p("内容已删除", "zh", Removed),
    p("文章已下线", "zh", Removed),
    p("已下线", "zh", Removed),
    p("已下架", "zh", Removed),
    p("掲載期間が終了", "ja", Removed),
    p("この記事は削除されました", "ja", Removed),
    p("삭제된 기사", "ko", Removed),
    p("已被删除", "zh", Removed),
    p("已删除", "zh", Removed),
    p("内容无法查看", "zh", Removed),
    p("现已无法查看", "zh", Removed),
    p("已刪除", "zh-TW", Removed),
    p("已被刪除", "zh-TW", Removed),
    p("nicht mehr verfügbar", "de", Removed),
    p("больше не доступна", "ru", Removed),
    p("n'est plus disponible", "fr", Removed),
    p("ya no está disponible", "es", Removed),
    // Bot walls and captchas.
    p("just a moment...", "en", Challenge),
    p("attention required", "en", Challenge),
    p("checking your browser", "en", Challenge),
    p("checking if the site connection is secure", "en", Challenge),
    p("verify you are human", "en", Challenge),
    p("verifying you are human", "en", Challenge),
    p("are you a robot", "en", Challenge),
    p("pardon our interruption", "en", Challenge),
    p(
        "please enable js and disable any ad blocker",
        "en",
        Challenge,
    ),
    p("enable javascript and cookies to continue", "en", Challenge),
    p("please enable cookies", "en", Challenge),
    p("access denied", "en", Challenge),
    p("request unsuccessful. incapsula", "en", Challenge),
    p("captcha", "*", Challenge),
    p("before you continue", "en", Challenge),
    p("bevor sie fortfahren", "de", Challenge),
    p("avant de continuer", "fr", Challenge),
    p("you have been blocked", "en", Challenge),
    p("has been limited by the site owner", "en", Challenge),
    p("access to this page has been denied", "en", Challenge),
    p("too many requests", "en", Challenge),
    p("rate limit exceeded", "en", Challenge),
    p("访问过于频繁", "zh", Challenge),
    p("请求过于频繁", "zh", Challenge),
    p("操作过于频繁", "zh", Challenge),
    p("訪問過於頻繁", "zh-TW", Challenge),
    p("请输入验证码", "zh", Challenge),
    p("安全验证", "zh", Challenge),
    p("访问验证", "zh", Challenge),
    p("人机验证", "zh", Challenge),
    // Parked and for-sale domains.
    p("domain may be for sale", "en", Parked),
    p("domain is for sale", "en", Parked),
    p("buy this domain", "en", Parked),
    p("this domain has expired", "en", Parked),
    p("domain name is parked", "en", Parked),
    p("parked free", "en", Parked),
    p("domain for sale", "en", Parked),
    p("domain is parked", "en", Parked),
    p("get this domain", "en", Parked),
    p("inquire about this domain", "en", Parked),
    p("该域名正在出售", "zh", Parked),
];

/// The phrases that say `says`, in table order.
pub fn saying(says: Says) -> &'static [&'static str] {
    use std::sync::LazyLock;
    static BY_KIND: LazyLock<[Vec<&'static str>; 4]> = LazyLock::new(|| {
        Says::ALL.map(|s| {
            PHRASES
                .iter()
                .filter(|p| p.says == s)
                .map(|p| p.text)
                .collect()
        })
    });
    let i = Says::ALL.iter().position(|s| *s == says).unwrap_or(0);
    &BY_KIND[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_lowercase_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for p in PHRASES {
            assert_eq!(
                p.text,
                p.text.to_lowercase(),
                "{:?} is matched lowercased",
                p.text
            );
            assert!(seen.insert(p.text), "{:?} twice", p.text);
            assert!(p.text.chars().count() >= 2, "{:?} too short", p.text);
        }
        for kind in Says::ALL {
            assert!(!saying(kind).is_empty());
        }
    }
}

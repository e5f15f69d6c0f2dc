//! The pages of the site: a transcript's page around the shared renderer's body, and the pages that
//! lead to transcripts (home, all, search, one per group).

use super::{slug, up, url_path, SiteFile, SiteOptions};
use crate::archive::SlugKind;
use crate::emit::html::{escaped, DocRenderer, Flavor};
use crate::ir::Lang;
use crate::script::lang_of;
use crate::select::{display_title, Selected, View};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A download offered on a transcript's page: a file made by one of bitext's writers.
#[derive(Debug, Clone)]
pub struct Download {
    pub format: String,
    pub view: View,
    /// Below the site's root.
    pub path: String,
    pub bytes: u64,
}

/// What the home and group pages say of one transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// The transcript's page, below the site's root.
    pub path: String,
    pub title: String,
    /// The English title, when the transcript has English and it differs.
    pub title_en: Option<String>,
    pub speaker: Option<String>,
    pub people: Vec<String>,
    pub date: Option<String>,
    pub category: Option<String>,
    pub area: Option<String>,
    pub tags: Vec<String>,
}

/// Text in both languages, each marked, for the language switch: `双语` readers see the Chinese.
fn both(zh: &str, en: &str) -> String {
    format!("<span class=\"ui-zh\" lang=\"zh-Hans\">{zh}</span><span class=\"ui-en\" lang=\"en\">{en}</span>")
}

/// A whole page: head, skip link, site header (with the language switch on transcript pages), `main`
/// (indexed for search on transcript pages), footer.
fn page(path: &str, title: &str, body: &str, options: &SiteOptions, transcript: bool) -> String {
    let root = up(path);
    let mut out = String::with_capacity(body.len() + 2048);
    let site = escaped(&options.title);
    let full_title = if title == options.title { site.clone() } else { format!("{} · {site}", escaped(title)) };
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    // No icon to fetch: a browser asks for /favicon.ico otherwise.
    out.push_str("<link rel=\"icon\" href=\"data:,\">\n");
    let _ = writeln!(out, "<title>{full_title}</title>");
    if let Some(base) = &options.base_url {
        let base = if base.ends_with('/') { base.clone() } else { format!("{base}/") };
        let _ = writeln!(out, "<link rel=\"canonical\" href=\"{}{}\">", escaped(&base), url_path(path));
    }
    let _ = writeln!(out, "<link rel=\"stylesheet\" href=\"{root}assets/base.css\">");
    let _ = writeln!(out, "<link rel=\"stylesheet\" href=\"{root}assets/site.css\">");
    let _ = writeln!(out, "<script src=\"{root}assets/site.js\"></script>\n</head>\n<body>");
    let _ = writeln!(out, "<a class=\"skip\" href=\"#main\">{}</a>", both("跳到正文", "Skip to the text"));
    let _ = writeln!(out, "<header class=\"site\">\n<a class=\"home\" href=\"{root}index.html\">{site}</a>");
    if transcript {
        let _ = writeln!(
            out,
            "<div class=\"switch\" role=\"group\" aria-label=\"显示语言 Languages shown\" hidden>\n\
             <button type=\"button\" data-show=\"bi\" aria-pressed=\"true\">双语</button>\n\
             <button type=\"button\" data-show=\"zh\" aria-pressed=\"false\">中文</button>\n\
             <button type=\"button\" data-show=\"en\" aria-pressed=\"false\" lang=\"en\">English</button>\n</div>"
        );
    }
    let _ = writeln!(
        out,
        "<form class=\"search\" role=\"search\" action=\"{root}search.html\">\n\
         <label for=\"site-q\" class=\"skip\">{}</label>\n\
         <input type=\"search\" id=\"site-q\" name=\"q\" placeholder=\"搜索 Search\">\n\
         <button type=\"submit\">{}</button>\n</form>\n</header>",
        both("搜索全部访谈", "Search all transcripts"),
        both("搜索", "Search")
    );
    let indexed = if transcript { " data-pagefind-body" } else { "" };
    let _ = writeln!(out, "<main id=\"main\"{indexed}>");
    out.push_str(body);
    out.push_str("</main>\n<footer class=\"site\">\n");
    let _ = writeln!(
        out,
        "<p>{} · <a href=\"{root}all.html\">{}</a></p>\n</footer>\n</body>\n</html>",
        site,
        both("全部访谈", "All transcripts")
    );
    out
}

/// A transcript's page: the shared renderer's title page, contents and sections, with the downloads
/// after the title page; and what the listings say of it.
pub fn transcript_page(
    selected: &Selected<'_>,
    path: &str,
    downloads: &[Download],
    options: &SiteOptions,
) -> (SiteFile, Listing) {
    let rendered = DocRenderer::new(selected, "", 0, Flavor::Web).render_web();
    let doc = selected.source();
    let m = &doc.meta;
    let title_en = Some(display_title(doc, View::En)).filter(|t| doc.has_lang(Lang::En) && *t != m.title);
    let mut body = String::with_capacity(rendered.body.len() + 1024);
    // The search result's title: the transcript's title, not both languages of the heading run together.
    let _ = writeln!(body, "<span hidden data-pagefind-meta=\"title\">{}</span>", escaped(&rendered.title));
    let (title_section, rest) = match rendered.body.find("</section>\n") {
        Some(end) => rendered.body.split_at(end + "</section>\n".len()),
        None => (rendered.body.as_str(), ""),
    };
    body.push_str(title_section);
    if !downloads.is_empty() {
        let root = up(path);
        let _ = writeln!(
            body,
            "<section class=\"downloads\" data-pagefind-ignore aria-labelledby=\"downloads-h\">\n<h2 id=\"downloads-h\">{}</h2>\n<ul>",
            both("下载", "Downloads")
        );
        for d in downloads {
            let what = match d.view {
                View::Bi => both("双语", "bilingual"),
                View::Zh => both("中文", "Chinese"),
                View::En => both("英文", "English"),
            };
            let size = if d.bytes >= 1024 * 1024 {
                format!("{:.1} MB", d.bytes as f64 / (1024.0 * 1024.0))
            } else {
                format!("{} KB", d.bytes.div_ceil(1024))
            };
            let _ = writeln!(
                body,
                "<li><a href=\"{root}{}\" download>{} {what}</a> <span class=\"meta\">{size}</span></li>",
                url_path(&d.path),
                escaped(&d.format.to_uppercase())
            );
        }
        body.push_str("</ul>\n</section>\n");
    }
    body.push_str(&rest.replace("<nav class=\"contents\"", "<nav class=\"contents\" data-pagefind-ignore"));
    let html = page(path, &rendered.title, &body, options, true);
    let listing = Listing {
        path: path.to_string(),
        title: m.title.clone(),
        title_en,
        speaker: m.speaker.clone().or_else(|| m.author.clone()),
        people: m.people.clone(),
        date: m.date.clone(),
        category: m.category.clone(),
        area: m.area.clone(),
        tags: m.tags.clone(),
    };
    (SiteFile { path: path.to_string(), bytes: html.into_bytes() }, listing)
}

/// The ways into an archive: (folder, Chinese and English name of the kind).
const KINDS: [(&str, &str, &str); 6] = [
    ("category", "分类", "Categories"),
    ("area", "领域", "Areas"),
    ("speaker", "讲者", "Speakers"),
    ("person", "人物", "People"),
    ("tag", "标签", "Tags"),
    ("year", "年份", "Years"),
];

/// A group: its page, its name in both languages, its members (indices into the listings, newest first).
struct Group {
    path: String,
    zh: String,
    en: String,
    members: Vec<usize>,
}

/// The groups of one kind, by page path.
fn groups(listings: &[Listing], kind: &str, options: &SiteOptions) -> Vec<Group> {
    let mut by_path: BTreeMap<String, Group> = BTreeMap::new();
    for (i, l) in listings.iter().enumerate() {
        let keys: Vec<String> = match kind {
            "category" => l.category.iter().cloned().collect(),
            "area" => l.area.iter().cloned().collect(),
            "speaker" => l.speaker.iter().cloned().collect(),
            "person" => l.people.clone(),
            "tag" => l.tags.clone(),
            _ => l
                .date
                .iter()
                .filter(|d| d.len() >= 4 && d[..4].bytes().all(|b| b.is_ascii_digit()))
                .map(|d| d[..4].to_string())
                .collect(),
        };
        for key in keys.into_iter().filter(|k| !k.trim().is_empty()) {
            let named = |lang| match kind {
                "category" => options.archive.display(SlugKind::Category, &key, lang),
                "area" => options.archive.display(SlugKind::Area, &key, lang),
                "tag" => options.archive.display(SlugKind::Tag, &key, lang),
                _ => key.clone(),
            };
            let path = format!("{kind}/{}.html", slug(&key));
            let group = by_path.entry(path.clone()).or_insert_with(|| Group {
                path,
                zh: named(Lang::Zh),
                en: named(Lang::En),
                members: Vec::new(),
            });
            if !group.members.contains(&i) {
                group.members.push(i);
            }
        }
    }
    let mut groups: Vec<Group> = by_path.into_values().collect();
    for g in &mut groups {
        sort_newest_first(&mut g.members, listings);
    }
    groups
}

fn sort_newest_first(members: &mut [usize], listings: &[Listing]) {
    members.sort_by(|&a, &b| {
        let (la, lb) = (&listings[a], &listings[b]);
        lb.date.cmp(&la.date).then_with(|| la.title.cmp(&lb.title))
    });
}

/// A name in both languages when they differ.
fn named(zh: &str, en: &str) -> String {
    if zh == en {
        format!("<span lang=\"{}\">{}</span>", lang_of(zh).bcp47(), escaped(zh))
    } else {
        both(&escaped(zh), &escaped(en))
    }
}

/// A list of transcripts, linked from a page at `from`.
fn listing(members: &[usize], listings: &[Listing], from: &str) -> String {
    let root = up(from);
    let mut b = String::from("<ul class=\"listing\">\n");
    for &i in members {
        let l = &listings[i];
        let title = match &l.title_en {
            Some(en) => both(&escaped(&l.title), &escaped(en)),
            None => format!("<span lang=\"{}\">{}</span>", lang_of(&l.title).bcp47(), escaped(&l.title)),
        };
        let meta: Vec<String> = [&l.speaker, &l.date].into_iter().flatten().map(|s| escaped(s)).collect();
        let _ = writeln!(
            b,
            "<li><a href=\"{root}{}\">{title}</a><span class=\"meta\">{}</span></li>",
            url_path(&l.path),
            meta.join(" · ")
        );
    }
    b.push_str("</ul>\n");
    b
}

/// Home, all transcripts, search, and a page per group.
pub fn index_pages(listings: &[Listing], bundles: usize, options: &SiteOptions) -> Vec<SiteFile> {
    let mut files = Vec::new();
    let mut everyone: Vec<usize> = (0..listings.len()).collect();
    sort_newest_first(&mut everyone, listings);
    let title = escaped(&options.title);
    // Home: the title, a search box, the newest transcripts, the ways in.
    let mut home = format!(
        "<h1>{title}</h1>\n<p class=\"meta\">{}</p>\n\
         <form class=\"search\" role=\"search\" action=\"search.html\">\n\
         <label for=\"home-q\">{}</label>\n<input type=\"search\" id=\"home-q\" name=\"q\">\n\
         <button type=\"submit\">{}</button>\n</form>\n",
        both(&format!("共 {} 篇访谈", listings.len()), &format!("{} transcripts", listings.len())),
        both("在中文和英文中搜索", "Search in Chinese and English"),
        both("搜索", "Search")
    );
    let newest: Vec<usize> = everyone.iter().copied().take(12).collect();
    let _ = write!(home, "<h2>{}</h2>\n{}", both("最新", "Latest"), listing(&newest, listings, "index.html"));
    let _ = writeln!(home, "<p><a href=\"all.html\">{}</a></p>", both("全部访谈", "All transcripts"));
    for (kind, zh, en) in KINDS {
        let groups = groups(listings, kind, options);
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(home, "<h2>{}</h2>\n<ul class=\"groups\">", both(zh, en));
        for g in &groups {
            let _ = writeln!(
                home,
                "<li><a href=\"{}\">{}</a> <span class=\"count\">{}</span></li>",
                url_path(&g.path),
                named(&g.zh, &g.en),
                g.members.len()
            );
        }
        home.push_str("</ul>\n");
        for g in groups {
            let body = format!(
                "<p class=\"meta\">{}</p>\n<h1>{}</h1>\n{}",
                both(zh, en),
                named(&g.zh, &g.en),
                listing(&g.members, listings, &g.path)
            );
            let html = page(&g.path, &g.zh, &body, options, false);
            files.push(SiteFile { path: g.path, bytes: html.into_bytes() });
        }
    }
    files.push(SiteFile {
        path: "index.html".into(),
        bytes: page("index.html", &options.title, &home, options, false).into_bytes(),
    });
    let all = format!("<h1>{}</h1>\n{}", both("全部访谈", "All transcripts"), listing(&everyone, listings, "all.html"));
    files.push(SiteFile {
        path: "all.html".into(),
        bytes: page("all.html", "全部访谈", &all, options, false).into_bytes(),
    });
    let search = format!(
        "<h1>{}</h1>\n\
         <form class=\"search\" role=\"search\" action=\"search.html\" data-results data-base=\"./\" data-more=\"{}\">\n\
         <label for=\"q\">{}</label>\n<input type=\"search\" id=\"q\" name=\"q\">\n\
         <button type=\"submit\">{}</button>\n</form>\n\
         <p id=\"search-status\" role=\"status\" data-searching=\"正在搜索… Searching…\" \
         data-found=\"{{n}} 篇含有「{{q}}」 · {{n}} found\" data-none=\"没有找到「{{q}}」 · Nothing found\" \
         data-failed=\"搜索索引无法载入 · The search index could not be loaded\"></p>\n\
         <ol id=\"results\" class=\"results\"></ol>\n\
         <noscript><p>{}</p></noscript>\n",
        both("搜索", "Search"),
        (1..bundles).map(super::bundle_dir).collect::<Vec<_>>().join(" "),
        both("搜索词", "Search for"),
        both("搜索", "Search"),
        both(
            "搜索需要 JavaScript；也可以从全部访谈的列表进入。",
            "Search needs JavaScript; the list of all transcripts works without it."
        )
    );
    files.push(SiteFile {
        path: "search.html".into(),
        bytes: page("search.html", "搜索", &search, options, false).into_bytes(),
    });
    files
}

//! Advanced SubStation Alpha (v4+): the same cut and timed track as SRT and VTT, styled by the theme's
//! `subtitles.yaml`. Two styles, `Chinese` and `English`; a bilingual cue is one Dialogue whose Chinese
//! lines come first and whose English lines switch to the English style (`{\rEnglish}`), so players
//! stack them at the bottom, Chinese above. Lines are broken here (`\N`), never by the player.

use super::{side_lines, Track};
use crate::emit::clock::hms_centis;
use crate::emit::WriteOptions;
use crate::ir::Lang;
use crate::select::Selected;
use crate::theme::{parse_colour, SubtitleFont, SubtitleStyle};
use std::fmt::Write as _;

/// `#rrggbb` as ASS writes a colour: `&H00BBGGRR` (alpha first, then blue, green, red).
fn colour(hex: &str, alpha: u8) -> String {
    let [r, g, b] = parse_colour(hex).unwrap_or([1.0, 1.0, 1.0]).map(|v| (v * 255.0).round() as u8);
    format!("&H{alpha:02X}{b:02X}{g:02X}{r:02X}")
}

/// Text as ASS shows it literally: braces open override blocks and a backslash starts an escape, so both
/// become their full-width forms; a line break would end the event, so it becomes a space.
fn literal(text: &str) -> String {
    text.replace('\\', "＼").replace('{', "｛").replace('}', "｝").replace(['\r', '\n'], " ")
}

fn style_line(name: &str, font: &SubtitleFont, style: &SubtitleStyle) -> String {
    let s = style;
    format!(
        "Style: {name},{},{},{},&H000000FF,{},&H80000000,{},0,0,0,100,100,0,0,1,{},{},2,{},{},{},1",
        // The theme refuses family names with `,`, braces or backslashes: written as they are.
        font.font,
        font.size,
        colour(&font.colour, 0),
        colour(&s.outline_colour, 0),
        if font.bold { -1 } else { 0 },
        s.outline,
        s.shadow,
        s.margin_h,
        s.margin_h,
        s.margin_v,
    )
}

pub(super) fn ass(track: &Track, selected: &Selected<'_>, options: &WriteOptions) -> String {
    let style = &options.theme.subtitles;
    let mut out = String::new();
    out.push_str("[Script Info]\n; Made by bitext\n");
    let _ = writeln!(out, "Title: {}", literal(&selected.reader.title).replace('\n', " "));
    out.push_str("ScriptType: v4.00+\nWrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n");
    let _ = writeln!(out, "PlayResX: {}\nPlayResY: {}\n", style.play_res_x, style.play_res_y);
    out.push_str("[V4+ Styles]\n");
    out.push_str(
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, \
         Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, \
         MarginL, MarginR, MarginV, Encoding\n",
    );
    let _ = writeln!(out, "{}", style_line("Chinese", &style.zh, style));
    let _ = writeln!(out, "{}\n", style_line("English", &style.en, style));
    out.push_str("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
    let voice = |_: &super::cues::Voice, _: Lang| "- ".to_string();
    for cue in &track.cues {
        let zh = side_lines(&cue.text, Lang::Zh, &track.limits, &voice, &literal);
        let en = side_lines(&cue.text, Lang::En, &track.limits, &voice, &literal);
        let (style_name, text) = match (zh.is_empty(), en.is_empty()) {
            (false, false) => ("Chinese", format!("{}\\N{{\\rEnglish}}{}", zh.join("\\N"), en.join("\\N"))),
            (false, true) => ("Chinese", zh.join("\\N")),
            (true, _) => ("English", en.join("\\N")),
        };
        let _ =
            writeln!(out, "Dialogue: 0,{},{},{style_name},,0,0,0,,{text}", hms_centis(cue.start), hms_centis(cue.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_alpha_blue_green_red() {
        assert_eq!(colour("#102030", 0), "&H00302010");
        assert_eq!(colour("#ffffff", 0x80), "&H80FFFFFF");
    }

    #[test]
    fn text_never_opens_an_override_or_an_escape() {
        assert_eq!(literal("a {\\b1} b \\N"), "a ｛＼b1｝ b ＼N");
        assert_eq!(literal("one\ntwo"), "one two");
    }
}

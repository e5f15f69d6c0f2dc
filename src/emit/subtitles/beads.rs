//! Sentence alignment of a segment's Chinese and English, in the manner of Gale and Church (1993): a
//! dynamic program over "beads", each a run of 0 to 3 sentences on one side matched with a run on the
//! other, scored by how far the English length strays from the length the Chinese predicts and by a
//! prior on the bead's shape. Names and numbers written in the Chinese anchor it: a bead whose English
//! holds them is cheaper, one whose English lacks them dearer. No crate aligns Chinese to English
//! sentences this way without a trained model, and the program is small, so it is written here.

use super::cut::marks;

/// Above this many cells (Chinese sentences times English ones) a segment is not aligned: the caller
/// cuts it in proportion, which costs nothing, rather than spend quadratic time on one paragraph.
const MAX_CELLS: usize = 250_000;

/// The beads of an alignment in order: for each, how many sentences it takes from each side. Every
/// bead takes at least one sentence of each side; a sentence with no counterpart joins its neighbour.
/// Empty when either side is empty or the segment is too large to align.
pub(crate) fn align(zh: &[&str], en: &[&str]) -> Vec<(usize, usize)> {
    let (n, m) = (zh.len(), en.len());
    if n == 0 || m == 0 || (n + 1) * (m + 1) > MAX_CELLS {
        return Vec::new();
    }
    let zl: Vec<f64> = zh.iter().map(|s| weight_zh(s)).collect();
    let el: Vec<f64> = en.iter().map(|s| s.chars().filter(|c| c.is_alphanumeric()).count().max(1) as f64).collect();
    // English characters per Chinese character, in this segment.
    let ratio = el.iter().sum::<f64>() / zl.iter().sum::<f64>().max(1.0);
    let zh_marks: Vec<Vec<String>> =
        zh.iter().map(|s| marks(s).into_iter().map(|(word, _, _)| word).collect()).collect();
    let en_lower: Vec<String> = en.iter().map(|s| s.to_lowercase()).collect();
    let zpre = prefix(&zl);
    let epre = prefix(&el);
    // cost[i][j]: the best alignment of the first i Chinese and first j English sentences.
    let mut cost = vec![f64::INFINITY; (n + 1) * (m + 1)];
    let mut back = vec![(0u8, 0u8); (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[at(i, j)];
            if !here.is_finite() {
                continue;
            }
            for di in 0..=3usize {
                for dj in 0..=3usize {
                    if di + dj == 0 || i + di > n || j + dj > m {
                        continue;
                    }
                    let a = (zpre[i + di] - zpre[i]) * ratio;
                    let b = epre[j + dj] - epre[j];
                    let delta = (b - a) / (6.8 * a.max(b).max(1.0)).sqrt();
                    let mut c = here + delta * delta / 2.0 + shape_penalty(di, dj);
                    for mark in zh_marks[i..i + di].iter().flatten() {
                        let found = en_lower[j..j + dj].iter().any(|e| e.contains(mark.as_str()));
                        c += if found { -1.0 } else { 1.0 };
                    }
                    let k = at(i + di, j + dj);
                    if c < cost[k] {
                        cost[k] = c;
                        back[k] = (di as u8, dj as u8);
                    }
                }
            }
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj) = back[at(i, j)];
        beads.push((di as usize, dj as usize));
        i -= di as usize;
        j -= dj as usize;
    }
    beads.reverse();
    attach_empty_sides(beads)
}

/// -ln of a bead shape's prior, relative to 1-1 (Gale and Church's figures, extended to runs of three).
fn shape_penalty(di: usize, dj: usize) -> f64 {
    match (di, dj) {
        (1, 1) => 0.0,
        (1, 2) | (2, 1) => 2.3,
        (2, 2) => 4.4,
        (1, 0) | (0, 1) => 4.5,
        (1, 3) | (3, 1) => 4.6,
        _ => 6.0 + (di + dj) as f64,
    }
}

/// A sentence with no counterpart (a 1-0 or 0-1 bead) joins the bead before it, or after it when first.
fn attach_empty_sides(beads: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(beads.len());
    let mut pending = (0, 0);
    for (di, dj) in beads {
        let bead = (di + pending.0, dj + pending.1);
        if bead.0 == 0 || bead.1 == 0 {
            match out.last_mut() {
                Some(last) => {
                    last.0 += bead.0;
                    last.1 += bead.1;
                    pending = (0, 0);
                }
                None => pending = bead,
            }
            continue;
        }
        pending = (0, 0);
        out.push(bead);
    }
    if let Some(last) = out.last_mut() {
        last.0 += pending.0;
        last.1 += pending.1;
    }
    out
}

/// Length of a Chinese sentence in Chinese characters, a Latin word or number counting as two.
fn weight_zh(s: &str) -> f64 {
    let mut w: f64 = 0.0;
    let mut in_word = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if !in_word {
                w += 2.0;
            }
            in_word = true;
        } else {
            in_word = false;
            if c.is_alphanumeric() {
                w += 1.0;
            }
        }
    }
    w.max(1.0)
}

fn prefix(v: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len() + 1);
    out.push(0.0);
    for x in v {
        out.push(out.last().copied().unwrap_or(0.0) + x);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_names_decide_the_beads() {
        // Two Chinese sentences against three English ones: the long second Chinese sentence pairs with
        // the last two English sentences.
        let zh = ["你好。", "我们今天用 Rust 写了一个很长的程序，它跑得很快。"];
        let en = ["Hello.", "Today we wrote a long program in Rust.", "It runs very fast."];
        assert_eq!(align(&zh, &en), [(1, 1), (1, 2)]);
        // One English sentence against three Chinese ones: one bead.
        assert_eq!(align(&["一。", "二。", "三。"], &["One, two, three."]), [(3, 1)]);
        // A name pulls its sentence to the English that holds it.
        let zh = ["Anthropic 发布了新模型。", "大家都很高兴。"];
        let en = ["Everyone was happy that Anthropic released a new model today.", "Yes."];
        let beads = align(&zh, &en);
        assert_eq!(beads.iter().map(|b| b.0).sum::<usize>(), 2);
        assert_eq!(beads.iter().map(|b| b.1).sum::<usize>(), 2);
    }

    #[test]
    fn every_sentence_is_used_once_and_no_bead_has_an_empty_side() {
        let zh: Vec<String> = (0..17).map(|i| "字".repeat(1 + i * 7 % 23) + "。").collect();
        let en: Vec<String> = (0..11).map(|i| "word ".repeat(1 + i * 5 % 13)).collect();
        let zh: Vec<&str> = zh.iter().map(String::as_str).collect();
        let en: Vec<&str> = en.iter().map(String::as_str).collect();
        let beads = align(&zh, &en);
        assert_eq!(beads.iter().map(|b| b.0).sum::<usize>(), 17);
        assert_eq!(beads.iter().map(|b| b.1).sum::<usize>(), 11);
        assert!(beads.iter().all(|&(a, b)| a > 0 && b > 0), "{beads:?}");
    }
}

//! Times in a video, as writers print them: `[hh:mm:ss]` anchors in text and books, `HH:MM:SS,mmm` in
//! subtitles. One place, so every format shows the same second the same way.

/// `hh:mm:ss` of whole seconds.
pub(crate) fn hms(seconds: u32) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// `hh:mm:ss` then `separator` then milliseconds (`,` for SRT, `.` for WebVTT); rounded to the
/// millisecond, a negative time shown as zero.
pub(crate) fn hms_millis(seconds: f32, separator: char) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!("{:02}:{:02}:{:02}{separator}{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// `h:mm:ss.cc`, centiseconds, as SubStation Alpha writes times; a negative time shown as zero.
pub(crate) fn hms_centis(seconds: f32) -> String {
    let cs = (seconds.max(0.0) * 100.0).round() as u64;
    format!("{}:{:02}:{:02}.{:02}", cs / 360_000, cs / 6_000 % 60, cs / 100 % 60, cs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks() {
        assert_eq!(hms(0), "00:00:00");
        assert_eq!(hms(3725), "01:02:05");
        assert_eq!(hms_millis(3725.25, ','), "01:02:05,250");
        assert_eq!(hms_millis(-1.0, '.'), "00:00:00.000");
        assert_eq!(hms_centis(3725.25), "1:02:05.25");
    }
}

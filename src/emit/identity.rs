//! Identifiers that last: an edition's (one transcript in one view and format) comes from the transcript's
//! identity (`Metadata::id`: front matter `id`, its source URL or its path under the archive root), never
//! from its content, so that fixing a typo does not put a second copy of a book in a reader's library or
//! lose the reading position; an anthology's from its title and its members' identities. Editions of one
//! transcript differ from each other (bi, zh, en; EPUB, PDF).

use crate::ir::Document;
use crate::select::View;
use sha2::{Digest, Sha256};

/// What identifies a transcript: its `id`, or a digest of its content when it has none (a document built
/// in code rather than read from an archive).
pub(crate) fn identity(doc: &Document) -> Vec<u8> {
    match &doc.meta.id {
        Some(id) => id.as_bytes().to_vec(),
        None => {
            let json = serde_json::to_vec(&doc.without_positions()).unwrap_or_default();
            Sha256::digest(&json).to_vec()
        }
    }
}

/// The 16 bytes that identify one edition of a transcript.
pub(crate) fn edition_key(doc: &Document, view: View, format: &str) -> [u8; 16] {
    key(&[b"bitext edition", &identity(doc), view.name().as_bytes(), format.as_bytes()])
}

/// A transcript's own identifier, whatever its editions: what an archive's catalog calls it.
pub fn transcript_urn(doc: &Document) -> String {
    urn_uuid(key(&[b"bitext transcript", &identity(doc)]))
}

/// The 16 bytes that identify an anthology: its title and its members' identities, in order.
pub(crate) fn anthology_key(title: &str, members: &[Vec<u8>], view: View, format: &str) -> [u8; 16] {
    let mut parts: Vec<&[u8]> = vec![b"bitext anthology", title.as_bytes(), view.name().as_bytes(), format.as_bytes()];
    parts.extend(members.iter().map(Vec::as_slice));
    key(&parts)
}

/// A digest of the parts, each length-prefixed so that no two lists of parts run together alike.
fn key(parts: &[&[u8]]) -> [u8; 16] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let mut out = [0u8; 16];
    out.copy_from_slice(&hasher.finalize()[..16]);
    out
}

/// A key as a name-based UUID URN (RFC 9562 version 8 layout).
pub(crate) fn urn_uuid(key: [u8; 16]) -> String {
    let mut b = key;
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Metadata, IR_VERSION};

    fn doc(id: Option<&str>, title: &str) -> Document {
        let meta = Metadata { id: id.map(String::from), title: title.into(), ..Default::default() };
        Document { ir_version: IR_VERSION, meta, sections: vec![] }
    }

    #[test]
    fn an_edit_keeps_the_identifier_and_editions_differ() {
        let before = doc(Some("talks/a.md"), "A talk");
        let edited = doc(Some("talks/a.md"), "A talk, typo fixed");
        let id = urn_uuid(edition_key(&before, View::Bi, "epub"));
        assert_eq!(id, urn_uuid(edition_key(&edited, View::Bi, "epub")));
        assert_ne!(id, urn_uuid(edition_key(&before, View::En, "epub")));
        assert_ne!(edition_key(&before, View::Bi, "epub"), edition_key(&before, View::Bi, "pdf"));
        assert_ne!(id, urn_uuid(edition_key(&doc(Some("talks/b.md"), "A talk"), View::Bi, "epub")));
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
        assert_eq!(&id[23..24], "8", "version 8: {id}");
        // Without an identity, the content decides.
        assert_ne!(edition_key(&doc(None, "A"), View::Bi, "epub"), edition_key(&doc(None, "B"), View::Bi, "epub"));
    }

    #[test]
    fn an_anthology_follows_its_title_and_members() {
        let members = vec![b"a.md".to_vec(), b"b.md".to_vec()];
        let k = anthology_key("Talks", &members, View::Bi, "epub");
        assert_eq!(k, anthology_key("Talks", &members, View::Bi, "epub"));
        assert_ne!(k, anthology_key("Talks", &members[..1], View::Bi, "epub"));
        assert_ne!(k, anthology_key("Other", &members, View::Bi, "epub"));
    }
}

//! The outline (bookmarks): the document's headings as a tree, each leading to its place.

use super::layout::OutlineEntry;
use super::text_string;
use lopdf::{Dictionary, Object, ObjectId};

/// Build the nested outline; returns the outline dictionary's id.
pub(super) fn write(
    doc: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
    page_height: f32,
) -> ObjectId {
    // Tree by level: each entry's parent is the nearest earlier entry with a lower level.
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    let mut parent: Vec<Option<usize>> = vec![None; entries.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent[i] = stack.last().copied();
        stack.push(i);
    }
    // Children of each entry, and the top level, computed once.
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top: Vec<usize> = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    // Top-level entries open (their children shown), everything deeper closed.
    let visible = top.len() + top.iter().map(|&t| kids[t].len()).sum::<usize>();
    for (i, e) in entries.iter().enumerate() {
        let siblings = parent[i].map_or(&top, |p| &kids[p]);
        let pos = siblings.iter().position(|&s| s == i).expect("an entry is its parent's child");
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p])));
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if pos + 1 < siblings.len() {
            d.set("Next", Object::Reference(ids[siblings[pos + 1]]));
        }
        if let (Some(&first), Some(&last)) = (kids[i].first(), kids[i].last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            let n = kids[i].len() as i64;
            d.set("Count", Object::Integer(if parent[i].is_none() { n } else { -n }));
        }
        if let Some(&page) = pages.get(e.page) {
            let top = (page_height - e.y + 4.0).max(0.0);
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(top),
                    Object::Null,
                ]),
            );
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        d.set("First", Object::Reference(ids[first]));
        d.set("Last", Object::Reference(ids[last]));
        d.set("Count", Object::Integer(visible as i64));
    }
    doc.objects.insert(root, Object::Dictionary(d));
    root
}

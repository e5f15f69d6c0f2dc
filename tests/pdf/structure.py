#!/usr/bin/env python3
"""Read a PDF's structure tree, marked content, links and outline back with pikepdf, independently of
bitext, and print what was found as JSON (the Rust tests judge it).

    python3 tests/pdf/structure.py FILE.pdf

Printed: whether the catalog says the file is tagged and its language; the structure elements by type,
and by type and language; how many marked-content ids the pages' content streams use and how many of
them the parent tree does not lead back to the element that claims them; how many artifact sequences
the pages have; every link annotation (page, URI or destination page, whether a Link element holds
it); the outline's entries with their pages.
"""

import collections
import json
import sys

import pikepdf


def elements(root):
    """Every structure element under the tree root, depth first, with its parent chain checked."""
    found = []
    stack = [root.K] if not isinstance(root.K, pikepdf.Array) else list(root.K)
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") not in (None, "/StructElem"):
            continue
        if "/S" not in node:
            continue
        found.append(node)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif kids is not None:
            stack.append(kids)
    return found


def main(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    out = {
        "tagged": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        "lang": str(root.get("/Lang", "")),
        "elements": {},
        "languages": {},
        "unlabelled_paragraphs": 0,
        "mcids": 0,
        "unmapped": 0,
        "artifacts": 0,
        "links": [],
        "outline": [],
    }
    tree = root.get("/StructTreeRoot")
    claimed = {}  # (page index, mcid) -> element objgen
    if tree is not None:
        kinds = collections.Counter()
        langs = collections.Counter()
        for e in elements(tree):
            kind = str(e.S)[1:]
            kinds[kind] += 1
            if "/Lang" in e:
                langs[f"{kind} {e.Lang}"] += 1
            elif kind in ("P", "H1", "H2", "H3", "H4", "H5", "H6", "Note", "LBody", "Code"):
                out["unlabelled_paragraphs"] += 1
            kids = e.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    claimed[(pages[kid.Pg.objgen], int(kid.MCID))] = e.objgen
        out["elements"] = dict(kinds)
        out["languages"] = dict(langs)
        nums = list(tree.ParentTree.get("/Nums", []))
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    else:
        parent_tree = {}
    for index, page in enumerate(pdf.pages):
        key = page.obj.get("/StructParents")
        owners = parent_tree.get(int(key)) if key is not None else None
        for operands, operator in pikepdf.parse_content_stream(page):
            if operator == pikepdf.Operator("BMC") and operands[0] == "/Artifact":
                out["artifacts"] += 1
            if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
                out["mcids"] += 1
                owner = owners[mcid] if owners is not None and mcid < len(owners) else None
                if owner is None or claimed.get((index, mcid)) != owner.objgen:
                    out["unmapped"] += 1
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            link = {"page": index, "uri": None, "dest": None, "tagged": False}
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                link["uri"] = str(action.URI)
            dest = annot.get("/Dest")
            if isinstance(dest, pikepdf.Array) and len(dest) > 0:
                link["dest"] = pages.get(dest[0].objgen)
            key = annot.get("/StructParent")
            if key is not None and int(key) in parent_tree:
                owner = parent_tree[int(key)]
                link["tagged"] = str(owner.S) == "/Link" and any(
                    isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen == annot.objgen
                    for k in (owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K])
                )
            out["links"].append(link)
    outlines = root.get("/Outlines")
    stack = [outlines.get("/First")] if outlines is not None else []
    while stack:
        item = stack.pop()
        if item is None:
            continue
        dest = item.get("/Dest")
        page = pages.get(dest[0].objgen) if isinstance(dest, pikepdf.Array) else None
        out["outline"].append({"title": str(item.Title), "page": page})
        stack.append(item.get("/Next"))
        stack.append(item.get("/First"))
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])

// bitext website: the language switch, glossary notes on hover or tap, and search (Pagefind).
// Without JavaScript every page shows both languages and every note sits after its section.
(function () {
  "use strict";
  var KEY = "bitext-show";
  var root = document.documentElement;

  function show(mode) {
    if (mode === "zh" || mode === "en") root.setAttribute("data-show", mode);
    else root.removeAttribute("data-show");
    var buttons = document.querySelectorAll(".switch button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-show") === (mode || "bi") ? "true" : "false");
    }
  }

  function remembered() {
    try { return localStorage.getItem(KEY) || "bi"; } catch (e) { return "bi"; }
  }

  function setUpSwitch() {
    var groups = document.querySelectorAll(".switch");
    for (var g = 0; g < groups.length; g++) {
      groups[g].hidden = false;
      groups[g].addEventListener("click", function (event) {
        var button = event.target.closest("button[data-show]");
        if (!button) return;
        var mode = button.getAttribute("data-show");
        try { localStorage.setItem(KEY, mode); } catch (e) { /* private browsing: not remembered */ }
        show(mode);
      });
    }
    show(remembered());
  }

  // A glossary note reference shows its note beside it on hover, focus or tap; Escape closes it.
  function setUpNotes() {
    var open = null;
    function close() { if (open) { open.remove(); open = null; } }
    function pop(ref) {
      close();
      var note = document.getElementById(ref.getAttribute("href").slice(1));
      if (!note) return;
      var box = document.createElement("div");
      box.className = "note-pop";
      box.setAttribute("role", "tooltip");
      box.id = "pop-" + note.id;
      box.lang = note.lang;
      box.textContent = note.textContent.replace(/^\s*\d+\s*/, "");
      document.body.appendChild(box);
      var r = ref.getBoundingClientRect();
      var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8);
      box.style.left = Math.max(8, left) + "px";
      box.style.top = (window.scrollY + r.bottom + 6) + "px";
      ref.setAttribute("aria-describedby", box.id);
      open = box;
    }
    var refs = document.querySelectorAll("a.noteref");
    for (var i = 0; i < refs.length; i++) {
      var ref = refs[i];
      ref.addEventListener("mouseenter", function () { pop(this); });
      ref.addEventListener("focus", function () { pop(this); });
      ref.addEventListener("mouseleave", close);
      ref.addEventListener("blur", close);
      ref.addEventListener("click", function (event) {
        // A tap shows the note where it is read; a second tap follows the link to the note.
        if (open && open.id === "pop-" + this.getAttribute("href").slice(1)) return;
        event.preventDefault();
        pop(this);
      });
    }
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  }

  // Search: the query from ?q=, results from the Pagefind index built with the site.
  function setUpSearch() {
    var form = document.querySelector("form.search[data-results]");
    var list = document.getElementById("results");
    var status = document.getElementById("search-status");
    if (!form || !list) return;
    var base = new URL(form.getAttribute("data-base"), location.href).href;
    var query = new URLSearchParams(location.search).get("q") || "";
    form.querySelector("input").value = query;
    if (!query.trim()) return;
    status.textContent = status.getAttribute("data-searching");
    var total = 0;
    // A large archive's index comes in bundles: the first is loaded, the others merged into it.
    var more = (form.getAttribute("data-more") || "").split(" ").filter(Boolean);
    import(base + "pagefind/pagefind.js").then(function (pagefind) {
      return Promise.all(more.map(function (dir) { return pagefind.mergeIndex(base + dir); })).then(function () {
        return pagefind.search(query);
      }).then(function (search) {
        total = search.results.length;
        return Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
      });
    }).then(function (results) {
      list.textContent = "";
      var template = status.getAttribute(total ? "data-found" : "data-none");
      status.textContent = template.split("{n}").join(String(total)).split("{q}").join(query);
      results.forEach(function (data) {
        var item = document.createElement("li");
        var sub = (data.sub_results && data.sub_results[0]) || data;
        var link = document.createElement("a");
        // Pagefind's links start at the site's root; the site may live in a folder of its host.
        link.href = new URL((sub.url || data.url).replace(/^\//, ""), base).href;
        link.textContent = (data.meta && data.meta.title) || data.url;
        var heading = document.createElement("h2");
        heading.appendChild(link);
        var excerpt = document.createElement("p");
        excerpt.innerHTML = sub.excerpt || data.excerpt;  // Pagefind's excerpt: escaped text and <mark>
        item.appendChild(heading);
        item.appendChild(excerpt);
        list.appendChild(item);
      });
    }).catch(function () {
      status.textContent = status.getAttribute("data-failed");
    });
  }

  show(remembered());
  document.addEventListener("DOMContentLoaded", function () {
    setUpSwitch();
    setUpNotes();
    setUpSearch();
  });
})();

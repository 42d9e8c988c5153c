/* serge-tei reading edition: tips, note popovers, plain reading, citations, search.
   Progressive enhancement: without this script every tip still shows on hover and focus
   (edition.css), names link to the indexes and note markers jump to the notes. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var PLAIN_KEY = "serge-tei:plain-reading";
  var MARGIN = 8;

  function plain() { return root.classList.contains("plain"); }
  try { if (localStorage.getItem(PLAIN_KEY) === "1") root.classList.add("plain"); } catch (e) { /* no storage */ }

  /* ----- placing a floating box inside the viewport ----- */
  function place(box, anchor) {
    var r = anchor.getBoundingClientRect();
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    box.style.maxWidth = Math.min(352, vw - 2 * MARGIN) + "px";
    box.style.left = "0px"; box.style.top = "0px";
    var w = box.offsetWidth, h = box.offsetHeight;
    var left = Math.max(MARGIN, Math.min(r.left, vw - w - MARGIN));
    var top = r.bottom + 4;
    if (top + h > vh - MARGIN && r.top - h - 4 >= MARGIN) top = r.top - h - 4;
    box.style.left = left + "px";
    box.style.top = Math.max(MARGIN, top) + "px";
  }

  /* ----- tips: one per mention, on hover, focus and tap; Escape and leaving close it ----- */
  var open = null, openTrigger = null, hideTimer = null, lastPointer = "mouse", openAtDown = null;

  function triggerOf(el) {
    var t = el && el.closest ? el.closest(".name > a[aria-describedby], .choice[aria-describedby]") : null;
    return t && document.getElementById(t.getAttribute("aria-describedby")) ? t : null;
  }
  function tipOf(trigger) { return document.getElementById(trigger.getAttribute("aria-describedby")); }

  function showTip(trigger, byTouch) {
    if (plain()) return;
    clearTimeout(hideTimer);
    var tip = tipOf(trigger);
    if (open && open !== tip) hideTip();
    tip.hidden = false;
    tip.classList.toggle("by-touch", !!byTouch && trigger.tagName === "A");
    open = tip; openTrigger = trigger;
    place(tip, trigger);
  }
  function hideTip() {
    clearTimeout(hideTimer);
    if (open) { open.hidden = true; open.classList.remove("by-touch"); }
    open = null; openTrigger = null;
  }
  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hideTip, 200); }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    openAtDown = openTrigger; /* a tap also focuses the link: what was open before it counts */
  }, true);
  document.addEventListener("mouseover", function (e) {
    if (lastPointer === "touch") return;
    var t = triggerOf(e.target);
    if (t) showTip(t, false);
    else if (open && open.contains(e.target)) clearTimeout(hideTimer);
  });
  document.addEventListener("mouseout", function (e) {
    if (!open || lastPointer === "touch") return;
    var into = e.relatedTarget;
    if (into && (open.contains(into) || (openTrigger && openTrigger.contains(into)))) return;
    if (triggerOf(e.target) === openTrigger || open.contains(e.target)) hideSoon();
  });
  document.addEventListener("focusin", function (e) {
    var t = triggerOf(e.target);
    if (t) showTip(t, false);
  });
  document.addEventListener("focusout", function (e) {
    if (open && triggerOf(e.target) === openTrigger) hideTip();
  });
  /* A tap shows the tip and stays in the text; a second tap on the same name follows it. */
  document.addEventListener("click", function (e) {
    var t = triggerOf(e.target);
    if (t && lastPointer === "touch" && !plain() && openAtDown !== t) {
      e.preventDefault();
      showTip(t, true);
      return;
    }
    if (open && !open.contains(e.target) && t !== openTrigger) hideTip();
  });
  window.addEventListener("scroll", function () { if (open) place(open, openTrigger); }, { passive: true });
  window.addEventListener("resize", function () { if (open) place(open, openTrigger); });

  /* ----- notes in place: the marker opens the note beside it ----- */
  var pop = null, popMarker = null, returnTo = {};

  function closePop(focusMarker) {
    if (!pop) return;
    pop.remove();
    if (focusMarker && popMarker) popMarker.focus({ preventScroll: true });
    popMarker.setAttribute("aria-expanded", "false");
    pop = null; popMarker = null;
  }
  function openPop(marker) {
    var item = document.getElementById(marker.getAttribute("data-note"));
    var body = item && item.querySelector(".note-body");
    if (!body) return false;
    closePop(false);
    hideTip();
    var box = document.createElement("span");
    box.className = "note-pop";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", marker.getAttribute("aria-label"));
    box.tabIndex = -1;
    var head = document.createElement("span");
    head.className = "note-pop-head";
    head.textContent = marker.getAttribute("aria-label");
    var close = document.createElement("button");
    close.type = "button"; close.className = "note-pop-close"; close.textContent = "Close";
    close.addEventListener("click", function () { closePop(true); });
    var content = document.createElement("span");
    content.className = "note-pop-body";
    content.appendChild(body.cloneNode(true));
    content.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var more = document.createElement("a");
    more.href = "#" + item.id; more.className = "note-pop-more";
    more.textContent = "In the list of notes";
    more.addEventListener("click", function () {
      returnTo[marker.id] = window.scrollY;
      closePop(false);
    });
    head.appendChild(close);
    box.append(head, content, more);
    marker.after(box);
    pop = box; popMarker = marker;
    marker.setAttribute("aria-expanded", "true");
    place(box, marker);
    box.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (e) {
    var marker = e.target.closest && e.target.closest("a.noteref[data-note]");
    if (marker) {
      if (popMarker === marker) { e.preventDefault(); closePop(true); return; }
      if (openPop(marker)) e.preventDefault();
      return;
    }
    if (pop && !pop.contains(e.target)) closePop(false);
    /* A back link returns to where the reader was, or brings the marker to mid-screen. */
    var back = e.target.closest && e.target.closest("a.backref[href^='#']");
    if (back) {
      var id = back.getAttribute("href").slice(1), target = document.getElementById(id);
      if (!target) return;
      e.preventDefault();
      history.pushState(null, "", "#" + id);
      if (id in returnTo) window.scrollTo(0, returnTo[id]);
      else target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (open) { hideTip(); e.preventDefault(); return; }
    if (pop) { closePop(true); e.preventDefault(); }
  });
  window.addEventListener("resize", function () { if (pop) place(pop, popMarker); });

  /* ----- the plain-reading switch, the reader's date in citations ----- */
  function setUp() {
    document.querySelectorAll("button.plain-switch").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", String(plain()));
      button.addEventListener("click", function () {
        var on = !plain();
        root.classList.toggle("plain", on);
        if (on) hideTip();
        button.setAttribute("aria-pressed", String(on));
        try { localStorage.setItem(PLAIN_KEY, on ? "1" : "0"); } catch (err) { /* no storage */ }
      });
    });
    var today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    document.querySelectorAll("[data-accessed]").forEach(function (el) {
      el.textContent = "Accessed " + today + ".";
    });
    highlightHit();
    revealTarget();
    var search = document.getElementById("search");
    if (search) setUpSearch(search);
  }

  /* ----- arriving from a search result: mark the first hit and bring it into view ----- */
  function highlightHit() {
    var terms = new URLSearchParams(location.search).getAll("highlight").join(" ")
      .toLowerCase().split(/\s+/).filter(function (w) { return w.length > 1; });
    var text = document.querySelector("main article.text");
    if (!terms.length || !text) return;
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) { return n.parentElement.closest(".tip") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var lower = node.data.toLowerCase();
      for (var i = 0; i < terms.length; i++) {
        var at = lower.indexOf(terms[i]);
        if (at < 0) continue;
        var range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + terms[i].length);
        var mark = document.createElement("mark");
        mark.className = "hit";
        range.surroundContents(mark);
        mark.scrollIntoView({ block: "center" });
        return;
      }
    }
  }

  /* ----- search over the Pagefind index (served over http only) ----- */
  function setUpSearch(box) {
    var form = box.querySelector("form"), status = box.querySelector(".search-status");
    var results = box.querySelector(".search-results");
    if (location.protocol === "file:") return; /* the page says how to serve the site */
    import("./pagefind/pagefind.js").then(function (pagefind) {
      document.getElementById("search-offline").hidden = true;
      form.hidden = false;
      return pagefind.filters().then(function (filters) {
        ["person", "place"].forEach(function (kind) {
          var select = document.getElementById(kind);
          Object.keys(filters[kind] || {}).sort(function (a, b) { return a.localeCompare(b); })
            .forEach(function (name) {
              var option = document.createElement("option");
              option.value = name; option.textContent = name + " (" + filters[kind][name] + ")";
              select.appendChild(option);
            });
        });
        var params = new URLSearchParams(location.search);
        ["q", "person", "place"].forEach(function (k) { if (params.get(k)) form.elements[k].value = params.get(k); });
        form.addEventListener("submit", function (e) { e.preventDefault(); run(pagefind); });
        if (params.get("q") || params.get("person") || params.get("place")) run(pagefind);
      });
    }).catch(function () {
      status.textContent = "This site was built without a search index (install serge-tei[search] and build again).";
    });

    function run(pagefind) {
      var q = form.elements.q.value.trim(), filters = {};
      ["person", "place"].forEach(function (k) { if (form.elements[k].value) filters[k] = form.elements[k].value; });
      history.replaceState(null, "", "?" + new URLSearchParams(Object.assign({ q: q }, filters)));
      status.textContent = "Searching…";
      pagefind.search(q || null, { filters: filters }).then(function (found) {
        return Promise.all(found.results.slice(0, 50).map(function (r) { return r.data(); }))
          .then(function (pages) { show(pages, found.results.length, q); });
      });
    }
    function show(pages, total, q) {
      results.textContent = "";
      status.textContent = total === 0 ? "No results." : total + (total === 1 ? " result" : " results")
        + (total > pages.length ? ", the first " + pages.length + " shown." : ".");
      pages.forEach(function (page) {
        var hits = page.sub_results && page.sub_results.length ? page.sub_results.slice(0, 3) : [page];
        hits.forEach(function (hit, i) {
          var li = document.createElement("li"), a = document.createElement("a");
          var url = hit.url || page.url;
          if (q) url = url.replace(/(#|$)/, (url.indexOf("?") < 0 ? "?" : "&") + "highlight=" + encodeURIComponent(q) + "$1");
          a.href = url.replace(/^\//, "");
          a.textContent = (page.meta && page.meta.title ? page.meta.title : page.url) +
            (i > 0 || hits.length > 1 ? " — " + (hit.title || "") : "");
          var p = document.createElement("p");
          appendExcerpt(p, hit.excerpt || page.excerpt || "");
          li.append(a, p);
          results.appendChild(li);
        });
      });
    }
  }
  /* Pagefind marks hits with <mark>; the rest is shown as text, never parsed as HTML. */
  function appendExcerpt(into, excerpt) {
    excerpt.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
      var m = /^<mark>(.*)<\/mark>$/.exec(part);
      var text = (m ? m[1] : part).replace(/<[^>]*>/g, "")
        .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      if (m) { var mark = document.createElement("mark"); mark.textContent = text; into.appendChild(mark); }
      else into.appendChild(document.createTextNode(text));
    });
  }

  /* A link to something inside a closed section (a facsimile image) opens the section. */
  function revealTarget() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var section = target && target.closest("details:not([open])");
    if (section) { section.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", revealTarget);

  /* Printed, the source and citation are part of the page. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.record").forEach(function (d) { d.open = true; });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();

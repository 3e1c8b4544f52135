/* The desk's own additions to Decap CMS (docs/desk.md): the file name in pinyin, previews in
 * the site's own markup and styles, and accessibility fixes to Decap's screens.
 * Plain ES5 on Decap's globals (CMS, h, createClass): no build step, nothing loaded from
 * elsewhere. The local backend (newsroom desk) answers "newId"; a built site's /admin/ has
 * no such backend, so there the editor types the id. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  var API = "/admin/api/v1";

  // ---------------------------------------------------------------- file names

  function askId(collection, title, date) {
    return fetch(API, {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({action: "newId", params: {collection: collection, title: title,
                                                      year: date ? String(date).slice(0, 4) : ""}})
    }).then(function (r) { return r.ok ? r.json() : {id: ""}; }, function () { return {id: ""}; });
  }

  // A new entry's file name: the pinyin of its title (or name), as `newsroom new` gives it,
  // asked of the local backend just before the save (Decap computes the path after preSave).
  // Decap re-renders a widget only when its own value changes, so a widget cannot follow the
  // title as it is typed: the field stays empty until the save, unless the editor types one.
  // Without the local backend (a built site's desk) the editor must type it.
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry, data = entry.get("data");
      if (!entry.get("newRecord") || data.get("slug")) { return data; }
      var title = data.get("title") || data.get("name") || "";
      return askId(entry.get("collection"), title, data.get("date")).then(function (answer) {
        if (!answer.id) { throw new Error("请填写“网址名（拼音）”：只能用小写拼音、数字和连字符"); }
        return data.set("slug", answer.id);
      });
    }
  });

  // ---------------------------------------------------------------- previews

  // The site's styles (Material's and ours), listed in index.html: the preview frame gets
  // them, the desk itself does not.
  var styles = document.querySelectorAll("meta[name=newsroom-preview-style]");
  for (var i = 0; i < styles.length; i++) { CMS.registerPreviewStyle(styles[i].getAttribute("content")); }
  CMS.registerPreviewStyle("preview.css");

  function get(entry, key) { return entry.getIn(["data", key]); }
  function list(value) { return value && value.toJS ? value.toJS() : (value ? [].concat(value) : []); }
  function page(children) {
    return h("div", {"data-md-color-scheme": "default", "data-md-color-primary": "red",
                     "data-md-color-accent": "red", className: "nr-desk-preview"},
             h("div", {className: "md-content"}, h("article", {className: "md-content__inner md-typeset"}, children)));
  }
  function image(props, key, alt) {
    var src = get(props.entry, key);
    if (!src) { return null; }
    var asset = props.getAsset(src);
    return h("img", {src: asset ? asset.toString() : src, alt: alt || ""});
  }

  // Mirrors theme/article.html: the same classes, so newsroom.css lays it out as readers see it.
  var ArticlePreview = function (props) {
    var e = props.entry, reporters = list(get(e, "reporters")), correspondents = list(get(e, "correspondents"));
    var byline = [];
    if (reporters.length) { byline.push(h("span", {className: "nr-reporters", key: "r"}, "记者 " + reporters.join(" "))); }
    if (reporters.length && correspondents.length) { byline.push("\u3000"); }
    if (correspondents.length) { byline.push(h("span", {className: "nr-correspondents", key: "c"}, "通讯员 " + correspondents.join(" "))); }
    var caption = get(e, "image_caption"), credit = get(e, "image_credit");
    return page(h("div", {className: "nr-article"},
      h("header", {className: "nr-article-head"},
        get(e, "kicker") ? h("p", {className: "nr-kicker"}, get(e, "kicker")) : null,
        h("h1", {className: "nr-title"}, get(e, "title") || ""),
        get(e, "subtitle") ? h("p", {className: "nr-subtitle"}, get(e, "subtitle")) : null,
        byline.length ? h("p", {className: "nr-byline"}, byline) : null,
        h("p", {className: "nr-article-meta"},
          get(e, "source") ? h("span", {className: "nr-dateline"}, get(e, "source")) : null,
          h("span", {className: "nr-date"}, String(get(e, "date") || "")))),
      get(e, "image") ? h("figure", {className: "nr-lead-image"}, image(props, "image", caption || get(e, "title")),
        caption || credit ? h("figcaption", {},
          caption ? h("span", {className: "nr-caption"}, caption) : null,
          credit ? h("span", {className: "nr-credit"}, credit) : null) : null) : null,
      h("div", {className: "nr-body nr-prose"}, props.widgetFor("body"))));
  };
  var ProfilePreview = function (props) {
    var e = props.entry;
    return page(h("div", {className: "nr-article"},
      h("header", {className: "nr-article-head"}, h("h1", {className: "nr-title"}, get(e, "name") || get(e, "title") || ""),
        get(e, "slogan") ? h("p", {className: "nr-subtitle"}, get(e, "slogan")) : null),
      h("div", {className: "nr-body nr-prose"}, props.widgetFor("body"))));
  };
  CMS.registerPreviewTemplate("news", ArticlePreview);
  CMS.registerPreviewTemplate("notices", ArticlePreview);
  ["brands", "workers", "topics", "pages"].forEach(function (name) { CMS.registerPreviewTemplate(name, ProfilePreview); });

  // ---------------------------------------------------------------- accessibility

  // Decap leaves these unnamed (axe: frame-title, aria-input-field-name, button-name) and
  // labels one button in English on a Chinese screen (label-content-name-mismatch).
  function patch() {
    var frame = document.querySelector("#preview-pane, iframe[class*=PreviewPane]");
    if (frame && !frame.title) { frame.title = "预览"; }
    document.querySelectorAll("[contenteditable=true][role=textbox]:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "正文");
    });
    // The rich text / Markdown switch: a role=switch with no name (its aria-checked is Decap's to fix).
    document.querySelectorAll("[role=switch]:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Markdown 源码");
    });
    document.querySelectorAll("button").forEach(function (b) {
      if (/^Set date to now$/.test((b.getAttribute("aria-label") || "").trim())) { b.setAttribute("aria-label", b.textContent.trim() || "现在"); }
      if (!b.textContent.trim() && !b.getAttribute("aria-label") && b.title) { b.setAttribute("aria-label", b.title); }
    });
  }
  new MutationObserver(patch).observe(document.documentElement, {childList: true, subtree: true});
})();

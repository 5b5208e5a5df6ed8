// The book's one page script: draws the figures from their JSON specs, switches the theme, follows
// the reader's scroll in the table of contents, adds copy buttons to code cells, and runs the
// search. Loaded with `defer` after plotly.min.js (on pages with figures), minisearch.min.js and
// figure-spec.js.
(function () {
  "use strict";
  var root = document.documentElement;

  // ---------------------------------------------------------------- theme
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function currentTheme() {
    var chosen = root.dataset.theme;
    if (chosen === "light" || chosen === "dark") return chosen;
    return systemDark && systemDark.matches ? "dark" : "light";
  }
  function setTheme(theme) {
    root.dataset.theme = theme;
    try {
      localStorage.setItem("gtd-theme", theme);
    } catch (e) {
      // not stored: the choice lasts for this page
    }
    themeChanged();
  }
  function themeChanged() {
    var toggle = document.getElementById("theme-toggle");
    var dark = currentTheme() === "dark";
    if (toggle) {
      toggle.setAttribute("aria-pressed", dark ? "true" : "false");
      toggle.setAttribute("aria-label", dark ? "Light theme" : "Dark theme");
    }
    redrawFigures();
  }
  if (systemDark && systemDark.addEventListener)
    systemDark.addEventListener("change", themeChanged);

  // ---------------------------------------------------------------- figures
  var figures = [];

  var DARK = {
    paper: "#1d2025",
    grid: "#3b4049",
    line: "#9aa3ad",
    text: "#dde1e6",
    legend: "rgba(29,32,37,0.85)",
  };

  /** The figure's own layout in the light theme; in the dark one, the same with dark colours. */
  function themedLayout(layout) {
    var copy = JSON.parse(JSON.stringify(layout || {}));
    if (currentTheme() !== "dark") return copy;
    copy.paper_bgcolor = DARK.paper;
    copy.plot_bgcolor = DARK.paper;
    copy.font = Object.assign({}, copy.font, { color: DARK.text });
    Object.keys(copy).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        copy[key] = Object.assign({}, copy[key], { gridcolor: DARK.grid, linecolor: DARK.line });
      }
    });
    copy.legend = Object.assign({}, copy.legend, { bgcolor: DARK.legend });
    return copy;
  }

  /** Black lines and markers would vanish on the dark background: they turn light grey there. */
  function themedData(data) {
    if (currentTheme() !== "dark") return data;
    var black = { "#000000": 1, "#000": 1, black: 1, "#222": 1, "#222222": 1 };
    return JSON.parse(JSON.stringify(data), function (key, value) {
      return typeof value === "string" && black[value.toLowerCase()] && key === "color"
        ? DARK.text
        : value;
    });
  }

  function draw(figure) {
    var spec = figure.spec;
    var el = figure.el;
    var placeholder = el.querySelector(".gtd-placeholder");
    if (placeholder) placeholder.remove();
    var layout = themedLayout(spec.layout);
    // A figure made wider than the column is fitted to it (plotly then follows the column's width).
    if (layout.width && layout.width > el.clientWidth) delete layout.width;
    window.Plotly.react(el, themedData(spec.data), layout, spec.config || {});
  }

  function drawFigures() {
    var specs = document.querySelectorAll("script.gtd-figure-spec");
    if (!specs.length) return;
    if (!window.Plotly) {
      console.error("book: plotly.js did not load, so the figures cannot be drawn");
      return;
    }
    Array.prototype.forEach.call(specs, function (script) {
      var el = document.getElementById(script.getAttribute("data-figure"));
      if (!el) return;
      var figure = { el: el, spec: window.gtdFigureSpec(script) };
      figures.push(figure);
      draw(figure);
    });
  }

  function redrawFigures() {
    figures.forEach(draw);
  }

  // ---------------------------------------------------------------- table of contents
  function followScroll() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
    if (!links.length) return;
    var targets = links.map(function (a) {
      return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    });
    var scheduled = false;
    function update() {
      scheduled = false;
      var active = 0;
      targets.forEach(function (t, i) {
        if (t && t.getBoundingClientRect().top < 120) active = i;
      });
      links.forEach(function (a, i) {
        if (i === active) a.setAttribute("aria-current", "location");
        else a.removeAttribute("aria-current");
      });
    }
    window.addEventListener(
      "scroll",
      function () {
        if (!scheduled) {
          scheduled = true;
          window.requestAnimationFrame(update);
        }
      },
      { passive: true },
    );
    update();
  }

  // ---------------------------------------------------------------- copy buttons
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }

  /** A copy button on every listing: code cells, code in the prose and solutions, library code. */
  function addCopyButtons() {
    document.querySelectorAll(".chapter pre").forEach(function (pre) {
      var code = pre.querySelector("code");
      if (!code || pre.classList.contains("output")) return;
      var box = document.createElement("div");
      box.className = "code-box";
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the code");
      button.addEventListener("click", function () {
        copyText(code.textContent).then(
          function () {
            flash(button, "Copied");
          },
          function () {
            flash(button, "Select and copy");
          },
        );
      });
      box.appendChild(button);
    });
  }

  function flash(button, text) {
    button.textContent = text;
    setTimeout(function () {
      button.textContent = "Copy";
    }, 1500);
  }

  // ---------------------------------------------------------------- search
  var search = null;
  var loading = null;

  function loadIndex() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      if (window.GTD_SEARCH_INDEX) return resolve();
      var script = document.createElement("script");
      script.src = "assets/search-index.js";
      script.onload = function () {
        resolve();
      };
      script.onerror = function () {
        reject(new Error("the search index did not load"));
      };
      document.head.appendChild(script);
    }).then(function () {
      var data = window.GTD_SEARCH_INDEX;
      search = {
        engine: window.MiniSearch.loadJS(data.index, data.options),
        options: data.options,
      };
    });
    return loading;
  }

  function setupSearch() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    if (!input || !list) return;
    var selected = -1;

    function render(query) {
      list.textContent = "";
      selected = -1;
      if (!query.trim()) {
        list.hidden = true;
        return;
      }
      var results = search.engine.search(query, search.options.searchOptions).slice(0, 8);
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "search-empty";
        none.textContent = "Nothing found for “" + query + "”";
        list.appendChild(none);
      }
      results.forEach(function (r) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = r.url;
        var where = document.createElement("span");
        where.className = "search-where";
        where.textContent = r.chapter == null ? r.chapterTitle : r.chapter + " · " + r.chapterTitle;
        var title = document.createElement("span");
        title.className = "search-title";
        title.textContent = r.title;
        var excerpt = document.createElement("span");
        excerpt.className = "search-excerpt";
        excerpt.textContent = r.excerpt;
        link.appendChild(where);
        link.appendChild(title);
        link.appendChild(excerpt);
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = false;
    }

    function choose(index) {
      var links = list.querySelectorAll("a");
      if (!links.length) return;
      selected = (index + links.length) % links.length;
      links.forEach(function (a, i) {
        a.classList.toggle("selected", i === selected);
      });
      links[selected].scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("focus", function () {
      loadIndex().catch(reportSearchError);
    });
    input.addEventListener("input", function () {
      loadIndex().then(function () {
        render(input.value);
      }, reportSearchError);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        choose(selected + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        choose(selected - 1);
        event.preventDefault();
      } else if (event.key === "Escape") {
        list.hidden = true;
        input.blur();
      } else if (event.key === "Enter") {
        var links = list.querySelectorAll("a");
        if (links.length) window.location.href = links[Math.max(selected, 0)].href;
      }
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (event.key === "/" && !typing) {
        input.focus();
        event.preventDefault();
      }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".search")) list.hidden = true;
    });
  }

  function reportSearchError(error) {
    console.error("book: " + error.message);
  }

  // ---------------------------------------------------------------- menu (narrow screens)
  function setupMenu() {
    var button = document.querySelector(".menu-toggle");
    var sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;
    button.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function start() {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        setTheme(currentTheme() === "dark" ? "light" : "dark");
      });
    }
    themeChanged();
    drawFigures();
    followScroll();
    addCopyButtons();
    setupSearch();
    setupMenu();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

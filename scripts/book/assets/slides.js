// A deck's one script (site/slides/*.html): starts reveal.js with the speaker notes plugin, and draws
// each slide's figures from their JSON specs when the slide is shown, sized to the room the slide
// leaves them. Loaded with `defer` after plotly.min.js (on decks with figures), reveal.js and
// figure-spec.js.
(function () {
  "use strict";
  /** The slide's size in CSS pixels before reveal scales it to the window: 16:9. */
  var WIDTH = 1280;
  var HEIGHT = 720;
  /** A figure is never drawn smaller than this, even if the slide then overflows (a test catches it). */
  var MIN_FIGURE_HEIGHT = 180;

  /** The slide's content height without its figures, in unscaled pixels. */
  function contentHeight(section) {
    var figures = section.querySelectorAll(".gtd-figure");
    var saved = [];
    Array.prototype.forEach.call(figures, function (el) {
      saved.push(el.style.display);
      el.style.display = "none";
    });
    var height = section.scrollHeight;
    Array.prototype.forEach.call(figures, function (el, i) {
      el.style.display = saved[i];
    });
    return height;
  }

  /**
   * Formulas and tables wider than the slide are set in a smaller font until they fit: a slide has
   * no scrollbars.
   */
  function fitWide(section) {
    var room = section.clientWidth;
    Array.prototype.forEach.call(
      section.querySelectorAll(".katex-display > .katex, .output.html table"),
      function (el) {
        if (el.dataset.fitted || el.scrollWidth <= room) return;
        el.dataset.fitted = "true";
        el.style.fontSize = Math.floor((100 * room) / el.scrollWidth) + "%";
      },
    );
  }

  /** Draws the figures of one slide that are not drawn yet, sharing the height the slide has left. */
  function drawSlide(section) {
    if (!section) return;
    fitWide(section);
    if (!window.Plotly) return;
    var pending = Array.prototype.filter.call(
      section.querySelectorAll(".gtd-figure"),
      function (el) {
        return !el.classList.contains("js-plotly-plot");
      },
    );
    if (!pending.length) return;
    // Several figures share the slide in a grid of up to three columns.
    var columns = Math.min(pending.length, 3);
    var rows = Math.ceil(pending.length / columns);
    if (columns > 1) {
      pending.forEach(function (el) {
        var box = el.closest(".output") || el;
        box.style.display = "inline-block";
        box.style.verticalAlign = "top";
        box.style.width = Math.floor(100 / columns) - 1 + "%";
      });
    }
    var room = (HEIGHT - contentHeight(section)) / rows;
    pending.forEach(function (el) {
      var script = section.querySelector('script.gtd-figure-spec[data-figure="' + el.id + '"]');
      if (!script) return;
      var spec = window.gtdFigureSpec(script);
      var layout = JSON.parse(JSON.stringify(spec.layout || {}));
      var wanted = layout.height || 400;
      layout.height = Math.round(Math.max(MIN_FIGURE_HEIGHT, Math.min(wanted, room - 8)));
      delete layout.width; // the slide's width
      var placeholder = el.querySelector(".gtd-placeholder");
      if (placeholder) placeholder.remove();
      el.style.minHeight = "0";
      el.style.height = layout.height + "px";
      window.Plotly.react(
        el,
        spec.data,
        layout,
        Object.assign({}, spec.config, { responsive: false }),
      );
    });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".reveal .slides section"), drawSlide);
  }

  function start() {
    if (!window.Reveal) {
      console.error("slides: reveal.js did not load");
      return;
    }
    if (document.querySelector("script.gtd-figure-spec") && !window.Plotly) {
      console.error("slides: plotly.js did not load, so the figures cannot be drawn");
    }
    var deck = window.Reveal;
    // In print mode (?print-pdf) reveal lays the slides out as pages, then says so: the figures are
    // drawn on their pages then.
    deck.on("pdf-ready", function () {
      drawAll();
      document.documentElement.dataset.pdfReady = "true";
    });
    deck
      .initialize({
        width: WIDTH,
        height: HEIGHT,
        margin: 0.04,
        center: false,
        hash: true,
        slideNumber: "c/t",
        showSlideNumber: "all",
        transition: "none",
        // One PDF page per slide: a fragment's later states are not pages of their own, and a slide
        // never spills onto a second page (reveal measures the pages before the figures are drawn,
        // when their boxes still have the notebook's heights; the slides test checks they fit).
        pdfSeparateFragments: false,
        pdfMaxPagesPerSlide: 1,
        plugins: window.RevealNotes ? [window.RevealNotes] : [],
      })
      .then(function () {
        // reveal 6 names it isPrintView (its type declarations still say isPrintingPDF).
        if (!deck.isPrintView()) drawSlide(deck.getCurrentSlide());
        deck.on("slidechanged", function (event) {
          drawSlide(event.currentSlide);
        });
        // For tests and tools: the deck is laid out and its first slide drawn.
        document.documentElement.dataset.deckReady = "true";
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// The figure specs of the book's pages and of the decks: each figure's plotly JSON sits in a
// <script class="gtd-figure-spec"> with its repeated arrays stored once (compactSpec in figures.js).
// Loaded with `defer` before book.js (the pages) and slides.js (the decks), which both call it.
(function () {
  "use strict";

  /** Puts back the arrays that the build stored once per figure. */
  function expand(value, arrays) {
    if (Array.isArray(value))
      return value.map(function (v) {
        return expand(v, arrays);
      });
    if (value && typeof value === "object") {
      if (typeof value.gtdArray === "number" && Object.keys(value).length === 1) {
        return expand(arrays[value.gtdArray], arrays);
      }
      var copy = {};
      Object.keys(value).forEach(function (k) {
        copy[k] = expand(value[k], arrays);
      });
      return copy;
    }
    return value;
  }

  /** The plotly figure ({ data, layout, … }) stored in a figure's spec script element. */
  window.gtdFigureSpec = function (script) {
    var payload = JSON.parse(script.textContent);
    return expand(payload.figure, payload.arrays || []);
  };
})();

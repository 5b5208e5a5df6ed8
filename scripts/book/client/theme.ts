// Runs in <head> before the page is drawn: applies the reader's chosen theme, if any, so that a
// dark page never flashes white. Without a choice the stylesheet follows the system setting
// (prefers-color-scheme).
try {
  const chosen = localStorage.getItem("gtd-theme");
  if (chosen === "light" || chosen === "dark") document.documentElement.dataset.theme = chosen;
} catch {
  // Storage can be unavailable (file:// in some browsers, privacy settings): follow the system.
}

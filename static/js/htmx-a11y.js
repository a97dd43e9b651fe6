// Loaded with htmx (includes/htmx.html): after a partial swap, keep the focus
// somewhere sensible and say what changed, as a full page load would.
// - If the focused element was inside the swapped region (it is gone now),
//   the focus moves to the new region (given tabindex="-1" if it is not
//   focusable), so keyboard and screen-reader users carry on from there.
// - A short message goes into the page's one polite live region: the
//   fragment's [data-announce] (its value, or else its text), or the generic
//   message the live region carries (« Contenu mis à jour »). A region already
//   inside an aria-live container (the job progress) speaks for itself.
(function () {
  var live = document.getElementById("htmx-live");
  var pending = null; // { id, hadFocus } of the swap under way

  function focusable(el) {
    return el.tabIndex >= 0 || el.hasAttribute("tabindex");
  }

  function announce(text) {
    if (!live || !text) return;
    // Emptied first, so the same message twice is read twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 100);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    pending = {
      id: target && target.id,
      hadFocus: !!(target && active && active !== document.body && target.contains(active)),
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pending || !pending.id) return;
    var region = document.getElementById(pending.id);
    var hadFocus = pending.hadFocus;
    pending = null;
    if (!region) return;
    var active = document.activeElement;
    var focusLost = !active || active === document.body || !document.body.contains(active);
    if (hadFocus && focusLost) {
      if (!focusable(region)) region.setAttribute("tabindex", "-1");
      region.focus();
    }
    if (region.closest("[aria-live]")) return;
    var source = region.matches("[data-announce]") ? region : region.querySelector("[data-announce]");
    var text = source ? (source.getAttribute("data-announce") || source.textContent) : "";
    announce((text || "").replace(/\s+/g, " ").trim() || (live && live.getAttribute("data-default")));
  });
})();

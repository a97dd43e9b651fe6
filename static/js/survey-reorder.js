// The survey builder: drag a question with the mouse and drop it before or after
// another one. Only an enhancement: the « Monter » / « Descendre » buttons do the
// same with the keyboard or without JavaScript. A drop sends the question's own
// move form with direction=before|after and the target's id, then shows the page
// the server answers with (the builder, with any message).
(function () {
  var lists = document.querySelectorAll(".survey-builder-questions");
  if (!lists.length || !window.fetch) return;
  var dragged = null;
  var items = document.querySelectorAll(".survey-builder-questions > li[data-move-url]");
  function clear() {
    items.forEach(function (li) { li.classList.remove("drop-before", "drop-after"); });
  }
  function after(li, event) {
    var box = li.getBoundingClientRect();
    return event.clientY > box.top + box.height / 2;
  }
  items.forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.classList.add("draggable");
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.id);
    });
    li.addEventListener("dragend", function () { dragged = null; clear(); });
    li.addEventListener("dragover", function (event) {
      if (!dragged || dragged === li) return;
      event.preventDefault();
      clear();
      li.classList.add(after(li, event) ? "drop-after" : "drop-before");
    });
    li.addEventListener("dragleave", clear);
    li.addEventListener("drop", function (event) {
      if (!dragged || dragged === li) return;
      event.preventDefault();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", dragged.dataset.csrf);
      data.append("direction", after(li, event) ? "after" : "before");
      data.append("target", li.dataset.questionPk);
      clear();
      document.body.setAttribute("aria-busy", "true");
      fetch(dragged.dataset.moveUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { window.location.assign(response.url); })
        .catch(function () { window.location.reload(); });
    });
  });
})();

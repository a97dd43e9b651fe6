// Loaded only on a page whose form came back with errors (includes/form_errors.html):
// the error summary takes the focus, so a screen reader reads it first.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) summary.focus();
})();

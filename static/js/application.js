// CRE Portal behaviour that GOV.UK Frontend does not provide. ES module, loaded after
// govuk-frontend's initAll(). The Content-Security-Policy forbids inline handlers
// (onclick="..."), so behaviour is attached here through data attributes.

// <button type="button" class="govuk-button govuk-button--secondary" data-app-print hidden>
//   Print this page</button>
// The button is hidden without JavaScript and revealed here, because it cannot work without it.
function initPrintButtons(scope = document) {
  for (const button of scope.querySelectorAll("[data-app-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}

initPrintButtons();

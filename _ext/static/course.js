// The visible sidebar button opens the chapter list. pydata-sphinx-theme 0.17 binds its handlers
// (the phone's pop-up chapter list, the desktop's collapse) to the FIRST `.primary-toggle` in the
// page, the one in the hidden top navbar; sphinx-book-theme's own button, the one readers see, gets
// none (pydata-sphinx-theme issue 2451). Forward its clicks to the first one.
document.addEventListener("DOMContentLoaded", () => {
  const [first, ...others] = document.querySelectorAll(".primary-toggle");
  for (const button of others) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopImmediatePropagation();
      first.click();
    }, true);
  }
});

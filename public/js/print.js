// The end-of-day page's Print button (CSP forbids inline handlers).
document.addEventListener("click", (e) => {
  if (e.target instanceof Element && e.target.closest("[data-print]")) window.print();
});

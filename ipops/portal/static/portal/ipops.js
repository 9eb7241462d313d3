// Send Django's CSRF token with every HTMX request (the token sits in a meta tag, so no
// inline script is needed and the Content-Security-Policy can forbid them).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
});

// Copy buttons (API token secrets): <button data-copy="#element-id">.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim());
    button.dataset.copied = "true";
  }
});

// Confirm before destructive actions: <form data-confirm="message">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// On a narrow screen the menu starts folded; on a wide one it is always shown.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector(".nav-toggle");
  if (menu && window.matchMedia("(max-width: 860px)").matches) menu.open = false;
});

// Share and copy buttons (the thank-you page's sharing tools). Sharing offers the certificate
// image through the Web Share API where the browser can share files, the link alone where it
// can share only links, and copies the link everywhere else. Buttons may appear after this runs
// (the page turns to "confirmed" by itself), so clicks are handled on the document.
//
// Browsers let a page share only straight after a tap, so the certificate is made ready as soon
// as its button is on the page (from the image the page already shows, in the browser's cache),
// and a tap calls `navigator.share` at once, never after a download.
(() => {
  const ready = new Map();

  const prepare = (button) => {
    const path = button.dataset.shareFile;
    if (!path || ready.has(path) || typeof File === "undefined" || !navigator.share) return;
    ready.set(path, null);
    fetch(path)
      .then((response) => (response.ok ? response.blob() : null))
      .then((blob) => {
        if (!blob) return;
        const name = `certificate.${blob.type === "image/jpeg" ? "jpg" : "png"}`;
        ready.set(path, new File([blob], name, { type: blob.type }));
        button.dataset.shareReady = "";
      })
      .catch(() => {});
  };

  const prepareAll = () => document.querySelectorAll("[data-share-file]").forEach(prepare);
  prepareAll();
  new MutationObserver(prepareAll).observe(document.documentElement, { childList: true, subtree: true });

  const status = (button, text) => {
    const box = button.closest("section")?.querySelector("[data-share-status]");
    if (box) box.textContent = text;
  };

  const copy = async (url, button) => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      const input = button.closest("section")?.querySelector("input[readonly]");
      if (!input) return;
      input.select();
      document.execCommand("copy");
    }
    status(button, button.dataset.copiedLabel || "");
  };

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-share-url], [data-copy-url]");
    if (!button) return;
    const url = button.dataset.shareUrl || button.dataset.copyUrl;
    if (button.dataset.shareUrl && navigator.share) {
      const data = { url, title: button.dataset.shareTitle };
      const file = ready.get(button.dataset.shareFile);
      if (file && navigator.canShare && navigator.canShare({ files: [file] })) {
        data.files = [file];
      }
      try {
        await navigator.share(data);
        return;
      } catch (error) {
        if (error && error.name === "AbortError") return;
      }
    }
    await copy(url, button);
  });
})();

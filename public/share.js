// Share and copy buttons (the thank-you page's sharing tools). Sharing offers the certificate
// image through the Web Share API where the browser can share files, the link alone where it
// can share only links, and copies the link everywhere else. Buttons may appear after this runs
// (the page turns to "confirmed" by itself), so clicks are handled on the document.
(() => {
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

  const certificateFile = async (path) => {
    if (!path || typeof File === "undefined") return null;
    const response = await fetch(path);
    if (!response.ok) return null;
    return new File([await response.blob()], "certificate.png", { type: "image/png" });
  };

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-share-url], [data-copy-url]");
    if (!button) return;
    const url = button.dataset.shareUrl || button.dataset.copyUrl;
    if (button.dataset.shareUrl && navigator.share) {
      const data = { url, title: button.dataset.shareTitle };
      try {
        const file = await certificateFile(button.dataset.shareFile);
        if (file && navigator.canShare && navigator.canShare({ files: [file] })) {
          data.files = [file];
        }
        await navigator.share(data);
        return;
      } catch (error) {
        if (error && error.name === "AbortError") return;
      }
    }
    await copy(url, button);
  });
})();

// A phone on a mediocre network, as Lighthouse's mobile defaults describe it: Chrome's "Slow 4G"
// (150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up) and a CPU 4x slower than this machine's.
// Shared by the browser tests and the first-visit benchmark, so both mean the same phone.

/** Slows `page` down to the phone, through the Chrome DevTools Protocol. */
async function slowDown(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
}

module.exports = { slowDown };

// Starts ELK's Web Worker as the page begins to load (a classic script in the head,
// after elk-api.js): the worker fetches and compiles ELK's 1.6 MB of code while the
// page's modules load and the room's snapshot travels, instead of after them
// (measured: docs/performance.md, "Drawing the layout"). layout.js takes it over.
(function start() {
  const script = document.currentScript;
  if (!window.ELK || !script || !script.dataset.worker) return;
  window.kubeplayElk = { elk: new window.ELK({ workerUrl: script.dataset.worker }), at: performance.now() };
})();

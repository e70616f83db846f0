// Follow along. The presenter's view of the room (the chosen object and panel,
// a pointer aimed at a box, the diagram's zoom and scroll) goes to the server
// as `view` messages; the server hands the latest to everyone in its next frame
// (never into the room's log). A follower's page follows it until they step
// away (scroll, zoom, click, another panel), and "Follow" brings it back.
// The pointer shows for everyone, followers who stepped away included.

// The presenter's view goes out at most this often (the server sends it on once a tick).
const SEND_EVERY_MS = 120;
export const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 2.5, 3];
const FOLLOWED_TABS = ["traffic", "inspector", "manifests"];

const sameTarget = (a, b) => (a && b ? a.kind === b.kind && a.namespace === b.namespace && a.name === b.name : a === b);

export class Follow {
  // page: {tab(), selectTab(name), inspected(), inspect(target), redraw()}
  constructor(root, socket, diagram, rights, page) {
    this.root = root;
    this.scroller = root.querySelector("[data-diagram]");
    this.socket = socket;
    this.diagram = diagram;
    this.rights = rights;
    this.page = page;
    this.following = true;
    this.latest = null; // the presenter's view, as the server last sent it
    this.pointer = null;
    this.pointing = false;
    this.sharedTab = "traffic";
    this.applying = false;
    this.sentAt = 0;
    this.timer = null;
    this.scrollTo = null; // the presenter's scroll, as fractions of the way
    this.followButton = root.querySelector("[data-follow]");
    this.status = root.querySelector("[data-following]");
    this.pointButton = root.querySelector("[data-point]");

    socket.addEventListener("hello", () => {
      if (this.rights.presenter) this.changed(); // a reloaded room learns the view again
    });
    socket.addEventListener("snapshot", (event) => this.receive(event.detail.view));
    socket.addEventListener("frame", (event) => {
      if ("view" in event.detail) this.receive(event.detail.view);
    });
    diagram.addEventListener("drawn", () => {
      this.markPointer();
      this.applyScroll();
    });

    for (const button of root.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => this.zoom(button.dataset.zoom));
    }
    this.scroller.addEventListener("scroll", () => {
      if (!this.applying && this.rights.presenter) this.changed();
    });
    // A follower's own hand on the diagram or the panels: they step away.
    for (const type of ["wheel", "pointerdown", "keydown"]) {
      this.scroller.addEventListener(type, (event) => this.stepAway(event), { passive: true });
    }
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      tab.addEventListener("click", (event) => this.stepAway(event));
    }
    this.followButton?.addEventListener("click", () => this.follow());
    this.pointButton?.addEventListener("click", () => this.setPointing(!this.pointing));
    // Aiming: a click (or Enter) on a box while pointing marks it instead of choosing it.
    this.scroller.addEventListener("click", (event) => this.aim(event), true);
    this.scroller.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.rights.presenter && (this.pointing || this.pointer)) {
        this.setPointing(false);
        this.point(null);
      } else if ((event.key === "Enter" || event.key === " ") && this.pointing) {
        this.aim(event);
      }
    }, true);
  }

  // -- the presenter ---------------------------------------------------------------------

  view() {
    const s = this.scroller;
    const fraction = (at, size, visible) => (size > visible ? Math.min(1, Math.max(0, at / (size - visible))) : 0);
    // The Class panel is each one's own: followers keep the last panel they could share.
    const tab = this.page.tab();
    if (FOLLOWED_TABS.includes(tab)) this.sharedTab = tab;
    return {
      type: "view",
      tab: this.sharedTab,
      selected: this.page.inspected(),
      pointer: this.pointer,
      zoom: this.diagram.zoom,
      scroll: [fraction(s.scrollLeft, s.scrollWidth, s.clientWidth), fraction(s.scrollTop, s.scrollHeight, s.clientHeight)],
    };
  }

  // Something the presenter sees changed: tell the server, at most every SEND_EVERY_MS.
  changed() {
    if (!this.rights.presenter || this.timer) return;
    const wait = Math.max(0, this.sentAt + SEND_EVERY_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sentAt = performance.now();
      this.socket.send(this.view());
    }, wait);
  }

  setPointing(on) {
    this.pointing = on;
    this.pointButton?.setAttribute("aria-pressed", String(on));
    this.root.classList.toggle("pointing", on);
  }

  aim(event) {
    if (!this.pointing || !this.rights.presenter) return;
    const box = event.target.closest("[data-id]");
    if (!box) return;
    event.preventDefault();
    event.stopPropagation();
    this.point(box.dataset.id === this.pointer ? null : box.dataset.id);
  }

  point(id) {
    this.pointer = id;
    this.markPointer();
    this.changed();
  }

  zoom(how) {
    if (this.rights.role === "follower") this.stepAway({ isTrusted: true });
    const i = ZOOMS.indexOf(this.diagram.zoom);
    const at = i < 0 ? ZOOMS.indexOf(1) : i;
    const next = how === "in" ? ZOOMS[Math.min(ZOOMS.length - 1, at + 1)] : how === "out" ? ZOOMS[Math.max(0, at - 1)] : 1;
    this.setZoom(next);
    this.changed();
  }

  setZoom(zoom) {
    if (this.diagram.zoom === zoom) return;
    this.diagram.zoom = zoom;
    this.page.redraw();
  }

  // -- a follower -----------------------------------------------------------------------

  receive(view) {
    if (this.rights.presenter) return;
    this.latest = view || null;
    this.pointer = view ? view.pointer : null;
    this.markPointer();
    if (this.following && view) this.apply(view);
  }

  apply(view) {
    this.applying = true;
    try {
      if (view.tab && view.tab !== this.page.tab()) this.page.selectTab(view.tab);
      if (view.selected && !sameTarget(view.selected, this.page.inspected())) this.page.inspect(view.selected);
      this.setZoom(view.zoom || 1);
    } finally {
      this.applying = false;
    }
    this.scrollTo = view.scroll || [0, 0];
    requestAnimationFrame(() => this.applyScroll());
  }

  // The same share of the way as the presenter; again after each drawing, which the layout
  // worker finishes later (a new zoom, a room that grew).
  applyScroll() {
    if (!this.following || !this.scrollTo || this.rights.presenter) return;
    const s = this.scroller;
    const [x, y] = this.scrollTo;
    this.applying = true;
    s.scrollLeft = x * Math.max(0, s.scrollWidth - s.clientWidth);
    s.scrollTop = y * Math.max(0, s.scrollHeight - s.clientHeight);
    requestAnimationFrame(() => {
      this.applying = false;
    });
  }

  stepAway(event) {
    if (this.rights.role !== "follower" || !this.following || this.applying || !event.isTrusted) return;
    this.following = false;
    this.showState();
  }

  follow() {
    this.following = true;
    this.showState();
    if (this.latest) this.apply(this.latest);
  }

  showState() {
    if (this.followButton) this.followButton.hidden = this.following;
    if (this.status) this.status.hidden = !this.following;
    this.root.dataset.following = String(this.following);
  }

  // -- the pointer, for everyone -------------------------------------------------------

  markPointer() {
    const svg = this.diagram.svg;
    for (const el of svg.querySelectorAll(".pointed")) {
      if (el.dataset.id !== this.pointer) el.classList.remove("pointed");
    }
    if (!this.pointer) return;
    const box = svg.querySelector(`[data-id="${CSS.escape(this.pointer)}"]:not(.leaving)`);
    if (box) box.classList.add("pointed");
  }
}

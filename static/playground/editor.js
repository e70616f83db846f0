// A YAML editor: a plain textarea (so typing, undo and accessibility are the
// browser's own) over a highlighted copy of its text, with a line-number
// gutter that marks lines with problems (red) and warnings (amber). Clicking
// a problem puts the cursor on its line. Validation itself is htmx: the
// textarea posts as you type.
import { gettext, interpolate } from "./i18n.js";

function escapeHtml(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function span(cls, text) {
  return text ? `<span class="y-${cls}">${escapeHtml(text)}</span>` : "";
}

function scalar(text) {
  const comment = text.match(/^(.*?)(\s+#.*)$/);
  const [value, rest] = comment ? [comment[1], comment[2]] : [text, ""];
  let html;
  if (/^(["']).*\1$/.test(value.trim())) html = span("s", value);
  else if (/^-?\d+(\.\d+)?$/.test(value.trim())) html = span("n", value);
  else if (/^(true|false|null|~|yes|no)$/i.test(value.trim())) html = span("b", value);
  else if (/^[|>][-+]?\s*$/.test(value)) html = span("p", value);
  else html = escapeHtml(value);
  return html + span("c", rest);
}

export function highlight(line) {
  if (/^\s*#/.test(line)) return span("c", line);
  if (/^(---|\.\.\.)\s*$/.test(line)) return span("d", line);
  const pair = line.match(/^(\s*(?:-\s+)*)([^\s#'"{[][^:#]*?|"[^"]*"|'[^']*')(:)(\s+.*|$)$/);
  if (pair) return escapeHtml(pair[1]) + span("k", pair[2]) + span("d", ":") + scalar(pair[4]);
  const item = line.match(/^(\s*-\s+)(.*)$/);
  if (item) return escapeHtml(item[1]) + scalar(item[2]);
  return scalar(line);
}

class Editor {
  constructor(root) {
    this.root = root;
    this.input = root.querySelector("textarea");
    this.code = root.querySelector(".editor-highlight code");
    this.highlightPre = root.querySelector(".editor-highlight");
    this.gutter = root.querySelector(".editor-gutter");
    this.position = root.closest("[data-editor-scope]")?.querySelector("[data-cursor]");
    this.problemLines = new Set();
    this.warningLines = new Set();
    this.lineCount = -1;
    this.input.addEventListener("input", () => this.update());
    this.input.addEventListener("scroll", () => this.syncScroll());
    for (const type of ["keyup", "click", "select", "focus"]) {
      this.input.addEventListener(type, () => this.showCursor());
    }
    root.editor = this;
    this.update();
  }

  update() {
    const lines = this.input.value.split("\n");
    this.code.innerHTML = `${lines.map(highlight).join("\n")}\n`;
    if (lines.length !== this.lineCount) {
      this.lineCount = lines.length;
      this.paintGutter();
    }
    this.syncScroll();
  }

  paintGutter() {
    const parts = [];
    for (let i = 1; i <= this.lineCount; i += 1) {
      if (this.problemLines.has(i)) parts.push(`<span class="bad">${i}</span>`);
      else if (this.warningLines.has(i)) parts.push(`<span class="warn">${i}</span>`);
      else parts.push(String(i));
    }
    this.gutter.innerHTML = `${parts.join("\n")}\n`;
  }

  markProblems(lines, warningLines = []) {
    this.problemLines = new Set(lines);
    this.warningLines = new Set(warningLines);
    this.paintGutter();
  }

  syncScroll() {
    this.highlightPre.scrollTop = this.input.scrollTop;
    this.highlightPre.scrollLeft = this.input.scrollLeft;
    this.gutter.scrollTop = this.input.scrollTop;
  }

  cursorLine() {
    const before = this.input.value.slice(0, this.input.selectionStart);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    return { line, column };
  }

  showCursor() {
    if (!this.position) return;
    const { line, column } = this.cursorLine();
    this.position.textContent = interpolate(gettext("Line %(line)s, column %(column)s"), { line, column });
  }

  goTo(line, column = 1) {
    const lines = this.input.value.split("\n");
    const target = Math.min(Math.max(1, line), lines.length);
    let offset = 0;
    for (let i = 0; i < target - 1; i += 1) offset += lines[i].length + 1;
    offset += Math.min(Math.max(0, column - 1), lines[target - 1].length);
    this.input.focus();
    this.input.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(this.input).lineHeight) || 20;
    this.input.scrollTop = Math.max(0, (target - 1) * lineHeight - this.input.clientHeight / 3);
    this.syncScroll();
    this.showCursor();
  }
}

function linesOf(value) {
  return (value || "").split(/\s+/).filter(Boolean).map(Number);
}

function editorFor(element) {
  const scope = element.closest("[data-editor-scope]");
  const root = scope && scope.querySelector("[data-editor]");
  return root ? root.editor : null;
}

export function setupEditors(container = document) {
  for (const root of container.querySelectorAll("[data-editor]")) {
    if (!root.editor) new Editor(root);
    const problems = root.closest("[data-editor-scope]")?.querySelector(".problems");
    if (problems) {
      root.editor.markProblems(
        linesOf(problems.dataset.problemLines),
        linesOf(problems.dataset.warningLines),
      );
    }
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest(".problem[data-line]");
  if (!button) return;
  const editor = editorFor(button);
  if (editor) editor.goTo(Number(button.dataset.line), Number(button.dataset.column || 1));
});

// After any htmx swap (new problems, another example): set up new editors, re-mark lines.
document.addEventListener("htmx:afterSettle", () => setupEditors());

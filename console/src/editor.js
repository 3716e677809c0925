// The code editor: CodeMirror 6 with JavaScript highlighting and the default key map, loaded as a
// separate chunk by the playground only. It lives in a shadow root: there CodeMirror styles itself
// through constructed style sheets (CSSOM), which the console's CSP (style-src 'self') allows; in
// the document itself it would add <style> elements, which the CSP blocks.
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';

// The page's colours are CSS variables, which inherit into the shadow root.
const theme = EditorView.theme({
  '&': { minHeight: '260px', maxHeight: '60vh', backgroundColor: 'var(--card)', color: 'var(--fg)', borderRadius: 'var(--radius)' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace', fontSize: '13px' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 8%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--accent)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'color-mix(in srgb, var(--accent) 25%, transparent)' },
});

/** Mounts an editor in parent; returns { getValue, setValue, focus }. onRun is bound to Ctrl/Cmd-Enter. */
export function createEditor(host, { doc, onChange, onRun, label = 'Function code' }) {
  const runKey = { key: 'Mod-Enter', run: () => (onRun?.(), true) };
  const root = host.attachShadow({ mode: 'open' });
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript(),
        // Tab indents; Esc then Tab leaves the editor (CodeMirror's own escape hatch for keyboard users).
        keymap.of([runKey, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        theme,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((u) => u.docChanged && onChange?.(u.state.doc.toString())),
      ],
    }),
  });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

// The code editor: CodeMirror 6 with JavaScript highlighting and the default key map, loaded as a
// separate chunk by the playground only. CodeMirror styles itself through constructed style sheets
// (CSSOM), which the console's CSP (style-src 'self') allows; nothing is inline.
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';

/** Mounts an editor in parent; returns { getValue, setValue, focus }. onRun is bound to Ctrl/Cmd-Enter. */
export function createEditor(parent, { doc, onChange, onRun, label = 'Function code' }) {
  const runKey = { key: 'Mod-Enter', run: () => (onRun?.(), true) };
  const view = new EditorView({
    parent,
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
